import { describe, expect, it } from "vitest";
import { diffFiles, diffLines, hunks } from "../../../lib/submissions/diff.ts";
import {
  MAX_TOTAL_BYTES,
  oversizeMessage,
  SubmittedFilesSchema,
  sameFiles,
} from "../../../lib/submissions/files.ts";

describe("submitted files", () => {
  it("accepts relative names of safe characters", () => {
    const ok = SubmittedFilesSchema.safeParse({ "server.py": "x", "pkg/util.py": "y", "a_b-c.d.ts": "" });
    expect(ok.success).toBe(true);
  });

  it.each([
    "../server.py",
    "/etc/passwd",
    "a/../../b",
    "a/./b",
    ".env",
    "a//b",
    "with space.py",
    "back\\slash.py",
    "",
    "x".repeat(129),
  ])("refuses the file name %j", (name) => {
    expect(SubmittedFilesSchema.safeParse({ [name]: "x" }).success).toBe(false);
  });

  it("refuses no files and too many files", () => {
    expect(SubmittedFilesSchema.safeParse({}).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`f${i}.py`, ""]));
    expect(SubmittedFilesSchema.safeParse(many).success).toBe(false);
  });

  it("measures size in UTF-8 bytes and says what the limit is", () => {
    expect(oversizeMessage({ "a.py": "x".repeat(MAX_TOTAL_BYTES) })).toBeNull();
    expect(oversizeMessage({ "a.py": "x".repeat(MAX_TOTAL_BYTES), "b.py": "y" })).toMatch(/at most 256 KB/);
    // 3 bytes per character in UTF-8
    expect(oversizeMessage({ "a.py": "€".repeat(Math.ceil(MAX_TOTAL_BYTES / 3) + 1) })).not.toBeNull();
  });

  it("compares file sets exactly", () => {
    expect(sameFiles({ a: "1", b: "2" }, { b: "2", a: "1" })).toBe(true);
    expect(sameFiles({ a: "1" }, { a: "1", b: "" })).toBe(false);
    expect(sameFiles({ a: "1" }, { a: "2" })).toBe(false);
  });
});

describe("line diff", () => {
  function sides(a: string, b: string) {
    const lines = diffLines(a, b);
    return {
      old: lines.filter((l) => l.op !== "insert").map((l) => l.text),
      new: lines.filter((l) => l.op !== "delete").map((l) => l.text),
      changes: lines.filter((l) => l.op !== "equal").length,
    };
  }

  it("reconstructs both texts and finds a minimal edit", () => {
    const result = sides("a\nb\nc\nd\n", "a\nx\nc\nd\ne\n");
    expect(result.old).toEqual(["a", "b", "c", "d"]);
    expect(result.new).toEqual(["a", "x", "c", "d", "e"]);
    expect(result.changes).toBe(3);
  });

  it("handles empty sides", () => {
    expect(diffLines("", "a\nb").map((l) => l.op)).toEqual(["insert", "insert"]);
    expect(diffLines("a\nb", "").map((l) => l.op)).toEqual(["delete", "delete"]);
    expect(diffLines("", "")).toEqual([]);
  });

  it("reconstructs both sides of seeded random texts", () => {
    let state = 7;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state;
    };
    const text = () => Array.from({ length: next() % 15 }, () => "abcd"[next() % 4]).join("\n");
    for (let i = 0; i < 500; i++) {
      const a = text();
      const b = text();
      const result = sides(a, b);
      expect(result.old.join("\n")).toBe(a);
      expect(result.new.join("\n")).toBe(b);
    }
  });

  it("groups changes into hunks with context and line numbers", () => {
    const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n");
    const changed = old.replace("line 3", "LINE 3").replace("line 18", "LINE 18");
    const found = hunks(diffLines(old, changed), 2);
    expect(found).toHaveLength(2);
    expect(found[0].oldStart).toBe(1);
    expect(found[1].oldStart).toBe(16);
    const files = diffFiles({ "s.py": old, "gone.py": "x" }, { "s.py": changed, "new.py": "y" });
    expect(files.map((f) => [f.path, f.change, f.added, f.removed])).toEqual([
      ["gone.py", "removed", 0, 1],
      ["new.py", "added", 1, 0],
      ["s.py", "modified", 2, 2],
    ]);
  });
});
