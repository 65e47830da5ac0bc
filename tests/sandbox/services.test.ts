// Grader-run services: a server in the sandbox reaches 127.0.0.1:<port>, relayed to a unix socket
// the grader listens on, and nothing else; the grader also controls its /etc/hosts.
import http from "node:http";
import { describe, expect, it } from "vitest";
import { isSandboxError, launchServer, listenForSandbox } from "../../sandbox/index.ts";
import { fixtureRequest } from "./helpers.ts";

function lines(stream: NodeJS.ReadableStream, count: number): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    let buf = "";
    stream.on("data", (chunk: Buffer) => {
      buf += chunk.toString("utf8");
      const all = buf.split("\n").filter(Boolean);
      if (all.length >= count) resolve(all.slice(0, count).map((l) => JSON.parse(l)));
    });
    stream.on("end", () => reject(new Error(`stream ended after: ${buf}`)));
  });
}

describe("grader services reachable from the sandbox", () => {
  it("relays 127.0.0.1:<port> to the grader's socket from the first instruction on, and nothing else", async () => {
    const seen: string[] = [];
    const upstream = http.createServer((req, res) => {
      seen.push(req.url ?? "");
      res.end(`hi ${req.headers.host}`);
    });
    const service = await listenForSandbox(upstream);
    const server = await launchServer(
      fixtureRequest("service-client", {
        services: [{ port: 9100, socketPath: service.socketPath }],
        hosts: { "upstream.test": "127.0.0.1" },
      }),
    );
    try {
      const [reached, resolved, other] = await lines(server.stdout, 3);
      expect(reached).toEqual({ probe: "service", status: 200, body: "hi 127.0.0.1:9100" });
      expect(seen).toEqual(["/hello?from=sandbox"]);
      expect(resolved).toEqual({ probe: "hosts", address: "127.0.0.1" });
      expect(other).toEqual({ probe: "other-port", connected: false });
    } finally {
      await server.stop();
      await service.close();
    }
  });

  it("without services the same probe finds nothing listening and the runtime's hosts file", async () => {
    const server = await launchServer(fixtureRequest("service-client"));
    try {
      const [reached, resolved] = await lines(server.stdout, 2);
      expect(String(reached.error)).toMatch(/Connection refused|URLError/);
      expect(String(resolved.error)).toMatch(/gaierror|Name or service not known|not known/);
    } finally {
      await server.stop();
    }
  });

  it("refuses a service on the server's own HTTP port and a hosts entry that is not an address", async () => {
    const bad = [
      fixtureRequest("service-client", {
        transport: "http",
        services: [{ port: 8000, socketPath: "/tmp/x.sock" }],
      }),
      fixtureRequest("service-client", { hosts: { "upstream.test": "not-an-ip" } }),
      fixtureRequest("service-client", { services: [{ port: 80, socketPath: "/tmp/x.sock" }] }),
    ];
    for (const request of bad) {
      const err = await launchServer(request).then(
        (s) => s.stop().then(() => null),
        (e: unknown) => e,
      );
      expect(isSandboxError(err) && err.code).toBe("INVALID_REQUEST");
    }
  });
});
