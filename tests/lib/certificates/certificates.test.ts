import { existsSync, readdirSync, readFileSync } from "node:fs";
import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { courseMeta } from "../../../lib/certificates/course-meta.ts";
import {
  identityHash,
  recipientHasEmail,
  STATUS_METHOD,
  verifyCredentialJwt,
} from "../../../lib/certificates/credential.ts";
import { issueCertificate, publicCertificate, revokeCertificate } from "../../../lib/certificates/issue.ts";
import { ensureSigningKey, publicJwks } from "../../../lib/certificates/keys.ts";
import { openBadgeCredentialSchema } from "../../../lib/certificates/ob3-schema.ts";
import { requirementChecklist } from "../../../lib/certificates/requirements.ts";
import { projectPath } from "../../../lib/paths.ts";
import { quizById } from "../../../lib/quizzes/attempts.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";

const BASE = "https://lab.example.com";

/** The parts of a credential the schema tests break, one at a time. */
interface Editable {
  "@context": string[];
  type: string[];
  validFrom: string;
  issuer: { type: string[] };
  credentialStatus: { type?: string };
  credentialSubject: { identifier?: Array<{ identityHash: string }>; achievement: { criteria?: unknown } };
}

/** Records what the real grading and quiz paths record when a learner passes (for unit tests only). */
async function meetEveryRequirement(t: TestDb, userId: string) {
  const { requiredLabs, requiredQuizzes } = courseMeta().certificate;
  for (const labId of requiredLabs)
    await t.db.submission.create({
      data: {
        userId,
        labId,
        lang: "python",
        kind: "submit",
        files: "{}",
        idempotencyKey: labId,
        seed: 1,
        status: "done",
        verdict: "passed",
      },
    });
  for (const quizId of requiredQuizzes)
    await t.db.quizAttempt.create({
      data: { userId, quizId, paper: "[]", maxScore: 10, score: 10, passed: true, status: "submitted" },
    });
}

describe("certificates", () => {
  let t: TestDb;
  let learner: string;
  beforeEach(async () => {
    t = await freshSqlite();
    learner = (await t.db.user.create({ data: { email: "ada@example.com", name: "Ada Lovelace" } })).id;
  });
  afterEach(() => t.drop());

  it("every requirement in course/course.yaml names a lab or quiz that exists", () => {
    for (const lab of courseMeta().certificate.requiredLabs)
      expect(existsSync(projectPath("labs", lab, "lab.yaml")), lab).toBe(true);
    for (const quiz of courseMeta().certificate.requiredQuizzes) expect(quizById(quiz), quiz).toBeDefined();
  });

  it("the labs that say requiredForCertificate in lab.yaml are exactly the labs course.yaml requires", () => {
    const sayRequired = readdirSync(projectPath("labs"))
      .filter((id) => existsSync(projectPath("labs", id, "lab.yaml")))
      .filter((id) =>
        /^requiredForCertificate: true$/m.test(readFileSync(projectPath("labs", id, "lab.yaml"), "utf8")),
      );
    expect([...courseMeta().certificate.requiredLabs].sort()).toEqual(sayRequired.sort());
  });

  it("is not issued while any requirement is missing, and says which", async () => {
    await meetEveryRequirement(t, learner);
    await t.db.quizAttempt.updateMany({
      where: { quizId: "m4-choosing-transport" },
      data: { passed: false },
    });
    const checklist = await requirementChecklist(t.db, learner);
    expect(checklist.filter((r) => !r.met).map((r) => r.id)).toEqual(["m4-choosing-transport"]);
    await expect(issueCertificate(t.db, learner, BASE)).rejects.toMatchObject({
      status: 409,
      extra: { missing: ["m4-choosing-transport"] },
    });
    expect(await t.db.certificate.count()).toBe(0);
  });

  it("a run (not a submit) or a failed submission does not count for a lab", async () => {
    await meetEveryRequirement(t, learner);
    await t.db.submission.updateMany({ where: { labId: "hello-server" }, data: { kind: "run" } });
    await t.db.submission.create({
      data: {
        userId: learner,
        labId: "hello-server",
        lang: "python",
        kind: "submit",
        files: "{}",
        idempotencyKey: "x",
        seed: 1,
        status: "done",
        verdict: "checks-failed",
      },
    });
    expect((await requirementChecklist(t.db, learner)).find((r) => r.id === "hello-server")?.met).toBe(false);
  });

  it("issues once an Open Badges 3.0 credential that verifies against the published JWKS", async () => {
    await meetEveryRequirement(t, learner);
    const [first, second] = await Promise.all([
      issueCertificate(t.db, learner, BASE),
      issueCertificate(t.db, learner, BASE),
    ]);
    expect(second.id).toBe(first.id);
    expect(await t.db.certificate.count()).toBe(1);
    const header = decodeProtectedHeader(first.credentialJwt);
    expect(header.alg).toBe("EdDSA");
    const payload = decodeJwt(first.credentialJwt);
    expect(payload).toMatchObject({
      iss: `${BASE}/issuer`,
      jti: `${BASE}/certificates/${first.id}`,
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      credentialSubject: { name: "Ada Lovelace", achievement: { type: ["Achievement"] } },
      credentialStatus: { id: `${BASE}/api/certificates/${first.id}/status`, type: STATUS_METHOD },
    });
    const verification = await verifyCredentialJwt(first.credentialJwt, await publicJwks(t.db));
    expect(verification.ok).toBe(true);
    expect((await publicCertificate(t.db, first.id))?.status).toBe("valid");
  });

  it("a credential with one changed byte fails verification", async () => {
    await meetEveryRequirement(t, learner);
    const { credentialJwt } = await issueCertificate(t.db, learner, BASE);
    const jwks = await publicJwks(t.db);
    const [header, payload, signature] = credentialJwt.split(".");
    const bytes = Buffer.from(payload, "base64url");
    bytes[bytes.indexOf("Ada")] = "E".charCodeAt(0);
    const tampered = [header, bytes.toString("base64url"), signature].join(".");
    expect(await verifyCredentialJwt(tampered, jwks)).toEqual({
      ok: false,
      reason: expect.stringMatching(/signature invalid/),
    });
    const flipped = `${credentialJwt.slice(0, -2)}${credentialJwt.at(-2) === "A" ? "B" : "A"}${credentialJwt.at(-1)}`;
    expect((await verifyCredentialJwt(flipped, jwks)).ok).toBe(false);
  });

  it("refuses a credential signed by another key, or unsigned", async () => {
    await meetEveryRequirement(t, learner);
    const { credentialJwt } = await issueCertificate(t.db, learner, BASE);
    const jwks = await publicJwks(t.db);
    const payload = decodeJwt(credentialJwt);
    const forger = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    const forged = await new SignJWT(payload)
      .setProtectedHeader({ alg: "EdDSA", kid: jwks.keys[0].kid })
      .sign(forger.privateKey);
    expect((await verifyCredentialJwt(forged, jwks)).ok).toBe(false);
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${credentialJwt.split(".")[1]}.`;
    expect((await verifyCredentialJwt(unsigned, jwks)).ok).toBe(false);
    const otherJwks = { keys: [{ ...(await exportJWK(forger.publicKey)), kid: "other" }] };
    expect((await verifyCredentialJwt(credentialJwt, otherJwks)).ok).toBe(false);
  });

  it("revocation shows on the public status, once, and is audited", async () => {
    await meetEveryRequirement(t, learner);
    const admin = (await t.db.user.create({ data: { email: "root@example.com", role: "admin" } })).id;
    const { id } = await issueCertificate(t.db, learner, BASE);
    await revokeCertificate(t.db, admin, id, "plagiarised lab");
    expect(await publicCertificate(t.db, id)).toMatchObject({
      status: "revoked",
      statusReason: "plagiarised lab",
    });
    await expect(revokeCertificate(t.db, admin, id, "again")).rejects.toMatchObject({ status: 409 });
    await expect(revokeCertificate(t.db, admin, "nope", "x")).rejects.toMatchObject({ status: 404 });
    expect(
      await t.db.auditEvent.findFirst({ where: { action: "certificate.revoked", targetId: id } }),
    ).toMatchObject({ actorId: admin });
  });

  it("the signed credential has every field Open Badges 3.0 requires (Appendix B.1.2, B.1.3, B.1.12)", async () => {
    await meetEveryRequirement(t, learner);
    const { credentialJwt } = await issueCertificate(t.db, learner, BASE);
    const payload = decodeJwt(credentialJwt);
    const parsed = openBadgeCredentialSchema.safeParse(payload);
    expect(parsed.error?.issues).toBeUndefined();
    // The subject is identified by a salted SHA-256 of the email address (B.1.3 "id or identifier").
    const [identity] = (
      payload.credentialSubject as { identifier: Array<{ salt: string; identityHash: string }> }
    ).identifier;
    expect(identity).toMatchObject({ type: "IdentityObject", identityType: "emailAddress", hashed: true });
    expect(identity.identityHash).toBe(identityHash("ada@example.com", identity.salt));
    expect(JSON.stringify(payload)).not.toContain("ada@example.com");
    const verified = await verifyCredentialJwt(credentialJwt, await publicJwks(t.db));
    if (!verified.ok) throw new Error(verified.reason);
    expect(recipientHasEmail(verified.credential, " Ada@Example.com")).toBe(true);
    expect(recipientHasEmail(verified.credential, "eve@example.com")).toBe(false);

    // The schema is not a rubber stamp: each missing requirement is refused, naming it.
    const without = (change: (credential: Editable) => void) => {
      const copy = structuredClone(payload) as unknown as Editable;
      change(copy);
      return openBadgeCredentialSchema
        .safeParse(copy)
        .error?.issues.map((issue) => issue.message)
        .join("; ");
    };
    expect(without((c) => (c.credentialSubject.identifier = undefined))).toMatch(
      /either id or at least one identifier/,
    );
    expect(without((c) => (c.credentialSubject.achievement.criteria = undefined))).toBeDefined();
    expect(without((c) => c["@context"].reverse())).toMatch(/@context must start with the VC 2.0 context/);
    expect(without((c) => (c.type = ["VerifiableCredential"]))).toMatch(/OpenBadgeCredential/);
    expect(without((c) => (c.validFrom = "2026-01-01T00:00:00"))).toBeDefined();
    expect(
      without(
        (c) =>
          (c.credentialSubject.identifier = [
            { ...c.credentialSubject.identifier?.[0], identityHash: "plain" },
          ]),
      ),
    ).toMatch(/IdentityHash/);
    expect(without((c) => (c.credentialStatus.type = undefined))).toBeDefined();
    expect(without((c) => (c.issuer.type = ["Organization"]))).toBeDefined();
  });

  it("the public page says signature invalid for a stored credential that was altered", async () => {
    await meetEveryRequirement(t, learner);
    const { id, credentialJwt } = await issueCertificate(t.db, learner, BASE);
    const [header, payload, signature] = credentialJwt.split(".");
    const bytes = Buffer.from(payload, "base64url");
    bytes[bytes.indexOf("Ada")] = "E".charCodeAt(0);
    await t.db.certificate.update({
      where: { id },
      data: { credentialJwt: [header, bytes.toString("base64url"), signature].join(".") },
    });
    expect(await publicCertificate(t.db, id)).toMatchObject({
      status: "signature-invalid",
      statusReason: expect.stringMatching(/^signature invalid/),
      learnerName: "(unverifiable)",
    });
  });

  it("the signing key exists before any certificate: made at start-up, once", async () => {
    expect((await publicJwks(t.db)).keys).toHaveLength(0);
    const [first, second] = await Promise.all([ensureSigningKey(t.db), ensureSigningKey(t.db)]);
    const jwks = await publicJwks(t.db);
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    // Two starts at once may both make one; they agree on the oldest, which is the one that signs.
    expect(second.kid).toBe(first.kid);
    expect(jwks.keys[0].kid).toBe(first.kid);
    expect((await ensureSigningKey(t.db)).kid).toBe(first.kid);
    await meetEveryRequirement(t, learner);
    const { credentialJwt } = await issueCertificate(t.db, learner, BASE);
    expect(decodeProtectedHeader(credentialJwt).kid).toBe(first.kid);
  });

  it("the private key never appears in the JWKS", async () => {
    await meetEveryRequirement(t, learner);
    await issueCertificate(t.db, learner, BASE);
    const jwks = await publicJwks(t.db);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty("d");
  });
});
