// npm run verify-cert trusts the site it is told to trust, never the credential's own claims. A local
// HTTP server plays the trusted MCP Lab site (its JWKS and status API read a real database); another
// plays a forger's site that serves its own key and says "valid" to everything.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { courseMeta } from "../../lib/certificates/course-meta.ts";
import { buildCredential, type Credential, signCredential } from "../../lib/certificates/credential.ts";
import { publicCertificate, revokeCertificate } from "../../lib/certificates/issue.ts";
import { currentSigningKey, publicJwks } from "../../lib/certificates/keys.ts";
import { projectPath } from "../../lib/paths.ts";
import { freshSqlite, type TestDb } from "../helpers/test-db.ts";

interface Site {
  url: string;
  requests: string[];
  server: Server;
}

/** An HTTP server on loopback answering GET paths with JSON; it records every path asked for. */
async function startSite(
  answer: (pathname: string) => Promise<{ status: number; body: unknown }>,
): Promise<Site> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://x").pathname;
    requests.push(pathname);
    void answer(pathname).then(({ status, body }) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function verifyCert(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      projectPath("node_modules/.bin/tsx"),
      [projectPath("scripts/verify-cert.ts"), ...args],
      {
        cwd: projectPath(),
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", MCP_LAB_SKIP_DOTENV: "1", ...env },
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("npm run verify-cert", () => {
  let t: TestDb;
  let trusted: Site;
  let forger: Site;
  let dir: string;
  const files: Record<string, string> = {};
  let forgerJwk: JWK;
  let forgerKey: CryptoKey;

  /** A credential of the trusted site's kind, issued as MCP Lab issues (or changed first). */
  async function issued(baseUrl: string, change: (credential: Credential) => void = () => undefined) {
    const id = crypto.randomUUID();
    const credential = buildCredential({
      baseUrl,
      certificateId: id,
      learnerName: "Ada Lovelace",
      learnerEmail: "ada@example.com",
      issuedAt: new Date(),
      course: courseMeta(),
    });
    change(credential);
    const credentialJwt = await signCredential(credential, await currentSigningKey(t.db));
    // One certificate per learner: each credential here belongs to a learner of its own.
    const userId = (await t.db.user.create({ data: { email: `${id}@example.com`, name: "Ada Lovelace" } }))
      .id;
    await t.db.certificate.create({ data: { id, userId, courseId: "c", credentialJwt } });
    return { id, credentialJwt };
  }

  function save(name: string, jwt: string): string {
    files[name] = path.join(dir, `${name}.jwt`);
    writeFileSync(files[name], jwt);
    return files[name];
  }

  beforeAll(async () => {
    t = await freshSqlite();
    dir = mkdtempSync(path.join(tmpdir(), "mcp-lab-verify-cert-"));
    trusted = await startSite(async (pathname) => {
      if (pathname === "/.well-known/jwks.json") return { status: 200, body: await publicJwks(t.db) };
      const id = /^\/api\/certificates\/([^/]+)\/status$/.exec(pathname)?.[1];
      const certificate = id ? await publicCertificate(t.db, id) : null;
      if (!certificate) return { status: 404, body: { error: "UNKNOWN_CERTIFICATE" } };
      return { status: 200, body: { id, status: certificate.status, reason: certificate.statusReason } };
    });
    const forgery = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    forgerKey = forgery.privateKey;
    forgerJwk = { ...(await exportJWK(forgery.publicKey)), kid: "forger", alg: "EdDSA" };
    forger = await startSite(async (pathname) =>
      pathname === "/.well-known/jwks.json"
        ? { status: 200, body: { keys: [forgerJwk] } }
        : { status: 200, body: { status: "valid", reason: null } },
    );
  });
  afterAll(async () => {
    for (const site of [trusted, forger]) await new Promise((resolve) => site.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
    await t.drop();
  });

  it("says VALID for the trusted site's own certificate, with the site from --issuer or NEXTAUTH_URL", async () => {
    const { credentialJwt } = await issued(trusted.url);
    const file = save("genuine", credentialJwt);
    const byFlag = await verifyCert([file, "--issuer", trusted.url, "--email", "ada@example.com"]);
    expect(byFlag.stderr).toBe("");
    expect(byFlag.status).toBe(0);
    expect(byFlag.stdout).toContain(`issuer: ${trusted.url}/issuer (trusted: ${trusted.url})`);
    expect(byFlag.stdout).toContain("learner: Ada Lovelace");
    expect(byFlag.stdout).toContain("recipient: ada@example.com");
    expect(byFlag.stdout).toContain("status: valid (not revoked)");
    expect(byFlag.stdout.trim().split("\n").at(-1)).toBe("VALID");
    const byConfig = await verifyCert([file], { NEXTAUTH_URL: `${trusted.url}/` });
    expect(byConfig.status, byConfig.stderr).toBe(0);
    const otherRecipient = await verifyCert([file, "--issuer", trusted.url, "--email", "eve@example.com"]);
    expect(otherRecipient.status).toBe(1);
    expect(otherRecipient.stderr).toContain("not issued to eve@example.com");
  });

  it("will not guess which site to trust", async () => {
    const run = await verifyCert([files.genuine]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--issuer <site url>");
  });

  it("calls a credential forged with another key on another host INVALID without contacting that host", async () => {
    const forgedClaims = buildCredential({
      baseUrl: forger.url,
      certificateId: crypto.randomUUID(),
      learnerName: "Mallory",
      learnerEmail: "mallory@example.com",
      issuedAt: new Date(),
      course: courseMeta(),
    });
    const forged = await new SignJWT({ ...forgedClaims })
      .setProtectedHeader({ alg: "EdDSA", kid: "forger" })
      .setIssuer(forgedClaims.issuer.id)
      .setJti(forgedClaims.id)
      .sign(forgerKey);
    const before = { trusted: trusted.requests.length };
    const run = await verifyCert([save("forged", forged), "--issuer", trusted.url]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`INVALID: issued by ${forger.url}/issuer, not by ${trusted.url}/issuer`);
    expect(run.stdout).not.toContain("VALID");
    expect(forger.requests).toEqual([]);
    expect(trusted.requests.length).toBe(before.trusted);
  });

  it("calls a credential that names the trusted site but is signed by another key INVALID", async () => {
    const { credentialJwt } = await issued(trusted.url);
    const claims = JSON.parse(Buffer.from(credentialJwt.split(".")[1], "base64url").toString()) as Record<
      string,
      unknown
    >;
    const [realKey] = (await publicJwks(t.db)).keys;
    const forged = await new SignJWT({ ...claims, credentialSubject: { name: "Mallory" } })
      .setProtectedHeader({ alg: "EdDSA", kid: realKey.kid })
      .sign(forgerKey);
    const run = await verifyCert([save("wrong-key", forged), "--issuer", trusted.url]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("INVALID: signature invalid");
    expect(forger.requests).toEqual([]);
  });

  it("refuses a credential of this site's key that names another host (e.g. issued under a wrong NEXTAUTH_URL)", async () => {
    const { credentialJwt } = await issued("http://localhost:3000");
    const run = await verifyCert([save("localhost", credentialJwt), "--issuer", trusted.url]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `INVALID: issued by http://localhost:3000/issuer, not by ${trusted.url}/issuer`,
    );
  });

  it("takes the status from the trusted site only, even when the signed credential points elsewhere", async () => {
    const { credentialJwt } = await issued(trusted.url, (credential) => {
      credential.credentialStatus.id = `${forger.url}/status`;
    });
    const run = await verifyCert([save("status-elsewhere", credentialJwt), "--issuer", trusted.url]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`its credentialStatus points at ${forger.url}/status`);
    expect(forger.requests).toEqual([]);
  });

  it("says REVOKED, with the reason, once the trusted site has revoked it; --offline skips the live check", async () => {
    const { id, credentialJwt } = await issued(trusted.url);
    const file = save("revoked", credentialJwt);
    expect((await verifyCert([file, "--issuer", trusted.url])).status).toBe(0);
    const admin = (await t.db.user.create({ data: { email: "root@example.com", role: "admin" } })).id;
    await revokeCertificate(t.db, admin, id, "issued by mistake");
    const run = await verifyCert([file, "--issuer", trusted.url]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("REVOKED: issued by mistake");
    const offline = await verifyCert([file, "--issuer", trusted.url, "--offline"]);
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain("status: not checked (--offline)");
  });
});
