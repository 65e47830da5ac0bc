// Checks on paths: the documents the server must serve, and the files outside docs/ it must
// never reach, through ../, absolute paths, percent-encoding or symlinks.
import { type CheckContext, type CheckDefinition, CheckFailure } from "../../conformance/check-api.ts";
import type { Attacker } from "./attacker.ts";
import { attackCheck, attackerOf, attempt, excerpt, refused } from "./calls.ts";
import { DOCS_DIR, type SecretKind, WORK_DIR } from "./plan.ts";

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

type PathCheck = Parameters<typeof attackCheck<PathAttack>>[0];
const pathAttacks = (spec: PathCheck) => attackCheck(spec, refuseAll);

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
  pathAttacks({
    id: "path-traversal-refused",
    title: "read_document and delete_document refuse ../ paths that leave the document root",
    requires: ["read-document-works"],
    hint: CONTAIN,
    attacks: (_ctx, { plan: { secretFiles, docs } }) => {
      const folder = docs.nested.path.split("/")[0];
      return [
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
      ];
    },
  }),
  pathAttacks({
    id: "absolute-path-refused",
    title: "read_document refuses absolute paths",
    requires: ["read-document-works"],
    hint: `Refuse absolute paths outright; document paths are relative to the root. ${CONTAIN}`,
    attacks: (_ctx, { plan: { secretFiles } }) => [
      {
        what: "an absolute path (Python's os.path.join and pathlib's / drop the root when the second part is absolute; so does path.resolve)",
        tool: "read_document",
        path: `${WORK_DIR}/${secretFiles.absolute}`,
        secret: "absolute",
      },
      {
        what: "an absolute path that starts inside the root, then climbs out",
        tool: "read_document",
        path: `${WORK_DIR}/${DOCS_DIR}/../${secretFiles.absolute}`,
        secret: "absolute",
      },
    ],
  }),
  pathAttacks({
    id: "encoded-traversal-refused",
    title: "read_document refuses percent-encoded traversal (..%2F, %2e%2e/, encoded absolute paths)",
    requires: ["path-traversal-refused", "absolute-path-refused"],
    hint: `Decode first, then judge the decoded path: never the other way round. ${CONTAIN}`,
    attacks: (_ctx, { plan: { secretFiles } }) => {
      const file = secretFiles.encoded;
      const enc = (p: string) => p.replaceAll("/", "%2F");
      const what = "traversal hidden by percent-encoding: checked before decoding, it decodes into an escape";
      const read = (path: string, about = what): PathAttack => ({
        what: about,
        tool: "read_document",
        path,
        secret: "encoded",
      });
      return [
        read(`..%2F${enc(file)}`),
        read(`%2e%2e/${file}`),
        read(`%2E%2E%2F${enc(file)}`),
        read(enc(`${WORK_DIR}/${file}`), "an encoded absolute path"),
        read(`..%252F${file.replaceAll("/", "%252F")}`, "double encoding (decode exactly once)"),
      ];
    },
  }),
  pathAttacks({
    id: "symlink-escape-refused",
    title: "read_document refuses symlinks inside docs/ that point outside it",
    requires: ["path-traversal-refused", "absolute-path-refused", "encoded-traversal-refused"],
    hint: "A lexical check (normpath, path.normalize) does not see symlinks: resolve the real path (Path.resolve(), os.path.realpath, fs.realpath) and check that one against the resolved root.",
    attacks: (_ctx, { plan: { linkPaths, secretFiles } }) => [
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
        path: `${linkPaths.dir}/${secretFiles.linkDir.split("/").pop()}`,
        secret: "linkDir",
      },
    ],
  }),
];
