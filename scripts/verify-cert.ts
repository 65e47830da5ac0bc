// npm run verify-cert -- <credential.jwt> [--jwks <url or file>] [--offline]
// Verifies a downloaded MCP Lab certificate: the signature against the issuer's JWKS (by default
// <issuer origin>/.well-known/jwks.json), the Open Badges 3.0 shape, and — unless --offline — the live
// revocation status. Exit 0 valid, 1 invalid or revoked, 2 bad input.
import { readFileSync } from "node:fs";
import { decodeJwt, type JSONWebKeySet } from "jose";
import { verifyCredentialJwt } from "../lib/certificates/credential.ts";

function fail(code: number, message: string): never {
  console.error(`verify-cert: ${message}`);
  process.exit(code);
}

const args = process.argv.slice(2);
const file = args.find((arg, index) => !arg.startsWith("--") && args[index - 1] !== "--jwks");
if (!file) fail(2, "usage: npm run verify-cert -- <credential.jwt> [--jwks <url or file>] [--offline]");
let jwt: string;
try {
  jwt = readFileSync(file, "utf8").trim();
} catch {
  fail(2, `cannot read ${file}`);
}
let issuer: string;
try {
  issuer = String(decodeJwt(jwt).iss ?? "");
} catch {
  fail(1, "INVALID: the file is not a JWT");
}
const jwksOption = args[args.indexOf("--jwks") + 1];
const jwksSource =
  args.includes("--jwks") && jwksOption ? jwksOption : `${new URL(issuer).origin}/.well-known/jwks.json`;

async function loadJwks(source: string): Promise<JSONWebKeySet> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source);
    if (!response.ok) fail(2, `could not fetch the JWKS from ${source}: HTTP ${response.status}`);
    return (await response.json()) as JSONWebKeySet;
  }
  return JSON.parse(readFileSync(source, "utf8")) as JSONWebKeySet;
}

const verification = await verifyCredentialJwt(jwt, await loadJwks(jwksSource));
if (!verification.ok) fail(1, `INVALID: ${verification.reason}`);
const { credential } = verification;
console.log(`signature: valid (key ${verification.kid}, from ${jwksSource})`);
console.log(`credential: ${credential.id}`);
console.log(`learner: ${credential.credentialSubject.name}`);
console.log(`achievement: ${credential.credentialSubject.achievement.name}`);
console.log(`issued: ${credential.validFrom}`);
if (!args.includes("--offline")) {
  const id = credential.id.split("/").pop();
  const response = await fetch(`${new URL(credential.id).origin}/api/certificates/${id}/status`);
  if (!response.ok) fail(1, `INVALID: the issuer does not know this certificate (HTTP ${response.status})`);
  const status = (await response.json()) as { status: string; reason: string | null };
  if (status.status !== "valid") fail(1, `${status.status.toUpperCase()}: ${status.reason ?? ""}`);
  console.log("status: valid (not revoked)");
}
console.log("VALID");
