// npm run check-server -- (--url <http-url> | --stdio "<cmd>") [--suite <scenario,...>] [--json] [--seed N] [--quiet]
// The protocol checks against any MCP server on this machine (plus, with --suite and --url, scenarios
// of the official conformance suite). Exit 0 pass, 1 fail, 2 error or bad input.
import { checkServer } from "../check-server.ts";
import { listServerScenarios } from "../official-suite.ts";
import { exitCodeForStatus } from "../result.ts";
import { createTranscript } from "../transcript.ts";
import { parseArgs } from "./args.ts";

const USAGE =
  'usage: npm run check-server -- (--url <http-url> | --stdio "<command>") [--suite <scenario,...>] [--json] [--seed N] [--quiet]';

/** --suite a,b,c: the official suite's scenarios, checked against what the suite offers. */
async function parseSuite(value: string, url: string | undefined): Promise<string[]> {
  const wanted = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (wanted.length === 0)
    badInput("--suite needs at least one scenario name, e.g. --suite server-initialize,ping");
  if (url === undefined) badInput("--suite needs --url: the official suite tests Streamable HTTP servers");
  const known = await listServerScenarios();
  const unknown = wanted.filter((s) => !known.includes(s));
  if (unknown.length)
    badInput(
      `unknown suite scenario${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")} (known: ${known.join(", ")})`,
    );
  return [...new Set(wanted)];
}

function badInput(message: string): never {
  process.stderr.write(`check-server: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    strings: ["url", "stdio", "seed", "suite"],
    booleans: ["json", "quiet", "help"],
  });
  if (!args.ok) badInput(args.error);
  const v = args.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const url = typeof v.url === "string" ? v.url : undefined;
  const command = typeof v.stdio === "string" ? v.stdio : undefined;
  if ((url === undefined) === (command === undefined)) badInput("give exactly one of --url and --stdio");
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      badInput(`--url is not a URL: "${url}"`);
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
      badInput("--url must be http:// or https://");
  }
  if (command !== undefined && command.trim() === "") badInput("--stdio needs a command");
  let seed: number | undefined;
  if (v.seed !== undefined) {
    seed = Number(v.seed);
    if (!Number.isInteger(seed) || seed < 0)
      badInput(`--seed must be a non-negative integer, not "${v.seed}"`);
  }
  const suite = typeof v.suite === "string" ? await parseSuite(v.suite, url) : undefined;
  const json = v.json === true;
  const transcript = json
    ? undefined
    : createTranscript({
        write: (t) => process.stdout.write(t),
        color: process.stdout.isTTY === true,
        showTraffic: v.quiet !== true,
      });
  const result = await checkServer({ url, command, seed, suite, onEvent: transcript });
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exitCode = exitCodeForStatus(result.status);
}

main().catch((err: unknown) => {
  process.stderr.write(`check-server: internal error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
