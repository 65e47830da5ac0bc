// What grades the oauth-resource-server lab. The grader is the authorization server (environment.ts):
// it mints a token for every probe below, good or forged, and runs the billing API the server calls.
// Built-in protocol checks (lab.yaml) run over the grader's own session, which carries a valid token.

import { setTimeout as delay } from "node:timers/promises";
import type { CheckContext, CheckDefinition } from "../../conformance/check-api.ts";
import { CheckFailure, describe } from "../../conformance/check-api.ts";
import { quietStderrMark } from "../../conformance/stderr-mark.ts";
import { expectAllRefused, expectRefused, expectRefusedInSession, lab, someUser } from "./attacks.ts";
import { auditSince } from "./audit.ts";
import { nowSeconds } from "./environment.ts";
import { hmacSigned, publicKeyAsSecrets, randomKid, tamper, unsigned } from "./forgery.ts";
import {
  bearer,
  callTool,
  challengeOf,
  describeOutcome,
  expectInsufficientScope,
  get,
  initializeMessage,
  openSession,
  post,
  type ToolOutcome,
} from "./probes.ts";
import {
  BILLING_URL,
  billingOf,
  ISSUER,
  PRM_PATH,
  PRM_ROOT_PATH,
  RESOURCE,
  SCOPES,
  USER_SCOPES,
} from "./world.ts";

export { environment } from "./environment.ts";

const OAUTH = "m5/oauth-in-mcp";
const LEAST_PRIVILEGE = "m5/least-privilege";
const DISCOVERY = "m5/client-registration-discovery";
const AUTH = "2025-11-25/basic/authorization";
/** The longest wait between JWKS refetches on an unknown kid that the rotation check allows. */
const JWKS_COOLDOWN_MS = 1000;

const refused = (o: ToolOutcome) => o.kind !== "ok";
const noteTitle = (ctx: CheckContext) => `${ctx.random.sentence(3)} ${ctx.random.id("memo")}`;

export const checks: CheckDefinition[] = [
  {
    id: "rejects-missing-token",
    title: "a request without a bearer token gets 401 and a challenge naming the resource metadata",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#protected-resource-metadata-discovery-requirements`,
    hint: 'Answer every /mcp request that has no `Authorization: Bearer` header with 401 and `WWW-Authenticate: Bearer resource_metadata="<your metadata URL>"`.',
    async run(ctx: CheckContext) {
      const none = await post(ctx, initializeMessage(), { authorization: null });
      ctx.expect.equal(
        none.status,
        401,
        `initialize without a token answered HTTP ${none.status}: /mcp is not protected.`,
        {
          sent: "POST /mcp initialize, no Authorization header",
        },
      );
      const challenge = challengeOf(none);
      ctx.expect.ok(
        challenge?.scheme === "bearer",
        "The 401 has no `WWW-Authenticate: Bearer` challenge (RFC 6750 §3 requires one).",
        { actual: none.headers.get("www-authenticate") ?? "no WWW-Authenticate header" },
      );
      const metadataUrl = challenge?.params.resource_metadata ?? "";
      ctx.expect.ok(
        /^https?:\/\/[^/]+\//.test(metadataUrl),
        "The challenge does not name the protected resource metadata: clients find your authorization server through `resource_metadata`.",
        {
          expected: `WWW-Authenticate: Bearer resource_metadata="http://127.0.0.1:8000${PRM_PATH}"`,
          actual: none.headers.get("www-authenticate") ?? "",
        },
      );
      const basic = await post(ctx, initializeMessage(), {
        authorization: `Basic ${Buffer.from(`${ctx.random.word()}:${ctx.random.word()}`).toString("base64")}`,
      });
      ctx.expect.equal(
        basic.status,
        401,
        `initialize with Basic credentials answered HTTP ${basic.status}.`,
        {
          sent: "POST /mcp initialize, Authorization: Basic <user:password>",
          hint: "Only a bearer token authenticates; any other scheme is no token at all.",
        },
      );
      const token = await lab(ctx).userToken(someUser(ctx));
      const inQuery = await post(ctx, initializeMessage(), {
        authorization: null,
        path: `/mcp?access_token=${encodeURIComponent(token)}`,
      });
      ctx.expect.equal(
        inQuery.status,
        401,
        `A valid token in the query string (?access_token=) was accepted (HTTP ${inQuery.status}).`,
        {
          sent: "POST /mcp?access_token=<valid token>, no Authorization header",
          hint: "Read the token from the Authorization header only: tokens in URLs end up in access logs, and the spec says they MUST NOT be sent there.",
        },
      );
      return `401 with resource_metadata="${metadataUrl}"; Basic and ?access_token= refused too`;
    },
  },
  {
    id: "protected-resource-metadata",
    title: "protected resource metadata (RFC 9728) names this resource and the authorization server",
    severity: "must",
    lesson: DISCOVERY,
    specRef: `${AUTH}#authorization-server-location`,
    hint: `Serve {"resource": MCP_RESOURCE, "authorization_servers": [OAUTH_ISSUER]} without authentication at ${PRM_PATH}.`,
    async run(ctx: CheckContext) {
      const none = await post(ctx, initializeMessage(), { authorization: null });
      const fromChallenge = challengeOf(none)?.params.resource_metadata;
      const problems: string[] = [];
      const valid = async (url: string): Promise<boolean> => {
        const res = await get(ctx, url);
        if (res.status !== 200) {
          problems.push(
            `GET ${url} answered HTTP ${res.status}${res.status === 401 ? " (metadata must be public)" : ""}`,
          );
          return false;
        }
        let doc: Record<string, unknown>;
        try {
          doc = JSON.parse(res.text) as Record<string, unknown>;
        } catch {
          problems.push(`GET ${url} is not JSON: ${res.text.slice(0, 120)}`);
          return false;
        }
        const servers = Array.isArray(doc.authorization_servers) ? doc.authorization_servers : [];
        const wrong: string[] = [];
        if (doc.resource !== RESOURCE)
          wrong.push(
            `"resource" is ${describe(doc.resource)}; it must be exactly ${RESOURCE} (MCP_RESOURCE, the audience of your tokens)`,
          );
        if (!servers.includes(ISSUER))
          wrong.push(
            `"authorization_servers" is ${describe(doc.authorization_servers)}; it must list ${ISSUER} (OAUTH_ISSUER)`,
          );
        if (
          "scopes_supported" in doc &&
          !(Array.isArray(doc.scopes_supported) && doc.scopes_supported.every((s) => typeof s === "string"))
        )
          wrong.push(`"scopes_supported" must be a list of scope strings`);
        if (wrong.length) problems.push(`${url}: ${wrong.join("; ")}`);
        return wrong.length === 0;
      };
      const origin = new URL(RESOURCE).origin;
      const named = fromChallenge ? await valid(fromChallenge) : true;
      // A client that has no challenge tries the path-inserted URI, then the root one.
      const wellKnown = (await valid(`${origin}${PRM_PATH}`)) || (await valid(`${origin}${PRM_ROOT_PATH}`));
      if (!named || !wellKnown) {
        throw new CheckFailure(
          `The protected resource metadata is missing or wrong: ${problems.join(". ")}.`,
          {
            expected: `{"resource": "${RESOURCE}", "authorization_servers": ["${ISSUER}"], ...} at ${PRM_PATH}${fromChallenge ? " and at the URL your challenge names" : ""}`,
            hint: "RFC 9728: `resource` must equal the URI the metadata describes, exactly; `authorization_servers` lists issuer identifiers (exact strings, no trailing slash).",
          },
        );
      }
      return `served at ${fromChallenge ?? `${origin}${PRM_PATH}`}`;
    },
  },
  {
    id: "accepts-valid-token",
    title: "a valid token is accepted and its subject and tenant reach the tools",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    async run(ctx: CheckContext) {
      const user = { ...someUser(ctx), tenant: lab(ctx).tenants[1].id };
      const session = await openSession(ctx, await lab(ctx).userToken(user), user.sub);
      const who = await callTool(ctx, session, "whoami", {});
      const got = who.kind === "ok" ? who.structured : undefined;
      ctx.expect.ok(
        got?.sub === user.sub && got?.tenant === user.tenant,
        `whoami did not report the token's subject and tenant: it answered ${describeOutcome(who)}.`,
        {
          sent: `tools/call whoami with a token for sub "${user.sub}", tenant "${user.tenant}"`,
          expected: { sub: user.sub, tenant: user.tenant, scopes: user.scopes },
          hint: "Take the caller from the verified token (`sub`, `tenant`, `scope` claims), not from the session or an argument.",
        },
      );
      return `whoami: ${user.sub} of ${user.tenant}`;
    },
  },
  {
    id: "verifies-signature",
    title: "tokens signed by another key, or edited after signing, are refused",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const { as, forger } = lab(ctx);
      const claims = lab(ctx).claims(someUser(ctx));
      const fix =
        "Verify the signature with the JWKS key named by the token's kid (and refuse tokens whose kid is not in the JWKS).";
      await expectRefused(ctx, await forger.sign(claims, as.signingKid()), {
        name: "Forged signature",
        token: `a token signed by a key that is not in the JWKS, under the real kid "${as.signingKid()}"`,
        fix,
      });
      const genuine = await as.sign(claims);
      await expectRefused(ctx, tamper(genuine, { ...claims, sub: "admin", scope: USER_SCOPES.join(" ") }), {
        name: "Tampered token",
        token: "a genuine token whose payload was edited after signing (sub admin, every scope)",
        fix,
      });
      const kid = randomKid();
      await expectRefused(ctx, await forger.sign(claims, kid), {
        name: "Unknown signing key",
        token: `a token signed under kid "${kid}", which the JWKS does not have`,
        fix,
      });
      return "refused: foreign key, edited payload, unknown kid";
    },
  },
  {
    id: "rejects-alg-none",
    title: 'unsigned tokens (alg "none") are refused',
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const { as } = lab(ctx);
      await expectRefused(ctx, unsigned(lab(ctx).claims(someUser(ctx)), as.signingKid()), {
        name: 'Unsigned token (alg "none")',
        token: 'a token with header alg "none" and an empty signature',
        fix: 'Pin the accepted algorithms yourself (algorithms=["RS256"]); never take "alg" from the token.',
      });
      return 'alg "none" refused';
    },
  },
  {
    id: "rejects-hs256-key-confusion",
    title: "HS256 tokens keyed with the issuer's public key are refused (algorithm confusion)",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const { as } = lab(ctx);
      const claims = lab(ctx).claims(someUser(ctx));
      for (const variant of publicKeyAsSecrets(as.signingPublicPem(), as.signingPublicJwk())) {
        await expectRefused(ctx, hmacSigned(claims, as.signingKid(), variant.secret), {
          name: "Algorithm confusion",
          token: `an HS256 token whose HMAC key is ${variant.label}`,
          fix: "Pin the algorithm to RS256 and verify with the RSA key; a public key is public, so anyone can HMAC with it.",
        });
      }
      return "HS256 with the public key (PEM, PKCS#1, JWK) refused";
    },
  },
  {
    id: "enforces-issuer",
    title: "tokens from another issuer, or with no issuer, are refused",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const other = `http://127.0.0.1:${9401 + ctx.random.int(0, 50)}`;
      await expectAllRefused(ctx, "Compare `iss` with OAUTH_ISSUER exactly, and require it.", [
        {
          name: "Wrong issuer",
          token: `a token with iss "${other}" (signed by the same key, as a multi-tenant identity provider would)`,
          set: { iss: other },
        },
        { name: "Missing issuer", token: "a token without an iss claim", omit: ["iss"] },
      ]);
      return `refused iss "${other}" and a missing iss`;
    },
  },
  {
    id: "enforces-audience",
    title: "tokens issued for another resource (RFC 8707 audience) are refused",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-audience-binding-and-validation`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const sibling = `http://127.0.0.1:8000/${ctx.random.word()}`;
      const fix = `Require aud to contain MCP_RESOURCE (${RESOURCE}) exactly: a token for another service must not work here.`;
      await expectAllRefused(ctx, fix, [
        {
          name: "Wrong audience",
          token: `a token issued for the billing API (aud "${BILLING_URL}")`,
          set: { aud: BILLING_URL },
        },
        {
          name: "Wrong audience",
          token: `a token for another MCP server on the same host (aud "${sibling}")`,
          set: { aud: sibling },
        },
        { name: "Missing audience", token: "a token without an aud claim", omit: ["aud"] },
      ]);
      return "refused aud billing API, aud sibling server, no aud";
    },
  },
  {
    id: "enforces-expiry",
    title: "expired tokens, and tokens without exp, are refused on every request",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const fix = "Check exp on every request (a small leeway for clock skew is fine) and require it.";
      const user = someUser(ctx);
      const expired = await lab(ctx).userToken({
        ...user,
        set: { iat: nowSeconds() - 1200, nbf: nowSeconds() - 1200, exp: nowSeconds() - 600 },
      });
      const attack = { name: "Expired token", token: "a token that expired 10 minutes ago", fix };
      await expectRefused(ctx, expired, attack);
      await expectAllRefused(ctx, fix, [
        { name: "Token without expiry", token: "a token without an exp claim", omit: ["exp"] },
      ]);
      // Sessions are not authentication: a session opened with a good token does not vouch for the next.
      const session = await openSession(ctx, await lab(ctx).userToken(user), user.sub);
      await expectRefusedInSession(ctx, session, expired, {
        ...attack,
        name: "Expired token in an open session",
        fix: "Validate the token on every HTTP request, not only at initialize: the session id is not a credential.",
      });
      return "refused an expired token (also inside an open session) and a token without exp";
    },
  },
  {
    id: "enforces-not-before",
    title: "tokens that are not valid yet (nbf in the future) are refused",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const nbf = nowSeconds() + 600;
      await expectAllRefused(ctx, "Check nbf (RFC 7519 §4.1.5): a token MUST NOT be accepted before it.", [
        {
          name: "Token used before nbf",
          token: "a token whose nbf is 10 minutes from now",
          set: { nbf, exp: nbf + 300 },
        },
      ]);
      return "refused a token with nbf 10 minutes ahead";
    },
  },
  {
    id: "tool-scopes-enforced",
    title: "each tool runs only with its scope, and a refused call changes nothing",
    severity: "must",
    lesson: LEAST_PRIVILEGE,
    specRef: `${AUTH}#access-token-privilege-restriction`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const { billing } = lab(ctx);
      const user = { sub: ctx.random.id("user"), tenant: lab(ctx).tenants[0].id, scopes: [SCOPES.read] };
      const readOnly = await lab(ctx).userToken(user);
      const session = await openSession(ctx, readOnly, `${user.sub} (notes:read only)`);
      const title = noteTitle(ctx);
      const write = await callTool(ctx, session, "add_note", { title, body: ctx.random.sentence(6) });
      const listed = await callTool(ctx, session, "list_notes", {});
      const stored = listed.kind === "ok" && describe(listed.structured).includes(title);
      if (!refused(write) || stored) {
        throw new CheckFailure(
          `add_note ran with a token that has only notes:read: it answered ${describeOutcome(write)}${stored ? ", and the note was stored" : ""}.`,
          {
            sent: `tools/call add_note {"title": "${title}"} with a token whose scope is "notes:read"`,
            expected:
              'a refusal before the tool runs: HTTP 403 with WWW-Authenticate: Bearer error="insufficient_scope", scope="notes:write"',
            hint: "Map each tool to its scope (add_note: notes:write) and check the token's scope claim before the call reaches the tool.",
          },
        );
      }
      const callsBefore = billing.calls.length;
      const summary = await callTool(ctx, session, "billing_summary", {});
      const reached = billing.calls.length - callsBefore;
      if (!refused(summary) || reached > 0) {
        throw new CheckFailure(
          `billing_summary ran with a token without billing:read: it answered ${describeOutcome(summary)}${reached > 0 ? `, and called the billing API ${reached} time(s)` : ""}.`,
          {
            sent: 'tools/call billing_summary with a token whose scope is "notes:read"',
            hint: "billing_summary needs billing:read; refuse before calling the billing API.",
          },
        );
      }
      const writer = await lab(ctx).userToken({ ...user, scopes: [SCOPES.read, SCOPES.write] });
      const allowed = await callTool(
        ctx,
        session,
        "add_note",
        { title, body: ctx.random.sentence(4) },
        writer,
      );
      ctx.expect.ok(
        allowed.kind === "ok" && allowed.structured?.title === title,
        `add_note with notes:write did not return the note: ${describeOutcome(allowed)}.`,
        { sent: `tools/call add_note {"title": "${title}"} with scope "notes:read notes:write"` },
      );
      return `add_note and billing_summary refused without their scopes (${describeOutcome(write).slice(0, 40)}); allowed with notes:write`;
    },
  },
  {
    id: "insufficient-scope-challenge",
    title: 'a missing scope gets 403 with error="insufficient_scope" and the scope needed',
    severity: "should",
    lesson: LEAST_PRIVILEGE,
    specRef: `${AUTH}#runtime-insufficient-scope-errors`,
    requires: ["tool-scopes-enforced"],
    async run(ctx: CheckContext) {
      const user = { sub: ctx.random.id("user"), tenant: lab(ctx).tenants[0].id, scopes: [SCOPES.read] };
      const session = await openSession(ctx, await lab(ctx).userToken(user), user.sub);
      const outcome = await callTool(ctx, session, "add_note", { title: noteTitle(ctx), body: "x" });
      return expectInsufficientScope(ctx, outcome, {
        tool: "add_note",
        needed: SCOPES.write,
        granted: SCOPES.read,
      });
    },
  },
  {
    id: "tenant-isolation",
    title: "a user never reads another tenant's notes, even by id or in another user's session",
    severity: "must",
    lesson: LEAST_PRIVILEGE,
    specRef: `${AUTH}#access-token-privilege-restriction`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const [a, b] = lab(ctx).tenants;
      const alice = { sub: ctx.random.id("alice"), tenant: a.id, scopes: [SCOPES.read, SCOPES.write] };
      const bob = { sub: ctx.random.id("bob"), tenant: b.id, scopes: [SCOPES.read, SCOPES.write] };
      const aliceSession = await openSession(ctx, await lab(ctx).userToken(alice), `${alice.sub} of ${a.id}`);
      const bobToken = await lab(ctx).userToken(bob);
      const bobSession = await openSession(ctx, bobToken, `${bob.sub} of ${b.id}`);
      const secret = ctx.random.sentence(5);
      const added = await callTool(ctx, aliceSession, "add_note", { title: noteTitle(ctx), body: secret });
      const id = added.kind === "ok" ? added.structured?.id : undefined;
      ctx.expect.ok(
        typeof id === "string",
        `add_note for ${alice.sub} did not return the note's id: ${describeOutcome(added)}.`,
      );
      const leak = (what: string, outcome: ToolOutcome) => {
        if (
          describeOutcome(outcome).includes(secret) ||
          (outcome.kind === "ok" && describe(outcome.structured).includes(secret))
        )
          throw new CheckFailure(
            `Tenant leak: ${what} returned a note of tenant ${a.id} to ${bob.sub} of tenant ${b.id}.`,
            {
              sent: what,
              actual: describeOutcome(outcome),
              hint: "Take the tenant from the verified token and make it part of every lookup key; answer another tenant's id exactly like a missing one.",
            },
          );
      };
      leak("list_notes with bob's token", await callTool(ctx, bobSession, "list_notes", {}));
      const byId = await callTool(ctx, bobSession, "read_note", { id });
      leak(`read_note {"id": "${id}"} with bob's token`, byId);
      ctx.expect.ok(
        refused(byId),
        `read_note of another tenant's note did not refuse: ${describeOutcome(byId)}.`,
      );
      // Bob's valid token, Alice's session id: the session must not make Bob Alice.
      leak(
        "list_notes with bob's token in alice's session (Mcp-Session-Id of alice)",
        await callTool(ctx, aliceSession, "list_notes", {}, bobToken),
      );
      const own = await callTool(ctx, aliceSession, "read_note", { id });
      ctx.expect.ok(
        own.kind === "ok" && own.structured?.body === secret,
        `read_note of her own note did not return it to ${alice.sub}: ${describeOutcome(own)}.`,
      );
      return `${b.id} saw nothing of ${a.id}: list, read by id and a borrowed session`;
    },
  },
  {
    id: "no-token-passthrough",
    title: "billing_summary calls the billing API with the server's own token, never the caller's",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#access-token-privilege-restriction`,
    requires: ["accepts-valid-token"],
    async run(ctx: CheckContext) {
      const { billing, as } = lab(ctx);
      const tenant = lab(ctx).tenants[1];
      const user = { sub: ctx.random.id("carol"), tenant: tenant.id, scopes: [SCOPES.billing] };
      const token = await lab(ctx).userToken(user);
      const session = await openSession(ctx, token, user.sub);
      const before = billing.calls.length;
      const outcome = await callTool(ctx, session, "billing_summary", {});
      const calls = billing.calls.slice(before);
      const passed = calls.find((c) => c.token !== null && as.issuedFor(c.token)?.purpose === "user");
      if (passed) {
        throw new CheckFailure(
          `Token passthrough: the billing API received ${passed.token === token ? "the very token the grader sent to your MCP server" : "a user token issued for your MCP server"} (sub "${passed.passedSub}", aud "${RESOURCE}").`,
          {
            sent: `tools/call billing_summary with a token for ${user.sub}`,
            actual: `GET ${BILLING_URL}${passed.path} with Authorization: Bearer <the caller's token>`,
            hint: "The MCP server MUST NOT pass through the token it received. Get your own token for the billing API: POST OAUTH_TOKEN_URL grant_type=client_credentials with BILLING_CLIENT_ID/SECRET and resource=BILLING_API_URL.",
          },
        );
      }
      const expected = billingOf(tenant);
      const got = outcome.kind === "ok" ? outcome.structured : undefined;
      const ids = (v: unknown) =>
        (Array.isArray(v) ? v : [])
          .map((i) => String((i as { id?: unknown }).id))
          .sort()
          .join(",");
      ctx.expect.ok(
        calls.some((c) => c.verdict === "ok" && c.tenant === tenant.id) &&
          got?.tenant === tenant.id &&
          ids(got?.invoices) === ids(expected.invoices),
        `billing_summary for ${user.sub} of ${tenant.id} did not return that tenant's invoices: ${describeOutcome(outcome)}.`,
        {
          expected: { tenant: tenant.id, invoices: expected.invoices.map((i) => i.id) },
          actual: `${describeOutcome(outcome)}; billing API saw ${describe(calls.map((c) => `${c.path}: ${c.verdict}`))}`,
          hint: "Call GET BILLING_API_URL/tenants/<tenant from the token>/invoices with Authorization: Bearer <your client-credentials token>.",
        },
      );
      return `billing API called ${calls.length} time(s), with a token issued for it; the caller's token stayed home`;
    },
  },
  {
    id: "audit-log",
    title: "one audit line per decision on stderr (sub, tool, allow/deny, reason), and no token in the logs",
    severity: "must",
    lesson: LEAST_PRIVILEGE,
    specRef: `${AUTH}#token-theft`,
    requires: ["tool-scopes-enforced"],
    async run(ctx: CheckContext) {
      const user = { sub: ctx.random.id("dave"), tenant: lab(ctx).tenants[0].id, scopes: [SCOPES.read] };
      const from = await quietStderrMark(ctx);
      const session = await openSession(ctx, await lab(ctx).userToken(user), user.sub);
      await callTool(ctx, session, "list_notes", {});
      await callTool(ctx, session, "add_note", { title: noteTitle(ctx), body: "x" });
      // A refusal before any tool runs is a decision too (no token: 401).
      await post(ctx, initializeMessage(), { authorization: null });
      const mine =
        (tool: string, decision: string) => (l: { sub: unknown; tool: unknown; decision: unknown }) =>
          l.sub === user.sub && l.tool === tool && l.decision === decision;
      const lines = await auditSince(
        ctx,
        from,
        (ls) => ls.some(mine("list_notes", "allow")) && ls.filter((l) => l.decision === "deny").length >= 2,
      );
      const shape =
        'one JSON object per line on stderr: {"sub": ..., "tool": ..., "decision": "allow"|"deny", "reason": ...}';
      const seen = lines.length
        ? lines
            .map((l) => l.raw)
            .join("\n")
            .slice(0, 1500)
        : ctx.stderr().slice(from).slice(-800);
      const allows = lines.filter(mine("list_notes", "allow"));
      const denies = lines.filter(mine("add_note", "deny"));
      ctx.expect.ok(
        allows.length === 1 && denies.length === 1,
        `The audit log does not have exactly one line per decision for ${user.sub}: ${allows.length} allow line(s) for list_notes, ${denies.length} deny line(s) for add_note.`,
        {
          expected: shape,
          actual: seen || "(no audit lines)",
          sent: `as ${user.sub} (notes:read): list_notes (allowed), add_note (denied: needs notes:write); then initialize without a token (denied: 401)`,
          hint: "Write the line where the decision is made: the scope gate for tool calls, the token check for 401s.",
        },
      );
      const denyReason = denies[0]?.reason;
      const otherDenies = lines.filter((l) => l.decision === "deny" && !mine("add_note", "deny")(l));
      ctx.expect.ok(
        typeof denyReason === "string" &&
          denyReason.trim() !== "" &&
          otherDenies.some((l) => typeof l.reason === "string" && l.reason !== ""),
        "Denials must say why: the add_note denial and the 401 for a request without a token each need a line with a non-empty reason.",
        { expected: shape, actual: seen },
      );
      // Tokens in logs are tokens anyone with log access can replay.
      const stderr = ctx.stderr();
      const leaked = lab(ctx)
        .as.issuedTokens()
        .find((t) => stderr.includes(t.slice(t.lastIndexOf(".") + 1)));
      if (leaked) {
        const issued = lab(ctx).as.issuedFor(leaked);
        throw new CheckFailure(
          `Your stderr contains a bearer token (${issued?.purpose === "service" ? "your billing API token" : `the token of ${String(issued?.sub)}`}).`,
          {
            hint: "Log sub, client_id and jti, never the token; turn off access logs that print query strings.",
          },
        );
      }
      return `${lines.length} audit lines for this check, e.g. ${allows[0]?.raw.slice(0, 160)}`;
    },
  },
  {
    id: "key-rotation",
    title:
      "after the authorization server rotates its signing key, tokens signed with the new key are accepted",
    severity: "must",
    lesson: OAUTH,
    specRef: `${AUTH}#token-handling`,
    requires: ["accepts-valid-token"],
    // Last: from here on the AS signs with the new key.
    stage: "final",
    async run(ctx: CheckContext) {
      const { as } = lab(ctx);
      const fetched = as.jwksFetches();
      const kid = await as.rotate();
      // Fair to JWKS clients that rate-limit refetches: wait out a cooldown of up to 1 s.
      const last = fetched.at(-1);
      const wait = last === undefined ? 0 : last + JWKS_COOLDOWN_MS + 250 - Date.now();
      if (wait > 0) await delay(wait, undefined, { signal: ctx.signal });
      const user = { ...someUser(ctx), tenant: lab(ctx).tenants[1].id };
      const token = await lab(ctx).userToken(user);
      const init = await post(ctx, initializeMessage(), { authorization: bearer(token) });
      ctx.expect.equal(
        init.status,
        200,
        `After the authorization server published a new signing key (kid "${kid}") in its JWKS, a token signed with it was refused (HTTP ${init.status}).`,
        {
          sent: `POST /mcp initialize with a token signed by the new key; the JWKS had been fetched ${fetched.length} time(s) before the rotation`,
          hint: "Look keys up by kid and refetch the JWKS when a token names a kid you do not have (PyJWKClient / jose createRemoteJWKSet do; keep their refetch cooldown at 1 s or less here).",
        },
      );
      return `new key ${kid} accepted (JWKS fetched ${as.jwksFetches().length} time(s) in this run)`;
    },
  },
  {
    id: "authorization-server-boundary",
    title: "the server used only the authorization server's published endpoints",
    severity: "should",
    lesson: OAUTH,
    stage: "final",
    async run(ctx: CheckContext) {
      const { as } = lab(ctx);
      const beyond = as.requests.filter((r) => r.endpoint === null);
      const count = (rs: typeof as.requests) => {
        const n = new Map<string, number>();
        for (const r of rs)
          n.set(
            `${r.method} ${r.path} (${r.status})`,
            (n.get(`${r.method} ${r.path} (${r.status})`) ?? 0) + 1,
          );
        return [...n].map(([k, v]) => (v > 1 ? `${k} x${v}` : k)).join(", ");
      };
      if (beyond.length > 0) {
        throw new CheckFailure(
          `Your server asked the grader's authorization server for ${count(beyond)}: refused. It serves only its metadata, its JWKS (public keys) and the token endpoint; its signing keys exist only in the grader's memory.`,
          {
            hint: "A resource server needs the JWKS (from OAUTH_JWKS_URL or the AS metadata) and, for its own downstream token, the token endpoint.",
          },
        );
      }
      return `${as.requests.length} requests, all to published endpoints: ${count(as.requests) || "none"}; the JWKS carried public keys only`;
    },
  },
];
