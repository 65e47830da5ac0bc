import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { publicCertificate } from "@/lib/certificates/issue.ts";
import { db } from "@/lib/db/client.ts";
import { PrintButton } from "./print-button.tsx";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Certificate" };

const STATUS_TEXT = {
  valid: "Valid",
  revoked: "Revoked",
  "signature-invalid": "Signature invalid",
} as const;

/** Public: anyone with the link sees the certificate and its live status. */
export default async function PublicCertificatePage({ params }: Params) {
  const certificate = await publicCertificate(db(), (await params).id);
  if (!certificate) notFound();
  return (
    <article className="certificate">
      <p className={`cert-status ${certificate.status}`} data-testid="certificate-status">
        {STATUS_TEXT[certificate.status]}
        {certificate.statusReason ? <span> — {certificate.statusReason}</span> : null}
      </p>
      <p className="muted">MCP Lab certifies that</p>
      <h1 data-testid="certificate-name">{certificate.learnerName}</h1>
      <p className="muted">has completed the course</p>
      <h2>{certificate.courseName}</h2>
      <p>Issued {certificate.issuedAt.toISOString().slice(0, 10)}</p>
      <p className="muted cert-id">Certificate {certificate.id}</p>
      <nav className="cert-actions no-print">
        <a className="button secondary" href={`/certificates/${certificate.id}/credential`} download>
          Download the signed credential (VC-JWT)
        </a>{" "}
        <PrintButton />
      </nav>
      <section className="no-print narrow">
        <h3>Verify it yourself</h3>
        <p>
          The credential is an Open Badges 3.0 <code>OpenBadgeCredential</code> signed with EdDSA. Check the
          signature against the issuer's public keys at{" "}
          <a href="/.well-known/jwks.json">/.well-known/jwks.json</a>, or run{" "}
          <code>npm run verify-cert -- credential.jwt</code> from the MCP Lab repository. The live status is
          at{" "}
          <a href={`/api/certificates/${certificate.id}/status`}>/api/certificates/{certificate.id}/status</a>
          .
        </p>
      </section>
    </article>
  );
}
