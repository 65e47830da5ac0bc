import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../lib/paths.ts";

function start(env: Record<string, string>) {
  return spawnSync(projectPath("node_modules/.bin/tsx"), [projectPath("scripts/start.ts")], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
}

describe("npm start refuses a bad configuration before serving anything", () => {
  it.each([
    [{ NEXTAUTH_SECRET: "s".repeat(40), DATABASE_URL: "mysql://db/lab" }, "DATABASE_URL"],
    [{ NEXTAUTH_SECRET: "mcp-lab-development-secret-do-not-use-in-production" }, "NEXTAUTH_SECRET"],
    [{ NEXTAUTH_SECRET: "s".repeat(40), LOG_LEVEL: "chatty" }, "LOG_LEVEL"],
    // Reachable from other machines, so certificates need the real public URL as their issuer.
    [{ NEXTAUTH_SECRET: "s".repeat(40), HOST: "0.0.0.0" }, "NEXTAUTH_URL"],
  ])("%j -> exit 1 naming %s", (env, variable) => {
    // MCP_LAB_SKIP_DOTENV keeps the developer's own .env out of this test.
    const result = start({ ...env, MCP_LAB_SKIP_DOTENV: "1" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("cannot start");
    expect(result.stderr).toContain(`${variable}:`);
  });
});
