// Stable error codes for everything the sandbox refuses or fails to do before a server runs.
// Messages are safe to show a learner or an operator: no host paths, no stack traces; the
// operator-only specifics (paths, probe output) go in `details`.

export type SandboxErrorCode =
  | "SANDBOX_UNAVAILABLE" // isolation (bwrap, user, cgroups, runtimes) is missing and no opt-out
  | "UNSAFE_NOT_ALLOWED" // isolation "unsafe-local" asked for without the operator's SANDBOX=unsafe-local
  | "INVALID_REQUEST" // the LaunchRequest is malformed (bad limits, paths escaping the work dir, ...)
  | "ENTRY_NOT_FOUND" // the entry file is not in the submission
  | "LAUNCH_FAILED"; // the host could not start the process (spawn error, cgroup write failed)

export class SandboxError extends Error {
  readonly code: SandboxErrorCode;
  readonly details: string[];

  constructor(code: SandboxErrorCode, message: string, details: string[] = []) {
    super(message);
    this.name = "SandboxError";
    this.code = code;
    this.details = details;
  }
}

export function isSandboxError(value: unknown): value is SandboxError {
  return value instanceof SandboxError;
}
