// Nearest-rank percentiles: the benchmarks' printed figures and the grading latency metrics.

/** The p-th percentile (nearest rank) of `values`, in any order. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values: number[]): number => percentile(values, 50);
