// labs/<id>/lab.yaml: the schema (zod at the boundary) and its loader.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const slug = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a kebab-case slug");
/** A lesson slug as used in course/: "m2/getting-started". */
const lessonSlug = z.string().regex(/^m\d+\/[a-z0-9]+(-[a-z0-9]+)*$/, 'must look like "m2/getting-started"');

export const LabLanguageSchema = z.enum(["python", "typescript"]);
export type LabLanguage = z.infer<typeof LabLanguageSchema>;

/** Any subset of the sandbox limits; the rest come from the sandbox's defaultLimits. */
export const LabLimitsSchema = z
  .object({
    wallMs: z.number().int().min(1000).max(300_000),
    cpuSeconds: z.number().int().min(1).max(300),
    memoryMb: z.number().int().min(32).max(4096),
    pids: z.number().int().min(8).max(1024),
    openFiles: z.number().int().min(32).max(65_536),
    fileSizeKb: z.number().int().min(1).max(1_048_576),
    outputKb: z.number().int().min(16).max(16_384),
  })
  .partial()
  .strict();

/** Opt-in: scenarios of @modelcontextprotocol/conformance to run as extra checks (HTTP labs). */
export const ConformanceSuiteSchema = z
  .object({
    scenarios: z.array(z.string().min(1)).min(1),
    /** Scenario checks known to fail for this lab's contract; reported as `should`. */
    expectedFailures: z.array(z.string().min(1)).default([]),
    severity: z.enum(["must", "should"]).default("must"),
  })
  .strict();

/** Presence of a capability is what counts; these are the sub-capabilities 2025-11-25 defines. */
const Marker = z.object({}).strict();
export const ClientCapabilitiesSchema = z
  .object({
    sampling: z.object({ context: Marker, tools: Marker }).partial().strict(),
    /** `{}` means form mode only (2025-11-25 client/elicitation#capabilities). */
    elicitation: z.object({ form: Marker, url: Marker }).partial().strict(),
    roots: z.object({ listChanged: z.boolean() }).partial().strict(),
  })
  .partial()
  .strict();

/** The grader as a client (course module 6): what its main SDK client declares in initialize. */
export const LabClientSchema = z.object({ capabilities: ClientCapabilitiesSchema.default({}) }).strict();

/**
 * `kind: test-suite`: the learner submits tests, not a server. Each run plants the subject server
 * (`<subject>/<lang>/`, or a variant of it from labs/<id>/mutants.ts) beside the learner's files and
 * runs their suite in the sandbox (conformance/test-suite-grade.ts).
 */
export const TestSuiteSchema = z
  .object({
    /** Folder (in the lab) with one subfolder per language holding the server under test. */
    subject: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/)
      .default("subject"),
    /** Sandboxed runs of the suite at a time (the original server and each variant is one run). */
    parallel: z.number().int().min(1).max(4).default(2),
  })
  .strict();

export const LabConfigSchema = z
  .object({
    id: slug,
    title: z.string().min(1),
    /** Course module number (1..8). */
    module: z.number().int().min(1).max(20),
    summary: z.string().min(1),
    /** "server" (default): the learner writes a server that checks grade. "test-suite": see TestSuiteSchema. */
    kind: z.enum(["server", "test-suite"]).default("server"),
    testSuite: TestSuiteSchema.optional(),
    transport: z.enum(["stdio", "http"]),
    /** Streamable HTTP labs: the MCP endpoint's path. */
    httpPath: z
      .string()
      .regex(/^\/[A-Za-z0-9_.\-/]*$/)
      .default("/mcp"),
    languages: z.array(LabLanguageSchema).min(1),
    /** Entry file per language, relative to the submission folder: server.py / server.ts (a test file for a test-suite lab). */
    entry: z.partialRecord(LabLanguageSchema, z.string().regex(/^[A-Za-z0-9_.\-/]+$/)),
    limits: LabLimitsSchema.default({}),
    /** Default timeout of each check (a check may set its own). */
    checkTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
    /** Time the server gets to answer `initialize` (HTTP: to start listening as well). */
    startTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
    requiredForCertificate: z.boolean().default(true),
    /** Lessons the lab practises, for links on the lab page. */
    lessons: z.array(lessonSlug).default([]),
    /**
     * Which lab-independent protocol checks (conformance/protocol-checks, http-checks) grade it:
     * "all" that apply to its transport, or a list of ids. On stdio, `stdout-only-jsonrpc` always runs.
     */
    protocolChecks: z.union([z.literal("all"), z.array(slug)]).default("all"),
    conformanceSuite: ConformanceSuiteSchema.optional(),
    /** Capabilities of the grader's client (default: none); checks script its answers (ctx.onSampling...). */
    client: LabClientSchema.optional(),
  })
  .strict()
  .superRefine((lab, ctx) => {
    if ((lab.kind === "test-suite") !== (lab.testSuite !== undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["testSuite"],
        message: "is required for kind: test-suite, and only for it",
      });
    }
    for (const lang of lab.languages) {
      if (!lab.entry[lang]) {
        ctx.addIssue({ code: "custom", path: ["entry", lang], message: `no entry file for ${lang}` });
      }
    }
  });
export type LabConfig = z.infer<typeof LabConfigSchema>;

export type LoadResult<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Default labs folder: <repo>/labs, found relative to this file (works from any cwd). Inside a
 * bundle (Next's server) import.meta.dirname is undefined and the server runs from the repo root.
 */
export const defaultLabsRoot = import.meta.dirname
  ? path.resolve(import.meta.dirname, "..", "labs")
  : path.resolve("labs");

export function parseLabConfig(text: string, source = "lab.yaml"): LoadResult<LabConfig> {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    return { ok: false, error: `${source}: not valid YAML: ${(err as Error).message}` };
  }
  const parsed = LabConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    return { ok: false, error: `${source}: ${issues.join("; ")}` };
  }
  return { ok: true, value: parsed.data };
}

/** Loads and validates labs/<labId>/lab.yaml; the id inside must match the folder name. */
export async function loadLabConfig(
  labId: string,
  labsRoot = defaultLabsRoot,
): Promise<LoadResult<LabConfig>> {
  if (!slug.safeParse(labId).success) return { ok: false, error: `"${labId}" is not a lab id` };
  const file = path.join(labsRoot, labId, "lab.yaml");
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return { ok: false, error: `No lab "${labId}" (no ${path.relative(process.cwd(), file)})` };
  }
  const parsed = parseLabConfig(text, `labs/${labId}/lab.yaml`);
  if (parsed.ok && parsed.value.id !== labId) {
    return { ok: false, error: `labs/${labId}/lab.yaml: id "${parsed.value.id}" does not match its folder` };
  }
  return parsed;
}

/** Ids of the labs in labsRoot (folders holding a lab.yaml), sorted. */
export async function listLabIds(labsRoot = defaultLabsRoot): Promise<string[]> {
  const entries = await readdir(labsRoot, { withFileTypes: true }).catch(() => []);
  const ids: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const has = await readFile(path.join(labsRoot, e.name, "lab.yaml"), "utf8").then(
      () => true,
      () => false,
    );
    if (has) ids.push(e.name);
  }
  return ids.sort();
}
