// bench/web: the production build under load.
//   npm run bench:web [-- --seconds 10 --connections 20 --path /course/m1/<lesson>]
// Prints requests/s and p50/p99 latency of a lesson page (anonymous and signed in), and the first-load
// JavaScript of that page (every <script src> it references, gzipped), against the targets
// (>= 300 req/s, <= 150 KB gzip). Needs `npm run build` first.
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { allLessons } from "../../lib/course/catalog.ts";
import { type AppServer, createAccount, startAppServer } from "../../tests/e2e/app-server.ts";

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}

const seconds = Number(arg("seconds", "10"));
const connections = Number(arg("connections", "20"));
const firstLesson = allLessons()[0];
const path = arg("path", `/course/m${firstLesson.moduleNumber}/${firstLesson.slug}`);

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

async function load(url: string, headers: Record<string, string>) {
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

const server = await startAppServer({ LOG_LEVEL: "error" });
try {
  await createAccount(server, "learner", "bench@example.com", "bench password 123");
  const cookie = await signInCookie(server, "bench@example.com", "bench password 123");
  const url = `${server.url}${path}`;
  // Pages that need a signed-in learner (e.g. /labs/<id>) redirect anonymous visitors: no anonymous phase.
  const publicPage = (await fetch(url, { redirect: "manual" })).status === 200;
  await load(url, publicPage ? {} : { cookie }); // warm-up: first renders fill the Markdown cache and JIT
  const anonymous = publicPage ? await load(url, {}) : null;
  const signedIn = await load(url, { cookie });
  const js = await firstLoadJsKb(url, cookie);
  const row = (label: string, r: { rps: number; p50: number; p99: number; total: number }) =>
    `${label.padEnd(22)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   (${r.total} requests)`;
  console.log(`bench/web: ${path}, ${connections} connections, ${seconds} s each, production build`);
  if (anonymous) console.log(row("page (anonymous)", anonymous));
  console.log(row("page (signed in)", signedIn));
  console.log(`first-load JS          ${js.kb.toFixed(1)} KB gzip in ${js.files} files`);
  if (anonymous)
    console.log(`signed-in/anonymous throughput ratio ${(signedIn.rps / anonymous.rps).toFixed(2)}`);
  const ok = signedIn.rps >= 300 && js.kb <= 150;
  console.log(
    `targets: >= 300 req/s signed in: ${signedIn.rps >= 300 ? "met" : "MISSED"}; <= 150 KB first-load JS: ${js.kb <= 150 ? "met" : "MISSED"}`,
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  await server.stop();
}
