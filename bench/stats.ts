// The benchmarks use the platform's percentiles (lib/stats.ts), so bench figures and /api/metrics agree.
export { median, percentile } from "../lib/stats.ts";
