// Next's start-up hook. Every start makes sure the certificate signing key exists, so
// /.well-known/jwks.json is never empty. With WORKER_MODE=embedded (the default) the app process also
// grades, so one command runs everything; WORKER_MODE=external leaves grading to `npm run worker`.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config } = await import("./lib/config.ts");
  const workerMode = config().WORKER_MODE; // a bad configuration stops here, naming the variable
  const [{ db }, { ensureSigningKey }, { log }] = await Promise.all([
    import("./lib/db/client.ts"),
    import("./lib/certificates/keys.ts"),
    import("./lib/log.ts"),
  ]);
  try {
    const { kid } = await ensureSigningKey(db());
    log.info({ kid }, "certificate signing key ready");
  } catch (error) {
    // A database that is not migrated yet must not stop the app; the JWKS route makes the key later.
    log.error({ err: error }, "could not prepare the certificate signing key at start-up");
  }
  if (workerMode !== "embedded") return;
  // The worker and the engine run in the native module graph (lib/worker/native.ts explains why).
  const { nativeEngine } = await import("./lib/worker/native.ts");
  await (await nativeEngine()).startEmbeddedWorker();
}
