// Loads labs/<id>/checks.ts and checks its shape before any of it runs.
import { access } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { z } from "zod";
import type { CheckDefinition } from "./check-api.ts";
import type { LoadResult } from "./lab-config.ts";

const CheckShape = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a kebab-case slug"),
  title: z.string().min(1),
  severity: z.enum(["must", "should"]),
  lesson: z.string().min(1),
  specRef: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  requires: z.array(z.string()).optional(),
  run: z.custom<CheckDefinition["run"]>((v) => typeof v === "function", "must be a function"),
});

export async function loadLabChecks(labDir: string): Promise<LoadResult<CheckDefinition[]>> {
  const file = path.join(labDir, "checks.ts");
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) return { ok: true, value: [] };
  let mod: { checks?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { checks?: unknown };
  } catch (err) {
    return {
      ok: false,
      error: `${path.basename(labDir)}/checks.ts failed to load: ${(err as Error).message}`,
    };
  }
  if (!Array.isArray(mod.checks))
    return { ok: false, error: `${path.basename(labDir)}/checks.ts does not export a \`checks\` array` };
  const ids = new Set<string>();
  for (const [i, check] of mod.checks.entries()) {
    const parsed = CheckShape.safeParse(check);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: `checks[${i}].${issue.path.join(".")}: ${issue.message}` };
    }
    if (ids.has(parsed.data.id)) return { ok: false, error: `check id "${parsed.data.id}" is used twice` };
    ids.add(parsed.data.id);
  }
  return { ok: true, value: mod.checks as CheckDefinition[] };
}
