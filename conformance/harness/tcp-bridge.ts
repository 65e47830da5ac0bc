// A loopback TCP front for a server that is only reachable through the sandbox's unix socket,
// for tools that need a URL (the official conformance suite). HTTP-aware so it can translate
// addresses: a Host/Origin naming the bridge becomes the server's own, anything else passes
// unchanged (so DNS-rebinding probes still carry their foreign Host and Origin). The tool behind the
// bridge plays the grader's own client, so it gets the client's headers (e.g. the bearer token of a
// protected server) on every request that does not set them itself.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TcpBridge {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  close(): Promise<void>;
}

export async function startTcpBridge(
  socketPath: string,
  serverPort: number | undefined,
  clientHeaders: Record<string, string> = {},
): Promise<TcpBridge> {
  let bridgeHost = "";
  const serverHost = `127.0.0.1${serverPort ? `:${serverPort}` : ""}`;
  const translate = (value: string | undefined, prefix: string): string | undefined => {
    if (value === undefined) return undefined;
    for (const own of [`127.0.0.1:${bridgeHost}`, `localhost:${bridgeHost}`]) {
      if (value === `${prefix}${own}`) return `${prefix}${serverHost}`;
    }
    return value;
  };
  const server = http.createServer((req, res) => {
    const headers = { ...req.headers };
    for (const [name, value] of Object.entries(clientHeaders)) {
      const key = name.toLowerCase();
      if (headers[key] === undefined) headers[key] = value;
    }
    headers.host = translate(req.headers.host, "") ?? serverHost;
    const origin = translate(req.headers.origin, "http://");
    if (origin !== undefined) headers.origin = origin;
    const upstream = http.request({ socketPath, method: req.method, path: req.url, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.statusMessage, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
    res.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  bridgeHost = String((server.address() as AddressInfo).port);
  return {
    origin: `http://127.0.0.1:${bridgeHost}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
