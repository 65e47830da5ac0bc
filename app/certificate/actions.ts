"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { issueCertificate } from "@/lib/certificates/issue.ts";
import { db } from "@/lib/db/client.ts";
import { action } from "@/lib/http/action.ts";
import { publicBaseUrl } from "@/lib/http/base-url.ts";

export const issueCertificateAction = action(
  { role: "learner", input: z.object({}), returnTo: () => "/certificate" },
  async ({ user }) => {
    const certificate = await issueCertificate(db(), user.id, publicBaseUrl());
    redirect(`/certificates/${certificate.id}`);
  },
);
