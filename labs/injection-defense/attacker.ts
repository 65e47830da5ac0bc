// The grader as attacker. Before the server starts it plants documents, secrets outside the
// document root and symlinks that point at them; it names hosts inside the sandbox (one resolves
// to loopback, one to the cloud metadata address, one to a private address, one to a public one);
// and it runs two web servers the sandbox reaches at 127.0.0.1:<port>:
//
//   - the upstream, the one origin the server is told it may fetch from (FETCH_ALLOWED_ORIGINS):
//     serves documents with injected instructions, redirects anywhere a check asks, and serves
//     whatever a check scripts;
//   - the canary, which nobody should ever reach: any request it records is a fetch into
//     loopback, i.e. a server that connected to an address it should have refused.
//
// Everything lives for one run: environment() creates it, the engine closes it when the run ends.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { LabEnvironment, LabEnvironmentInput } from "../../conformance/lab-environment.ts";
import { listenForSandbox } from "../../sandbox/index.ts";
import { type AttackPlan, allDocs, DOCS_DIR, planAttack, type SecretKind } from "./plan.ts";

export interface Hit {
  method: string;
  path: string;
  host: string;
  /** The HTTP status the grader answered with. */
  status: number;
}

export interface Attacker {
  plan: AttackPlan;
  /** Secret kind -> file (relative to the work dir) and its value, fresh for every run. */
  secrets: Record<SecretKind, { file: string; value: string }>;
  /** What the canary answers: if this shows up in a result, the server fetched from loopback. */
  canaryBody: string;
  canaryHits: Hit[];
  upstreamHits: Hit[];
  /** Makes the upstream serve `body` at `path` (for attacks that adapt to what the server did). */
  script(path: string, body: string): void;
  /** Canary hits on /<tag> (the first path segment, exactly). */
  canaryHitsFor(tag: string): Hit[];
}

/** An upstream path that redirects with `status` to `location`. */
export function redirectPath(status: number, location: string): string {
  return `/moved/${status}?to=${encodeURIComponent(location)}`;
}

/** Answers and records the request with the status it got. */
function answer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  into: Hit[],
  status: number,
  headers: http.OutgoingHttpHeaders,
  body: string,
): void {
  into.push({ method: req.method ?? "GET", path: req.url ?? "/", host: req.headers.host ?? "", status });
  res.writeHead(status, headers);
  res.end(body);
}

function upstreamHandler(attacker: Attacker, scripted: Map<string, string>): http.RequestListener {
  return (req, res) => {
    const hits = attacker.upstreamHits;
    const url = new URL(req.url ?? "/", "http://upstream");
    const moved = url.pathname.match(/^\/moved\/(30[12378])$/);
    if (moved) {
      answer(req, res, hits, Number(moved[1]), { location: url.searchParams.get("to") ?? "/" }, "moved");
      return;
    }
    const body =
      url.pathname === attacker.plan.remoteDoc.path
        ? attacker.plan.remoteDoc.text
        : scripted.get(url.pathname);
    if (body === undefined) answer(req, res, hits, 404, { "content-type": "text/plain" }, "not found");
    else answer(req, res, hits, 200, { "content-type": "text/markdown; charset=utf-8" }, body);
  };
}

/** The attacker's state and its two web servers, not yet listening (tests drive them directly). */
export function createAttacker(plan: AttackPlan): {
  attacker: Attacker;
  upstream: http.Server;
  canary: http.Server;
} {
  const secrets = Object.fromEntries(
    Object.entries(plan.secretFiles).map(([kind, file]) => [
      kind,
      { file, value: `SECRET-${kind}-${randomBytes(12).toString("hex")}` },
    ]),
  ) as Attacker["secrets"];
  const scripted = new Map<string, string>();
  const attacker: Attacker = {
    plan,
    secrets,
    canaryBody: `canary ${randomBytes(12).toString("hex")}: loopback reached`,
    canaryHits: [],
    upstreamHits: [],
    script: (path, body) => {
      scripted.set(path, body);
    },
    canaryHitsFor: (tag) => attacker.canaryHits.filter((h) => h.path.split(/[/?#]/)[1] === tag),
  };
  const upstream = http.createServer(upstreamHandler(attacker, scripted));
  const canary = http.createServer((req, res) => {
    answer(req, res, attacker.canaryHits, 200, { "content-type": "text/plain" }, attacker.canaryBody);
  });
  return { attacker, upstream, canary };
}

/** Files planted in the work dir: the documents under docs/, the secrets outside it. */
export function plantedFiles(attacker: Attacker): Record<string, string> {
  const files: Record<string, string> = {};
  for (const doc of allDocs(attacker.plan)) files[`${DOCS_DIR}/${doc.path}`] = doc.text;
  for (const secret of Object.values(attacker.secrets)) files[secret.file] = `${secret.value}\n`;
  return files;
}

export async function environment(input: LabEnvironmentInput): Promise<LabEnvironment> {
  const plan = planAttack(input.seed);
  const { attacker, upstream, canary } = createAttacker(plan);
  const upstreamService = await listenForSandbox(upstream);
  const canaryService = await listenForSandbox(canary).catch(async (err: unknown) => {
    await upstreamService.close();
    throw err;
  });
  input.log(
    `attacker: planted ${Object.keys(plan.secretFiles).length} secrets outside docs/ and ${Object.keys(plan.symlinks).length} symlinks out of it; ` +
      `upstream ${plan.upstream.origin} (allowed), canary 127.0.0.1:${plan.canary.port} (must never be reached)`,
  );
  return {
    env: { FETCH_ALLOWED_ORIGINS: plan.upstream.origin },
    services: [
      { port: plan.upstream.port, socketPath: upstreamService.socketPath },
      { port: plan.canary.port, socketPath: canaryService.socketPath },
    ],
    hosts: plan.hosts,
    plantFiles: plantedFiles(attacker),
    symlinks: plan.symlinks,
    state: attacker,
    close: async () => {
      await Promise.all([upstreamService.close(), canaryService.close()]);
    },
  };
}
