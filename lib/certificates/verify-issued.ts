// Verifies a downloaded certificate against a site the verifier trusts, never against whatever the
// credential claims about itself: the issuer id, the JWKS and the revocation status all come from the
// trusted site's URL. A credential that names another issuer is refused before anything is fetched.
import { decodeJwt, type JSONWebKeySet } from "jose";
import { z } from "zod";
import {
  certificateUrl,
  issuerId,
  statusUrl,
  type VerifiedCredential,
  verifyCredentialJwt,
} from "./credential.ts";

export interface TrustedSite {
  /** The site's public URL, e.g. https://lab.example.com (its issuer id is <url>/issuer). */
  url: string;
}

export interface VerifyIssuedOptions {
  site: TrustedSite;
  /** The JWKS to use instead of <site>/.well-known/jwks.json (e.g. a saved copy, for offline checks). */
  jwks?: JSONWebKeySet;
  /** Skip the live revocation check. */
  offline?: boolean;
  fetch?: typeof globalThis.fetch;
}

export type VerifyIssuedResult =
  | {
      ok: true;
      credential: VerifiedCredential;
      kid: string;
      certificateId: string;
      jwksSource: string;
      /** "valid" after the live check, "not checked" with offline. */
      status: "valid" | "not checked";
    }
  /** exit 1: the credential is not a valid, unrevoked certificate of this site; exit 2: we could not tell. */
  | { ok: false; exit: 1 | 2; message: string };

/** "https://lab.example.com/", "https://lab.example.com/issuer" -> "https://lab.example.com". */
export function normaliseSiteUrl(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "").replace(/\/issuer$/, "");
}

const statusBody = z.object({
  status: z.enum(["valid", "revoked", "signature-invalid"]),
  reason: z.string().nullable(),
});

export async function verifyIssuedCredential(
  jwt: string,
  { site, jwks, offline = false, fetch = globalThis.fetch }: VerifyIssuedOptions,
): Promise<VerifyIssuedResult> {
  const invalid = (message: string): VerifyIssuedResult => ({
    ok: false,
    exit: 1,
    message: `INVALID: ${message}`,
  });
  const base = site.url;
  const expectedIssuer = issuerId(base);

  // 1. Before fetching anything: is this a credential of the trusted site at all?
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(jwt.trim());
  } catch {
    return invalid("the file is not a JWT");
  }
  const claimedIssuer = (claims.issuer as { id?: unknown } | undefined)?.id ?? claims.issuer;
  if (claims.iss !== expectedIssuer || claimedIssuer !== expectedIssuer)
    return invalid(
      `issued by ${String(claims.iss ?? claimedIssuer ?? "nobody")}, not by ${expectedIssuer}; not checked further (pass --issuer <site url> for a site you trust)`,
    );
  const prefix = certificateUrl(base, "");
  const id = typeof claims.jti === "string" ? claims.jti : "";
  const certificateId = id.startsWith(prefix) ? id.slice(prefix.length) : "";
  if (!/^[A-Za-z0-9-]{1,64}$/.test(certificateId))
    return invalid(`the credential id ${JSON.stringify(id)} is not a certificate of ${base}`);

  // 2. The signature, against the trusted site's keys.
  const jwksSource = jwks ? "the given JWKS" : `${base}/.well-known/jwks.json`;
  let keys = jwks;
  if (!keys) {
    const response = await fetch(jwksSource).catch(() => null);
    if (!response?.ok)
      return {
        ok: false,
        exit: 2,
        message: `could not fetch the JWKS from ${jwksSource}: ${response ? `HTTP ${response.status}` : "unreachable"}`,
      };
    keys = (await response.json()) as JSONWebKeySet;
  }
  const verification = await verifyCredentialJwt(jwt, keys);
  if (!verification.ok) return invalid(verification.reason);
  const { credential } = verification;
  const ownStatus = statusUrl(base, certificateId);
  if (credential.credentialStatus?.id !== undefined && credential.credentialStatus.id !== ownStatus)
    return invalid(`its credentialStatus points at ${credential.credentialStatus.id}, not at ${ownStatus}`);
  const verified = { ok: true as const, credential, kid: verification.kid, certificateId, jwksSource };
  if (offline) return { ...verified, status: "not checked" };

  // 3. Revocation, from the trusted site only.
  const response = await fetch(ownStatus).catch(() => null);
  if (response?.status === 404) return invalid(`${base} does not know this certificate (HTTP 404)`);
  if (!response?.ok)
    return {
      ok: false,
      exit: 2,
      message: `could not fetch the status from ${ownStatus}: ${response ? `HTTP ${response.status}` : "unreachable"}`,
    };
  const status = statusBody.safeParse(await response.json().catch(() => null));
  if (!status.success) return { ok: false, exit: 2, message: `the status at ${ownStatus} is not readable` };
  if (status.data.status !== "valid")
    return {
      ok: false,
      exit: 1,
      message: `${status.data.status.toUpperCase()}: ${status.data.reason ?? ""}`.trim(),
    };
  return { ...verified, status: "valid" };
}
