// Streamable HTTP: the server listens in its own network namespace; the grader reaches it only
// through the relay's unix socket.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { describe, expect, it } from "vitest";
import { createSocketFetch, exposeOnTcp, launchServer, waitForHttpReady } from "../../sandbox/index.ts";
import { fixtureRequest } from "./helpers.ts";

describe("HTTP transport through the relay", () => {
  it("relays plain HTTP to a tiny server on 127.0.0.1:$PORT inside the sandbox", async () => {
    const server = await launchServer(fixtureRequest("tiny-http", { transport: "http" }));
    try {
      expect(server.httpSocketPath).toMatch(/http\.sock$/);
      const ready = await waitForHttpReady(server, 10_000);
      expect(ready.ready).toBe(true);
      const fetchViaSocket = createSocketFetch(server.httpSocketPath ?? "");
      const res = await fetchViaSocket(`http://127.0.0.1:${server.httpPort}/ping?x=1`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(`pong /ping?x=1 host=127.0.0.1:${server.httpPort}`);
    } finally {
      await server.stop();
    }
  });

  it("lets the SDK client speak Streamable HTTP to a Python SDK server through the socket", async () => {
    const server = await launchServer(fixtureRequest("http-python", { transport: "http" }));
    try {
      expect((await waitForHttpReady(server, 15_000)).ready).toBe(true);
      const client = new Client({ name: "sandbox-test", version: "1" });
      const transport = new StreamableHTTPClientTransport(
        new URL(`http://127.0.0.1:${server.httpPort}/mcp`),
        {
          fetch: createSocketFetch(server.httpSocketPath ?? ""),
        },
      );
      await client.connect(transport);
      const result = await client.callTool({ name: "greet", arguments: { name: "Ada" } });
      expect(result.content).toEqual([{ type: "text", text: "Hello, Ada!" }]);
      await client.close();
    } finally {
      const exit = await server.stop();
      expect(exit.reason).toBe("killed-by-grader");
    }
  });

  it("serves a TypeScript SDK server over HTTP, also reachable through a host TCP bridge", async () => {
    const server = await launchServer(
      fixtureRequest("http-typescript", { language: "typescript", transport: "http" }),
    );
    const bridge = await exposeOnTcp(server.httpSocketPath ?? "");
    try {
      expect((await waitForHttpReady(server, 15_000)).ready).toBe(true);
      const client = new Client({ name: "sandbox-test", version: "1" });
      // Plain global fetch over TCP: what the conformance CLI or the Inspector would do.
      await client.connect(new StreamableHTTPClientTransport(new URL(bridge.url("/mcp"))));
      const result = await client.callTool({ name: "greet", arguments: { name: "Grace" } });
      expect(result.content).toEqual([{ type: "text", text: "Hello, Grace!" }]);
      await client.close();
    } finally {
      await bridge.close();
      await server.stop();
    }
  });

  it("turns an invalid HTTP response (status 999) into a rejected fetch, not a crash", async () => {
    const server = await launchServer(fixtureRequest("bad-http", { transport: "http" }));
    try {
      expect((await waitForHttpReady(server, 10_000)).ready).toBe(true);
      const fetchViaSocket = createSocketFetch(server.httpSocketPath ?? "");
      await expect(fetchViaSocket(`http://127.0.0.1:${server.httpPort}/mcp`)).rejects.toThrow(TypeError);
    } finally {
      await server.stop();
    }
  });

  it("reports a server that dies before listening as exited, not as a hang", async () => {
    const server = await launchServer(fixtureRequest("crash-on-start", { transport: "http" }));
    const ready = await waitForHttpReady(server, 15_000);
    expect(ready).toMatchObject({ ready: false, reason: "exited" });
    expect((await server.exited).reason).toBe("exited");
  });
});
