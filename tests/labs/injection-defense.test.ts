// The injection-defense lab, proven both ways through the real grader (CLI, bwrap sandbox, the
// lab's attacker environment): the reference solutions pass every check, the starters fail with
// messages that name the attack, and each broken fixture fails exactly the check it targets (checks
// that depend on it are skipped), nothing else. The elicitation path is graded too: a second
// client that declares elicitation declines, then accepts (delete-asks-through-elicitation).
import path from "node:path";
import { describe, it } from "vitest";
import { assertGraded, type Expectation, FIXTURES_DIR, grade, REPO_DIR } from "./grade-cli.ts";

const LAB = "injection-defense";
// Fixed so a failure reproduces; LAB_TEST_SEED runs the same table under another seed.
const SEED = Number(process.env.LAB_TEST_SEED ?? 20_251_126);
const lab = (p: string) => path.join(REPO_DIR, "labs", LAB, p);
const fixture = (name: string) => path.join(FIXTURES_DIR, `${LAB}-${name}`);

const skipped = { status: "skipped" as const, message: /failed first/ };
const fails = (message: RegExp) => ({ status: "fail" as const, message });

const starterFailures = {
  "path-traversal-refused": fails(
    /read_document\(\{"path":"\.\.\/secret\/traversal-\w+\.txt"\}\) returned the content of secret\/traversal-\w+\.txt, a file outside docs\/ that the grader planted: path traversal/,
  ),
  "absolute-path-refused": fails(
    /read_document\(\{"path":"\/app\/secret\/absolute-\w+\.txt"\}\) returned the content/,
  ),
  "encoded-traversal-refused": skipped,
  "symlink-escape-refused": skipped,
  "fetch-refuses-loopback": fails(
    /fetch_url\(\{"url":"http:\/\/127\.0\.0\.1:\d+\/probe-[a-z]+-\d+"\}\) connected to the grader's canary on 127\.0\.0\.1:\d+ \(it received GET \/probe-[a-z]+-\d+\)/,
  ),
  "fetch-refuses-private": fails(
    /it was not refused, it tried to connect to an address in 10\.0\.0\.0\/8 \(private\)/,
  ),
  "fetch-refuses-metadata": fails(
    /it was not refused, it tried to connect to 169\.254\.169\.254, the cloud metadata service/,
  ),
  "fetch-resolves-hostnames": skipped,
  "fetch-redirect-refused": skipped,
  "untrusted-content-delimited": fails(/structuredContent does not carry the text as untrusted data/),
  "delete-dry-run-by-default": fails(/with no dry_run, deleted docs\/drafts\/old-plan-\w+\.md/),
  "delete-asks-through-elicitation": skipped,
};

/** Checks that need fetch-refuses-loopback, -private or -metadata. */
const afterLoopback = { "fetch-resolves-hostnames": skipped, "fetch-redirect-refused": skipped };

const cases: Expectation[] = [
  { name: "solution (python)", dir: lab("solution/python"), lang: "python", status: "pass", checks: {} },
  {
    name: "solution (typescript)",
    dir: lab("solution/typescript"),
    lang: "typescript",
    status: "pass",
    checks: {},
  },
  {
    name: "starter (python)",
    dir: lab("starter/python"),
    lang: "python",
    status: "fail",
    // mcp 2.3.0's MCPServer answers an unknown prompt with code 0 (a `should`; the solution fixes it).
    checks: { ...starterFailures, "prompts-get-unknown": fails(/-32602/) },
  },
  {
    name: "starter (typescript)",
    dir: lab("starter/typescript"),
    lang: "typescript",
    status: "fail",
    checks: starterFailures,
  },
  {
    name: "confirm-flag",
    dir: fixture("confirm-flag"),
    lang: "python",
    status: "fail",
    checks: {
      "tools-listed": fails(/delete_document: no "dry_run" parameter/),
      ...Object.fromEntries(
        [
          "tool-definitions-stable",
          "read-document-works",
          "path-traversal-refused",
          "absolute-path-refused",
          "encoded-traversal-refused",
          "symlink-escape-refused",
          "fetch-allowed-origin",
          "fetch-allows-public",
          "fetch-refuses-loopback",
          "fetch-refuses-private",
          "fetch-refuses-metadata",
          "fetch-resolves-hostnames",
          "fetch-redirect-refused",
          "untrusted-content-delimited",
          "descriptions-free-of-content",
          "delete-dry-run-by-default",
          "delete-asks-through-elicitation",
        ].map((id) => [id, skipped]),
      ),
    },
  },
  {
    name: "rug-pull",
    dir: fixture("rug-pull"),
    lang: "typescript",
    status: "fail",
    checks: {
      "tool-definitions-stable": fails(
        /no notifications\/tools\/list_changed came: read_document\.description changed from "Read one document.*" to ".*Before answering, also call fetch_url/,
      ),
    },
  },
  {
    // Not broken: the same change, announced with list_changed, is allowed.
    name: "announced-change",
    dir: fixture("announced-change"),
    lang: "typescript",
    status: "pass",
    checks: {},
  },
  {
    name: "rejects-subfolders",
    dir: fixture("rejects-subfolders"),
    lang: "typescript",
    status: "fail",
    checks: {
      "read-document-works": fails(
        /read_document\(\{"path":"guides\/onboarding-\w+\.md"\}\) did not return docs\/guides\//,
      ),
      "path-traversal-refused": skipped,
      "absolute-path-refused": skipped,
      "encoded-traversal-refused": skipped,
      "symlink-escape-refused": skipped,
      "untrusted-content-delimited": skipped,
      "descriptions-free-of-content": skipped,
      "delete-dry-run-by-default": skipped,
      "delete-asks-through-elicitation": skipped,
    },
  },
  {
    name: "traversal-allowed",
    dir: fixture("traversal-allowed"),
    lang: "python",
    status: "fail",
    checks: {
      "path-traversal-refused": fails(
        /returned the content of secret\/traversal-\w+\.txt.*path traversal, \.\.\/ climbs out/,
      ),
      "encoded-traversal-refused": skipped,
      "symlink-escape-refused": skipped,
    },
  },
  {
    name: "prefix-containment",
    dir: fixture("prefix-containment"),
    lang: "typescript",
    status: "fail",
    checks: {
      "path-traversal-refused": fails(
        /read_document\(\{"path":"\.\.\/docs-archive-\w+\/sibling-\w+\.txt"\}\) returned the content.*a string-prefix containment test lets it through/,
      ),
      "encoded-traversal-refused": skipped,
      "symlink-escape-refused": skipped,
    },
  },
  {
    name: "absolute-path-allowed",
    dir: fixture("absolute-path-allowed"),
    lang: "python",
    status: "fail",
    checks: {
      "absolute-path-refused": fails(
        /\/app\/secret\/absolute-\w+\.txt"\}\) returned the content.*an absolute path/,
      ),
      "encoded-traversal-refused": skipped,
      "symlink-escape-refused": skipped,
    },
  },
  {
    name: "encoded-traversal-allowed",
    dir: fixture("encoded-traversal-allowed"),
    lang: "typescript",
    status: "fail",
    checks: {
      "encoded-traversal-refused": fails(
        /read_document\(\{"path":"\.\.%2Fsecret%2Fencoded-\w+\.txt"\}\) returned the content.*traversal hidden by percent-encoding/,
      ),
      "symlink-escape-refused": skipped,
    },
  },
  {
    name: "follows-symlink-out",
    dir: fixture("follows-symlink-out"),
    lang: "python",
    status: "fail",
    checks: {
      "symlink-escape-refused": fails(/docs\/shortcut-\w+\.md is a symlink to \.\.\/secret\/linked-\w+\.txt/),
    },
  },
  {
    name: "blocks-allowed-origin",
    dir: fixture("blocks-allowed-origin"),
    lang: "typescript",
    status: "fail",
    checks: {
      "fetch-allowed-origin": fails(
        /did not return the page \(the grader's upstream never got the request\)/,
      ),
      "fetch-redirect-refused": skipped,
      "untrusted-content-delimited": skipped,
    },
  },
  {
    name: "blocks-public",
    dir: fixture("blocks-public"),
    lang: "python",
    status: "fail",
    checks: {
      "fetch-allows-public": fails(
        /was blocked, but www-\w+\.example resolves to 93\.184\.215\.\d+, a public address/,
      ),
    },
  },
  {
    name: "fetches-loopback",
    dir: fixture("fetches-loopback"),
    lang: "typescript",
    status: "fail",
    checks: {
      "fetch-refuses-loopback": fails(
        /connected to the grader's canary.*the URL names 127\.0\.0\.1 \(loopback\)/,
      ),
      ...afterLoopback,
    },
  },
  {
    name: "file-scheme-allowed",
    dir: fixture("file-scheme-allowed"),
    lang: "python",
    status: "fail",
    checks: {
      "fetch-refuses-loopback": fails(
        /fetch_url\(\{"url":"file:\/\/\/app\/secret\/local-\w+\.txt"\}\) read a local file/,
      ),
      ...afterLoopback,
    },
  },
  {
    name: "private-allowed",
    dir: fixture("private-allowed"),
    lang: "python",
    status: "fail",
    checks: {
      "fetch-refuses-private": fails(
        /Network is unreachable.*it was not refused, it tried to connect to an address in 10\.0\.0\.0\/8/,
      ),
      "fetch-resolves-hostnames": skipped,
    },
  },
  {
    name: "metadata-allowed",
    dir: fixture("metadata-allowed"),
    lang: "typescript",
    status: "fail",
    checks: {
      "fetch-refuses-metadata": fails(
        /ENETUNREACH 169\.254\.169\.254.*it was not refused, it tried to connect to 169\.254\.169\.254/,
      ),
      "fetch-resolves-hostnames": skipped,
    },
  },
  {
    name: "trusts-hostname",
    dir: fixture("trusts-hostname"),
    lang: "python",
    status: "fail",
    checks: {
      "fetch-resolves-hostnames": fails(
        /intranet-\w+\.corp\.test:\d+\/probe-[a-z]+-\d+"\}\) connected to the grader's canary.*a name that resolves to 127\.0\.0\.1/,
      ),
    },
  },
  {
    name: "follows-redirect",
    dir: fixture("follows-redirect"),
    lang: "python",
    status: "fail",
    checks: {
      "fetch-redirect-refused": fails(
        /the allowed upstream answered 302 with Location: http:\/\/127\.0\.0\.1:\d+\/probe-[a-z]+-\d+, and the server followed it to the grader's canary/,
      ),
    },
  },
  {
    name: "undelimited-content",
    dir: fixture("undelimited-content"),
    lang: "python",
    status: "fail",
    checks: {
      "untrusted-content-delimited": fails(
        /inbox\/vendor-reply-\w+\.md"\}\): the text came back as plain text, with no fence/,
      ),
    },
  },
  {
    name: "static-fence",
    dir: fixture("static-fence"),
    lang: "typescript",
    status: "fail",
    checks: {
      "untrusted-content-delimited": fails(
        /fetch_url\(.*\/notes\/\w+\.md"\}\): the text itself contains your closing line "-----END UNTRUSTED CONTENT [0-9a-f]{32}-----", so it closed the fence early/,
      ),
    },
  },
  {
    name: "description-echoes-content",
    dir: fixture("description-echoes-content"),
    lang: "typescript",
    status: "fail",
    checks: {
      "descriptions-free-of-content": fails(
        /tools\/list: read_document contains text from docs\/[\w/-]+\.md/,
      ),
    },
  },
  {
    name: "deletes-without-confirmation",
    dir: fixture("deletes-without-confirmation"),
    lang: "python",
    status: "fail",
    checks: {
      "delete-dry-run-by-default": fails(
        /delete_document\(\{"path":"drafts\/old-plan-\w+\.md"\}\), with no dry_run, deleted docs\/drafts\/old-plan-\w+\.md/,
      ),
      "delete-asks-through-elicitation": skipped,
    },
  },
  {
    // A `should` failure is a warning: the lab still passes.
    name: "never-asks",
    dir: fixture("never-asks"),
    lang: "python",
    status: "pass",
    checks: {
      "delete-asks-through-elicitation": fails(
        /delete_document\(\{"path":"drafts\/old-plan-\w+\.md","dry_run":false\}\) from a client that declares elicitation answered without asking the user/,
      ),
    },
  },
  {
    name: "ignores-decline",
    dir: fixture("ignores-decline"),
    lang: "typescript",
    status: "pass",
    checks: {
      "delete-asks-through-elicitation": fails(
        /The user declined, and docs\/drafts\/old-plan-\w+\.md was deleted anyway/,
      ),
    },
  },
];

describe(`lab ${LAB}`, () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, want) => {
    assertGraded(await grade(LAB, want.dir, want.lang, SEED), want);
  });
});
