// The app's start-up hook (instrumentation.ts) makes the signing key, so /.well-known/jwks.json has a
// key before any certificate is issued.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { register } from "../../../instrumentation.ts";
import { publicJwks } from "../../../lib/certificates/keys.ts";
import { db } from "../../../lib/db/client.ts";
import { freshSqlite, type TestDb } from "../../helpers/test-db.ts";

describe("app start-up", () => {
  let t: TestDb;
  const saved = { ...process.env };
  beforeAll(async () => {
    t = await freshSqlite();
    // The Node runtime of Next, grading left to external workers (no embedded worker in this test).
    Object.assign(process.env, { NEXT_RUNTIME: "nodejs", WORKER_MODE: "external", DATABASE_URL: t.url });
  });
  afterAll(async () => {
    await db().$disconnect();
    process.env = saved;
    await t.drop();
  });

  it("makes the certificate signing key, once, before any certificate exists", async () => {
    expect(await t.db.certificate.count()).toBe(0);
    expect((await publicJwks(t.db)).keys).toEqual([]);
    await register();
    const jwks = await publicJwks(t.db);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    await register(); // a restart keeps the key
    expect((await publicJwks(t.db)).keys.map((key) => key.kid)).toEqual(jwks.keys.map((key) => key.kid));
  });
});
