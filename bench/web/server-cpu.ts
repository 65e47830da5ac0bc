// CPU time of the server process (all its threads: zlib runs on libuv's pool), read from /proc, so a
// benchmark can report CPU per request: unlike req/s it barely moves when other work shares the cores.
// Linux only; elsewhere (or without `ss`) the figures are simply not printed.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface CpuClock {
  /** CPU milliseconds the process has used so far. */
  read(): number;
}

/** The process listening on `port` (the `next start` server), or null if it cannot be found. */
export function serverCpuClock(port: string): CpuClock | null {
  try {
    const listening = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
    const pid = /pid=(\d+)/.exec(listening)?.[1];
    if (!pid) return null;
    const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    const read = () => {
      // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks; the name in field 2 may hold spaces.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
    };
    read();
    return { read };
  } catch {
    return null;
  }
}
