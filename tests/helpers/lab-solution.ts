// A lab's reference solution as the web editor submits it: path -> content, read the way a folder
// submission is (caches such as __pycache__ left out).
import { readSubmissionDir } from "../../conformance/submission.ts";
import { projectPath } from "../../lib/paths.ts";

export async function labSolutionFiles(
  lab: string,
  lang: "python" | "typescript",
): Promise<Record<string, string>> {
  const read = await readSubmissionDir(
    projectPath("labs", lab, "solution", lang),
    lang === "python" ? "server.py" : "server.ts",
  );
  if (!read.ok) throw new Error(`labs/${lab}/solution/${lang}: ${read.error}`);
  return Object.fromEntries([...read.files].map(([name, content]) => [name, content.toString("utf8")]));
}
