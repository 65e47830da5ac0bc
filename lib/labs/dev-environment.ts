// A lab's world for trying a server by hand: labs/<id>/dev-*.ts serves the grader's services (an
// authorization server, an upstream API, ...) on this machine's loopback and prints the environment
// the server needs as `export NAME='value'` lines, user tokens among them (labs/oauth-resource-server,
// labs/capstone). The "Run it locally" panel tells learners to start it before their server.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { LABS_ROOT } from "./catalog.ts";

export interface DevEnvironment {
  /** The script, relative to the repository root: labs/<id>/dev-....ts */
  script: string;
  /** The first user token it exports (`<NAME>_TOKEN`), for the Inspector's Authorization header. */
  token: string | null;
}

// The scripts list their tokens as object keys (`ALICE_TOKEN: await lab.userToken(...)`), the first
// being the user with every scope.
const TOKEN_KEY = /\b([A-Z][A-Z0-9]*_TOKEN)\s*:/;

/** The lab's dev environment script, or null when the lab has none (its server needs no world). */
export async function devEnvironmentOf(labId: string, labsRoot = LABS_ROOT): Promise<DevEnvironment | null> {
  const names = await readdir(/* turbopackIgnore: true */ path.join(labsRoot, labId)).catch(() => []);
  const script = names.filter((name) => /^dev-[a-z0-9-]+\.ts$/.test(name)).sort()[0];
  if (!script) return null;
  const source = await readFile(/* turbopackIgnore: true */ path.join(labsRoot, labId, script), "utf8");
  return { script: `labs/${labId}/${script}`, token: TOKEN_KEY.exec(source)?.[1] ?? null };
}
