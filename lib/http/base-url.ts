import "server-only";
import { headers } from "next/headers";
import { config } from "../config.ts";

/** The site's public origin: NEXTAUTH_URL when set, else the Host of this request. */
export async function publicBaseUrl(): Promise<string> {
  const configured = config().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/$/, "");
  const incoming = await headers();
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost:3000";
  const protocol =
    incoming.get("x-forwarded-proto") ??
    (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${protocol}://${host}`;
}
