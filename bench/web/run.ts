// bench/web: the production build under load.
//   npm run bench:web [-- --seconds 10 --connections 20 --path /course/m1/<lesson> [--path /signin ...]]
// Prints requests/s and p50/p99 latency of each page (anonymous and signed in), and the first-load
// JavaScript of that page (every <script src> it references, gzipped), against the targets. By default
// the first lesson (>= 300 req/s, <= 150 KB gzip) and the lab page /labs/hello-server (<= 150 KB gzip;
// its req/s is reported without a target: a signed-in workspace whose cost is the grading, not the
// page). /api/health is measured in the same run as a reference, so figures taken while the machine is
// busy compare as ratios, and so is the server's CPU time per request, which other load on the machine
// hardly changes. Needs `npm run build` first.
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { allLessons } from "../../lib/course/catalog.ts";
import { type AppServer, createAccount, startAppServer } from "../../tests/e2e/app-server.ts";
import { type CpuClock, serverCpuClock } from "./server-cpu.ts";

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}

function args(name: string): string[] {
  return process.argv.flatMap((value, index) => (process.argv[index - 1] === `--${name}` ? [value] : []));
}

const seconds = Number(arg("seconds", "10"));
const connections = Number(arg("connections", "20"));
const firstLesson = allLessons()[0];
const given = args("path");
const paths = given.length
  ? given
  : [`/course/m${firstLesson.moduleNumber}/${firstLesson.slug}`, "/labs/hello-server"];
const TARGET_RPS = 300;
const TARGET_JS_KB = 150;

/** Lab pages are held to the JS budget only; every other page to both targets. */
function targetsFor(path: string): { rps: number | null; jsKb: number } {
  return { rps: path.startsWith("/labs/") ? null : TARGET_RPS, jsKb: TARGET_JS_KB };
}

async function signInCookie(server: AppServer, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((cookie) => cookie.split(";")[0]);
  const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed: HTTP ${response.status}`);
  return session.split(";")[0];
}

let cpu: CpuClock | null = null;

async function load(url: string, headers: Record<string, string>) {
  const cpuBefore = cpu?.read();
  // Like a browser: ask for compression (the server gzips each page).
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { "accept-encoding": "gzip, deflate, br", ...headers },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    cpuMsPerRequest: cpu && cpuBefore !== undefined ? (cpu.read() - cpuBefore) / result.requests.total : null,
  };
}

async function firstLoadJsKb(url: string, cookie: string): Promise<{ kb: number; files: number }> {
  const html = await (await fetch(url, { headers: { cookie } })).text();
  // Modern browsers skip <script noModule> (the legacy polyfills), so it is not first-load JS.
  const tags = [...html.matchAll(/<script[^>]*>/g)]
    .map((match) => match[0])
    .filter((tag) => !/nomodule/i.test(tag));
  const sources = [...new Set(tags.flatMap((tag) => /src="([^"]+\.js[^"]*)"/.exec(tag)?.[1] ?? []))];
  let bytes = 0;
  for (const source of sources) {
    const body = Buffer.from(await (await fetch(new URL(source, url))).arrayBuffer());
    bytes += gzipSync(body, { level: 9 }).length;
  }
  return { kb: bytes / 1024, files: sources.length };
}

type Load = Awaited<ReturnType<typeof load>>;

const row = (label: string, r: Load, reference: Load) =>
  `${label.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ${(r.rps / reference.rps).toFixed(2)} x health${r.cpuMsPerRequest === null ? "" : `   server CPU ${r.cpuMsPerRequest.toFixed(2)} ms/request`}   (${r.total} requests)`;

const server = await startAppServer({ LOG_LEVEL: "error" });
try {
  cpu = serverCpuClock(new URL(server.url).port);
  await createAccount(server, "learner", "bench@example.com", "bench password 123");
  const cookie = await signInCookie(server, "bench@example.com", "bench password 123");
  await load(`${server.url}/api/health`, {}); // warm-up: JIT
  const health = await load(`${server.url}/api/health`, {});
  console.log(`bench/web: ${connections} connections, ${seconds} s each, production build`);
  console.log(row("/api/health", health, health));
  let ok = true;
  for (const path of paths) {
    const url = `${server.url}${path}`;
    // Pages that need a signed-in learner (e.g. /labs/<id>) redirect anonymous visitors: no anonymous phase.
    const publicPage = (await fetch(url, { redirect: "manual" })).status === 200;
    await load(url, publicPage ? {} : { cookie }); // warm-up: first renders fill caches and JIT
    const anonymous = publicPage ? await load(url, {}) : null;
    const signedIn = await load(url, { cookie });
    const js = await firstLoadJsKb(url, cookie);
    console.log(path);
    if (anonymous) console.log(row("  anonymous", anonymous, health));
    console.log(row("  signed in", signedIn, health));
    console.log(`  first-load JS        ${js.kb.toFixed(1)} KB gzip in ${js.files} files`);
    const slowest = Math.min(signedIn.rps, anonymous?.rps ?? Number.POSITIVE_INFINITY);
    const target = targetsFor(path);
    const rpsMet = target.rps === null || slowest >= target.rps;
    const jsMet = js.kb <= target.jsKb;
    ok &&= rpsMet && jsMet;
    console.log(
      `  targets: ${target.rps === null ? "req/s reported only" : `>= ${target.rps} req/s: ${rpsMet ? "met" : "MISSED"}`}; <= ${target.jsKb} KB first-load JS: ${jsMet ? "met" : "MISSED"}`,
    );
  }
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.stop();
}
