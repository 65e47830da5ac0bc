// Next's start-up hook: with WORKER_MODE=embedded (the default) the app process also grades, so one
// command runs everything. WORKER_MODE=external leaves grading to `npm run worker` processes.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config } = await import("./lib/config.ts");
  if (config().WORKER_MODE !== "embedded") return;
  // The worker and the engine run in the native module graph (lib/worker/native.ts explains why).
  const { nativeEngine } = await import("./lib/worker/native.ts");
  await (await nativeEngine()).startEmbeddedWorker();
}
