// The instructor's submission page says which checks graded a run (result addition checksHash) and
// whether they are still the lab's: the note, rendered, and the current hash as the page reads it.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ChecksHashNote } from "../../../app/instructor/submissions/[id]/checks-hash.tsx";
import { labChecksHash } from "../../../conformance/lab-modules.ts";
import { currentChecksHash } from "../../../lib/gradebook/checks-hash.ts";
import { projectPath } from "../../../lib/paths.ts";

const note = (graded: string | undefined, current: string | null) =>
  renderToStaticMarkup(createElement(ChecksHashNote, { graded, current }))
    .replace(/<[^>]+>/g, "")
    .replaceAll("&#x27;", "'");

describe("checks hash on the submission page", () => {
  it("says whether a run was graded by the lab's current checks, older ones, or before hashes existed", () => {
    expect(note("0123456789ab", "0123456789ab")).toBe("0123456789ab (the lab's current checks)");
    expect(note("0123456789ab", "ba9876543210")).toBe(
      "0123456789ab (older checks: the lab's are now ba9876543210; regrade to grade with them)",
    );
    expect(note(undefined, "ba9876543210")).toContain("not recorded");
  });

  it("reads the lab's current hash through the engine, as grading computes it; null for no such lab", async () => {
    expect(await currentChecksHash("hello-server")).toBe(
      await labChecksHash(projectPath("labs"), "hello-server"),
    );
    expect(await currentChecksHash("no-such-lab")).toBeNull();
  });
});
