// The sandbox's public face: conformance/ starts learner servers only through launchServer.

import { resolveOptions, type SandboxOptions, unsafeLocalAllowed, validateRequest } from "./config.ts";
import { SandboxError } from "./errors.ts";
import { checkIsolation } from "./isolation.ts";
import { launchBwrap } from "./launch-bwrap.ts";
import { launchUnsafe, warnUnsafe } from "./launch-unsafe.ts";
import type { LaunchRequest, RunningServer } from "./types.ts";

export { defaultLimits, type SandboxOptions } from "./config.ts";
export { isSandboxError, SandboxError, type SandboxErrorCode } from "./errors.ts";
export { type GraderService, listenForSandbox } from "./grader-service.ts";
export { createSocketFetch, type HttpReadiness, waitForHttpReady } from "./http-socket.ts";
export { checkIsolation } from "./isolation.ts";
export { exposeOnTcp, type TcpBridge } from "./tcp-bridge.ts";
export type {
  ExitInfo,
  ExitReason,
  IsolationReport,
  Language,
  LaunchRequest,
  RunningServer,
  SandboxLimits,
  Transport,
} from "./types.ts";

/**
 * Starts a learner's server. Isolation "bwrap" (the default) refuses with SandboxError
 * SANDBOX_UNAVAILABLE when the host cannot isolate, unless the operator set SANDBOX=unsafe-local
 * (then: a plain process and a loud warning). Other codes: INVALID_REQUEST, ENTRY_NOT_FOUND,
 * UNSAFE_NOT_ALLOWED, LAUNCH_FAILED. `options` is host configuration, never learner input.
 */
export async function launchServer(req: LaunchRequest, options?: SandboxOptions): Promise<RunningServer> {
  const valid = validateRequest(req);
  const opts = resolveOptions(options);
  if (valid.isolation === "unsafe-local") {
    if (!unsafeLocalAllowed()) {
      throw new SandboxError(
        "UNSAFE_NOT_ALLOWED",
        'Running without isolation needs the operator to set SANDBOX=unsafe-local; use isolation "bwrap".',
      );
    }
    return launchUnsafe(valid, opts);
  }
  const report = await checkIsolation(options);
  if (report.ok) return launchBwrap(valid, opts);
  const missing = report.details.filter((d) => d.startsWith("MISSING:"));
  if (unsafeLocalAllowed()) {
    warnUnsafe(`isolation unavailable (${missing.join("; ")})`);
    return launchUnsafe(valid, opts);
  }
  throw new SandboxError(
    "SANDBOX_UNAVAILABLE",
    "Sandbox isolation is unavailable on this host, so untrusted code will not run. An operator can " +
      "see what is missing with checkIsolation(); for local development only, SANDBOX=unsafe-local " +
      "runs servers as plain processes.",
    missing,
  );
}
