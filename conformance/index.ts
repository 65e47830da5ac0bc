// The grading engine's public API (the worker, the CLIs and tests import from here or from the
// named modules directly). A library: it never imports app/ or lib/.
export type {
  AppliesToInput,
  CheckContext,
  CheckDefinition,
  Expect,
  HttpAccess,
  RawConnection,
  SeededRandom,
  ServerView,
  StdoutLine,
} from "./check-api.ts";
export { CheckFailure, isCheckFailure, isMcpRequestError, McpRequestError, textOf } from "./check-api.ts";
export { builtInChecks, getBuiltInCheck, selectBuiltInChecks } from "./check-catalog.ts";
export { type CheckServerOptions, checkServer } from "./check-server.ts";
export type { GradeEvent, GradeEventListener, GradePhase, GradeTimings, PlannedCheck } from "./events.ts";
export {
  type GradeSubmissionOptions,
  gradeDirectory,
  gradeSubmission,
  type LabPlan,
  limitsFor,
  loadLabPlan,
} from "./grade.ts";
export {
  type LabConfig,
  LabConfigSchema,
  type LabLanguage,
  listLabIds,
  loadLabConfig,
  parseLabConfig,
} from "./lab-config.ts";
export {
  type CheckResult,
  CheckResultSchema,
  exitCodeForStatus,
  type GradeResult,
  GradeResultSchema,
  parseGradeResult,
  RESULT_VERSION,
  type ResultStatus,
  type TraceEntry,
  type Verdict,
} from "./result.ts";
export { readSubmissionFiles, SUBMISSION_LIMITS } from "./submission.ts";
export { renderSummary } from "./transcript.ts";
