import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { publicCertificate } from "@/lib/certificates/issue.ts";
import { db } from "@/lib/db/client.ts";
import { publicBaseUrl } from "@/lib/http/base-url.ts";
import { CertificateView } from "./certificate-view.tsx";

type Params = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Certificate" };

/** Public: anyone with the link sees the certificate and its live status. */
export default async function PublicCertificatePage({ params }: Params) {
  const certificate = await publicCertificate(db(), (await params).id);
  if (!certificate) notFound();
  let siteUrl = "<this site's URL>";
  try {
    siteUrl = publicBaseUrl();
  } catch {
    // not configured: the help text says what to pass instead
  }
  return <CertificateView certificate={certificate} siteUrl={siteUrl} />;
}
