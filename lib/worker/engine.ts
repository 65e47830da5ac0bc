// The grading engine as the worker calls it: conformance/grade.ts's gradeSubmission on a folder.
import { gradeSubmission } from "../../conformance/grade.ts";
import { LABS_ROOT } from "../labs/catalog.ts";
import type { Grader } from "./grade-job.ts";

export const gradeWithEngine: Grader = (request) =>
  gradeSubmission({
    labId: request.labId,
    dir: request.dir,
    lang: request.lang,
    seed: request.seed,
    onEvent: request.onEvent,
    labsRoot: LABS_ROOT,
  });
