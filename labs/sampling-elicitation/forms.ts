// What a form-mode elicitation may ask for (2025-11-25 client/elicitation): "form mode elicitation
// schemas are limited to flat objects with primitive properties only" (string, number/integer,
// boolean, enums, and multi-select arrays of enum strings), and never secrets: "Servers MUST NOT use
// form mode elicitation to request sensitive information such as passwords, API keys, access
// tokens, or payment credentials".

type Schema = Record<string, unknown>;

const PRIMITIVES = new Set(["string", "number", "integer", "boolean"]);
const asSchema = (value: unknown): Schema | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;

/** An enum of strings, in any of the spellings the spec allows (enum, or oneOf/anyOf of consts). */
function isEnumOfConsts(s: Schema): boolean {
  if (Array.isArray(s.enum)) return true;
  for (const key of ["oneOf", "anyOf"] as const) {
    const branches = s[key];
    if (
      Array.isArray(branches) &&
      branches.length > 0 &&
      branches.every((b) => asSchema(b)?.const !== undefined)
    )
      return true;
  }
  return false;
}

function propertyProblem(name: string, prop: Schema): string | undefined {
  if (prop.$ref !== undefined) return `"${name}" refers to another schema ($ref), which a form cannot render`;
  if (prop.type === "object" || prop.properties !== undefined) return `"${name}" is a nested object`;
  if (prop.allOf !== undefined) return `"${name}" combines schemas (allOf)`;
  if ((prop.anyOf !== undefined || prop.oneOf !== undefined) && !isEnumOfConsts(prop))
    return `"${name}" is a union of schemas (anyOf/oneOf), not one primitive type`;
  if (prop.type === "array") {
    const items = asSchema(prop.items);
    if (!items || !isEnumOfConsts(items))
      return `"${name}" is a list of ${items?.type === "object" ? "objects" : "free values"}; only a multi-select list of enum strings is allowed`;
    return undefined;
  }
  if (Array.isArray(prop.type)) return `"${name}" has several types (${prop.type.join(", ")})`;
  if (typeof prop.type === "string" && !PRIMITIVES.has(prop.type)) return `"${name}" has type ${prop.type}`;
  if (prop.type === undefined && !isEnumOfConsts(prop)) return `"${name}" declares no primitive type`;
  return undefined;
}

/** Why `schema` is not a flat object of primitive properties (empty when it is). */
export function formSchemaProblems(schema: unknown): string[] {
  const root = asSchema(schema);
  if (!root) return ["requestedSchema is not an object schema"];
  const problems: string[] = [];
  if (root.type !== "object")
    problems.push(`requestedSchema has type ${JSON.stringify(root.type)}, not "object"`);
  const properties = asSchema(root.properties);
  if (!properties || Object.keys(properties).length === 0)
    problems.push("requestedSchema declares no properties");
  for (const [name, value] of Object.entries(properties ?? {})) {
    const prop = asSchema(value);
    const problem = prop ? propertyProblem(name, prop) : `"${name}" is not a schema`;
    if (problem) problems.push(problem);
  }
  return problems;
}

const SECRET =
  /\bpass(word|phrase|code)?\b|secret|api[\s_-]?key|access[\s_-]?token|auth[\s_-]?token|bearer|\btoken\b|credential|private[\s_-]?key|card[\s_-]?number|\bcvv\b|\bcvc\b/i;

/** Properties of a form (or a tool's input schema) that ask for a secret, by name, title or description. */
export function secretFields(schema: unknown): string[] {
  const properties = asSchema(asSchema(schema)?.properties) ?? {};
  return Object.entries(properties).flatMap(([name, value]) => {
    const prop = asSchema(value) ?? {};
    const words = [name, prop.title, prop.description].filter((w) => typeof w === "string").join(" ");
    const spaced = words.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ");
    return SECRET.test(spaced) || prop.format === "password" ? [name] : [];
  });
}
