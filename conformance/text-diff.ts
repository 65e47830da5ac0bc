// A small line diff (longest common subsequence) rendered as unified-diff hunks, to show a learner
// exactly what a mutant changed. Sources here are a few hundred lines, so O(n*m) is fine.

export interface DiffOptions {
  /** Unchanged lines shown around each change. */
  context?: number;
  /** Longest output, in lines; the rest is cut with a note. */
  maxLines?: number;
}

type Op = { kind: " " | "-" | "+"; text: string; oldLine: number; newLine: number };

function lineOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: length of the LCS of a[i..] and b[j..]
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: " ", text: a[i], oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: "-", text: a[i], oldLine: i + 1, newLine: j });
      i++;
    } else {
      ops.push({ kind: "+", text: b[j], oldLine: i, newLine: j + 1 });
      j++;
    }
  }
  return ops;
}

/** Unified-diff hunks (`@@ -a,b +c,d @@`) of `before` -> `after`; "" when they are equal. */
export function unifiedDiff(before: string, after: string, options: DiffOptions = {}): string {
  const context = options.context ?? 1;
  const maxLines = options.maxLines ?? 60;
  const ops = lineOps(before.split("\n"), after.split("\n"));
  const changed = ops.map((op, k) => (op.kind === " " ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0) return "";
  // Group changes whose context windows touch into hunks.
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(ops.length - 1, k + context);
    const last = hunks.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else hunks.push([lo, hi]);
  }
  const out: string[] = [];
  for (const [lo, hi] of hunks) {
    const slice = ops.slice(lo, hi + 1);
    const oldCount = slice.filter((o) => o.kind !== "+").length;
    const newCount = slice.filter((o) => o.kind !== "-").length;
    const oldStart = slice.find((o) => o.kind !== "+")?.oldLine ?? slice[0].oldLine;
    const newStart = slice.find((o) => o.kind !== "-")?.newLine ?? slice[0].newLine;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const o of slice) out.push(`${o.kind}${o.text}`);
  }
  if (out.length <= maxLines) return out.join("\n");
  return [...out.slice(0, maxLines), `… (${out.length - maxLines} more diff lines)`].join("\n");
}
