// Tests grade through the real sandbox (bwrap). Only when this host cannot isolate do they fall
// back to SANDBOX=unsafe-local, loudly; CI runs as root with bwrap, so there the sandboxed path is tested.
import { checkIsolation } from "../../sandbox/index.ts";

export async function sandboxMode(): Promise<"bwrap" | "unsafe-local"> {
  const report = await checkIsolation();
  if (report.ok) return "bwrap";
  process.env.SANDBOX = "unsafe-local";
  console.warn(
    `sandbox isolation unavailable, testing with SANDBOX=unsafe-local: ${report.details.join("; ")}`,
  );
  return "unsafe-local";
}
