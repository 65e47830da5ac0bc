// Issuing, looking up and revoking certificates. A certificate is issued only here, only after the
// requirement check, and at most once per learner.
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client.ts";
import { HttpError } from "../http/errors.ts";
import { courseMeta } from "./course-meta.ts";
import { buildCredential, signCredential, verifyCredentialJwt } from "./credential.ts";
import { currentSigningKey, publicJwks } from "./keys.ts";
import { requirementChecklist } from "./requirements.ts";

export async function issueCertificate(db: Db, userId: string, baseUrl: string) {
  const existing = await db.certificate.findUnique({ where: { userId } });
  if (existing) return existing;
  const missing = (await requirementChecklist(db, userId)).filter((requirement) => !requirement.met);
  if (missing.length > 0)
    throw new HttpError(409, "REQUIREMENTS_NOT_MET", `Not yet: ${missing.length} requirement(s) open.`, {
      missing: missing.map((m) => m.id),
    });
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const id = randomUUID();
  const issuedAt = new Date();
  const credential = buildCredential({
    baseUrl,
    certificateId: id,
    learnerName: user.name ?? user.email,
    learnerEmail: user.email,
    issuedAt,
    course: courseMeta(),
  });
  const credentialJwt = await signCredential(credential, await currentSigningKey(db));
  try {
    return await db.$transaction(async (tx) => {
      const certificate = await tx.certificate.create({
        data: { id, userId, courseId: courseMeta().id, credentialJwt, issuedAt },
      });
      await tx.auditEvent.create({
        data: { actorId: userId, action: "certificate.issued", targetType: "certificate", targetId: id },
      });
      return certificate;
    });
  } catch (error) {
    // Two requests at once: the first one's certificate stands.
    if ((error as { code?: string }).code === "P2002")
      return db.certificate.findUniqueOrThrow({ where: { userId } });
    throw error;
  }
}

export type CertificateStatus = "valid" | "revoked" | "signature-invalid";

export interface PublicCertificate {
  id: string;
  learnerName: string;
  courseName: string;
  issuedAt: Date;
  status: CertificateStatus;
  statusReason: string | null;
  credentialJwt: string;
}

/** What anyone may see of a certificate, with a live status; null if there is no such certificate. */
export async function publicCertificate(db: Db, id: string): Promise<PublicCertificate | null> {
  const certificate = await db.certificate.findUnique({ where: { id } });
  if (!certificate) return null;
  const verification = await verifyCredentialJwt(certificate.credentialJwt, await publicJwks(db));
  const status: CertificateStatus = certificate.revokedAt
    ? "revoked"
    : verification.ok
      ? "valid"
      : "signature-invalid";
  return {
    id: certificate.id,
    learnerName: verification.ok ? verification.credential.credentialSubject.name : "(unverifiable)",
    courseName: verification.ok
      ? verification.credential.credentialSubject.achievement.name
      : courseMeta().achievement.name,
    issuedAt: certificate.issuedAt,
    status,
    statusReason: certificate.revokedAt
      ? certificate.revokedReason
      : verification.ok
        ? null
        : verification.reason,
    credentialJwt: certificate.credentialJwt,
  };
}

/** Revokes a certificate with a reason; the revocation and its audit entry are written together. */
export async function revokeCertificate(db: Db, adminId: string, id: string, reason: string): Promise<void> {
  const revoked = await db.$transaction(async (tx) => {
    const updated = await tx.certificate.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason, revokedById: adminId },
    });
    if (updated.count === 0) return false;
    await tx.auditEvent.create({
      data: {
        actorId: adminId,
        action: "certificate.revoked",
        targetType: "certificate",
        targetId: id,
        detail: JSON.stringify({ reason }),
      },
    });
    return true;
  });
  if (!revoked) {
    const exists = await db.certificate.findUnique({ where: { id } });
    throw exists
      ? new HttpError(409, "ALREADY_REVOKED", "This certificate is already revoked.")
      : new HttpError(404, "UNKNOWN_CERTIFICATE", "There is no such certificate.");
  }
}
