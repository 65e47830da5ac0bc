// Tokens an attacker can make without the authorization server's private key: signed by another key,
// edited after signing, unsigned (alg "none"), or HMAC-signed with the issuer's *public* key (the
// algorithm-confusion attack on verifiers that let the token pick its algorithm).
import { createHmac, createPublicKey, randomBytes } from "node:crypto";
import { generateKeyPair, type JWK, SignJWT } from "jose";
import { SIGNING_ALG } from "./authorization-server.ts";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export class Forger {
  private readonly key: CryptoKey;

  private constructor(key: CryptoKey) {
    this.key = key;
  }

  static async create(): Promise<Forger> {
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048 });
    return new Forger(privateKey);
  }

  /** Signed by a key that is not in the JWKS, under the given kid. */
  sign(payload: Record<string, unknown>, kid: string): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: SIGNING_ALG, typ: "at+jwt", kid }).sign(this.key);
  }
}

export const randomKid = () => randomBytes(9).toString("base64url");

/** The token with its payload replaced and the original header and signature kept. */
export function tamper(token: string, payload: Record<string, unknown>): string {
  const [header, , signature] = token.split(".");
  return `${header}.${b64(payload)}.${signature}`;
}

/** An unsecured JWT (RFC 7519 §6): alg "none", empty signature. */
export function unsigned(payload: Record<string, unknown>, kid: string, alg = "none"): string {
  return `${b64({ alg, typ: "at+jwt", kid })}.${b64(payload)}.`;
}

/** HS256 with `secret` as the HMAC key. */
export function hmacSigned(payload: Record<string, unknown>, kid: string, secret: string): string {
  const input = `${b64({ alg: "HS256", typ: "at+jwt", kid })}.${b64(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** The forms in which a verifier might hold the issuer's public key and misuse it as an HMAC secret. */
export function publicKeyAsSecrets(pem: string, jwk: JWK): Array<{ label: string; secret: string }> {
  const spki = pem.trim();
  const pkcs1 = createPublicKey({ key: spki, format: "pem" })
    .export({ type: "pkcs1", format: "pem" })
    .toString();
  return [
    { label: "the public key as SPKI PEM", secret: `${spki}\n` },
    { label: "the public key as SPKI PEM without the final newline", secret: spki },
    { label: "the public key as PKCS#1 PEM", secret: pkcs1 },
    { label: "the public JWK as JSON", secret: JSON.stringify(jwk) },
  ];
}
