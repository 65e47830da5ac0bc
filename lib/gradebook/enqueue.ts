import "server-only";
// The app's way to queue a regrade: the process's shared grading queue (lib/worker/queue.ts), the same
// one the lab workspace enqueues learners' submissions on, so the embedded worker wakes at once.
import { gradingQueue } from "../worker/queue.ts";
import type { EnqueueGrading } from "./regrade.ts";

export const enqueueGrading: EnqueueGrading = async (submissionId) => {
  const queue = await gradingQueue();
  return queue.enqueue({ submissionId });
};
