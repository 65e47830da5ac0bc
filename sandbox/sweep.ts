// Leftovers of graders that died hard (SIGKILL, power loss): bwrap --die-with-parent takes the
// processes down, but run dirs and cgroups stay. Swept once per grader process, before its first
// run, when older than any run can live (the longest allowed wall time is 10 minutes).
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { cgroupBases, RunCgroup } from "./cgroup.ts";

const RUN_NAME = /^run-[0-9a-f]{16}$/;
export const STALE_AFTER_MS = 15 * 60 * 1000;

async function staleEntries(dir: string, now: number): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const name of names) {
    if (!RUN_NAME.test(name)) continue;
    const st = await stat(path.join(dir, name)).catch(() => null);
    if (st && now - st.mtimeMs > STALE_AFTER_MS) out.push(name);
  }
  return out;
}

export async function sweepStale(
  workBase: string,
  now = Date.now(),
): Promise<{ dirs: number; cgroups: number }> {
  let dirs = 0;
  for (const name of await staleEntries(workBase, now)) {
    await rm(path.join(workBase, name), { recursive: true, force: true });
    dirs++;
  }
  const bases = await cgroupBases();
  const stale = new Set<string>();
  for (const base of Object.values(bases)) {
    for (const name of await staleEntries(base, now)) stale.add(name);
  }
  for (const name of stale) {
    const cg = RunCgroup.attach(name, bases);
    await cg.killAll();
    await cg.remove();
  }
  return { dirs, cgroups: stale.size };
}

let once: Promise<unknown> | undefined;

/** Runs the sweep the first time it is called in this process; later calls return at once. */
export function sweepStaleOnce(workBase: string): Promise<unknown> {
  once ??= sweepStale(workBase).catch(() => undefined);
  return once;
}
