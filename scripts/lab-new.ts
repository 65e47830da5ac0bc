// npm run lab:new -- <lab-id>
// Scaffolds labs/<lab-id>/ from scripts/lab-template/: lab.yaml, README.md (the sections learners look
// for), checks.ts with one real check, and starter/ + solution/ servers in Python and TypeScript that
// run (the starter fails the check, the solution passes it). Refuses a bad slug or an existing lab.
// LABS_DIR=<folder> scaffolds somewhere else (tests do). Exit 0 done, 1 refused, 2 usage.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadLabChecks } from "../conformance/lab-checks.ts";
import { loadLabConfig } from "../conformance/lab-config.ts";

const PROJECT = path.resolve(import.meta.dirname, "..");
const TEMPLATE = path.join(PROJECT, "scripts", "lab-template");
const SLUG = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Template file -> where it goes in the new lab. */
const FILES: Array<[string, string]> = [
  ["lab.yaml.tmpl", "lab.yaml"],
  ["README.md.tmpl", "README.md"],
  ["checks.ts.tmpl", "checks.ts"],
  ["starter/server.py.tmpl", "starter/python/server.py"],
  ["starter/server.ts.tmpl", "starter/typescript/server.ts"],
  ["solution/server.py.tmpl", "solution/python/server.py"],
  ["solution/server.ts.tmpl", "solution/typescript/server.ts"],
];

function stop(code: 1 | 2, message: string): never {
  console.error(`lab:new: ${message}`);
  process.exit(code);
}

const args = process.argv.slice(2).filter((arg) => arg !== "--");
if (args.length !== 1 || args[0].startsWith("-"))
  stop(2, "usage: npm run lab:new -- <lab-id>   (e.g. npm run lab:new -- rate-limits)");
const id = args[0];
if (!SLUG.test(id) || id.length > 40)
  stop(
    2,
    `"${id}" is not a valid lab id: use 1-40 lowercase letters, digits and single hyphens, starting with a letter (e.g. "rate-limits").`,
  );

const labsDir = path.resolve(process.env.LABS_DIR || path.join(PROJECT, "labs"));
const labDir = path.join(labsDir, id);
const shown = path.relative(process.cwd(), labDir) || labDir;
await mkdir(labsDir, { recursive: true });
try {
  // Not recursive: creating the folder is the check that the id is free (no race with a second run).
  await mkdir(labDir);
} catch (error) {
  if ((error as NodeJS.ErrnoException).code === "EEXIST")
    stop(1, `${shown} already exists: pick another id, or remove that folder first. Nothing was written.`);
  throw error;
}

// checks.ts imports the check API by a path relative to where the lab lives.
const checkApi = path
  .relative(labDir, path.join(PROJECT, "conformance", "check-api.ts"))
  .split(path.sep)
  .join("/");
const fill = (text: string) => text.replaceAll("{{id}}", id).replaceAll("{{checkApi}}", checkApi);

try {
  for (const [template, target] of FILES) {
    const destination = path.join(labDir, target);
    await mkdir(path.dirname(destination), { recursive: true });
    await writeFile(destination, fill(await readFile(path.join(TEMPLATE, template), "utf8")), { flag: "wx" });
  }
  // Prove the scaffold with the engine's own loaders before saying it is done.
  const config = await loadLabConfig(id, labsDir);
  if (!config.ok) throw new Error(config.error);
  const checks = await loadLabChecks(labDir);
  if (!checks.ok) throw new Error(checks.error);
} catch (error) {
  await rm(labDir, { recursive: true, force: true });
  stop(1, `could not scaffold ${shown}: ${error instanceof Error ? error.message : String(error)}`);
}

console.log(`Created ${shown}/
  lab.yaml                       id, title, transport, languages, limits, protocol checks
  README.md                      goal, what to build, what is graded, limits, run locally
  checks.ts                      one example check (count-words-structured)
  starter/{python,typescript}/   what learners start from (fails the check)
  solution/{python,typescript}/  the reference solution (passes every check)

Next:
  npm run grade -- --lab ${id} --dir ${shown}/solution/python --lang python      # must pass
  npm run grade -- --lab ${id} --dir ${shown}/starter/python --lang python       # must fail
  npm run labs:verify                                                              # every lab, both ways
  Add "${id}" to course/course.yaml certificate.requiredLabs when it counts for the certificate.
  Guide: docs/authoring.md`);
