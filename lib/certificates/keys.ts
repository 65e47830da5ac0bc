// The platform's certificate signing key: Ed25519, generated on first start and kept in the database
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

// Two keys made in the same millisecond still have one order.
const OLDEST_FIRST = [{ createdAt: "asc" as const }, { kid: "asc" as const }];

/** The oldest key row, made first if there is none. */
async function signingKeyRow(db: Db) {
  const existing = await db.signingKey.findFirst({ orderBy: OLDEST_FIRST });
  if (existing) return existing;
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { crv: "Ed25519", extractable: true });
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
  // Two replicas starting at once may both create one; the oldest then signs for everybody.
  return db.signingKey.findFirstOrThrow({ orderBy: OLDEST_FIRST });
}

/**
 * Makes the signing key if there is none yet, so /.well-known/jwks.json is never empty. Called at
 * start-up (instrumentation.ts, scripts/start.ts); returns only the key id.
 */
export async function ensureSigningKey(db: Db): Promise<{ kid: string }> {
  return { kid: (await signingKeyRow(db)).kid };
}

/** The signing key: the oldest one (made now if there is none). */
export async function currentSigningKey(db: Db): Promise<SigningKey> {
  const row = await signingKeyRow(db);
  return {
    kid: row.kid,
    privateKey: (await importJWK(JSON.parse(row.privateJwk) as JWK, SIGNING_ALG)) as CryptoKey,
  };
}

/** Public keys, for /.well-known/jwks.json and verification. */
export async function publicJwks(db: Db): Promise<{ keys: JWK[] }> {
  const rows = await db.signingKey.findMany({ orderBy: OLDEST_FIRST, select: { publicJwk: true } });
  return { keys: rows.map((row) => JSON.parse(row.publicJwk) as JWK) };
}
