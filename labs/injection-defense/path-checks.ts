// Checks on paths: the documents the server must serve, and the files outside docs/ it must
// never reach, through ../, absolute paths, percent-encoding or symlinks.
import { type CheckContext, type CheckDefinition, CheckFailure } from "../../conformance/check-api.ts";
import type { Attacker } from "./attacker.ts";
import { attackerOf, attempt, excerpt, refused } from "./calls.ts";
import { DOCS_DIR, type SecretKind, WORK_DIR } from "./plan.ts";

const SPEC = "2025-11-25/server/tools#security-considerations";

interface PathAttack {
  /** What the attack is, in a learner's words. */
  what: string;
  tool: "read_document" | "delete_document";
  path: string;
  secret: SecretKind;
}

/** Every attack must be refused, and no answer may carry a planted secret. */
async function refuseAll(
  ctx: CheckContext,
  attacker: Attacker,
  attacks: PathAttack[],
  hint: string,
): Promise<string> {
  for (const attack of attacks) {
    const args =
      attack.tool === "read_document" ? { path: attack.path } : { path: attack.path, dry_run: false };
    const a = await attempt(ctx, attack.tool, args);
    const secret = attacker.secrets[attack.secret];
    if (a.raw.includes(secret.value)) {
      throw new CheckFailure(
        `${a.call} returned the content of ${secret.file}, a file outside ${DOCS_DIR}/ that the grader planted: ${attack.what}.`,
        {
          expected: `a refusal (isError: true) with nothing from outside ${DOCS_DIR}/`,
          actual: excerpt(a),
          hint,
        },
      );
    }
    if (!refused(a)) {
      const effect = attack.tool === "delete_document" ? `, so ${secret.file} may be gone` : "";
      throw new CheckFailure(`${a.call} was accepted${effect}: ${attack.what}.`, {
        expected: "a refusal (isError: true)",
        actual: excerpt(a),
        hint,
      });
    }
  }
  return `refused all ${attacks.length}: ${attacks.map((a) => `${a.tool === "delete_document" ? "delete " : ""}${a.path}`).join(", ")}`;
}

const CONTAIN =
  "Decode the path once, join it to the document root, resolve it (Path.resolve() / fs.realpath follow every symlink and collapse ..), and refuse it unless the result is inside the resolved root (Path.is_relative_to, or path.relative not starting with ..). A string-prefix test is not enough.";

export const pathChecks: CheckDefinition[] = [
  {
    id: "read-document-works",
    title: "read_document returns the planted documents, nested and percent-encoded paths included",
    severity: "must",
    lesson: "m5/threat-model",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const { plan } = attackerOf(ctx);
      for (const doc of [plan.docs.plain, plan.docs.nested, plan.docs.spaced]) {
        const a = await attempt(ctx, "read_document", { path: doc.requestPath });
        const encoded = doc.requestPath !== doc.path;
        if (a.outcome !== "ok" || !a.raw.includes(doc.marker)) {
          throw new CheckFailure(
            `${a.call} did not return ${DOCS_DIR}/${doc.path}${a.outcome === "ok" ? " (its text is not in the result)" : ""}.`,
            {
              expected: `the text of ${DOCS_DIR}/${doc.path} (it contains ${doc.marker})`,
              actual: excerpt(a),
              hint: encoded
                ? "Paths arrive as they appear in links, percent-encoded: decode them once (urllib.parse.unquote / decodeURIComponent), then resolve."
                : "Paths are relative to the document root, subfolders included; refuse what escapes the root, not every path with a slash.",
            },
          );
        }
      }
      return "read a top-level, a nested and a percent-encoded document";
    },
  },
  {
    id: "path-traversal-refused",
    title: "read_document and delete_document refuse ../ paths that leave the document root",
    severity: "must",
    lesson: "m5/threat-model",
    specRef: SPEC,
    requires: ["read-document-works"],
    async run(ctx: CheckContext) {
      const attacker = attackerOf(ctx);
      const { secretFiles, docs } = attacker.plan;
      const folder = docs.nested.path.split("/")[0];
      return refuseAll(
        ctx,
        attacker,
        [
          {
            what: "path traversal, ../ climbs out of the root",
            tool: "read_document",
            path: `../${secretFiles.traversal}`,
            secret: "traversal",
          },
          {
            what: `path traversal through a real subfolder (${folder}/../../)`,
            tool: "read_document",
            path: `${folder}/../../${secretFiles.traversal}`,
            secret: "traversal",
          },
          {
            what: `a sibling folder whose name starts like the root (${secretFiles.sibling.split("/")[0]}/): a string-prefix containment test lets it through`,
            tool: "read_document",
            path: `../${secretFiles.sibling}`,
            secret: "sibling",
          },
          {
            what: "path traversal in the destructive tool",
            tool: "delete_document",
            path: `../${secretFiles.deleteTraversal}`,
            secret: "deleteTraversal",
          },
        ],
        CONTAIN,
      );
    },
  },
  {
    id: "absolute-path-refused",
    title: "read_document refuses absolute paths",
    severity: "must",
    lesson: "m5/threat-model",
    specRef: SPEC,
    requires: ["read-document-works"],
    async run(ctx: CheckContext) {
      const attacker = attackerOf(ctx);
      const file = attacker.plan.secretFiles.absolute;
      return refuseAll(
        ctx,
        attacker,
        [
          {
            what: "an absolute path (Python's os.path.join and pathlib's / drop the root when the second part is absolute; so does path.resolve)",
            tool: "read_document",
            path: `${WORK_DIR}/${file}`,
            secret: "absolute",
          },
          {
            what: "an absolute path that starts inside the root, then climbs out",
            tool: "read_document",
            path: `${WORK_DIR}/${DOCS_DIR}/../${file}`,
            secret: "absolute",
          },
        ],
        `Refuse absolute paths outright; document paths are relative to the root. ${CONTAIN}`,
      );
    },
  },
  {
    id: "encoded-traversal-refused",
    title: "read_document refuses percent-encoded traversal (..%2F, %2e%2e/, encoded absolute paths)",
    severity: "must",
    lesson: "m5/threat-model",
    specRef: SPEC,
    requires: ["path-traversal-refused", "absolute-path-refused"],
    async run(ctx: CheckContext) {
      const attacker = attackerOf(ctx);
      const file = attacker.plan.secretFiles.encoded;
      const enc = (p: string) => p.replaceAll("/", "%2F");
      const what = "traversal hidden by percent-encoding: checked before decoding, it decodes into an escape";
      return refuseAll(
        ctx,
        attacker,
        [
          { what, tool: "read_document", path: `..%2F${enc(file)}`, secret: "encoded" },
          { what, tool: "read_document", path: `%2e%2e/${file}`, secret: "encoded" },
          { what, tool: "read_document", path: `%2E%2E%2F${enc(file)}`, secret: "encoded" },
          {
            what: "an encoded absolute path",
            tool: "read_document",
            path: enc(`${WORK_DIR}/${file}`),
            secret: "encoded",
          },
          {
            what: "double encoding (decode exactly once)",
            tool: "read_document",
            path: `..%252F${file.replaceAll("/", "%252F")}`,
            secret: "encoded",
          },
        ],
        `Decode first, then judge the decoded path: never the other way round. ${CONTAIN}`,
      );
    },
  },
  {
    id: "symlink-escape-refused",
    title: "read_document refuses symlinks inside docs/ that point outside it",
    severity: "must",
    lesson: "m5/threat-model",
    specRef: SPEC,
    requires: ["path-traversal-refused", "absolute-path-refused", "encoded-traversal-refused"],
    async run(ctx: CheckContext) {
      const attacker = attackerOf(ctx);
      const { linkPaths, secretFiles } = attacker.plan;
      const vault = secretFiles.linkDir.split("/").pop() as string;
      return refuseAll(
        ctx,
        attacker,
        [
          {
            what: `${DOCS_DIR}/${linkPaths.relative} is a symlink to ../${secretFiles.linkRelative}: the path looks inside the root, the file is not`,
            tool: "read_document",
            path: linkPaths.relative,
            secret: "linkRelative",
          },
          {
            what: `${DOCS_DIR}/${linkPaths.absolute} is a symlink to ${WORK_DIR}/${secretFiles.linkAbsolute}`,
            tool: "read_document",
            path: linkPaths.absolute,
            secret: "linkAbsolute",
          },
          {
            what: `${DOCS_DIR}/${linkPaths.dir} is a symlinked folder pointing at ../secret`,
            tool: "read_document",
            path: `${linkPaths.dir}/${vault}`,
            secret: "linkDir",
          },
        ],
        "A lexical check (normpath, path.normalize) does not see symlinks: resolve the real path (Path.resolve(), os.path.realpath, fs.realpath) and check that one against the resolved root.",
      );
    },
  },
];
