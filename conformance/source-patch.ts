// Declarative edits of a source file, for labs that grade tests by mutating a server we provide
// (test-suite labs): each mutant is a short list of edits, so it reads as one clear diff.
//
// Blocks are named by marker comment lines, `# --- tool: get_book ---` (Python) or
// `// --- tool: get_book ---` (TypeScript): a block runs from its marker line to the next marker.
// Every anchor must match exactly once, or the edit throws (a lab author's bug, caught by its tests).

export type SourceEdit =
  /** Replace `find` (exactly one occurrence, in block `within` or else the whole file) with `replace`. */
  | { find: string; replace: string; within?: string }
  /** Delete a block, marker line included. */
  | { removeBlock: string }
  /** Insert text right before a marker line. */
  | { insertBefore: string; text: string }
  /** Move a block right before another marker line. */
  | { moveBlock: string; before: string };

export class SourcePatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SourcePatchError";
  }
}

const MARKER = /^\s*(?:#|\/\/) --- (.+?) ---\s*$/;

interface Block {
  start: number;
  end: number;
}

/** Offsets of the named block: from its marker line to the next marker line (or the end). */
function findBlock(source: string, name: string): Block {
  const lines = source.split("\n");
  let offset = 0;
  let start = -1;
  for (const line of lines) {
    const m = MARKER.exec(line);
    if (m) {
      if (start >= 0) return { start, end: offset };
      if (m[1] === name) start = offset;
    }
    offset += line.length + 1;
  }
  if (start >= 0) return { start, end: source.length };
  throw new SourcePatchError(`no marker line "--- ${name} ---"`);
}

function replaceOnce(text: string, find: string, replace: string, where: string): string {
  const first = text.indexOf(find);
  if (first < 0) throw new SourcePatchError(`${JSON.stringify(find)} not found in ${where}`);
  if (text.indexOf(find, first + 1) >= 0)
    throw new SourcePatchError(`${JSON.stringify(find)} occurs more than once in ${where}`);
  return text.slice(0, first) + replace + text.slice(first + find.length);
}

function applyEdit(source: string, edit: SourceEdit): string {
  if ("find" in edit) {
    if (!edit.within) return replaceOnce(source, edit.find, edit.replace, "the file");
    const b = findBlock(source, edit.within);
    const block = replaceOnce(
      source.slice(b.start, b.end),
      edit.find,
      edit.replace,
      `block "${edit.within}"`,
    );
    return source.slice(0, b.start) + block + source.slice(b.end);
  }
  if ("removeBlock" in edit) {
    const b = findBlock(source, edit.removeBlock);
    return source.slice(0, b.start) + source.slice(b.end);
  }
  if ("insertBefore" in edit) {
    const at = findBlock(source, edit.insertBefore).start;
    return source.slice(0, at) + edit.text + source.slice(at);
  }
  const b = findBlock(source, edit.moveBlock);
  const block = source.slice(b.start, b.end);
  const without = source.slice(0, b.start) + source.slice(b.end);
  const at = findBlock(without, edit.before).start;
  return without.slice(0, at) + block + without.slice(at);
}

/** Applies the edits in order; throws SourcePatchError naming the first one that does not apply. */
export function applyEdits(source: string, edits: readonly SourceEdit[]): string {
  let out = source;
  for (const [i, edit] of edits.entries()) {
    try {
      out = applyEdit(out, edit);
    } catch (err) {
      if (err instanceof SourcePatchError) throw new SourcePatchError(`edit ${i + 1}: ${err.message}`);
      throw err;
    }
  }
  return out;
}
