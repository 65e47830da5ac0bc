import type { PublicCertificate } from "@/lib/certificates/issue.ts";
import { PrintButton } from "./print-button.tsx";

const STATUS_TEXT = {
  valid: "Valid",
  revoked: "Revoked",
  "signature-invalid": "Signature invalid",
} as const;

/**
 * The public certificate. What prints (or saves as PDF) is the certificate itself: name, course,
 * date, status and id; the download, print and verification help carry `no-print`, which
 * app/globals.css hides in `@media print`.
 */
export function CertificateView({
  certificate,
  siteUrl,
}: {
  certificate: PublicCertificate;
  siteUrl: string;
}) {
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
          <code>npm run verify-cert -- credential.jwt --issuer {siteUrl}</code> from the MCP Lab repository:
          it trusts only the site you name, never the one a credential names itself. The live status is at{" "}
          <a href={`/api/certificates/${certificate.id}/status`}>/api/certificates/{certificate.id}/status</a>
          .
        </p>
      </section>
    </article>
  );
}
