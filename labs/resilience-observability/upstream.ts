// The inventory API that learners' servers depend on, run by the grader with scripted faults.
//
//   GET /v1/stock/<SKU>   Authorization: Bearer <token>   ->   200 {"sku","available","warehouse"}
//
// Each SKU has its own script: the faults its next requests get, in order, then a steady
// behaviour (`then`). Checks give every call a fresh SKU, so what one call's retries see never
// depends on another call. Every request is recorded (arrival time, SKU, answer, auth, the
// correlation header) and counted. Like many real APIs it rate-limits per key: beyond
// `perSkuPerSecond` requests for one SKU (or `perSecond` in all) within a rolling second it answers
// 429 after a short tarpit, which also slows a server that retries in a tight loop. A well-behaved
// call makes at most 3 requests, so only a loop ever meets the per-SKU limit, however many calls
// a check runs at once. Hung requests are held until the client gives up, `hangMaxMs` passes or close().
import { createHash } from "node:crypto";
import http from "node:http";

export type Fault =
  /** 200 with the stock, at once. */
  | { kind: "ok" }
  /** 200 with the stock after `ms`. */
  | { kind: "slow"; ms: number }
  /** Never answers (until the client disconnects). */
  | { kind: "hang" }
  /** An error status. `leaky` bodies carry a stack trace, an internal host and the caller's token. */
  | { kind: "status"; status: number; leaky?: boolean; retryAfterS?: number }
  /** 200 with a truncated JSON body. */
  | { kind: "malformed" }
  /** 200 with valid JSON of the wrong shape. */
  | { kind: "wrong-shape" }
  /** Closes the connection without an answer. */
  | { kind: "reset" };

export interface Stock {
  sku: string;
  available: number;
  warehouse: string;
}

/** What the upstream did with one request. */
export type Answer = "ok" | "slow" | "hang" | "malformed" | "wrong-shape" | "reset" | "rate-limited" | number;

export interface Hit {
  /** 1, 2, ... in arrival order. */
  seq: number;
  /** Arrival, ms on the upstream's clock. */
  at: number;
  /** The SKU of a /v1/stock/<SKU> request, else null. */
  sku: string | null;
  method: string;
  path: string;
  authorized: boolean;
  answer: Answer;
  /** X-Correlation-Id (or X-Request-Id) the caller sent, if any. */
  correlationId: string | null;
}

export interface UpstreamOptions {
  /** Decides the stock figures, so a hard-coded answer fails. */
  seed: number;
  /** The bearer token callers must send. */
  token: string;
  /** Requests for one SKU per rolling second before 429 (default 10). */
  perSkuPerSecond?: number;
  /** Requests in all per rolling second before 429 (default 200). */
  perSecond?: number;
  /** How long a 429 is held before it is sent (default 250 ms). */
  tarpitMs?: number;
  /** A hung request is cut after this long at the latest (default 30 s). */
  hangMaxMs?: number;
  /** Stored hits at most (counters keep counting); default 5000. */
  maxStoredHits?: number;
  /** Called for every request as it arrives (the local CLI prints them). */
  onRequest?: (hit: Hit) => void;
  now?: () => number;
}

const WAREHOUSES = ["ams-1", "ams-2", "fra-1", "dub-3", "waw-1", "mad-2"];
/** Words a leaky error body contains; none may reach a learner's tool result. */
export const LEAK_MARKERS = {
  host: "db-primary-3.inventory.internal",
  path: "/srv/inventory/app/stock.py",
} as const;

interface Script {
  queue: Fault[];
  steady: Fault;
}

export interface UpstreamCounters {
  requests: number;
  rateLimited: number;
  /** Most requests for one SKU within one rolling second, and that SKU. */
  peakPerSku: { sku: string | null; perSecond: number };
  unauthorized: number;
  /** Most requests seen within one rolling second. */
  peakPerSecond: number;
}

export class FaultyUpstream {
  readonly server: http.Server;
  private readonly scripts = new Map<string, Script>();
  private readonly recorded: Hit[] = [];
  private readonly recent: number[] = [];
  private readonly recentBySku = new Map<string, number[]>();
  private readonly held = new Set<http.ServerResponse>();
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  private readonly counters: UpstreamCounters = {
    requests: 0,
    rateLimited: 0,
    peakPerSku: { sku: null, perSecond: 0 },
    unauthorized: 0,
    peakPerSecond: 0,
  };
  private readonly opts: Required<Omit<UpstreamOptions, "onRequest">> & Pick<UpstreamOptions, "onRequest">;
  private fallback: Script = { queue: [], steady: { kind: "ok" } };

  constructor(options: UpstreamOptions) {
    this.opts = {
      perSkuPerSecond: 10,
      perSecond: 200,
      tarpitMs: 250,
      hangMaxMs: 30_000,
      maxStoredHits: 5000,
      now: () => performance.now(),
      ...options,
    };
    this.server = http.createServer((req, res) => this.handle(req, res));
    // Idle keep-alive sockets must not hold close() up.
    this.server.keepAliveTimeout = 2000;
  }

  /** The stock this run's upstream reports for `sku` (seeded). */
  stockFor(sku: string): Stock {
    const digest = createHash("sha256").update(`${this.opts.seed}:${sku}`).digest();
    return {
      sku,
      available: digest.readUInt16BE(0) % 500,
      warehouse: WAREHOUSES[digest[2] % WAREHOUSES.length],
    };
  }

  /** The next requests for `sku` get `faults` in order, then `then` for good (default ok). */
  script(sku: string, faults: Fault[], then: Fault = { kind: "ok" }): void {
    this.scripts.set(sku, { queue: [...faults], steady: then });
  }

  /** The script every SKU without one of its own starts with (default: healthy answers). */
  scriptOthers(faults: Fault[], then: Fault = { kind: "ok" }): void {
    this.fallback = { queue: [...faults], steady: then };
  }

  /** Requests recorded so far, optionally only those for one SKU. */
  hits(sku?: string): Hit[] {
    return sku === undefined ? [...this.recorded] : this.recorded.filter((h) => h.sku === sku);
  }

  stats(): UpstreamCounters {
    return { ...this.counters, peakPerSku: { ...this.counters.peakPerSku } };
  }

  /** Resolves once `count` requests have arrived in total (for tests that wait on events). */
  waitForRequests(count: number): Promise<void> {
    if (this.counters.requests >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Requests held right now (hung, slow or tarpitted). */
  heldCount(): number {
    return this.held.size;
  }

  /** Answers everything still held (hung or tarpitted) by closing its connection. */
  releaseHeld(): void {
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  private nextFault(sku: string): Fault {
    let script = this.scripts.get(sku);
    if (!script) {
      script = { queue: [...this.fallback.queue], steady: this.fallback.steady };
      this.scripts.set(sku, script);
    }
    return script.queue.shift() ?? script.steady;
  }

  /** Counts the arrival in its rolling one-second windows; true if it is over a limit. */
  private overLimit(at: number, sku: string | null): boolean {
    const slide = (window: number[]) => {
      window.push(at);
      while (window.length > 0 && window[0] <= at - 1000) window.shift();
      return window.length;
    };
    const all = slide(this.recent);
    this.counters.peakPerSecond = Math.max(this.counters.peakPerSecond, all);
    let forSku = 0;
    if (sku !== null) {
      const window = this.recentBySku.get(sku) ?? [];
      this.recentBySku.set(sku, window);
      forSku = slide(window);
      if (forSku > this.counters.peakPerSku.perSecond) this.counters.peakPerSku = { sku, perSecond: forSku };
    }
    return all > this.opts.perSecond || forSku > this.opts.perSkuPerSecond;
  }

  private record(hit: Omit<Hit, "seq">): void {
    this.counters.requests += 1;
    const full = { seq: this.counters.requests, ...hit };
    if (this.recorded.length < this.opts.maxStoredHits) this.recorded.push(full);
    this.opts.onRequest?.(full);
    for (const w of this.waiters.filter((w) => this.counters.requests >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  private hold(res: http.ServerResponse, ms: number, then: () => void): void {
    this.held.add(res);
    const timer = setTimeout(() => {
      this.held.delete(res);
      then();
    }, ms);
    res.on("close", () => {
      clearTimeout(timer);
      this.held.delete(res);
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const at = this.opts.now();
    const url = new URL(req.url ?? "/", "http://inventory");
    const header = (name: string) => {
      const v = req.headers[name];
      return typeof v === "string" && v !== "" ? v : null;
    };
    const authorized = header("authorization") === `Bearer ${this.opts.token}`;
    const match = /^\/v1\/stock\/([^/]+)$/.exec(url.pathname);
    const sku = match ? decodeURIComponent(match[1]) : null;
    const base = {
      at,
      sku,
      method: req.method ?? "GET",
      path: url.pathname,
      authorized,
      correlationId: header("x-correlation-id") ?? header("x-request-id"),
    };
    // The body (if any) is not needed; drain it so the socket can be reused.
    req.resume();

    if (this.overLimit(at, sku)) {
      this.counters.rateLimited += 1;
      this.record({ ...base, answer: "rate-limited" });
      // A flood of held sockets would itself be a load: past 100, answer at once.
      const delay = this.held.size < 100 ? this.opts.tarpitMs : 0;
      this.hold(res, delay, () =>
        json(
          res,
          429,
          {
            error: "rate limit exceeded",
            limit_per_sku_per_second: this.opts.perSkuPerSecond,
            limit_per_second: this.opts.perSecond,
          },
          { "retry-after": "1" },
        ),
      );
      return;
    }
    if (!authorized) {
      this.counters.unauthorized += 1;
      this.record({ ...base, answer: 401 });
      json(
        res,
        401,
        { error: "missing or invalid bearer token" },
        { "www-authenticate": 'Bearer realm="inventory"' },
      );
      return;
    }
    if (req.method !== "GET" || sku === null) {
      this.record({ ...base, answer: 404 });
      json(res, 404, { error: `no route for ${req.method} ${url.pathname}; use GET /v1/stock/<SKU>` });
      return;
    }
    const fault = this.nextFault(sku);
    this.record({ ...base, answer: answerOf(fault) });
    this.answer(res, sku, fault);
  }

  private answer(res: http.ServerResponse, sku: string, fault: Fault): void {
    switch (fault.kind) {
      case "ok":
        json(res, 200, this.stockFor(sku));
        return;
      case "slow":
        this.hold(res, fault.ms, () => json(res, 200, this.stockFor(sku)));
        return;
      case "hang":
        this.hold(res, this.opts.hangMaxMs, () => res.socket?.destroy());
        return;
      case "malformed": {
        const whole = JSON.stringify(this.stockFor(sku));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(whole.slice(0, Math.floor(whole.length / 2)));
        return;
      }
      case "wrong-shape":
        json(res, 200, { sku, available: "plenty", warehouse: null });
        return;
      case "reset":
        res.socket?.destroy();
        return;
      case "status": {
        const headers: Record<string, string> = {};
        if (fault.retryAfterS !== undefined) headers["retry-after"] = String(fault.retryAfterS);
        json(
          res,
          fault.status,
          fault.leaky ? this.leakyBody(sku, fault.status) : { error: reasonOf(fault.status) },
          headers,
        );
        return;
      }
    }
  }

  /** What a badly configured upstream sends back: its own traceback and the caller's credentials. */
  private leakyBody(sku: string, status: number): unknown {
    return {
      error: reasonOf(status),
      detail: [
        "Traceback (most recent call last):",
        `  File "${LEAK_MARKERS.path}", line 88, in lookup`,
        `    row = db.fetch_stock(${JSON.stringify(sku)})`,
        `ConnectionError: ${LEAK_MARKERS.host}:5432 refused the connection`,
      ].join("\n"),
      request: { authorization: `Bearer ${this.opts.token}` },
    };
  }
}

function answerOf(fault: Fault): Answer {
  return fault.kind === "status" ? fault.status : fault.kind;
}

function reasonOf(status: number): string {
  return http.STATUS_CODES[status]?.toLowerCase() ?? `status ${status}`;
}

function json(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
