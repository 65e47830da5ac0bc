// The platform's certificate signing key: Ed25519, generated on first use and kept in the database
// (so every app replica signs with the same key). The private half never leaves this module and is
// never logged; the public halves of all keys are the JWKS.
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { Db } from "../db/client.ts";

export const SIGNING_ALG = "EdDSA";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
}

/** The signing key (the first one made), created if there is none yet. */
export async function currentSigningKey(db: Db): Promise<SigningKey> {
  let row = await db.signingKey.findFirst({ orderBy: { createdAt: "asc" } });
  if (!row) {
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, {
      crv: "Ed25519",
      extractable: true,
    });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG };
    await db.signingKey.create({
      data: {
        kid,
        alg: SIGNING_ALG,
        publicJwk: JSON.stringify(publicJwk),
        privateJwk: JSON.stringify(privateJwk),
      },
    });
    // Two replicas starting at once may both create one; the oldest then wins for everybody.
    row = await db.signingKey.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  }
  return {
    kid: row.kid,
    privateKey: (await importJWK(JSON.parse(row.privateJwk) as JWK, SIGNING_ALG)) as CryptoKey,
  };
}

/** Public keys, for /.well-known/jwks.json and verification. */
export async function publicJwks(db: Db): Promise<{ keys: JWK[] }> {
  const rows = await db.signingKey.findMany({ orderBy: { createdAt: "asc" }, select: { publicJwk: true } });
  return { keys: rows.map((row) => JSON.parse(row.publicJwk) as JWK) };
}
