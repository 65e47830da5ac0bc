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
  /**
   * The folder holding this run's copy of the submitted files, for labs that grade files besides
   * the server (e.g. a contract snapshot or a changelog). Read it, never write it.
   */
  sourceDir?: string;
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

/** Merges records; a key in two of them is a conflict between the parts (our bug): it throws. */
function mergeRecords(
  what: string,
  records: Array<Record<string, string> | undefined>,
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  let any = false;
  for (const record of records) {
    for (const [key, value] of Object.entries(record ?? {})) {
      if (key in out && out[key] !== value)
        throw new Error(`combined environments: two parts set ${what} ${key}`);
      out[key] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

/**
 * Starts several environments for one run and combines them, for a lab whose grader plays the roles
 * of other labs at once (the capstone: authorization server, upstream, attacker). Env, hosts, files,
 * symlinks and headers are merged (the same name with two values throws), services must use
 * distinct ports, `state` is the parts' states in order, and `close()` closes every part. If one
 * part fails to start, the parts already started are closed before the error is rethrown.
 */
export async function combineEnvironments(
  input: LabEnvironmentInput,
  factories: LabEnvironmentFactory[],
): Promise<LabEnvironment & { state: unknown[] }> {
  const parts: LabEnvironment[] = [];
  const closeAll = async () => {
    await Promise.all(parts.map((p) => p.close().catch(() => undefined)));
  };
  try {
    for (const factory of factories) parts.push(await factory(input));
    const services = parts.flatMap((p) => p.services ?? []);
    const ports = services.map((s) => s.port);
    const clash = ports.find((port, i) => ports.indexOf(port) !== i);
    if (clash !== undefined) throw new Error(`combined environments: two parts listen on port ${clash}`);
    const env = mergeRecords(
      "env",
      parts.map((p) => p.env),
    );
    const hosts = mergeRecords(
      "host",
      parts.map((p) => p.hosts),
    );
    const plantFiles = mergeRecords(
      "file",
      parts.map((p) => p.plantFiles),
    );
    const symlinks = mergeRecords(
      "symlink",
      parts.map((p) => p.symlinks),
    );
    const httpHeaders = mergeRecords(
      "header",
      parts.map((p) => p.httpHeaders),
    );
    return {
      ...(env ? { env } : {}),
      ...(services.length ? { services } : {}),
      ...(hosts ? { hosts } : {}),
      ...(plantFiles ? { plantFiles } : {}),
      ...(symlinks ? { symlinks } : {}),
      ...(httpHeaders ? { httpHeaders } : {}),
      state: parts.map((p) => p.state),
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** The parts of an environment that go into the server's LaunchRequest (none without one). */
export function launchFieldsOf(
  environment: LabEnvironment | null | undefined,
): Pick<LabEnvironment, "env" | "services" | "hosts" | "plantFiles" | "symlinks"> {
  if (!environment) return {};
  const { env, services, hosts, plantFiles, symlinks } = environment;
  return Object.fromEntries(
    Object.entries({ env, services, hosts, plantFiles, symlinks }).filter(([, v]) => v !== undefined),
  );
}
