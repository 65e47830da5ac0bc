// Defaults, host-side options and request validation (zod at the boundary).

import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";
import { SandboxError } from "./errors.ts";
import type { LaunchRequest, SandboxLimits } from "./types.ts";

/**
 * Defaults for every lab (lab.yaml may override each). A Node SDK server peaks near 70 MiB and a
 * Python one near 50 MiB (docs/sandbox.md), so one memory default fits both languages.
 */
export const defaultLimits: SandboxLimits = Object.freeze({
  wallMs: 20_000,
  cpuSeconds: 15,
  memoryMb: 256,
  pids: 64,
  openFiles: 256,
  fileSizeKb: 10_240,
  outputKb: 256,
});

/** Host-side configuration: never comes from a learner; tests use it to point at a missing bwrap. */
export interface SandboxOptions {
  /** bwrap binary. Env MCP_LAB_BWRAP, default /usr/bin/bwrap. */
  bwrapPath?: string;
  /** Runtime root built by scripts/install-runtimes.sh. Env MCP_LAB_RUNTIMES. */
  runtimesRoot?: string;
  /** Where per-run dirs (staged source, http socket) live. Env MCP_LAB_SANDBOX_WORK. */
  workBase?: string;
  /** Unprivileged user that runs bwrap. Env MCP_LAB_SANDBOX_USER. */
  user?: string;
  /** CPU share of the whole tree, in cores (cgroup cpu quota); 0 = no quota. Env MCP_LAB_SANDBOX_CPU_CORES, default 0. */
  cpuCores?: number;
}

export interface ResolvedOptions {
  bwrapPath: string;
  runtimesRoot: string;
  workBase: string;
  user: string;
  cpuCores: number;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const env = process.env;
  return {
    bwrapPath: options.bwrapPath ?? env.MCP_LAB_BWRAP ?? "/usr/bin/bwrap",
    runtimesRoot: options.runtimesRoot ?? env.MCP_LAB_RUNTIMES ?? "/opt/mcp-lab/runtimes",
    // tmpfs: whatever a server writes into its bind-mounted socket dir is charged to its memory cgroup.
    workBase: options.workBase ?? env.MCP_LAB_SANDBOX_WORK ?? "/dev/shm/mcp-lab",
    user: options.user ?? env.MCP_LAB_SANDBOX_USER ?? "mcplab-sandbox",
    // No quota by default: measured, a 1-core quota slows Node's multi-threaded start-up by 5-30%
    // (more under load); CPU time is still capped by RLIMIT_CPU and the tree's cpuacct time.
    cpuCores: options.cpuCores ?? (env.MCP_LAB_SANDBOX_CPU_CORES ? Number(env.MCP_LAB_SANDBOX_CPU_CORES) : 0),
  };
}

/** The server's own network namespace has nothing else listening; one fixed port is enough. */
export const SANDBOX_HTTP_PORT = 8000;

/** The port an HTTP server listens on inside the sandbox: env PORT if the request sets one. */
export function serverHttpPort(req: Pick<LaunchRequest, "env">): number {
  const fromEnv = Number(req.env?.PORT);
  return Number.isInteger(fromEnv) && fromEnv > 0 && fromEnv < 65_536 ? fromEnv : SANDBOX_HTTP_PORT;
}

/** True when the operator opted out of isolation for local development. */
export function unsafeLocalAllowed(): boolean {
  return process.env.SANDBOX === "unsafe-local";
}

const relPath = z
  .string()
  .min(1)
  .max(512)
  .refine((p) => !p.includes("\0"), "must not contain NUL")
  .refine((p) => !path.isAbsolute(p), "must be relative")
  .refine((p) => {
    const n = path.posix.normalize(p);
    return n !== ".." && !n.startsWith("../") && n !== ".";
  }, "must stay inside the work dir");

const limitsSchema = z.object({
  wallMs: z.number().int().min(100).max(600_000),
  cpuSeconds: z.number().int().min(1).max(600),
  memoryMb: z.number().int().min(16).max(16_384),
  pids: z.number().int().min(4).max(4096),
  openFiles: z.number().int().min(16).max(65_536),
  fileSizeKb: z.number().int().min(1).max(4_194_304),
  outputKb: z.number().int().min(1).max(65_536),
});

const requestSchema = z.object({
  sourceDir: z.string().min(1),
  language: z.enum(["python", "typescript"]),
  entry: relPath,
  transport: z.enum(["stdio", "http"]),
  mode: z.enum(["server", "tests"]).optional(),
  limits: limitsSchema,
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(65_536)).optional(),
  plantFiles: z.record(relPath, z.string()).optional(),
  symlinks: z.record(relPath, z.string().min(1).max(4096)).optional(),
  isolation: z.enum(["bwrap", "unsafe-local"]).optional(),
  services: z
    .array(
      z.object({
        port: z.number().int().min(1024).max(65_535),
        socketPath: z
          .string()
          .min(2)
          .max(200)
          .refine((p) => path.isAbsolute(p) && !/[\s\0]/.test(p), "must be an absolute path without spaces"),
      }),
    )
    .max(8)
    .refine((list) => new Set(list.map((s) => s.port)).size === list.length, "ports must be distinct")
    .optional(),
  hosts: z
    .record(
      z.string().regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i),
      z.string().refine((ip) => isIP(ip) !== 0, "must be an IP address"),
    )
    .optional(),
});

export function validateRequest(req: LaunchRequest): LaunchRequest {
  const parsed = requestSchema.safeParse(req);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "request"}: ${i.message}`);
    throw new SandboxError("INVALID_REQUEST", `Invalid launch request: ${issues.join("; ")}`, issues);
  }
  if (req.mode === "tests" && req.transport !== "stdio") {
    throw new SandboxError("INVALID_REQUEST", 'Invalid launch request: mode "tests" runs over stdio only');
  }
  if (req.transport === "http" && req.services?.some((s) => s.port === serverHttpPort(req))) {
    throw new SandboxError("INVALID_REQUEST", "Invalid launch request: a service uses the server's own port");
  }
  return { ...req, sourceDir: path.resolve(req.sourceDir) };
}
