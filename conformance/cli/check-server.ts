// npm run check-server -- (--url <http-url> | --stdio "<cmd>") [--json] [--seed N] [--quiet]
// The protocol checks against any MCP server on this machine. Exit 0 pass, 1 fail, 2 error or bad input.
import { checkServer } from "../check-server.ts";
import { exitCodeForStatus } from "../result.ts";
import { createTranscript } from "../transcript.ts";
import { parseArgs } from "./args.ts";

const USAGE =
  'usage: npm run check-server -- (--url <http-url> | --stdio "<command>") [--json] [--seed N] [--quiet]';

function badInput(message: string): never {
  process.stderr.write(`check-server: ${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    strings: ["url", "stdio", "seed"],
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
  const json = v.json === true;
  const transcript = json
    ? undefined
    : createTranscript({
        write: (t) => process.stdout.write(t),
        color: process.stdout.isTTY === true,
        showTraffic: v.quiet !== true,
      });
  const result = await checkServer({ url, command, seed, onEvent: transcript });
  if (json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exitCode = exitCodeForStatus(result.status);
}

main().catch((err: unknown) => {
  process.stderr.write(`check-server: internal error: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
