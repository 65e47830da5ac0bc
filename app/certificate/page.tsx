import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/guard.ts";
import { requirementChecklist } from "@/lib/certificates/requirements.ts";
import { db } from "@/lib/db/client.ts";
import { issueCertificateAction } from "./actions.ts";

export const metadata: Metadata = { title: "Your certificate" };

export default async function CertificatePage() {
  const user = await requireUser("/certificate");
  const [checklist, existing] = await Promise.all([
    requirementChecklist(db(), user.id),
    db().certificate.findUnique({ where: { userId: user.id }, select: { id: true } }),
  ]);
  const open = checklist.filter((requirement) => !requirement.met).length;
  return (
    <section className="narrow">
      <h1>Your certificate</h1>
      <p>
        The certificate is an Open Badges 3.0 credential signed by MCP Lab. It is issued when every required
        lab and quiz below is passed; anyone can verify it.
      </p>
      <ul className="checklist" data-testid="requirements">
        {checklist.map((requirement) => (
          <li key={`${requirement.kind}:${requirement.id}`} data-met={requirement.met ? "yes" : "no"}>
            <span aria-hidden="true">{requirement.met ? "✔" : "○"}</span>{" "}
            <Link href={requirement.href}>{requirement.title}</Link>{" "}
            <span className="muted">{requirement.met ? "passed" : "not yet"}</span>
          </li>
        ))}
      </ul>
      {existing ? (
        <p>
          <Link className="button" href={`/certificates/${existing.id}`}>
            View your certificate
          </Link>
        </p>
      ) : open === 0 ? (
        <form action={issueCertificateAction}>
          <button type="submit" className="button">
            Get your certificate
          </button>
        </form>
      ) : (
        <p className="muted" data-testid="requirements-open">
          {open} requirement{open === 1 ? "" : "s"} to go.
        </p>
      )}
    </section>
  );
}
