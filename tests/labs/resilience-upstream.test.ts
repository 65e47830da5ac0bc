// The resilience-observability lab's fault-injecting upstream does what its script says: per-SKU
// scripts in order, auth, hangs held until released, slow answers, resets, bad bodies, leaky error
// bodies, per-SKU and global rate limits, and a record of every request. Real HTTP over a loopback
// port; the rate-limit window runs on an injected clock, so nothing here waits on wall time.
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  FaultyUpstream,
  LEAK_MARKERS,
  type UpstreamOptions,
} from "../../labs/resilience-observability/upstream.ts";

const TOKEN = "0123456789abcdef0123456789abcdef";
let running: FaultyUpstream[] = [];

async function start(
  options: Partial<UpstreamOptions> = {},
): Promise<{ upstream: FaultyUpstream; base: string }> {
  const upstream = new FaultyUpstream({ seed: 7, token: TOKEN, ...options });
  running.push(upstream);
  await new Promise<void>((resolve) => upstream.server.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.server.address() as AddressInfo;
  return { upstream, base: `http://127.0.0.1:${port}` };
}

function get(
  base: string,
  sku: string,
  init: { token?: string | null; signal?: AbortSignal; id?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? TOKEN}`;
  if (init.id) headers["x-correlation-id"] = init.id;
  // A fresh connection per request: keep-alive must not couple one request's fate to another's.
  headers.connection = "close";
  return fetch(`${base}/v1/stock/${sku}`, { headers, signal: init.signal });
}

afterEach(async () => {
  for (const upstream of running) {
    upstream.releaseHeld();
    upstream.server.closeAllConnections();
    await new Promise<void>((resolve) => upstream.server.close(() => resolve()));
  }
  running = [];
});

describe("resilience-observability upstream", () => {
  it("answers the seeded stock to an authorized request and records it", async () => {
    const { upstream, base } = await start();
    const res = await get(base, "KT-0042", { id: "corr-1" });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual(upstream.stockFor("KT-0042"));
    expect(body).toEqual({ sku: "KT-0042", available: expect.any(Number), warehouse: expect.any(String) });
    // Seeded: another run (seed) reports other figures for the same SKU.
    const other = new FaultyUpstream({ seed: 8, token: TOKEN });
    expect([1, 2, 3].map((i) => other.stockFor(`KT-000${i}`))).not.toEqual(
      [1, 2, 3].map((i) => upstream.stockFor(`KT-000${i}`)),
    );
    expect(upstream.hits("KT-0042")).toEqual([
      expect.objectContaining({
        seq: 1,
        sku: "KT-0042",
        method: "GET",
        path: "/v1/stock/KT-0042",
        authorized: true,
        answer: "ok",
        correlationId: "corr-1",
      }),
    ]);
  });

  it("refuses a missing or wrong token with 401 without spending the script", async () => {
    const { upstream, base } = await start();
    upstream.script("AB-0001", [{ kind: "status", status: 503 }]);
    expect((await get(base, "AB-0001", { token: null })).status).toBe(401);
    expect((await get(base, "AB-0001", { token: "nope" })).status).toBe(401);
    expect((await get(base, "AB-0001")).status).toBe(503);
    expect((await get(base, "AB-0001")).status).toBe(200);
    expect(upstream.hits("AB-0001").map((h) => [h.authorized, h.answer])).toEqual([
      [false, 401],
      [false, 401],
      [true, 503],
      [true, "ok"],
    ]);
    expect(upstream.stats().unauthorized).toBe(2);
  });

  it("plays a SKU's faults in order, then its steady behaviour; other SKUs are unaffected", async () => {
    const { upstream, base } = await start();
    upstream.script(
      "AB-0002",
      [
        { kind: "status", status: 503 },
        { kind: "status", status: 502 },
      ],
      { kind: "status", status: 504 },
    );
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(base, "AB-0002")).status);
    expect(statuses).toEqual([503, 502, 504, 504]);
    expect((await get(base, "AB-0003")).status).toBe(200);
    upstream.scriptOthers([{ kind: "status", status: 503 }]);
    expect([(await get(base, "AB-0004")).status, (await get(base, "AB-0004")).status]).toEqual([503, 200]);
    expect((await get(base, "AB-0005")).status).toBe(503);
  });

  it("holds a hung request until it is released, and closes it without an answer", async () => {
    const { upstream, base } = await start();
    upstream.script("AB-0006", [], { kind: "hang" });
    let settled = false;
    const pending = get(base, "AB-0006").finally(() => {
      settled = true;
    });
    pending.catch(() => undefined);
    await upstream.waitForRequests(1);
    expect(upstream.heldCount()).toBe(1);
    expect(settled).toBe(false);
    upstream.releaseHeld();
    await expect(pending).rejects.toThrow();
    expect(upstream.hits("AB-0006")[0].answer).toBe("hang");
  });

  it("stops holding a hung request when the client gives up", async () => {
    const { upstream, base } = await start();
    upstream.script("AB-0007", [], { kind: "hang" });
    const controller = new AbortController();
    const pending = get(base, "AB-0007", { signal: controller.signal });
    await upstream.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow(/abort/i);
    await new Promise<void>((resolve) => {
      const poll = () => (upstream.heldCount() === 0 ? resolve() : setImmediate(poll));
      poll();
    });
    expect(upstream.heldCount()).toBe(0);
  });

  it("answers a slow request after holding it", async () => {
    const { upstream, base } = await start();
    upstream.script("AB-0008", [{ kind: "slow", ms: 30 }]);
    const pending = get(base, "AB-0008");
    await upstream.waitForRequests(1);
    expect(upstream.heldCount()).toBe(1);
    const res = await pending;
    expect(await res.json()).toEqual(upstream.stockFor("AB-0008"));
    expect(upstream.heldCount()).toBe(0);
    expect(upstream.hits("AB-0008")[0].answer).toBe("slow");
  });

  it("drops the connection on reset", async () => {
    const { upstream, base } = await start();
    upstream.script("AB-0009", [{ kind: "reset" }]);
    await expect(get(base, "AB-0009")).rejects.toThrow();
    expect((await get(base, "AB-0009")).status).toBe(200);
    expect(upstream.hits("AB-0009").map((h) => h.answer)).toEqual(["reset", "ok"]);
  });

  it("sends a truncated body and a body of the wrong shape, both as 200", async () => {
    const { upstream, base } = await start();
    upstream.script("AB-0010", [{ kind: "malformed" }, { kind: "wrong-shape" }]);
    const truncated = await get(base, "AB-0010");
    expect(truncated.status).toBe(200);
    const text = await truncated.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(JSON.stringify(upstream.stockFor("AB-0010")).startsWith(text)).toBe(true);
    const wrong = await get(base, "AB-0010");
    expect(await wrong.json()).toEqual({ sku: "AB-0010", available: "plenty", warehouse: null });
  });

  it("puts a traceback, an internal host and the caller's token in leaky error bodies only", async () => {
    const { upstream, base } = await start();
    upstream.script("AB-0011", [
      { kind: "status", status: 503, leaky: true },
      { kind: "status", status: 503 },
      { kind: "status", status: 429, retryAfterS: 3 },
    ]);
    const leaky = await (await get(base, "AB-0011")).text();
    expect(leaky).toContain(TOKEN);
    expect(leaky).toContain("Traceback (most recent call last)");
    expect(leaky).toContain(LEAK_MARKERS.host);
    expect(leaky).toContain(LEAK_MARKERS.path);
    const plain = await (await get(base, "AB-0011")).text();
    expect(plain).not.toContain(TOKEN);
    expect(JSON.parse(plain)).toEqual({ error: "service unavailable" });
    const limited = await get(base, "AB-0011");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
  });

  it("answers 404 to other routes and counts them", async () => {
    const { upstream, base } = await start();
    const res = await fetch(`${base}/v2/everything`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(404);
    expect(upstream.hits()).toEqual([
      expect.objectContaining({ sku: null, path: "/v2/everything", answer: 404 }),
    ]);
  });

  it("rate-limits one SKU beyond its per-second budget, without spending its script, until the window passes", async () => {
    let now = 1000;
    const { upstream, base } = await start({
      perSkuPerSecond: 3,
      perSecond: 100,
      tarpitMs: 0,
      now: () => now,
    });
    upstream.script("AB-0012", [], { kind: "status", status: 503 });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get(base, "AB-0012")).status);
    expect(statuses).toEqual([503, 503, 503, 429, 429]);
    // Another SKU has its own budget.
    expect((await get(base, "AB-0013")).status).toBe(200);
    now += 1001;
    expect((await get(base, "AB-0012")).status).toBe(503);
    const stats = upstream.stats();
    expect(stats.rateLimited).toBe(2);
    expect(stats.peakPerSku).toEqual({ sku: "AB-0012", perSecond: 5 });
    expect(stats.requests).toBe(7);
    const limited = await (async () => {
      now += 1001;
      for (let i = 0; i < 3; i++) await get(base, "AB-0014");
      return get(base, "AB-0014");
    })();
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toMatchObject({ error: "rate limit exceeded", limit_per_sku_per_second: 3 });
  });

  it("rate-limits all requests together beyond the global budget", async () => {
    const { upstream, base } = await start({ perSkuPerSecond: 100, perSecond: 4, tarpitMs: 0, now: () => 5 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(base, `GL-000${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    expect(upstream.stats()).toMatchObject({ requests: 6, rateLimited: 2, peakPerSecond: 6 });
  });

  it("keeps counting after it stops storing hits, and reports each request as it arrives", async () => {
    const seen: number[] = [];
    const { upstream, base } = await start({ maxStoredHits: 2, onRequest: (hit) => seen.push(hit.seq) });
    for (let i = 0; i < 4; i++) await get(base, "AB-0015");
    expect(upstream.hits()).toHaveLength(2);
    expect(upstream.stats().requests).toBe(4);
    expect(seen).toEqual([1, 2, 3, 4]);
  });
});
