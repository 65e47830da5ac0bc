// The certificate as an Open Badges 3.0 credential: a W3C Verifiable Credential (data model 2.0) of type
// OpenBadgeCredential, secured as a VC-JWT (OB 3.0 §8.2): the JWT payload is the credential itself,
// with iss = issuer id, jti = credential id, nbf = validFrom, signed with EdDSA (Ed25519).
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { CourseMeta } from "./course-meta.ts";
import { SIGNING_ALG, type SigningKey } from "./keys.ts";

export const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

export interface CredentialInput {
  baseUrl: string;
  certificateId: string;
  learnerName: string;
  issuedAt: Date;
  course: CourseMeta;
}

export function issuerId(baseUrl: string): string {
  return `${baseUrl}/issuer`;
}

export function buildCredential({ baseUrl, certificateId, learnerName, issuedAt, course }: CredentialInput) {
  return {
    "@context": [VC_CONTEXT, OB_CONTEXT],
    id: `${baseUrl}/certificates/${certificateId}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: `${course.achievement.name} — certificate of completion`,
    issuer: { id: issuerId(baseUrl), type: ["Profile"], name: "MCP Lab", url: baseUrl },
    validFrom: issuedAt.toISOString(),
    credentialSubject: {
      type: ["AchievementSubject"],
      name: learnerName,
      achievement: {
        id: `${baseUrl}/achievements/${course.id}`,
        type: ["Achievement"],
        name: course.achievement.name,
        description: course.achievement.description,
        criteria: { narrative: course.achievement.criteria },
      },
    },
  };
}

export type Credential = ReturnType<typeof buildCredential>;

export async function signCredential(credential: Credential, key: SigningKey): Promise<string> {
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
  credentialSubject: z.looseObject({ name: z.string(), achievement: z.looseObject({ name: z.string() }) }),
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
