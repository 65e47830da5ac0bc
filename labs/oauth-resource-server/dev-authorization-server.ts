// The lab's authorization server and billing API on this machine's loopback, for trying a server by
// hand (the Inspector, curl) before grading:
//
//   npx tsx labs/oauth-resource-server/dev-authorization-server.ts [--seed 7]
//
// Prints the environment your server needs and a few user tokens (valid one hour), then serves
// until Ctrl-C. The same code the grader runs; here it listens on 127.0.0.1:9400 and :9500.
import { parseArgs } from "node:util";
import { exposeOnTcp } from "../../sandbox/index.ts";
import { environment, nowSeconds, type OAuthLab } from "./environment.ts";
import { SCOPES, USER_SCOPES } from "./world.ts";

const { values } = parseArgs({ options: { seed: { type: "string", default: "7" } } });
const env = await environment({ seed: Number(values.seed), lang: null, log: (m) => console.error(m) });
const lab = env.state as OAuthLab;
const bridges = await Promise.all(
  (env.services ?? []).map((s) => exposeOnTcp(s.socketPath, "127.0.0.1", s.port)),
);
const [a, b] = lab.tenants;
const hour = { exp: nowSeconds() + 3600 };
const tokens = {
  ALICE_TOKEN: await lab.userToken({ sub: "alice", tenant: a.id, scopes: USER_SCOPES, set: hour }),
  BOB_TOKEN: await lab.userToken({ sub: "bob", tenant: b.id, scopes: [SCOPES.read], set: hour }),
};
const shell = Object.entries({ ...env.env, ...tokens }).map(([k, v]) => `export ${k}='${v}'`);
console.log(`${shell.join("\n")}

# alice (${a.id}) has every scope; bob (${b.id}) has notes:read only. Then, for example:
# npx @modelcontextprotocol/inspector@2.12.0 --cli http://127.0.0.1:8000/mcp --transport http \\
#   --header "Authorization: Bearer $ALICE_TOKEN" --method tools/call --tool-name whoami`);

const stop = async () => {
  await Promise.all(bridges.map((b) => b.close()));
  await env.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
