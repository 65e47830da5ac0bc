// A service the grader runs for a sandboxed server (an upstream API, an authorization server, an
// attacker's web site): it listens on a unix socket that the sandbox binds in and relays from
// 127.0.0.1:<port> inside the server's network namespace (LaunchRequest.services). The socket is
// the only thing shared: the server cannot reach the grader's other ports or files.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface GraderService {
  /** Host path of the listening socket: goes into LaunchRequest.services with the sandbox port. */
  socketPath: string;
  close(): Promise<void>;
}

/** Starts `server` (a net.Server or http.Server, not yet listening) on a socket the sandbox can use. */
export async function listenForSandbox(server: Server): Promise<GraderService> {
  const dir = await mkdtemp(path.join(tmpdir(), "mcp-lab-service-"));
  // bwrap resolves the bind source as the sandbox user: it needs search (not read) on the directory
  // and write on the socket to connect.
  await chmod(dir, 0o711);
  const socketPath = path.join(dir, "service.sock");
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  await chmod(socketPath, 0o666);
  return {
    socketPath,
    close: async () => {
      // Open keep-alive connections would hold close() until they time out.
      (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
