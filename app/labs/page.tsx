import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/guard.ts";
import { db } from "@/lib/db/client.ts";
import { listLabs } from "@/lib/labs/catalog.ts";
import { labStatuses } from "@/lib/submissions/queries.ts";
import { LabStatusBadge } from "./lab-status-badge.tsx";

export const metadata: Metadata = { title: "Labs" };

export default async function LabsPage() {
  const user = await requireUser("/labs");
  const [labs, statuses] = await Promise.all([listLabs(), labStatuses(db(), user.id)]);
  return (
    <section className="narrow">
      <p className="crumbs">
        <Link href="/course">Course</Link> / Labs
      </p>
      <h1>Labs</h1>
      <p className="lead">
        Each lab is an MCP server you write in the browser, in Python or TypeScript. A grader starts it in a
        sandbox, speaks the real protocol to it and tells you, check by check, what works.
      </p>
      <ul className="lab-list" data-testid="lab-list">
        {labs.map((lab) => (
          <li key={lab.id} className="module-card" data-lab={lab.id}>
            <h2>
              <Link href={`/labs/${lab.id}`}>{lab.title}</Link>
              <LabStatusBadge status={statuses.get(lab.id) ?? "not-started"} />
            </h2>
            <p className="muted">
              Module {lab.module} · {lab.transport === "stdio" ? "stdio" : "Streamable HTTP"} ·{" "}
              {lab.languages.map((lang) => (lang === "python" ? "Python" : "TypeScript")).join(", ")}
              {lab.requiredForCertificate ? " · required for the certificate" : ""}
            </p>
            <p>{lab.summary}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
