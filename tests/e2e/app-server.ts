// Starts the production build (`next start`) on a free port with its own fresh SQLite database,
// and a Chromium driven by playwright-core, for end-to-end tests.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { type Browser, chromium } from "playwright-core";
import { hashPassword } from "../../lib/auth/password.ts";
import type { Role } from "../../lib/auth/roles.ts";
import { projectPath } from "../../lib/paths.ts";
import { freePort } from "../../sandbox/free-port.ts";
import { freshSqlite, type TestDb } from "../helpers/test-db.ts";

export interface AppServer {
  url: string;
  database: TestDb;
  output(): string;
  stop(): Promise<void>;
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(new Error(`app exited with ${code} before it was ready:\n${output()}`)),
    ),
  );
  const poll = (async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      try {
        const response = await fetch(`${url}/api/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`app did not become healthy:\n${output()}`);
  })();
  await Promise.race([poll, exited]);
}

export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const database = await freshSqlite();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(
    projectPath("node_modules/.bin/next"),
    ["start", "--port", String(port), "--hostname", "127.0.0.1"],
    {
      cwd: projectPath(),
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: database.url,
        NEXTAUTH_URL: url,
        NEXTAUTH_SECRET: randomBytes(33).toString("base64"),
        LOG_LEVEL: "warn",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitUntilHealthy(url, child, () => output);
  return {
    url,
    database,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const gone = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await gone;
      }
      await database.drop();
    },
  };
}

export async function createAccount(
  server: AppServer,
  role: Role,
  email: string,
  password: string,
): Promise<void> {
  await server.database.db.user.create({
    data: { email, name: `Test ${role}`, role, passwordHash: await hashPassword(password) },
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
