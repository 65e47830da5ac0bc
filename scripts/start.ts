// npm start: validate the configuration (a bad value stops here, naming the variable), bring the
// database schema up to date, then serve the production build with `next start`.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { ConfigError, parseConfig } from "../lib/config.ts";
import { applyMigrations } from "../lib/db/migrator.ts";
import { databaseUrl } from "../lib/db/url.ts";
import { projectPath } from "../lib/paths.ts";

if (!process.env.MCP_LAB_SKIP_DOTENV && existsSync(projectPath(".env")))
  process.loadEnvFile(projectPath(".env"));
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? "production" });

const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";
// next-auth builds its callback URLs from NEXTAUTH_URL, and certificates sign it as their issuer. On a
// loopback address the site can only be this machine, so default it to where we listen; a server
// that other machines reach must say its public URL (it would otherwise certify as "localhost").
if (!process.env.NEXTAUTH_URL) {
  if (/^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(host))
    process.env.NEXTAUTH_URL = `http://${host === "::1" ? "[::1]" : host}:${port}`;
  else {
    console.error(
      `mcp-lab: cannot start.\n  NEXTAUTH_URL: HOST=${host} serves other machines; set NEXTAUTH_URL to the site's public URL (e.g. https://lab.example.com)`,
    );
    process.exit(1);
  }
}

try {
  parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`mcp-lab: cannot start.\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
if (!existsSync(projectPath(".next", "BUILD_ID"))) {
  console.error("mcp-lab: no production build found; run `npm run build` (or `npm run setup`) first.");
  process.exit(1);
}
const applied = await applyMigrations(databaseUrl());
if (applied.length) console.log(`mcp-lab: applied migrations ${applied.join(", ")}`);

const next = spawn(projectPath("node_modules/.bin/next"), ["start", "--port", port, "--hostname", host], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => next.kill(signal));
next.on("exit", (code) => process.exit(code ?? 0));
