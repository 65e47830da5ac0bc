import type { LabStatus } from "@/lib/submissions/queries.ts";

const LABELS: Record<LabStatus, string> = {
  passed: "passed",
  attempted: "in progress",
  "not-started": "not started",
};

/** A lab's status for this learner: passed (a submit passed), in progress, or not started. */
export function LabStatusBadge({ status }: { status: LabStatus }) {
  return (
    <span className={`badge${status === "passed" ? " done" : ""}`} data-lab-status={status}>
      {LABELS[status]}
    </span>
  );
}
