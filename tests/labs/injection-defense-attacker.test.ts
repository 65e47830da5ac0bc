// The attacker the injection-defense lab plays (labs/injection-defense/attacker.ts), held to its
// script: what it plants and where, what it names, that the canary records every request and the
// upstream serves, redirects and plays scripts as the checks ask, and that close() takes it all
// down. The last test does the same from inside the real sandbox, as a learner's server sees it.
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { LabEnvironment } from "../../conformance/lab-environment.ts";
import {
  type Attacker,
  createAttacker,
  environment,
  plantedFiles,
  redirectPath,
} from "../../labs/injection-defense/attacker.ts";
import { DOCS_DIR, planAttack, WORK_DIR } from "../../labs/injection-defense/plan.ts";
import { defaultLimits, launchServer } from "../../sandbox/index.ts";

const SEED = 7311;
const DOCS_ROOT = `${WORK_DIR}/${DOCS_DIR}`;
const insideDocs = (absolute: string) => !path.posix.relative(DOCS_ROOT, absolute).startsWith("..");

interface Reply {
  status: number;
  location?: string;
  body: string;
}

/** A GET to a grader service through its unix socket, as the sandbox's relay would send it. */
function get(socketPath: string, urlPath: string, host = "127.0.0.1"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: urlPath, headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on("error", reject);
  });
}

function socketFor(env: LabEnvironment, port: number): string {
  const service = env.services?.find((s) => s.port === port);
  if (!service) throw new Error(`no service on port ${port}`);
  return service.socketPath;
}

describe("injection-defense attacker: the plan", () => {
  it("is the same for the same seed and different for another (names, ports, hosts)", () => {
    expect(planAttack(SEED)).toEqual(planAttack(SEED));
    const a = planAttack(SEED);
    const b = planAttack(SEED + 1);
    const names = (p: typeof a) => [
      ...Object.values(p.docs).map((d) => d.path),
      ...Object.values(p.secretFiles),
      ...Object.keys(p.symlinks),
      ...Object.keys(p.hosts),
    ];
    const shared = names(a).filter((n) => names(b).includes(n));
    // Only the fixed names may repeat: localhost is not planted, so nothing at all.
    expect(shared).toEqual([]);
    expect([a.upstream.port, a.canary.port]).not.toEqual([b.upstream.port, b.canary.port]);
    expect(a.upstream.port).not.toBe(a.canary.port);
  });

  it("plants documents under docs/ and every secret outside it, with fresh values per run", () => {
    const plan = planAttack(SEED);
    const first = createAttacker(plan).attacker;
    const second = createAttacker(plan).attacker;
    const files = plantedFiles(first);
    for (const doc of Object.values(plan.docs)) {
      expect(files[`${DOCS_DIR}/${doc.path}`]).toBe(doc.text);
      expect(doc.text).toContain(doc.marker);
      expect(doc.text.startsWith(`# ${doc.title}\n`)).toBe(true);
    }
    for (const [kind, secret] of Object.entries(first.secrets)) {
      expect(insideDocs(`${WORK_DIR}/${secret.file}`), `${kind}: ${secret.file}`).toBe(false);
      expect(files[secret.file]).toBe(`${secret.value}\n`);
      expect(second.secrets[kind as keyof Attacker["secrets"]].value).not.toBe(secret.value);
    }
    // The sibling folder's name starts like the root's, to catch a string-prefix containment test.
    expect(plan.secretFiles.sibling.startsWith(`${DOCS_DIR}-`)).toBe(true);
    expect(first.canaryBody).not.toBe(second.canaryBody);
  });

  it("links from inside docs/ to the secrets outside it", () => {
    const plan = planAttack(SEED);
    const resolved = Object.fromEntries(
      Object.entries(plan.symlinks).map(([link, target]) => [
        link,
        path.posix.isAbsolute(target) ? target : path.posix.join(WORK_DIR, path.posix.dirname(link), target),
      ]),
    );
    for (const [link, target] of Object.entries(resolved)) {
      expect(insideDocs(`${WORK_DIR}/${link}`), link).toBe(true);
      expect(insideDocs(target), `${link} -> ${target}`).toBe(false);
    }
    expect(resolved[`${DOCS_DIR}/${plan.linkPaths.relative}`]).toBe(
      `${WORK_DIR}/${plan.secretFiles.linkRelative}`,
    );
    expect(resolved[`${DOCS_DIR}/${plan.linkPaths.absolute}`]).toBe(
      `${WORK_DIR}/${plan.secretFiles.linkAbsolute}`,
    );
    expect(resolved[`${DOCS_DIR}/${plan.linkPaths.dir}`]).toBe(`${WORK_DIR}/secret`);
    expect(plan.secretFiles.linkDir.startsWith("secret/")).toBe(true);
  });

  it("names hosts that lead to loopback, metadata, a private and a public address", () => {
    const { hosts, names, addresses, upstream } = planAttack(SEED);
    expect(hosts[upstream.host]).toBe("127.0.0.1");
    expect(hosts[names.intranet]).toBe("127.0.0.1");
    expect(hosts[names.ipv6Loopback]).toBe("::1");
    expect(hosts[names.metadata]).toBe("169.254.169.254");
    expect(hosts[names.database]).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(hosts[names.public]).toBe(addresses.public);
    expect(addresses.public).toMatch(/^93\.184\.215\.\d+$/);
  });
});

describe("injection-defense attacker: the services", () => {
  it("records every canary request, serves, redirects and plays scripts upstream, and closes without a trace", async () => {
    const logs: string[] = [];
    const env = await environment({ seed: SEED, lang: null, log: (m) => logs.push(m) });
    const attacker = env.state as Attacker;
    const { plan } = attacker;
    const canary = socketFor(env, plan.canary.port);
    const upstream = socketFor(env, plan.upstream.port);
    try {
      expect(env.env).toEqual({ FETCH_ALLOWED_ORIGINS: plan.upstream.origin });
      expect(env.hosts).toEqual(plan.hosts);
      expect(env.symlinks).toEqual(plan.symlinks);
      expect(env.plantFiles).toEqual(plantedFiles(attacker));
      expect(logs.join("\n")).toContain(`canary 127.0.0.1:${plan.canary.port}`);

      expect(await get(canary, "/probe-1", `intranet:${plan.canary.port}`)).toEqual({
        status: 200,
        location: undefined,
        body: attacker.canaryBody,
      });
      expect(attacker.canaryHits).toEqual([
        { method: "GET", path: "/probe-1", host: `intranet:${plan.canary.port}`, status: 200 },
      ]);
      expect(attacker.canaryHitsFor("probe-1")).toHaveLength(1);
      expect(attacker.canaryHitsFor("probe-2")).toHaveLength(0);
      // A tag matches the first path segment exactly, never a prefix of it.
      expect(attacker.canaryHitsFor("probe")).toHaveLength(0);

      expect((await get(upstream, plan.remoteDoc.path)).body).toBe(plan.remoteDoc.text);
      expect((await get(upstream, "/nothing-here")).status).toBe(404);
      const target = `http://127.0.0.1:${plan.canary.port}/probe-3`;
      for (const status of [301, 302, 303, 307]) {
        const reply = await get(upstream, redirectPath(status, target));
        expect({ status: reply.status, location: reply.location }).toEqual({ status, location: target });
      }
      attacker.script("/notes/a.md", "scripted text");
      expect(await get(upstream, "/notes/a.md")).toMatchObject({ status: 200, body: "scripted text" });
      expect(attacker.upstreamHits.map((h) => h.status)).toEqual([200, 404, 301, 302, 303, 307, 200]);
      // Redirecting is all the upstream does: it never follows its own Location.
      expect(attacker.canaryHitsFor("probe-3")).toHaveLength(0);
    } finally {
      await env.close();
    }
    expect(existsSync(canary)).toBe(false);
    expect(existsSync(upstream)).toBe(false);
    await expect(get(canary, "/after-close")).rejects.toThrow(/ENOENT|ECONNREFUSED/);

    const again = await environment({ seed: SEED, lang: null, log: () => undefined });
    try {
      const next = again.state as Attacker;
      expect(next.canaryHits).toEqual([]);
      expect(next.secrets.traversal.file).toBe(attacker.secrets.traversal.file);
      expect(next.secrets.traversal.value).not.toBe(attacker.secrets.traversal.value);
    } finally {
      await again.close();
    }
  });
});

// A probe, not an MCP server: prints what it finds inside the sandbox as one JSON line.
const PROBE = `
import http.client, json, os, socket
p = json.loads(os.environ["PROBE"])
out = {"files": {}, "links": {}, "resolved": {}}
for rel in p["files"]:
    out["files"][rel] = open(os.path.join("/app", rel)).read() if os.path.isfile(os.path.join("/app", rel)) else None
for rel in p["links"]:
    out["links"][rel] = os.readlink(os.path.join("/app", rel))
for name in p["names"]:
    try:
        out["resolved"][name] = socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)[0][4][0]
    except OSError as e:
        out["resolved"][name] = repr(e)
c = http.client.HTTPConnection(p["intranet"], p["canaryPort"], timeout=3)
c.request("GET", "/from-the-sandbox")
r = c.getresponse()
out["canary"] = {"status": r.status, "body": r.read().decode()}
u = http.client.HTTPConnection(p["upstreamHost"], p["upstreamPort"], timeout=3)
u.request("GET", p["redirect"])
r = u.getresponse()
out["redirect"] = {"status": r.status, "location": r.getheader("Location")}
print(json.dumps(out), flush=True)
`;

describe("injection-defense attacker: inside the sandbox", () => {
  it("the server finds the planted files and links, the names resolve, and the canary and redirector answer", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "injection-defense-probe-"));
    await writeFile(path.join(dir, "server.py"), PROBE);
    const env = await environment({ seed: SEED, lang: "python", log: () => undefined });
    const attacker = env.state as Attacker;
    const { plan } = attacker;
    const canaryTarget = `http://127.0.0.1:${plan.canary.port}/never`;
    const probe = {
      files: Object.keys(env.plantFiles ?? {}),
      links: Object.keys(plan.symlinks),
      names: Object.keys(plan.hosts),
      intranet: plan.names.intranet,
      canaryPort: plan.canary.port,
      upstreamHost: plan.upstream.host,
      upstreamPort: plan.upstream.port,
      redirect: redirectPath(302, canaryTarget),
    };
    const server = await launchServer({
      sourceDir: dir,
      language: "python",
      entry: "server.py",
      transport: "stdio",
      limits: defaultLimits,
      env: { ...env.env, PROBE: JSON.stringify(probe) },
      services: env.services,
      hosts: env.hosts,
      plantFiles: env.plantFiles,
      symlinks: env.symlinks,
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buffer = "";
        server.stdout.on("data", (chunk: Buffer) => {
          buffer += chunk.toString("utf8");
          if (buffer.includes("\n")) resolve(buffer.split("\n")[0]);
        });
        void server.exited.then(() => reject(new Error(`probe exited: ${server.stderrText()}`)));
      });
      const seen = JSON.parse(line) as {
        files: Record<string, string | null>;
        links: Record<string, string>;
        resolved: Record<string, string>;
        canary: { status: number; body: string };
        redirect: { status: number; location: string };
      };
      expect(seen.files).toEqual(env.plantFiles);
      expect(seen.links).toEqual(plan.symlinks);
      expect(seen.resolved).toEqual(plan.hosts);
      expect(seen.canary).toEqual({ status: 200, body: attacker.canaryBody });
      expect(attacker.canaryHits).toEqual([
        {
          method: "GET",
          path: "/from-the-sandbox",
          host: `${plan.names.intranet}:${plan.canary.port}`,
          status: 200,
        },
      ]);
      expect(seen.redirect).toEqual({ status: 302, location: canaryTarget });
      expect(attacker.upstreamHits.map((h) => h.path)).toEqual([probe.redirect]);
    } finally {
      await server.stop();
      await env.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
