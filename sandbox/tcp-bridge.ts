// For tools that only speak TCP (the @modelcontextprotocol/conformance CLI, the Inspector): a
// listener on the host's loopback that pipes each connection to the run's unix socket. Anything
// on this host can connect while it is open, so open it only for the run that needs it and close it.
import net from "node:net";

export interface TcpBridge {
  port: number;
  /** http://127.0.0.1:<port><path> */
  url(pathname?: string): string;
  close(): Promise<void>;
}

/** `port` 0 (the default) takes a free one. */
export function exposeOnTcp(socketPath: string, host = "127.0.0.1", port = 0): Promise<TcpBridge> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(socketPath);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({
        port,
        url: (pathname = "/mcp") => `http://${host}:${port}${pathname}`,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}
