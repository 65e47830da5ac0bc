// Request bodies are read with a bound: 413 BODY_TOO_LARGE on a declared Content-Length over the limit
// (nothing read), and on a body without one (or with a false one) as soon as the running count passes
// the limit, the rest of the upload cancelled. An endless body proves the reading stops.
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import type { CurrentUser } from "../../../lib/auth/session.ts";
import { readBodyText, readJsonBody } from "../../../lib/http/read-body.ts";
import { refusal } from "../../helpers/http-refusal.ts";

// route() reads the session from Next's request; here a signed-in learner stands in for it.
vi.mock("../../../lib/auth/session.ts", () => ({
  currentUser: async (): Promise<CurrentUser> => ({
    id: "learner-id",
    email: "learner@example.com",
    name: "learner",
    role: "learner",
  }),
}));
const { route } = await import("../../../lib/http/route.ts");

const URL = "http://localhost/api/x";

/** A body stream of `chunk`-byte pieces, `count` of them (Infinity: never ends); counts what was pulled. */
function streamed(chunk: number, count: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled >= count) return controller.close();
        seen.pulled++;
        controller.enqueue(new Uint8Array(chunk).fill(0x20));
      },
      cancel() {
        seen.cancelled = true;
      },
      // Pull only when read: what `pulled` counts is what the reader asked for.
    },
    { highWaterMark: 0 },
  );
  return { body, seen };
}

function post(body: BodyInit | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request(URL, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

describe("readJsonBody", () => {
  it("parses a body within the limit, an empty one as {}", async () => {
    expect(await readJsonBody(post(JSON.stringify({ a: [1, "é"] })), 1024)).toEqual({ a: [1, "é"] });
    expect(await readJsonBody(post(""), 1024)).toEqual({});
    const exact = JSON.stringify("x".repeat(98)); // 100 bytes
    expect(await readJsonBody(post(exact), 100)).toBe("x".repeat(98));
  });

  it("400 MALFORMED_JSON for a body that is not JSON", async () => {
    const error = await refusal(readJsonBody(post("{not json"), 1024));
    expect([error.status, error.code]).toEqual([400, "MALFORMED_JSON"]);
  });

  it("413 on a declared Content-Length over the limit, without reading the body", async () => {
    const { body, seen } = streamed(1024, 4);
    const error = await refusal(readJsonBody(post(body, { "content-length": "4096" }), 1024));
    expect([error.status, error.code]).toEqual([413, "BODY_TOO_LARGE"]);
    expect(error.message).toBe("The request body is larger than 1 KB.");
    expect(seen.pulled).toBe(0);
  });

  it("413 on an endless body without Content-Length: reading stops at the limit and cancels", async () => {
    const { body, seen } = streamed(1000, Number.POSITIVE_INFINITY);
    const request = post(body);
    expect(request.headers.get("content-length")).toBeNull();
    const error = await refusal(readJsonBody(request, 64 * 1024));
    expect([error.status, error.code]).toEqual([413, "BODY_TOO_LARGE"]);
    // 66 chunks of 1000 bytes pass 64 KB: the reader stops there.
    expect(seen.pulled).toBe(66);
    expect(seen.cancelled).toBe(true);
  });

  it("413 when the body is longer than its Content-Length said", async () => {
    const { body } = streamed(1000, 10);
    const error = await refusal(readBodyText(post(body, { "content-length": "10" }), 5000));
    expect([error.status, error.code]).toEqual([413, "BODY_TOO_LARGE"]);
  });

  it("counts bytes, not characters", async () => {
    const text = JSON.stringify("é".repeat(60)); // 122 bytes, 62 characters
    expect((await refusal(readJsonBody(post(text), 100))).code).toBe("BODY_TOO_LARGE");
    expect(await readJsonBody(post(text), 122)).toBe("é".repeat(60));
  });
});

describe("route() with maxBodyBytes", () => {
  const handler = vi.fn(async () => Response.json({ ok: true }));
  const post = route({ access: "learner", body: z.object({ a: z.string() }), maxBodyBytes: 4096 }, handler);

  it("answers 413 BODY_TOO_LARGE to an endless chunked body, and the handler never runs", async () => {
    const { body, seen } = streamed(1024, Number.POSITIVE_INFINITY);
    const response = await post(new Request(URL, { method: "POST", body, duplex: "half" } as RequestInit));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: { code: "BODY_TOO_LARGE", message: "The request body is larger than 4 KB." },
    });
    expect(seen.pulled).toBe(5);
    expect(handler).not.toHaveBeenCalled();
  });

  it("passes a body within the limit to the handler", async () => {
    const response = await post(new Request(URL, { method: "POST", body: JSON.stringify({ a: "b" }) }));
    expect(response.status).toBe(200);
    expect(handler).toHaveBeenCalledOnce();
  });
});
