// The grading queue of this process, opened once: QUEUE=embedded (default, the Job table of the app's
// database) or QUEUE=pg-boss (PostgreSQL). The app enqueues through it and the embedded worker works
// it; sharing one instance lets an enqueue wake the in-process worker at once.
import { z } from "zod";
import { db } from "../db/client.ts";
import { databaseUrl } from "../db/url.ts";
import { openQueue, type QueueBackend } from "../queue/index.ts";
import type { JobQueue } from "../queue/types.ts";

const queueEnv = z.object({ QUEUE: z.enum(["embedded", "pg-boss"]).default("embedded") });

export function queueBackend(env: Record<string, string | undefined> = process.env): QueueBackend {
  const parsed = queueEnv.safeParse({ QUEUE: env.QUEUE || undefined });
  if (!parsed.success) throw new Error('QUEUE must be "embedded" or "pg-boss"');
  return parsed.data.QUEUE;
}

const holder = globalThis as unknown as { mcpLabQueue?: { url: string; queue: Promise<JobQueue> } };

/** The shared queue for DATABASE_URL (kept on globalThis: Next loads route and instrumentation code apart). */
export function gradingQueue(): Promise<JobQueue> {
  const url = databaseUrl();
  if (holder.mcpLabQueue?.url !== url) {
    const queue = openQueue(queueBackend(), url, db());
    holder.mcpLabQueue = { url, queue };
    // A failed open is not cached: the next request tries again.
    queue.catch(() => {
      if (holder.mcpLabQueue?.queue === queue) holder.mcpLabQueue = undefined;
    });
  }
  return holder.mcpLabQueue.queue;
}
