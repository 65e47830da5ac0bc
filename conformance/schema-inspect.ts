// Reading the JSON Schemas a server publishes the way a client applies them: a property's
// effective schema (through local $ref and Python's Optional anyOf-with-null), its types, the
// values an enumeration allows, and what is required. Shared by every lab's checks.

export type Schema = Record<string, unknown>;

export const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** `schema` with a local `$ref` ("#/$defs/X") replaced by its target (siblings kept). */
export function deref(root: Schema, schema: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = isObject(target) ? target[part] : undefined;
  if (!isObject(target)) return schema;
  const { $ref: _ref, ...siblings } = schema;
  return { ...target, ...siblings };
}

/** The anyOf/oneOf branches of a schema that are objects. */
export const branchesOf = (schema: Schema): Schema[] =>
  (["anyOf", "oneOf"] as const).flatMap((key) =>
    Array.isArray(schema[key]) ? (schema[key] as unknown[]).filter(isObject) : [],
  );

/**
 * A property's schema as a client would apply it: $ref resolved, and an anyOf/oneOf whose other
 * branches are only `null` (Python's `X | None = None`) unwrapped, keeping the outer default.
 */
export function propertySchema(root: Schema | undefined, name: string): Schema | undefined {
  const props = root?.properties;
  if (!root || !isObject(props) || !isObject(props[name])) return undefined;
  let prop = deref(root, props[name]);
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = prop[key];
    if (!Array.isArray(branches)) continue;
    const real = branches.filter((b) => isObject(b) && b.type !== "null") as Schema[];
    if (real.length === 1) {
      const { [key]: _branches, ...outer } = prop;
      prop = { ...deref(root, real[0]), ...outer };
    }
  }
  return prop;
}

/** The schema's own `type`, as a list. */
export function typesOf(schema: Schema | undefined): string[] {
  if (!schema) return [];
  if (typeof schema.type === "string") return [schema.type];
  return Array.isArray(schema.type) ? schema.type.map(String) : [];
}

/** Every JSON type a property may take, looking through anyOf/oneOf and $ref ([] if undeclared). */
export function propertyTypes(root: Schema | undefined, name: string): string[] {
  const prop = propertySchema(root, name);
  if (!root || !prop) return [];
  const types = new Set<string>();
  const visit = (s: Schema, depth: number): void => {
    for (const t of typesOf(s)) types.add(t);
    if (depth < 4) for (const b of branchesOf(s)) visit(deref(root, b), depth + 1);
  };
  visit(prop, 0);
  return [...types];
}

/** The values a schema allows when it is an enumeration (enum, const, or anyOf/oneOf of consts). */
export function allowedValues(schema: Schema | undefined): unknown[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum;
  if ("const" in schema) return [schema.const];
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.every((b) => isObject(b) && "const" in b)) {
      return branches.map((b) => (b as Schema).const);
    }
  }
  return undefined;
}

export function requiredOf(schema: Schema | undefined): string[] {
  return Array.isArray(schema?.required) ? (schema.required as unknown[]).map(String) : [];
}
