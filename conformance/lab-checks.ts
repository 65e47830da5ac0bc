// Loads labs/<id>/checks.ts and checks its shape before any of it runs.
import { access } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { CheckDefinition } from "./check-api.ts";
import type { LoadResult } from "./lab-config.ts";
import type { LabEnvironmentFactory } from "./lab-environment.ts";
import { importLabModule as importVersioned } from "./lab-modules.ts";

const CheckShape = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a kebab-case slug"),
  title: z.string().min(1),
  severity: z.enum(["must", "should"]),
  lesson: z.string().min(1),
  area: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a kebab-case slug")
    .optional(),
  specRef: z.string().optional(),
  timeoutMs: z.number().int().positive().optional(),
  requires: z.array(z.string()).optional(),
  run: z.custom<CheckDefinition["run"]>((v) => typeof v === "function", "must be a function"),
});

interface LabModule {
  checks?: unknown;
  environment?: unknown;
}

async function importLabModule(labDir: string): Promise<LoadResult<LabModule | null>> {
  const file = path.join(labDir, "checks.ts");
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (!exists) return { ok: true, value: null };
  try {
    // As on disk now: a running worker grades with the lab's current checks (lab-modules.ts).
    return { ok: true, value: (await importVersioned(file, path.dirname(labDir))) as LabModule };
  } catch (err) {
    return {
      ok: false,
      error: `${path.basename(labDir)}/checks.ts failed to load: ${(err as Error).message}`,
    };
  }
}

/** The lab's `environment` export (see lab-environment.ts), if it has one. */
export async function loadLabEnvironment(
  labDir: string,
): Promise<LoadResult<LabEnvironmentFactory | undefined>> {
  const loaded = await importLabModule(labDir);
  if (!loaded.ok) return loaded;
  const environment = loaded.value?.environment;
  if (environment === undefined) return { ok: true, value: undefined };
  if (typeof environment !== "function")
    return { ok: false, error: `${path.basename(labDir)}/checks.ts: \`environment\` must be a function` };
  return { ok: true, value: environment as LabEnvironmentFactory };
}

export async function loadLabChecks(labDir: string): Promise<LoadResult<CheckDefinition[]>> {
  const loaded = await importLabModule(labDir);
  if (!loaded.ok) return loaded;
  if (!loaded.value) return { ok: true, value: [] };
  const mod = loaded.value;
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
