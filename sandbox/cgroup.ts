// cgroup v1 per run: memory (+memsw), pids, cpu quota, cpuacct (tree CPU time) and freezer (clean kill),
// at <mount of the controller>/mcp-lab/<run-id>. One fixed place per host, whatever cgroup the
// grader itself runs in, so a grader that died hard leaves its runs where the next one sweeps them,
// and nothing of ours ever sits inside a cgroup someone else manages.
import { mkdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export type Controller = "memory" | "pids" | "cpu" | "cpuacct" | "freezer";
const CONTROLLERS: Controller[] = ["memory", "pids", "cpu", "cpuacct", "freezer"];
export const REQUIRED_CONTROLLERS: Controller[] = ["memory", "pids"];

/** Directory under which run cgroups are created, per available controller. */
export type CgroupBases = Partial<Record<Controller, string>>;

let basesCache: Promise<CgroupBases> | undefined;

/** Finds the cgroup v1 hierarchies (from mountinfo) of the controllers the sandbox uses. */
export function cgroupBases(): Promise<CgroupBases> {
  basesCache ??= discover();
  return basesCache;
}

async function discover(): Promise<CgroupBases> {
  const mountinfo = await readFile("/proc/self/mountinfo", "utf8").catch(() => "");
  const bases: CgroupBases = {};
  for (const line of mountinfo.split("\n")) {
    const [pre, post] = line.split(" - ");
    if (!pre || !post) continue;
    const [fstype, , superOpts = ""] = post.split(" ");
    if (fstype !== "cgroup") continue;
    const point = pre.split(" ")[4];
    if (!point) continue;
    for (const opt of superOpts.split(",")) {
      if ((CONTROLLERS as string[]).includes(opt)) bases[opt as Controller] = path.join(point, "mcp-lab");
    }
  }
  return bases;
}

export interface CgroupLimits {
  memoryBytes: number;
  pids: number;
  /** Cores of CPU quota; 0 disables the quota. */
  cpuCores: number;
}

export interface CgroupEvidence {
  oomKills: number;
  pidsMaxHits: number;
  cpuNanos: number;
  memoryPeakBytes: number;
}

export class RunCgroup {
  readonly dirs: Partial<Record<Controller, string>>;

  private constructor(dirs: Partial<Record<Controller, string>>) {
    this.dirs = dirs;
  }

  /** The cgroups of an existing run (for sweeping leftovers). */
  static attach(runId: string, bases: CgroupBases, skip: Controller[] = []): RunCgroup {
    const dirs: Partial<Record<Controller, string>> = {};
    for (const ctrl of CONTROLLERS) {
      const base = bases[ctrl];
      if (base && !skip.includes(ctrl)) dirs[ctrl] = path.join(base, runId);
    }
    return new RunCgroup(dirs);
  }

  /** Creates the run's cgroups and sets limits; removes what it made if any step fails. */
  static async create(runId: string, limits: CgroupLimits): Promise<RunCgroup> {
    const bases = await cgroupBases();
    // Without a quota the run stays in the grader's cpu cgroup: a cgroup of its own would also make
    // the whole tree compete for CPU as a single task (CFS group scheduling).
    const skipCpu = limits.cpuCores <= 0 && bases.cpu !== bases.cpuacct;
    const cg = RunCgroup.attach(runId, bases, skipCpu ? ["cpu"] : []);
    const dirs = cg.dirs;
    try {
      for (const dir of cg.uniqueDirs()) await mkdir(dir, { recursive: true });
      const mem = dirs.memory;
      if (mem) {
        await writeFile(path.join(mem, "memory.limit_in_bytes"), String(limits.memoryBytes));
        // No swap either: memsw caps memory+swap at the same value (absent when swap accounting is off).
        await writeFile(path.join(mem, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes)).catch(
          () => undefined,
        );
      }
      if (dirs.pids) await writeFile(path.join(dirs.pids, "pids.max"), String(limits.pids));
      if (dirs.cpu && limits.cpuCores > 0) {
        const period = 100_000;
        await writeFile(path.join(dirs.cpu, "cpu.cfs_period_us"), String(period));
        await writeFile(
          path.join(dirs.cpu, "cpu.cfs_quota_us"),
          String(Math.round(period * limits.cpuCores)),
        );
      }
    } catch (err) {
      await cg.remove();
      throw err;
    }
    return cg;
  }

  /** One cgroup.procs file per distinct hierarchy: the wrapper writes its pid into each. */
  procsFiles(): string[] {
    return this.uniqueDirs().map((d) => path.join(d, "cgroup.procs"));
  }

  async evidence(): Promise<CgroupEvidence> {
    const read = (ctrl: Controller, file: string) => {
      const dir = this.dirs[ctrl];
      return dir ? readFile(path.join(dir, file), "utf8").catch(() => "") : Promise.resolve("");
    };
    const [oom, pidsEvents, cpu, peak] = await Promise.all([
      read("memory", "memory.oom_control"),
      read("pids", "pids.events"),
      read("cpuacct", "cpuacct.usage"),
      read("memory", "memory.max_usage_in_bytes"),
    ]);
    return {
      oomKills: Number(/^oom_kill (\d+)/m.exec(oom)?.[1] ?? 0),
      pidsMaxHits: Number(/^max (\d+)/m.exec(pidsEvents)?.[1] ?? 0),
      cpuNanos: Number(cpu.trim() || 0),
      memoryPeakBytes: Number(peak.trim() || 0),
    };
  }

  /** CPU time (ns) the run's tree has used, from cpuacct.usage; null without a readable cpuacct cgroup. */
  async cpuNanos(): Promise<number | null> {
    const dir = this.dirs.cpuacct;
    if (!dir) return null;
    const text = await readFile(path.join(dir, "cpuacct.usage"), "utf8").catch(() => "");
    const nanos = Number(text.trim());
    return text.trim() !== "" && Number.isFinite(nanos) ? nanos : null;
  }

  async pids(): Promise<number[]> {
    const dir = this.dirs.pids ?? this.dirs.memory;
    if (!dir) return [];
    const text = await readFile(path.join(dir, "cgroup.procs"), "utf8").catch(() => "");
    return text
      .split("\n")
      .filter(Boolean)
      .map((s) => Number(s));
  }

  /**
   * SIGKILLs every process in the run until none is left. The pid namespace already dies with its
   * init, so the first round is a plain kill; if anything is still there (something forking as
   * fast as we kill), later rounds freeze the tree first. We do not wait for FROZEN: tasks that are
   * exiting can hold FREEZING for hundreds of ms, and a pending SIGKILL wins once they are thawed.
   */
  async killAll(): Promise<void> {
    const freezer = this.dirs.freezer;
    for (let round = 0; round < 300; round++) {
      const pids = await this.pids();
      if (pids.length === 0) return;
      const freeze = freezer !== undefined && round > 0;
      if (freeze) await writeFile(path.join(freezer, "freezer.state"), "FROZEN").catch(() => undefined);
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      if (freeze) await writeFile(path.join(freezer, "freezer.state"), "THAWED").catch(() => undefined);
      await sleep(round < 20 ? 2 : 20);
    }
  }

  /** Removes the run's cgroups (they must be empty: call killAll first). */
  async remove(): Promise<void> {
    for (const dir of this.uniqueDirs()) {
      for (let i = 0; i < 50; i++) {
        try {
          await rmdir(dir);
          break;
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === "ENOENT") break;
          // EBUSY: the last task is still being reaped by the kernel.
          await sleep(10);
        }
      }
    }
  }

  private uniqueDirs(): string[] {
    return [...new Set(Object.values(this.dirs))];
  }
}
