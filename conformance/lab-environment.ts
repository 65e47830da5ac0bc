// What a lab's grader plays besides the client: services the server calls (an upstream API, an
// authorization server), files an attacker plants, names it resolves. A lab's checks.ts may export
//
//   export async function environment(input: LabEnvironmentInput): Promise<LabEnvironment> { ... }
//
// The engine calls it once per run, before the server starts, with the run's seed; hands `state` to
// every check as ctx.environment; and closes it when the run ends, so nothing (keys, tokens, files)
// outlives the run. A raw connection's second server process gets the same environment.
export interface LabEnvironmentInput {
  seed: number;
  lang: "python" | "typescript" | null;
  /** A `[grader]` line in the transcript. */
  log(message: string): void;
}

export interface LabEnvironment {
  /** Extra environment for the server, e.g. UPSTREAM_URL=http://127.0.0.1:9100. */
  env?: Record<string, string>;
  /** Grader services: 127.0.0.1:<port> inside the sandbox -> the socket (sandbox listenForSandbox). */
  services?: Array<{ port: number; socketPath: string }>;
  /** /etc/hosts entries inside the sandbox. */
  hosts?: Record<string, string>;
  /**
   * Streamable HTTP: headers the grader's own MCP client sends on every request (the main session
   * and ctx.openRawConnection()), e.g. { authorization: "Bearer <token>" } for a protected server.
   * Raw requests through ctx.http.fetch carry only the headers the check sets.
   */
  httpHeaders?: Record<string, string>;
  /** Files and symlinks planted in the server's work dir before it starts. */
  plantFiles?: Record<string, string>;
  symlinks?: Record<string, string>;
  /** The lab's own handle on what it runs (counters, scripts, keys); checks read ctx.environment. */
  state?: unknown;
  close(): Promise<void>;
}

export type LabEnvironmentFactory = (input: LabEnvironmentInput) => Promise<LabEnvironment>;
