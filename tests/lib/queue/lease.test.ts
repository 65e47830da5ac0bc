// The pg-boss lease settings against the labs: the backstop expiry outlasts the longest grading any
// lab can take (derived from each lab's limits, a test-suite lab's runs included), it agrees with the
// sweeper's 15 minutes, and the lease is the embedded queue's and valid for pg-boss.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { getLab, LABS_ROOT, listLabs } from "../../../lib/labs/catalog.ts";
import {
  PGBOSS_CEILING_SECONDS,
  PGBOSS_LEASE_SECONDS,
  PGBOSS_RETRY_DELAY_SECONDS,
} from "../../../lib/queue/pgboss-queue.ts";
import { DEFAULT_WORKER_OPTIONS } from "../../../lib/queue/types.ts";
import { STALE_AFTER_MS } from "../../../lib/submissions/store.ts";

async function files(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir)) out[name] = await readFile(path.join(dir, name), "utf8");
  return out;
}

/** The longest one grading of this lab can take by its limits, in ms. */
async function worstGradingMs(id: string): Promise<number> {
  const lab = await getLab(id);
  if (!lab) throw new Error(`no lab ${id}`);
  const { wallMs, startTimeoutMs } = lab.limits;
  if (lab.kind === "server") return startTimeoutMs + wallMs;
  // A test-suite lab runs the suite on the subject and on each variant, `parallel` at a time, each run
  // bounded by the wall limit.
  const mutants = (await import(pathToFileURL(path.join(LABS_ROOT, id, "mutants.ts")).href)) as {
    variants: (input: { seed: number; lang: string; subject: Record<string, string> }) => unknown[];
  };
  let runs = 0;
  for (const lang of lab.languages) {
    const subject = await files(path.join(LABS_ROOT, id, lab.config.testSuite?.subject ?? "subject", lang));
    runs = Math.max(runs, 1 + mutants.variants({ seed: 1, lang, subject }).length);
  }
  return Math.ceil(runs / (lab.config.testSuite?.parallel ?? 2)) * wallMs;
}

describe("pg-boss lease", () => {
  it("the backstop outlasts the longest grading of every lab, twice over", async () => {
    const worst = await Promise.all(
      (await listLabs()).map(async (lab) => [lab.id, await worstGradingMs(lab.id)] as const),
    );
    const [slowest, ms] = worst.reduce((a, b) => (b[1] > a[1] ? b : a));
    // Today the test-suite lab (its suite a dozen times, two at a time) and the capstone lead.
    expect(ms, slowest).toBeGreaterThan(120_000);
    expect(2 * ms, `${slowest}: ${ms} ms`).toBeLessThan(PGBOSS_CEILING_SECONDS * 1000);
  });

  it("the backstop is the sweeper's age of a lost submission", () => {
    expect(PGBOSS_CEILING_SECONDS * 1000).toBe(STALE_AFTER_MS);
  });

  it("the lease is the embedded queue's, at least pg-boss's minimum heartbeat, and far below a grading", () => {
    expect(PGBOSS_LEASE_SECONDS * 1000).toBe(DEFAULT_WORKER_OPTIONS.leaseMs);
    expect(PGBOSS_LEASE_SECONDS).toBeGreaterThanOrEqual(10);
    expect(Number.isInteger(PGBOSS_LEASE_SECONDS)).toBe(true);
    expect(PGBOSS_RETRY_DELAY_SECONDS).toBeLessThan(PGBOSS_LEASE_SECONDS);
  });
});
