// The certificate as an Open Badges 3.0 credential: a W3C Verifiable Credential (data model 2.0) of type
// OpenBadgeCredential, secured as a VC-JWT (OB 3.0 §8.2): the JWT payload is the credential itself,
// with iss = issuer id, jti = credential id, nbf = validFrom, signed with EdDSA (Ed25519).
import { createHash, randomBytes } from "node:crypto";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { CourseMeta } from "./course-meta.ts";
import { SIGNING_ALG, type SigningKey } from "./keys.ts";
import { OB_CONTEXT, openBadgeCredentialSchema, VC_CONTEXT } from "./ob3-schema.ts";

/**
 * The credentialStatus type of MCP Lab certificates: a plain HTTP status API at the credential's
 * status URL (GET -> {"id", "status": "valid" | "revoked" | "signature-invalid", "reason",
 * "issuedAt"}). It is an issuer-defined method (VC 2.0 lets credentialStatus name any type; OB 3.0
 * B.1.22 requires only a type and the issuer's URL); docs/architecture.md describes it.
 */
export const STATUS_METHOD = "McpLabCertificateStatus";

export interface CredentialInput {
  baseUrl: string;
  certificateId: string;
  learnerName: string;
  /** The learner's sign-in address (stored lowercased); only its salted hash goes into the credential. */
  learnerEmail: string;
  issuedAt: Date;
  course: CourseMeta;
  /** The salt of the recipient's identity hash; random unless a test fixes it. */
  salt?: string;
}

export function issuerId(baseUrl: string): string {
  return `${baseUrl}/issuer`;
}

export function certificateUrl(baseUrl: string, certificateId: string): string {
  return `${baseUrl}/certificates/${certificateId}`;
}

export function statusUrl(baseUrl: string, certificateId: string): string {
  return `${baseUrl}/api/certificates/${certificateId}/status`;
}

/** OB 3.0 B.7 IdentityHash: "sha256$" + hex SHA-256 of the identifier with the salt appended (UTF-8). */
export function identityHash(identifier: string, salt: string): string {
  return `sha256$${createHash("sha256").update(`${identifier}${salt}`, "utf8").digest("hex")}`;
}

export function buildCredential({
  baseUrl,
  certificateId,
  learnerName,
  learnerEmail,
  issuedAt,
  course,
  salt = randomBytes(16).toString("hex"),
}: CredentialInput) {
  return {
    "@context": [VC_CONTEXT, OB_CONTEXT],
    id: certificateUrl(baseUrl, certificateId),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: `${course.achievement.name} — certificate of completion`,
    issuer: { id: issuerId(baseUrl), type: ["Profile"], name: "MCP Lab", url: baseUrl },
    validFrom: issuedAt.toISOString(),
    credentialSubject: {
      type: ["AchievementSubject"],
      name: learnerName,
      // OB 3.0 B.1.3: "Either id or at least one identifier MUST be supplied." Learners have no DID
      // or public profile URL, so the subject is identified by a salted hash of their email address
      // (B.1.12 IdentityObject), which a verifier who knows the address can check.
      identifier: [
        {
          type: "IdentityObject",
          identityType: "emailAddress",
          hashed: true,
          identityHash: identityHash(learnerEmail, salt),
          salt,
        },
      ],
      achievement: {
        id: `${baseUrl}/achievements/${course.id}`,
        type: ["Achievement"],
        name: course.achievement.name,
        description: course.achievement.description,
        criteria: { narrative: course.achievement.criteria },
      },
    },
    credentialStatus: { id: statusUrl(baseUrl, certificateId), type: STATUS_METHOD },
  };
}

export type Credential = ReturnType<typeof buildCredential>;

export async function signCredential(credential: Credential, key: SigningKey): Promise<string> {
  // Never sign something that is not an Open Badges 3.0 credential.
  openBadgeCredentialSchema.parse(credential);
  return new SignJWT({ ...credential })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "JWT" })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setNotBefore(Math.floor(new Date(credential.validFrom).getTime() / 1000))
    .sign(key.privateKey);
}

const credentialShape = z.looseObject({
  "@context": z
    .array(z.string())
    .refine(
      (contexts) => contexts[0] === VC_CONTEXT && contexts.includes(OB_CONTEXT),
      "not a VC 2.0 + Open Badges 3.0 context",
    ),
  id: z.string(),
  type: z
    .array(z.string())
    .refine(
      (types) => types.includes("VerifiableCredential") && types.includes("OpenBadgeCredential"),
      "not an OpenBadgeCredential",
    ),
  issuer: z.looseObject({ id: z.string() }),
  validFrom: z.string(),
  credentialSubject: z.looseObject({
    name: z.string(),
    achievement: z.looseObject({ name: z.string() }),
    identifier: z
      .array(
        z.looseObject({
          identityType: z.string(),
          hashed: z.boolean(),
          identityHash: z.string(),
          salt: z.string().optional(),
        }),
      )
      .optional(),
  }),
  // Certificates issued before credentialStatus was added have none.
  credentialStatus: z.looseObject({ id: z.string().optional(), type: z.string() }).optional(),
});

export type VerifiedCredential = z.infer<typeof credentialShape>;

export type Verification =
  | { ok: true; credential: VerifiedCredential; kid: string }
  | { ok: false; reason: string };

/** Checks the signature against the JWKS, the JWT claims against the credential, and the credential's shape. */
export async function verifyCredentialJwt(jwt: string, jwks: JSONWebKeySet): Promise<Verification> {
  try {
    const { payload, protectedHeader } = await jwtVerify(jwt.trim(), createLocalJWKSet(jwks), {
      algorithms: [SIGNING_ALG],
    });
    const credential = credentialShape.safeParse(payload);
    if (!credential.success)
      return {
        ok: false,
        reason: `not an Open Badges 3.0 credential: ${credential.error.issues[0]?.message}`,
      };
    if (payload.iss !== credential.data.issuer.id)
      return { ok: false, reason: "the JWT issuer (iss) does not match the credential's issuer" };
    if (payload.jti !== credential.data.id)
      return { ok: false, reason: "the JWT id (jti) does not match the credential id" };
    return { ok: true, credential: credential.data, kid: protectedHeader.kid ?? "" };
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED")
      return {
        ok: false,
        reason: "signature invalid: the credential was altered or not signed by this issuer",
      };
    if (code === "ERR_JWKS_NO_MATCHING_KEY")
      return { ok: false, reason: "signed by a key this issuer does not publish" };
    return {
      ok: false,
      reason: `not a valid signed credential (${code || (error instanceof Error ? error.message : "unreadable")})`,
    };
  }
}

/** OB 3.0 §9 "Verify the Recipient Using an Identifier": does this email address hash to the subject's? */
export function recipientHasEmail(credential: VerifiedCredential, email: string): boolean {
  const known = email.trim().toLowerCase();
  return (credential.credentialSubject.identifier ?? []).some(
    (identity) =>
      identity.identityType === "emailAddress" &&
      (identity.hashed
        ? identity.identityHash.toLowerCase() === identityHash(known, identity.salt ?? "").toLowerCase()
        : identity.identityHash.toLowerCase() === known),
  );
}
