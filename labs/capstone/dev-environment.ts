// The capstone's world on this machine's loopback, for trying a server by hand (README: "Run it
// locally"): the same environment the grader builds (authorization server, billing API, inventory
// API, the attacker's documents, secrets and symlinks), with its services on 127.0.0.1.
//
//   npx tsx labs/capstone/dev-environment.ts [--seed 7] > /tmp/capstone-env
//
// Prints the environment your server needs (DOCS_ROOT points at a fresh folder holding the planted
// documents, outside your submission) and three user tokens valid for an hour, then serves until
// Ctrl-C. The inventory API answers healthily; the grader scripts its faults per check.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { exposeOnTcp } from "../../sandbox/index.ts";
import { nowSeconds } from "../oauth-resource-server/environment.ts";
import { type CapstoneState, environment } from "./environment.ts";
import { ALL_SCOPES, SCOPES } from "./world.ts";

const { values } = parseArgs({ options: { seed: { type: "string", default: "7" } } });
const env = await environment({ seed: Number(values.seed), lang: null, log: (m) => console.error(m) });
const lab = env.state as CapstoneState;
const bridges = await Promise.all(
  (env.services ?? []).map((s) => exposeOnTcp(s.socketPath, "127.0.0.1", s.port)),
);

// What the sandbox plants in the work dir, in a folder of its own (never in your submission: the
// grader refuses symbolic links there).
const work = await mkdtemp(path.join(tmpdir(), "capstone-world-"));
for (const [rel, text] of Object.entries(env.plantFiles ?? {})) {
  await mkdir(path.dirname(path.join(work, rel)), { recursive: true });
  await writeFile(path.join(work, rel), text);
}
for (const [rel, target] of Object.entries(env.symlinks ?? {})) {
  // Targets are written for the sandbox's /app; here the work dir stands in for it.
  await symlink(target.replace(/^\/app\//, `${work}/`), path.join(work, rel));
}

const [a] = lab.tenants;
const hour = { exp: nowSeconds() + 3600 };
const tokens = {
  OPS_TOKEN: await lab.userToken({ sub: "olivia", tenant: a.id, scopes: ALL_SCOPES, set: hour }),
  READER_TOKEN: await lab.userToken({ sub: "rahul", tenant: a.id, scopes: [SCOPES.read], set: hour }),
  BILLING_TOKEN: await lab.userToken({ sub: "bea", tenant: a.id, scopes: [SCOPES.billing], set: hour }),
};
const exports = { ...env.env, DOCS_ROOT: path.join(work, "docs"), ...tokens };
console.log(`${Object.entries(exports)
  .map(([k, v]) => `export ${k}='${v}'`)
  .join("\n")}

# olivia has every scope (${ALL_SCOPES.join(" ")}); rahul has kb:read, bea billing:read only (tenant ${a.id}).
# Documents: ${work}/docs (secrets and symlinks of the attacker next to it). Then, for example:
# npx @modelcontextprotocol/inspector@2.12.0 --cli http://127.0.0.1:8000/mcp --transport http \\
#   --header "Authorization: Bearer $OPS_TOKEN" --method tools/list > contract/tools.json`);

const stop = async () => {
  await Promise.all(bridges.map((b) => b.close()));
  await env.close();
  await rm(work, { recursive: true, force: true });
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
