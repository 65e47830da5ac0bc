// npm run grade -- --lab <id> --dir <folder> --lang python|typescript [--json] [--seed N] [--quiet]
// Exit 0 pass, 1 fail, 2 error or bad input. With --json, stdout carries only the result JSON.
import { gradeSubmission } from "../grade.ts";
import { loadLabConfig } from "../lab-config.ts";
import { exitCodeForStatus } from "../result.ts";
import { createTranscript } from "../transcript.ts";
import { parseArgs } from "./args.ts";

const USAGE =
  "usage: npm run grade -- --lab <id> --dir <folder> [--lang python|typescript] [--json] [--seed N] [--quiet]";

function badInput(message: string): never {
  process.stderr.write(`grade: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    strings: ["lab", "dir", "lang", "seed"],
    booleans: ["json", "quiet", "help"],
  });
  if (!args.ok) badInput(args.error);
  const v = args.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (typeof v.lab !== "string") badInput("--lab is required");
  if (typeof v.dir !== "string") badInput("--dir is required");
  const config = await loadLabConfig(v.lab);
  if (!config.ok) badInput(config.error);
  let lang = v.lang;
  if (lang === undefined) {
    if (config.value.languages.length !== 1)
      badInput(`--lang is required (${config.value.languages.join(" or ")})`);
    lang = config.value.languages[0];
  }
  if (lang !== "python" && lang !== "typescript")
    badInput(`--lang must be python or typescript, not "${lang}"`);
  let seed: number | undefined;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (!Number.isInteger(seed) || seed < 0)
      badInput(`--seed must be a non-negative integer, not "${v.seed}"`);
  }
  const json = v.json === true;
  const transcript = json
    ? undefined
    : createTranscript({
        write: (t) => process.stdout.write(t),
        color: process.stdout.isTTY === true,
        showTraffic: v.quiet !== true,
      });
  const result = await gradeSubmission({ labId: v.lab, dir: v.dir, lang, seed, onEvent: transcript });
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.verdict === "bad-submission") process.stderr.write(`grade: ${result.message}\n`);
  process.exitCode = exitCodeForStatus(result.status);
}

main().catch((err: unknown) => {
  process.stderr.write(`grade: internal error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
