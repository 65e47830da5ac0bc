// Checks on fetch_url (server-side request forgery). Inside the sandbox only loopback exists, so
// the grader proves refusals two ways: addresses it can observe (127.0.0.1:<canary>, and whatever
// reaches it) must never get a request; addresses nothing answers on (private, metadata) must be
// refused by policy, with an error that says "blocked", not tried and failed with a network error.
import { type CheckContext, type CheckDefinition, CheckFailure } from "../../conformance/check-api.ts";
import { type Attacker, redirectPath } from "./attacker.ts";
import { attackCheck, attackerOf, attempt, excerpt } from "./calls.ts";
import { type SecretKind, WORK_DIR } from "./plan.ts";

const SPEC = "2025-11-25/server/tools#security-considerations";

interface UrlAttack {
  url: string;
  /** What the address is: "127.0.0.1 (loopback)". */
  what: string;
  /** A unique path segment, when the URL leads to the canary. */
  tag?: string;
  /** A URL that reads a planted file: any refusal will do, as long as the secret stays put. */
  secret?: SecretKind;
}

const CLASSIFY =
  "Resolve the host (socket.getaddrinfo / dns.lookup with all: true), refuse unless every address is public (Python: ipaddress.ip_address(a).is_global, unwrapping ipv4_mapped; Node: a net.BlockList of the private, loopback, link-local and unique-local ranges), then connect to the address you checked.";

async function expectBlocked(ctx: CheckContext, attacker: Attacker, attacks: UrlAttack[], hint: string) {
  for (const attack of attacks) {
    const a = await attempt(ctx, "fetch_url", { url: attack.url });
    if (attack.secret) {
      if (a.raw.includes(attacker.secrets[attack.secret].value) || a.outcome === "ok") {
        throw new CheckFailure(`${a.call} read a local file: ${attack.what}.`, {
          expected: "a refusal: only http and https URLs are fetched",
          actual: excerpt(a),
          hint: "Allow the schemes http and https and nothing else (urllib.request.urlopen opens file:// URLs).",
        });
      }
      continue;
    }
    const hit = attack.tag ? attacker.canaryHitsFor(attack.tag)[0] : undefined;
    if (hit || a.raw.includes(attacker.canaryBody)) {
      throw new CheckFailure(
        `${a.call} connected to the grader's canary on 127.0.0.1:${attacker.plan.canary.port}${hit ? ` (it received ${hit.method} ${hit.path})` : ""}: the URL names ${attack.what}, and the server fetched it.`,
        {
          expected: 'a refusal before connecting: isError: true, text saying "blocked"',
          actual: excerpt(a),
          hint,
        },
      );
    }
    if (a.outcome === "blocked") continue;
    const tried =
      a.outcome === "error"
        ? `failed with "${excerpt(a)}": it was not refused, it tried to connect to ${attack.what}. Only this sandbox's empty network stopped it; in production the request would have gone through`
        : `was accepted: it names ${attack.what}`;
    throw new CheckFailure(`${a.call} ${tried}.`, {
      expected: 'a refusal before connecting: isError: true, text saying "blocked"',
      actual: excerpt(a),
      hint,
    });
  }
  return `refused all ${attacks.length}: ${attacks.map((a) => a.url).join(", ")}`;
}

type UrlCheck = Parameters<typeof attackCheck<UrlAttack>>[0];
const urlAttacks = (spec: UrlCheck) => attackCheck(spec, expectBlocked);

/** URLs aimed at the canary, each with its own tag so a hit says which one got through. */
function canaryUrl(ctx: CheckContext, attacker: Attacker, host: string, what: string): UrlAttack {
  const tag = ctx.random.id(`probe-${ctx.random.word()}`);
  return { url: `http://${host}:${attacker.plan.canary.port}/${tag}`, what, tag };
}

const byte = (ctx: CheckContext) => ctx.random.int(1, 254);

export const fetchChecks: CheckDefinition[] = [
  {
    id: "fetch-allowed-origin",
    title: "fetch_url fetches from the operator's allowed origin (FETCH_ALLOWED_ORIGINS)",
    severity: "must",
    lesson: "m5/least-privilege",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const attacker = attackerOf(ctx);
      const { upstream, remoteDoc } = attacker.plan;
      const url = `${upstream.origin}${remoteDoc.path}`;
      const a = await attempt(ctx, "fetch_url", { url });
      const seen = attacker.upstreamHits.some((h) => h.path === remoteDoc.path);
      if (a.outcome !== "ok" || !a.raw.includes(remoteDoc.marker)) {
        throw new CheckFailure(
          `${a.call} did not return the page${seen ? " (the grader's upstream did serve it)" : " (the grader's upstream never got the request)"}.`,
          {
            expected: `the page's text (it contains ${remoteDoc.marker})`,
            actual: excerpt(a),
            hint: `FETCH_ALLOWED_ORIGINS (here ${upstream.origin}) lists origins the operator trusts even though they resolve to internal addresses: allow exactly those (same scheme, host and port), judge everything else by address.`,
          },
        );
      }
      return `fetched ${url}`;
    },
  },
  {
    id: "fetch-allows-public",
    title: "fetch_url does not block public addresses",
    severity: "must",
    lesson: "m5/least-privilege",
    specRef: "2025-11-25/server/tools#calling-tools",
    requires: ["tools-listed"],
    async run(ctx: CheckContext) {
      const { plan } = attackerOf(ctx);
      const page = `/handbook/${ctx.random.word()}.html`;
      for (const url of [`http://${plan.names.public}${page}`, `http://${plan.addresses.public}${page}`]) {
        const a = await attempt(ctx, "fetch_url", { url });
        if (a.outcome === "blocked") {
          throw new CheckFailure(
            `${a.call} was blocked, but ${plan.names.public} resolves to ${plan.addresses.public}, a public address: the tool exists to fetch public pages.`,
            {
              expected:
                "an attempt (this sandbox has no route out, so a network error is fine), not a refusal",
              actual: excerpt(a),
              hint: 'Refuse by address class (loopback, private, link-local, unique-local, ...), not everything outside the allow-list; and keep the word "blocked" for policy refusals, not for network errors.',
            },
          );
        }
      }
      return `not blocked: ${plan.names.public} and ${plan.addresses.public} (no route out of the sandbox, so a network error is the expected answer)`;
    },
  },
  urlAttacks({
    id: "fetch-refuses-loopback",
    title: "fetch_url refuses loopback addresses and file:// URLs",
    requires: ["tools-listed"],
    hint: CLASSIFY,
    attacks: (ctx, attacker) => [
      canaryUrl(ctx, attacker, "127.0.0.1", "127.0.0.1 (loopback)"),
      canaryUrl(
        ctx,
        attacker,
        `127.${byte(ctx)}.${byte(ctx)}.${byte(ctx)}`,
        "an address in 127.0.0.0/8 (all of it is loopback)",
      ),
      canaryUrl(ctx, attacker, "[::1]", "::1 (IPv6 loopback)"),
      canaryUrl(ctx, attacker, "[::ffff:127.0.0.1]", "127.0.0.1 as an IPv4-mapped IPv6 address"),
      canaryUrl(ctx, attacker, "0.0.0.0", "0.0.0.0 (connecting to it reaches loopback on Linux)"),
      {
        url: `file://${WORK_DIR}/${attacker.secrets.fileScheme.file}`,
        what: "file:// URLs reach the server's own disk",
        secret: "fileScheme",
      },
    ],
  }),
  urlAttacks({
    id: "fetch-refuses-private",
    title: "fetch_url refuses private and unique-local addresses",
    requires: ["tools-listed"],
    hint: CLASSIFY,
    attacks: (ctx) => {
      const path = `/admin/${ctx.random.word()}`;
      return [
        {
          url: `http://10.${byte(ctx)}.${byte(ctx)}.${byte(ctx)}${path}`,
          what: "an address in 10.0.0.0/8 (private)",
        },
        {
          url: `http://172.${ctx.random.int(16, 31)}.${byte(ctx)}.${byte(ctx)}${path}`,
          what: "an address in 172.16.0.0/12 (private)",
        },
        {
          url: `http://192.168.${byte(ctx)}.${byte(ctx)}${path}`,
          what: "an address in 192.168.0.0/16 (private)",
        },
        {
          url: `http://[fd${ctx.random.int(16, 255).toString(16)}::${byte(ctx)}]${path}`,
          what: "a unique-local IPv6 address (fc00::/7)",
        },
        {
          url: "http://[fd00:ec2::254]/latest/meta-data/",
          what: "fd00:ec2::254, the cloud metadata service's IPv6 address (unique-local)",
        },
      ];
    },
  }),
  urlAttacks({
    id: "fetch-refuses-metadata",
    title: "fetch_url refuses the cloud metadata address and other link-local addresses",
    requires: ["tools-listed"],
    hint: CLASSIFY,
    attacks: (ctx) => [
      {
        url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        what: "169.254.169.254, the cloud metadata service (it hands out the machine's credentials)",
      },
      { url: `http://169.254.${byte(ctx)}.${byte(ctx)}/`, what: "an address in 169.254.0.0/16 (link-local)" },
      { url: `http://[fe80::${byte(ctx).toString(16)}]/`, what: "an IPv6 link-local address (fe80::/10)" },
    ],
  }),
  urlAttacks({
    id: "fetch-resolves-hostnames",
    title: "fetch_url judges host names by the addresses they resolve to",
    requires: ["fetch-refuses-loopback", "fetch-refuses-private", "fetch-refuses-metadata"],
    hint: `A name says nothing about where it leads; the attacker controls DNS. ${CLASSIFY}`,
    attacks: (ctx, attacker) => {
      const { names, addresses } = attacker.plan;
      return [
        canaryUrl(ctx, attacker, names.intranet, `${names.intranet}, a name that resolves to 127.0.0.1`),
        canaryUrl(ctx, attacker, "localhost", "localhost (127.0.0.1)"),
        canaryUrl(ctx, attacker, names.ipv6Loopback, `${names.ipv6Loopback}, a name that resolves to ::1`),
        canaryUrl(ctx, attacker, "2130706433", "127.0.0.1 written as one decimal number"),
        canaryUrl(ctx, attacker, "0x7f.1", "127.0.0.1 in hexadecimal shorthand"),
        {
          url: `http://${names.metadata}/latest/meta-data/`,
          what: `${names.metadata}, a name that resolves to 169.254.169.254`,
        },
        {
          url: `http://${names.database}/`,
          what: `${names.database}, a name that resolves to ${addresses.database}`,
        },
      ];
    },
  }),
  {
    id: "fetch-redirect-refused",
    title: "fetch_url does not follow redirects into loopback",
    severity: "must",
    lesson: "m5/threat-model",
    specRef: SPEC,
    requires: ["fetch-allowed-origin", "fetch-refuses-loopback"],
    async run(ctx: CheckContext) {
      const attacker = attackerOf(ctx);
      const { origin } = attacker.plan.upstream;
      const hint =
        "Turn off automatic redirects (urllib: a redirect handler that raises, or http.client; Node: node:http, or fetch with redirect: 'manual'), and judge every Location like a new URL before following it, or do not follow at all.";
      for (const status of [302, 301, 307, 303]) {
        const target = canaryUrl(
          ctx,
          attacker,
          status === 307 ? "[::ffff:127.0.0.1]" : "127.0.0.1",
          "loopback",
        );
        const url = `${origin}${redirectPath(status, target.url)}`;
        const a = await attempt(ctx, "fetch_url", { url });
        const hit = attacker.canaryHitsFor(target.tag as string)[0];
        if (hit || a.raw.includes(attacker.canaryBody)) {
          throw new CheckFailure(
            `${a.call}: the allowed upstream answered ${status} with Location: ${target.url}, and the server followed it to the grader's canary${hit ? ` (which received ${hit.method} ${hit.path})` : ""}. A redirect is a new request to a new address.`,
            { expected: "the redirect refused (or returned unfollowed)", actual: excerpt(a), hint },
          );
        }
        if (
          !attacker.upstreamHits.some((h) => h.path.startsWith(`/moved/${status}`) && h.status === status)
        ) {
          throw new CheckFailure(
            `${a.call} never reached the allowed upstream, so the redirect was not tested.`,
            {
              expected: "a request to the allowed origin",
              actual: excerpt(a),
              hint,
            },
          );
        }
      }
      return "302, 301, 307 and 303 into loopback: none followed";
    },
  },
];
