"use client";
// A form generated from a tool's inputSchema (JSON Schema): text, number, checkbox, select for enums,
// comma-separated lists for arrays of scalars, JSON for anything else. Empty optional fields are left
// out of the arguments, so the server's defaults apply.
import { type FormEvent, useId, useState } from "react";

type Schema = Record<string, unknown>;

export type FieldKind = "string" | "number" | "integer" | "boolean" | "enum" | "list" | "json";

export interface Field {
  name: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  options?: string[];
  itemKind?: "string" | "number" | "integer";
  defaultValue?: unknown;
}

/** Optional[X] in Python arrives as anyOf [X, null]: look through it. */
function unwrap(schema: Schema): Schema {
  for (const key of ["anyOf", "oneOf"] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const real = (branches as Schema[]).filter((b) => b.type !== "null");
      if (real.length === 1) return { ...schema, ...real[0] };
    }
  }
  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((t) => t !== "null");
    if (types.length === 1) return { ...schema, type: types[0] };
  }
  return schema;
}

export function fieldsOf(inputSchema: Schema | undefined): Field[] {
  const properties = (inputSchema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(inputSchema?.required) ? (inputSchema.required as string[]) : []);
  return Object.entries(properties).map(([name, raw]) => {
    const schema = unwrap(raw ?? {});
    const base = {
      name,
      required: required.has(name),
      description: typeof schema.description === "string" ? schema.description : undefined,
      defaultValue: schema.default,
    };
    if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string"))
      return { ...base, kind: "enum" as const, options: schema.enum as string[] };
    if (schema.type === "string") return { ...base, kind: "string" as const };
    if (schema.type === "integer") return { ...base, kind: "integer" as const };
    if (schema.type === "number") return { ...base, kind: "number" as const };
    if (schema.type === "boolean") return { ...base, kind: "boolean" as const };
    if (schema.type === "array") {
      const items = unwrap((schema.items ?? {}) as Schema);
      if (items.type === "string" || items.type === "number" || items.type === "integer")
        return { ...base, kind: "list" as const, itemKind: items.type };
    }
    return { ...base, kind: "json" as const };
  });
}

export type BuildResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** The form's strings -> arguments, typed by the schema. */
export function buildArguments(fields: Field[], values: Record<string, string | boolean>): BuildResult {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === "boolean") {
      if (raw !== undefined) out[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "") {
      if (field.required && field.kind !== "string") return { ok: false, error: `${field.name} is required` };
      if (field.required) out[field.name] = "";
      continue;
    }
    switch (field.kind) {
      case "string":
      case "enum":
        out[field.name] = text;
        break;
      case "integer":
      case "number": {
        const n = Number(text);
        if (!Number.isFinite(n) || (field.kind === "integer" && !Number.isInteger(n)))
          return {
            ok: false,
            error: `${field.name} must be ${field.kind === "integer" ? "an integer" : "a number"}`,
          };
        out[field.name] = n;
        break;
      }
      case "list": {
        const items = text
          .split(",")
          .map((item) => item.trim())
          .filter((item) => item !== "");
        if (field.itemKind === "string") {
          out[field.name] = items;
          break;
        }
        const numbers = items.map(Number);
        // "two" would become NaN, sent as null: say which field is wrong instead.
        if (
          numbers.some((n) => !Number.isFinite(n) || (field.itemKind === "integer" && !Number.isInteger(n)))
        )
          return {
            ok: false,
            error: `${field.name} must be a comma-separated list of ${field.itemKind === "integer" ? "integers" : "numbers"}`,
          };
        out[field.name] = numbers;
        break;
      }
      case "json":
        try {
          out[field.name] = JSON.parse(text);
        } catch {
          return { ok: false, error: `${field.name} must be JSON` };
        }
        break;
    }
  }
  return { ok: true, value: out };
}

export function SchemaForm({
  schema,
  submitLabel,
  onSubmit,
  disabled,
}: {
  schema: Schema | undefined;
  submitLabel: string;
  onSubmit: (args: Record<string, unknown>) => void;
  disabled?: boolean;
}) {
  const id = useId();
  const fields = fieldsOf(schema);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const built = buildArguments(fields, values);
    if (!built.ok) {
      setError(built.error);
      return;
    }
    setError(null);
    onSubmit(built.value);
  };
  const set = (name: string, value: string | boolean) =>
    setValues((current) => ({ ...current, [name]: value }));
  return (
    <form className="schema-form" onSubmit={submit}>
      {fields.map((field) => {
        const fieldId = `${id}-${field.name}`;
        const hint = [
          field.kind === "list" ? "comma-separated" : field.kind === "json" ? "JSON" : field.kind,
          field.required ? "required" : "optional",
          field.defaultValue !== undefined ? `default ${JSON.stringify(field.defaultValue)}` : "",
        ]
          .filter(Boolean)
          .join(", ");
        return (
          <div key={field.name} className="field">
            <label htmlFor={fieldId}>
              {field.name}
              {field.required ? " *" : ""}
            </label>
            {field.kind === "boolean" ? (
              <input
                id={fieldId}
                type="checkbox"
                checked={values[field.name] === true}
                onChange={(e) => set(field.name, e.target.checked)}
              />
            ) : field.kind === "enum" ? (
              <select
                id={fieldId}
                value={String(values[field.name] ?? "")}
                onChange={(e) => set(field.name, e.target.value)}
              >
                <option value="">{field.required ? "choose…" : "(not set)"}</option>
                {field.options?.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            ) : field.kind === "json" ? (
              <textarea
                id={fieldId}
                rows={3}
                value={String(values[field.name] ?? "")}
                onChange={(e) => set(field.name, e.target.value)}
              />
            ) : (
              <input
                id={fieldId}
                type={field.kind === "integer" || field.kind === "number" ? "number" : "text"}
                step={field.kind === "number" ? "any" : undefined}
                value={String(values[field.name] ?? "")}
                onChange={(e) => set(field.name, e.target.value)}
              />
            )}
            <span className="muted small">
              {hint}
              {field.description ? ` — ${field.description}` : ""}
            </span>
          </div>
        );
      })}
      {fields.length === 0 ? <p className="muted small">No arguments.</p> : null}
      {error ? <p className="error">{error}</p> : null}
      <button type="submit" className="button small" disabled={disabled}>
        {submitLabel}
      </button>
    </form>
  );
}
