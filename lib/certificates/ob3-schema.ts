// The required fields of an Open Badges 3.0 OpenBadgeCredential, written from the spec's data model
// (Open Badges Specification v3.0, Appendix B "Data Models"; section numbers below are that appendix's).
// Every class there "can be extended with additional properties", so the objects are loose: this
// checks what the spec requires, not what it allows. Issuance parses every credential with it before
// signing, and the tests parse what was signed.
import { z } from "zod";

export const VC_CONTEXT = "https://www.w3.org/ns/credentials/v2";
export const OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

/** B.7 URI: a scheme, a colon, then anything (https:, urn:uuid:, did: ...). */
const uri = z.string().regex(/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/, "must be a URI");

/** B.7 DateTimeZ: an ISO 8601 date-time with its time zone (Z or an offset). */
const dateTimeZ = z.iso.datetime({ offset: true });

/** "The value of the type property MUST be an unordered set. One of the items MUST be ..." */
const typeIncluding = (...required: string[]) =>
  z
    .union([z.string(), z.array(z.string()).min(1)])
    .transform((type) => (Array.isArray(type) ? type : [type]))
    .refine(
      (types) => required.every((name) => types.includes(name)),
      `type must include ${required.join(" and ")}`,
    );

/** B.1.6 Criteria: id [0..1], narrative [0..1]. */
const criteria = z.looseObject({ id: uri.optional(), narrative: z.string().optional() });

/** B.1.1 Achievement: id [1], type incl. 'Achievement' [1..*], criteria [1], description [1], name [1]. */
const achievement = z.looseObject({
  id: uri,
  type: typeIncluding("Achievement"),
  criteria,
  description: z.string(),
  name: z.string(),
});

/** B.1.30 IdentifierTypeEnum, extensible with terms that start with 'ext:'. */
const identifierType = z.union([
  z.enum([
    "name",
    "sourcedId",
    "systemId",
    "productId",
    "userName",
    "accountId",
    "emailAddress",
    "nationalIdentityNumber",
    "isbn",
    "issn",
    "lisSourcedId",
    "oneRosterSourcedId",
    "sisSourcedId",
    "ltiContextId",
    "ltiDeploymentId",
    "ltiToolId",
    "ltiPlatformId",
    "ltiUserId",
    "identifier",
  ]),
  z.string().regex(/^ext:/),
]);

/**
 * B.1.12 IdentityObject: type 'IdentityObject' [1], hashed [1], identityHash [1], identityType [1],
 * salt [0..1]. When hashed, identityHash is a B.7 IdentityHash: "md5" or "sha256", a $, then hex.
 */
export const identityObjectSchema = z
  .looseObject({
    type: z.literal("IdentityObject"),
    hashed: z.boolean(),
    identityHash: z.string().min(1),
    identityType: identifierType,
    salt: z.string().optional(),
  })
  .refine(
    (identity) => !identity.hashed || /^(md5|sha256)\$[0-9a-fA-F]+$/.test(identity.identityHash),
    "a hashed identityHash must be md5$<hex> or sha256$<hex> (B.7 IdentityHash)",
  );

/**
 * B.1.3 AchievementSubject: type incl. 'AchievementSubject' [1..*], achievement [1], and
 * "Either id or at least one identifier MUST be supplied."
 */
const achievementSubject = z
  .looseObject({
    id: uri.optional(),
    type: typeIncluding("AchievementSubject"),
    achievement,
    identifier: z.array(identityObjectSchema).optional(),
  })
  .refine(
    (subject) => subject.id !== undefined || (subject.identifier?.length ?? 0) > 0,
    "credentialSubject: either id or at least one identifier MUST be supplied (B.1.3)",
  );

/** B.1.14 Profile: id [1], type incl. 'Profile' [1..*]. B.1.20 ProfileRef: a URI or a Profile. */
const profileRef = z.union([uri, z.looseObject({ id: uri, type: typeIncluding("Profile") })]);

/** B.1.22 CredentialStatus: id [0..1] (the issuer's status method URL), type [1]. */
const credentialStatus = z.looseObject({ id: uri.optional(), type: z.string().min(1) });

/**
 * B.1.2 AchievementCredential (alias OpenBadgeCredential): @context [2..*] with the VC 2.0 context
 * first and the OB 3.0.3 context second, id [1], type incl. 'VerifiableCredential' and
 * 'OpenBadgeCredential' (or 'AchievementCredential'), credentialSubject [1], issuer [1],
 * validFrom [1]; name, validUntil and credentialStatus [0..1].
 */
export const openBadgeCredentialSchema = z.looseObject({
  "@context": z
    .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
    .min(2)
    .refine(
      (contexts) => contexts[0] === VC_CONTEXT && contexts[1] === OB_CONTEXT,
      "@context must start with the VC 2.0 context, then the Open Badges 3.0.3 context",
    ),
  id: uri,
  type: z
    .union([z.string(), z.array(z.string()).min(1)])
    .transform((type) => (Array.isArray(type) ? type : [type]))
    .refine(
      (types) =>
        types.includes("VerifiableCredential") &&
        (types.includes("OpenBadgeCredential") || types.includes("AchievementCredential")),
      "type must include VerifiableCredential and OpenBadgeCredential",
    ),
  name: z.string().optional(),
  credentialSubject: achievementSubject,
  issuer: profileRef,
  validFrom: dateTimeZ,
  validUntil: dateTimeZ.optional(),
  credentialStatus: credentialStatus.optional(),
});
