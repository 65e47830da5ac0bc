import "server-only";
// Which checks graded a result, next to the checks a regrade would use now (result addition
// `checksHash`, computed by the engine from the lab's files; docs/grading.md).
import { LABS_ROOT } from "../labs/catalog.ts";
import { nativeEngine } from "../worker/native.ts";

/** The hash of a lab's checks as they are on disk now; null when the lab cannot be read. */
export async function currentChecksHash(labId: string): Promise<string | null> {
  try {
    return await (await nativeEngine()).labConfig.labChecksHash(LABS_ROOT, labId);
  } catch {
    return null;
  }
}
