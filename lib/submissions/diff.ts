// A line diff between two submissions (Myers' O(ND) algorithm), grouped into hunks with context like
// `diff -u`. Pure functions: the history panel runs them in the browser on the learner's own files.

export type DiffOp = "equal" | "insert" | "delete";

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line in the old text (equal, delete). */
  oldLine?: number;
  /** 1-based line in the new text (equal, insert). */
  newLine?: number;
}

export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Every line of both texts, in order, each marked equal, insert or delete. */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the saved frontiers.
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const frontier = trace[d];
    const k = x - y;
    const prevK =
      k === -d || (k !== d && frontier[offset + k - 1] < frontier[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : frontier[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: "equal", text: a[x - 1], oldLine: x, newLine: y });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) out.push({ op: "insert", text: b[y - 1], newLine: y });
    else out.push({ op: "delete", text: a[x - 1], oldLine: x });
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

export interface Hunk {
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

/** The changed lines with `context` unchanged lines around them, merged where they touch. */
export function hunks(lines: DiffLine[], context = 3): Hunk[] {
  const changed = lines.map((line, i) => (line.op === "equal" ? -1 : i)).filter((i) => i >= 0);
  const result: Hunk[] = [];
  let start = -1;
  let end = -1;
  const flush = () => {
    if (start < 0) return;
    const slice = lines.slice(start, end + 1);
    const firstOld = slice.find((l) => l.oldLine !== undefined)?.oldLine ?? 0;
    const firstNew = slice.find((l) => l.newLine !== undefined)?.newLine ?? 0;
    result.push({ oldStart: firstOld, newStart: firstNew, lines: slice });
  };
  for (const i of changed) {
    const from = Math.max(0, i - context);
    const to = Math.min(lines.length - 1, i + context);
    if (start >= 0 && from <= end + 1) end = Math.max(end, to);
    else {
      flush();
      start = from;
      end = to;
    }
  }
  flush();
  return result;
}

export interface FileDiff {
  path: string;
  change: "added" | "removed" | "modified" | "unchanged";
  hunks: Hunk[];
  added: number;
  removed: number;
}

/** Per file of either submission: what changed from `older` to `newer`. */
export function diffFiles(
  older: Record<string, string>,
  newer: Record<string, string>,
  context = 3,
): FileDiff[] {
  const paths = [...new Set([...Object.keys(older), ...Object.keys(newer)])].sort();
  return paths.map((path) => {
    const before = older[path];
    const after = newer[path];
    const lines = diffLines(before ?? "", after ?? "");
    const added = lines.filter((l) => l.op === "insert").length;
    const removed = lines.filter((l) => l.op === "delete").length;
    const change =
      before === undefined
        ? "added"
        : after === undefined
          ? "removed"
          : added + removed
            ? "modified"
            : "unchanged";
    return { path, change, hunks: hunks(lines, context), added, removed };
  });
}
