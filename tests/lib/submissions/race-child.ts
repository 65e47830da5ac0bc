// One app process of the cross-process race test: opens its own client on the database, says "ready",
// waits for "go" on stdin, creates one submission and prints "outcome <json>" (other lines are logs).
// argv: <databaseUrl> <userId> <idempotencyKey>
import { connectDb } from "../../../lib/db/client.ts";
import { HttpError } from "../../../lib/http/errors.ts";
import { createSubmission } from "../../../lib/submissions/create.ts";

const [url, userId, key] = process.argv.slice(2);
const db = connectDb(url);
await db.user.findUniqueOrThrow({ where: { id: userId } }); // connected, schema loaded
process.stdout.write("ready\n");
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
let outcome: Record<string, unknown>;
try {
  const created = await createSubmission(
    db,
    {
      userId,
      labId: "hello-server",
      lang: "python",
      kind: "run",
      files: { "server.py": `# ${key}\n` },
      idempotencyKey: key,
    },
    { enqueue: async () => undefined },
  );
  outcome = { id: created.id, created: created.created };
} catch (error) {
  outcome =
    error instanceof HttpError
      ? { status: error.status, code: error.code, submissionId: error.extra.submissionId }
      : { thrown: String(error) };
}
process.stdout.write(`outcome ${JSON.stringify(outcome)}\n`);
await db.$disconnect();
process.exit(0);
