// Least privilege and untrusted text, for the ops desk's own tools. The grader mints each user's
// token with the OAuth lab's authorization server and calls through its own raw sessions
// (oauth-resource-server/probes.ts); documents are the injection lab's planted ones.
import {
  type CheckContext,
  type CheckDefinition,
  CheckFailure,
  describe,
} from "../../conformance/check-api.ts";
import { attempt } from "../injection-defense/calls.ts";
import { expectUntrusted } from "../injection-defense/content-checks.ts";
import { DOCS_DIR } from "../injection-defense/plan.ts";
import {
  callTool,
  describeOutcome,
  expectInsufficientScope,
  openSession,
  type ToolOutcome,
} from "../oauth-resource-server/probes.ts";
import { capstone } from "./environment.ts";
import { AREAS, LESSONS, SCOPES } from "./world.ts";

const refused = (o: ToolOutcome) => o.kind !== "ok";
const AUTH = "2025-11-25/basic/authorization";

/** A user of the first tenant with `scopes`, and a session opened with their token. */
async function userWith(ctx: CheckContext, name: string, scopes: string[]) {
  const lab = capstone(ctx);
  const user = { sub: ctx.random.id(name), tenant: lab.tenants[0].id, scopes };
  const session = await openSession(ctx, await lab.userToken(user), `${user.sub} (${scopes.join(" ")})`);
  return { user, session };
}

const scopesEnforced: CheckDefinition = {
  id: "scopes-enforced",
  title: "each tool runs only with its scope: kb:read reads, kb:write deletes, billing:read sees invoices",
  severity: "must",
  lesson: LESSONS.leastPrivilege,
  specRef: `${AUTH}#access-token-privilege-restriction`,
  requires: ["accepts-valid-token", "read-document-works"],
  async run(ctx: CheckContext) {
    const lab = capstone(ctx);
    const doc = lab.plan.docs.nested;
    const path = doc.requestPath;
    const { session } = await userWith(ctx, "reader", [SCOPES.read]);
    const read = await callTool(ctx, session, "read_document", { path });
    ctx.expect.ok(
      read.kind === "ok" && describe(read.structured ?? read.text).includes(doc.marker),
      `read_document with a kb:read token did not return ${DOCS_DIR}/${doc.path}: ${describeOutcome(read)}.`,
      { sent: `tools/call read_document {"path":"${path}"} with scope "kb:read"` },
    );
    const deleted = await callTool(ctx, session, "delete_document", { path, dry_run: false });
    const still = await callTool(ctx, session, "read_document", { path });
    if (!refused(deleted) || still.kind !== "ok") {
      throw new CheckFailure(
        `delete_document ran with a token that has only kb:read: it answered ${describeOutcome(deleted)}${still.kind !== "ok" ? `, and ${DOCS_DIR}/${doc.path} is gone` : ""}.`,
        {
          sent: `tools/call delete_document {"path":"${path}","dry_run":false} with scope "kb:read"`,
          expected:
            'a refusal before the tool runs: HTTP 403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="kb:write"',
          hint: "Map each tool to its scope (delete_document: kb:write) and check the token's scope claim before the call reaches the tool.",
        },
      );
    }
    const before = lab.billing.calls.length;
    const bill = await callTool(ctx, session, "billing_summary", {});
    const reached = lab.billing.calls.length - before;
    if (!refused(bill) || reached > 0) {
      throw new CheckFailure(
        `billing_summary ran with a token without billing:read: it answered ${describeOutcome(bill)}${reached > 0 ? `, and called the billing API ${reached} time(s)` : ""}.`,
        {
          sent: 'tools/call billing_summary with scope "kb:read"',
          hint: "billing_summary needs billing:read; refuse before calling the billing API.",
        },
      );
    }
    const { session: accountant } = await userWith(ctx, "accountant", [SCOPES.billing]);
    const peek = await callTool(ctx, accountant, "read_document", { path });
    if (!refused(peek)) {
      throw new CheckFailure(
        `read_document ran with a token that has only billing:read: ${describeOutcome(peek)}.`,
        {
          sent: `tools/call read_document {"path":"${path}"} with scope "billing:read"`,
          hint: "read_document and get_stock need kb:read.",
        },
      );
    }
    return `kb:read read ${DOCS_DIR}/${doc.path} and could neither delete it nor see invoices (${describeOutcome(deleted).slice(0, 60)}); billing:read could not read documents`;
  },
};

const insufficientScopeChallenge: CheckDefinition = {
  id: "insufficient-scope-challenge",
  title: 'a missing scope gets 403 with error="insufficient_scope" and the scope needed',
  severity: "should",
  lesson: LESSONS.leastPrivilege,
  specRef: `${AUTH}#runtime-insufficient-scope-errors`,
  requires: ["scopes-enforced"],
  async run(ctx: CheckContext) {
    const { session } = await userWith(ctx, "reader", [SCOPES.read]);
    const path = capstone(ctx).plan.docs.nested.requestPath;
    const outcome = await callTool(ctx, session, "delete_document", { path, dry_run: true });
    return expectInsufficientScope(ctx, outcome, {
      tool: "delete_document",
      needed: SCOPES.write,
      granted: SCOPES.read,
    });
  },
};

const untrustedDelimited: CheckDefinition = {
  id: "untrusted-content-delimited",
  title: "document text comes back fenced with a fresh token and marked untrusted",
  severity: "must",
  lesson: LESSONS.threatModel,
  specRef: "2025-11-25/server/tools#security-considerations",
  requires: ["read-document-works"],
  async run(ctx: CheckContext) {
    const doc = capstone(ctx).plan.docs.injection;
    const phrase = doc.phrase ?? "";
    const read = () => attempt(ctx, "read_document", { path: doc.requestPath });
    const first = expectUntrusted(await read(), doc.text, phrase);
    const second = expectUntrusted(await read(), doc.text, phrase);
    ctx.expect.ok(
      first !== second,
      `read_document fenced ${DOCS_DIR}/${doc.path} with the same token twice (${first}): a document can close a fence it can predict.`,
      { hint: "Draw a fresh random token for every result (secrets.token_hex(16) / randomBytes(16))." },
    );
    return `${DOCS_DIR}/${doc.path} (which carries injected instructions and a fake closing line) fenced twice, tokens ${first.slice(0, 8)}… and ${second.slice(0, 8)}…`;
  },
};

export const securityChecks = {
  scopesEnforced: { ...scopesEnforced, area: AREAS.security },
  insufficientScopeChallenge: { ...insufficientScopeChallenge, area: AREAS.security },
  untrustedDelimited: { ...untrustedDelimited, area: AREAS.security },
};
