// The lab's inventory API on a local port, for trying a server by hand (README: "Run it locally").
//
//   npx tsx labs/resilience-observability/serve-upstream.ts [--port 9100] [--fault 503x2] [--token T]
//
// Every SKU gets the same script; every request is printed as it arrives, with the time since the
// previous one, so retries and their waits are visible.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { type Fault, FaultyUpstream } from "./upstream.ts";

/** --fault values: what each SKU's requests get, in order, then for good. */
const FAULTS: Record<string, { faults: Fault[]; steady: Fault }> = {
  ok: { faults: [], steady: { kind: "ok" } },
  slow: { faults: [], steady: { kind: "slow", ms: 300 } },
  hang: { faults: [], steady: { kind: "hang" } },
  "503x2": {
    faults: [
      { kind: "status", status: 503 },
      { kind: "status", status: 503 },
    ],
    steady: { kind: "ok" },
  },
  "503": { faults: [], steady: { kind: "status", status: 503, leaky: true } },
  "400": { faults: [], steady: { kind: "status", status: 400 } },
  "404": { faults: [], steady: { kind: "status", status: 404 } },
  reset: { faults: [{ kind: "reset" }], steady: { kind: "ok" } },
  malformed: { faults: [], steady: { kind: "malformed" } },
  "wrong-shape": { faults: [], steady: { kind: "wrong-shape" } },
};

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "9100" },
      fault: { type: "string", default: "ok" },
      token: { type: "string" },
      seed: { type: "string", default: "1" },
    },
  });
  const script = FAULTS[values.fault];
  const port = Number(values.port);
  if (!script || !Number.isInteger(port)) {
    process.stderr.write(
      `usage: serve-upstream.ts [--port 9100] [--fault ${Object.keys(FAULTS).join("|")}] [--token T] [--seed N]\n`,
    );
    process.exit(2);
  }
  const token = values.token ?? randomBytes(16).toString("hex");
  let last: number | undefined;
  const upstream = new FaultyUpstream({
    seed: Number(values.seed),
    token,
    onRequest: (hit) => {
      const since = last === undefined ? "" : ` (+${Math.round(hit.at - last)} ms)`;
      last = hit.at;
      const auth = hit.authorized ? "" : " [no or wrong token]";
      process.stdout.write(`#${hit.seq} ${hit.method} ${hit.path} -> ${hit.answer}${auth}${since}\n`);
    },
  });
  upstream.scriptOthers(script.faults, script.steady);
  upstream.server.listen(port, "127.0.0.1", () => {
    process.stdout.write(
      `inventory API on http://127.0.0.1:${port}, fault ${values.fault}\nUPSTREAM_URL=http://127.0.0.1:${port} UPSTREAM_TOKEN=${token}\n`,
    );
  });
}

main();
