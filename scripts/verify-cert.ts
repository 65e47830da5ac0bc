// npm run verify-cert -- <credential.jwt> [--issuer <site url>] [--jwks <url or file>] [--offline] [--email <address>]
// Verifies a downloaded MCP Lab certificate against a site you trust: --issuer, or this installation's
// own NEXTAUTH_URL (from the environment or .env). Never against the site the credential names: a
// credential of any other issuer is refused before anything is fetched. Checks the signature against
// <site>/.well-known/jwks.json (or --jwks), the Open Badges 3.0 shape, and, unless --offline, the
// live revocation status at <site>/api/certificates/<id>/status. --email also checks that the
// credential was issued to that address (its salted hash). Exit 0 valid, 1 invalid or revoked, 2 bad
// input or the site could not be reached.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { JSONWebKeySet } from "jose";
import { recipientHasEmail } from "../lib/certificates/credential.ts";
import { normaliseSiteUrl, verifyIssuedCredential } from "../lib/certificates/verify-issued.ts";
import { projectPath } from "../lib/paths.ts";

const USAGE =
  "usage: npm run verify-cert -- <credential.jwt> [--issuer <site url>] [--jwks <url or file>] [--offline] [--email <address>]";

function fail(code: number, message: string): never {
  console.error(`verify-cert: ${message}`);
  process.exit(code);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      issuer: { type: "string" },
      jwks: { type: "string" },
      offline: { type: "boolean", default: false },
      email: { type: "string" },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(2, `${(error as Error).message}\n${USAGE}`);
}
const { values, positionals } = parsed;
const [file] = positionals;
if (!file || positionals.length > 1) fail(2, USAGE);
let jwt: string;
try {
  jwt = readFileSync(file, "utf8").trim();
} catch {
  fail(2, `cannot read ${file}`);
}

// The site to trust: --issuer, else this installation's configured public URL.
if (!values.issuer && !process.env.MCP_LAB_SKIP_DOTENV) {
  try {
    process.loadEnvFile(projectPath(".env"));
  } catch {
    // no .env: fine
  }
}
const siteInput = values.issuer ?? process.env.NEXTAUTH_URL;
if (!siteInput)
  fail(
    2,
    "which site issued it? Pass --issuer <site url> (e.g. --issuer https://lab.example.com), or set NEXTAUTH_URL to verify this installation's own certificates.",
  );
const site = normaliseSiteUrl(siteInput);
if (!site) fail(2, `--issuer ${siteInput} is not an http(s) URL`);

async function loadJwks(source: string): Promise<JSONWebKeySet> {
  if (/^https?:\/\//.test(source)) {
    const response = await fetch(source).catch(() => null);
    if (!response?.ok) fail(2, `could not fetch the JWKS from ${source}`);
    return (await response.json()) as JSONWebKeySet;
  }
  try {
    return JSON.parse(readFileSync(source, "utf8")) as JSONWebKeySet;
  } catch {
    fail(2, `cannot read a JWKS from ${source}`);
  }
}

const result = await verifyIssuedCredential(jwt, {
  site: { url: site },
  jwks: values.jwks ? await loadJwks(values.jwks) : undefined,
  offline: values.offline,
});
if (!result.ok) fail(result.exit, result.message);
const { credential } = result;
console.log(`issuer: ${credential.issuer.id} (trusted: ${site})`);
console.log(`signature: valid (key ${result.kid}, from ${values.jwks ?? result.jwksSource})`);
console.log(`credential: ${credential.id}`);
console.log(`learner: ${credential.credentialSubject.name}`);
console.log(`achievement: ${credential.credentialSubject.achievement.name}`);
console.log(`issued: ${credential.validFrom}`);
if (values.email !== undefined) {
  if (!recipientHasEmail(credential, values.email))
    fail(1, `INVALID: this certificate was not issued to ${values.email}`);
  console.log(`recipient: ${values.email} (matches the credential's hashed email)`);
}
console.log(result.status === "valid" ? "status: valid (not revoked)" : "status: not checked (--offline)");
console.log("VALID");
