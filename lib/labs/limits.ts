// The limits a grading run gets: the sandbox's defaults overridden by lab.yaml, and how to say them.
import type { LabConfig } from "../../conformance/lab-config.ts";
import { defaultLimits } from "../../sandbox/config.ts";

export interface LabLimits {
  wallMs: number;
  cpuSeconds: number;
  memoryMb: number;
  pids: number;
  openFiles: number;
  fileSizeKb: number;
  outputKb: number;
  /** Per check, and for the server's first answer to initialize. */
  checkTimeoutMs: number;
  startTimeoutMs: number;
}

export function effectiveLimits(config: LabConfig): LabLimits {
  return {
    ...defaultLimits,
    ...config.limits,
    checkTimeoutMs: config.checkTimeoutMs,
    startTimeoutMs: config.startTimeoutMs,
  };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function kb(value: number): string {
  return value >= 1024 && value % 1024 === 0 ? `${value / 1024} MB` : `${value} KB`;
}

/** Rows for the limits table on the lab page, in the README's words. */
export function describeLimits(limits: LabLimits): Array<{ label: string; value: string }> {
  return [
    { label: "Wall time, whole run", value: seconds(limits.wallMs) },
    { label: "CPU time", value: `${limits.cpuSeconds} s` },
    { label: "Memory (whole process tree)", value: `${limits.memoryMb} MB` },
    { label: "Processes/threads", value: String(limits.pids) },
    { label: "Open files", value: String(limits.openFiles) },
    { label: "Largest file written", value: kb(limits.fileSizeKb) },
    { label: "stdout + stderr captured", value: `${kb(limits.outputKb)} (the run is cut there)` },
    { label: "Each check", value: seconds(limits.checkTimeoutMs) },
    { label: "Answer to initialize", value: seconds(limits.startTimeoutMs) },
  ];
}
