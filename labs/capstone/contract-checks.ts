// The versioned contract: contract/tools.json is the published snapshot of tools/list and must equal
// what the server lists; CHANGELOG.md's newest release entry names the version the server reports.
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import { type CheckContext, type CheckDefinition, CheckFailure } from "../../conformance/check-api.ts";
import { unifiedDiff } from "../../conformance/text-diff.ts";
import { submissionFile } from "./environment.ts";
import { AREAS, CHANGELOG_FILE, CONTRACT_FILE, LESSONS } from "./world.ts";

/** The fields of a tool that make its contract (what a client and a model depend on). */
const CONTRACT_FIELDS = ["name", "description", "inputSchema", "outputSchema", "annotations"] as const;

/** semver.org's regular expression for MAJOR.MINOR.PATCH[-pre][+build]. */
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** JSON with object keys sorted at every level, so key order never counts as a change. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** A tool reduced to its contract fields, canonical. */
function contractOf(tool: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CONTRACT_FIELDS) if (tool[field] !== undefined) out[field] = canonical(tool[field]);
  return out;
}

const show = (tools: Array<Record<string, unknown>>) =>
  JSON.stringify(
    [...tools].sort((a, b) => String(a.name).localeCompare(String(b.name))),
    null,
    2,
  );

/** Reads contract/tools.json: what tools/list returns, `{ "tools": [...] }`, optionally with a "version". */
function parseContract(text: string): { version: unknown; tools: Array<Record<string, unknown>> } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CheckFailure(`${CONTRACT_FILE} is not valid JSON: ${(err as Error).message}.`, {
      hint: "Generate it from the live server rather than by hand (see README: 'The contract').",
    });
  }
  const tools = (doc as { tools?: unknown } | null)?.tools;
  if (!doc || typeof doc !== "object" || Array.isArray(doc) || !Array.isArray(tools)) {
    throw new CheckFailure(`${CONTRACT_FILE} is not an object with a "tools" array.`, {
      expected:
        '{ "version": "<serverInfo.version>" (optional), "tools": [ ...the tools of tools/list... ] }',
      actual: text.slice(0, 300),
    });
  }
  const bad = tools.findIndex((t) => !t || typeof t !== "object" || typeof t.name !== "string");
  if (bad >= 0) throw new CheckFailure(`${CONTRACT_FILE}: tools[${bad}] is not a tool with a name.`);
  return { version: (doc as { version?: unknown }).version, tools: tools as Array<Record<string, unknown>> };
}

/** What differs, tool by tool and field by field ("get_stock.inputSchema differs"). */
function differences(file: Map<string, Record<string, unknown>>, live: Map<string, Record<string, unknown>>) {
  const out: string[] = [];
  for (const name of live.keys())
    if (!file.has(name)) out.push(`${name} is served but not in ${CONTRACT_FILE}`);
  for (const name of file.keys())
    if (!live.has(name)) out.push(`${name} is in ${CONTRACT_FILE} but not served`);
  for (const [name, tool] of live) {
    const snap = file.get(name);
    if (!snap) continue;
    for (const field of CONTRACT_FIELDS) {
      if (JSON.stringify(snap[field]) !== JSON.stringify(tool[field]))
        out.push(
          `${name}.${field} ${snap[field] === undefined ? "is missing from the snapshot" : tool[field] === undefined ? "is no longer served" : "differs"}`,
        );
    }
  }
  return out;
}

/** The line diff costs lines x lines: past this (a hostile or runaway tools/list) it is left out. */
const MAX_DIFF_CELLS = 4_000_000;

function boundedDiff(before: string, after: string): string {
  const cells = before.split("\n").length * after.split("\n").length;
  if (cells > MAX_DIFF_CELLS)
    return "(the lists are too large to diff here: compare them field by field as listed above)";
  return unifiedDiff(before, after, { context: 2, maxLines: 80 });
}

const REGENERATE =
  "Write the snapshot from the running server (README, 'The contract': a few lines that list the tools and dump them), review the diff like code, and bump the version and the changelog when the contract changed.";

const contractMatches: CheckDefinition = {
  id: "contract-matches-tools-list",
  title: `${CONTRACT_FILE} equals the live tools/list: names, descriptions, schemas, annotations (and version, if it names one)`,
  severity: "must",
  lesson: LESSONS.release,
  specRef: "2025-11-25/server/tools#listing-tools",
  area: AREAS.contract,
  async run(ctx: CheckContext) {
    const text = await submissionFile(ctx, CONTRACT_FILE);
    if (text === null) {
      throw new CheckFailure(
        `Your submission has no ${CONTRACT_FILE}: the published contract is part of the release.`,
        {
          expected: `${CONTRACT_FILE} holding what tools/list returns: { "version": "<serverInfo.version>" (optional), "tools": [...] }`,
          hint: REGENERATE,
        },
      );
    }
    const contract = parseContract(text);
    const live = (await ctx.allTools()) as unknown as Tool[];
    const liveMap = new Map(live.map((t) => [t.name, contractOf(t as unknown as Record<string, unknown>)]));
    const fileMap = new Map(contract.tools.map((t) => [String(t.name), contractOf(t)]));
    const changes = differences(fileMap, liveMap);
    if (changes.length > 0) {
      const diff = boundedDiff(show([...fileMap.values()]), show([...liveMap.values()]));
      throw new CheckFailure(
        `${CONTRACT_FILE} does not match what the server lists: ${changes.slice(0, 10).join("; ")}${changes.length > 10 ? `; and ${changes.length - 10} more differences` : ""}. Clients that trust the published contract would see another one.\n--- ${CONTRACT_FILE}\n+++ tools/list (live)\n${diff}`,
        {
          expected: `${CONTRACT_FILE} equal to tools/list, field by field (${CONTRACT_FIELDS.join(", ")})`,
          actual: diff,
          hint: REGENERATE,
        },
      );
    }
    const version = ctx.server.info?.version;
    if (contract.version !== undefined && contract.version !== version) {
      throw new CheckFailure(
        `${CONTRACT_FILE} says "version": ${JSON.stringify(contract.version ?? null)}, the server says ${JSON.stringify(version ?? null)} (serverInfo.version): a contract snapshot names the release it describes.`,
        {
          expected: `"version": ${JSON.stringify(version ?? "x.y.z")} at the top of ${CONTRACT_FILE}`,
          hint: "Keep one version string: serverInfo.version, the contract snapshot and the changelog's newest entry.",
        },
      );
    }
    return `${live.length} tools, identical to the snapshot${contract.version === undefined ? "" : ` of version ${version}`}`;
  },
};

interface ReleaseEntry {
  heading: string;
  version: string | undefined;
  date: string | undefined;
  body: string;
}

const KEEP_A_CHANGELOG = /^##\s+\[([^\]]+)\](?:\([^)]*\))?\s+[-–—]\s+(\d{4}-\d{2}-\d{2})\s*$/;
const PLAIN_HEADING = /^##\s+v?(\d\S*)\s+(?:[-–—]\s+(\d{4}-\d{2}-\d{2})|\((\d{4}-\d{2}-\d{2})\))\s*$/;

/** The newest release entry: the first `## ` heading that is not "Unreleased", and its text. */
export function newestRelease(markdown: string): ReleaseEntry | undefined {
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const heading = lines[i].trim();
    if (!/^##\s/.test(heading) || /^##\s+\[?unreleased\]?/i.test(heading)) continue;
    const end = lines.findIndex((l, j) => j > i && /^##?\s/.test(l.trim()));
    const body = lines
      .slice(i + 1, end < 0 ? undefined : end)
      .join("\n")
      .trim();
    const kac = KEEP_A_CHANGELOG.exec(heading);
    const plain = PLAIN_HEADING.exec(heading);
    return {
      heading,
      version: kac?.[1] ?? plain?.[1],
      date: kac?.[2] ?? plain?.[2] ?? plain?.[3],
      body,
    };
  }
  return undefined;
}

function realDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

const changelogVersioned: CheckDefinition = {
  id: "changelog-versioned",
  title: `${CHANGELOG_FILE}'s newest entry is "## [x.y.z] - YYYY-MM-DD" for the semantic version the server reports`,
  severity: "must",
  lesson: LESSONS.publishing,
  specRef: "2025-11-25/basic/lifecycle#initialization",
  area: AREAS.contract,
  async run(ctx: CheckContext) {
    const version = ctx.server.info?.version ?? "";
    const example = `## [${SEMVER.test(version) ? version : "1.0.0"}] - ${new Date().toISOString().slice(0, 10)}`;
    ctx.expect.ok(
      SEMVER.test(version),
      `serverInfo.version is ${JSON.stringify(version)}: not a semantic version (MAJOR.MINOR.PATCH). Your server's version is the version of its contract.`,
      {
        expected: 'e.g. "1.0.0"',
        hint: 'Python: MCPServer("ops-desk", version="1.0.0"); TypeScript: new McpServer({ name: "ops-desk", version: "1.0.0" }).',
      },
    );
    const text = await submissionFile(ctx, CHANGELOG_FILE);
    if (text === null) {
      throw new CheckFailure(`Your submission has no ${CHANGELOG_FILE}.`, {
        expected: `${CHANGELOG_FILE} whose newest entry is\n${example}\n### Contract\n- ...`,
        hint: "Keep a changelog that speaks contract: one entry per release, newest first (keepachangelog.com).",
      });
    }
    const entry = newestRelease(text);
    if (!entry) {
      throw new CheckFailure(
        `${CHANGELOG_FILE} has no release entry (a "## " heading other than Unreleased).`,
        {
          expected: example,
          actual: text.slice(0, 300),
        },
      );
    }
    if (!entry.version || !entry.date) {
      throw new CheckFailure(
        `The newest entry of ${CHANGELOG_FILE}, "${entry.heading}", is not of the form ## [x.y.z] - YYYY-MM-DD.`,
        {
          expected: example,
          actual: entry.heading,
          hint: "Tools read changelogs too: one heading per release, the version in brackets, then an ISO date.",
        },
      );
    }
    ctx.expect.ok(
      SEMVER.test(entry.version),
      `The newest entry of ${CHANGELOG_FILE} names "${entry.version}", which is not a semantic version (MAJOR.MINOR.PATCH, without a "v").`,
      { expected: example, actual: entry.heading },
    );
    ctx.expect.ok(
      entry.version === version,
      `The newest entry of ${CHANGELOG_FILE} is ${entry.version}, but the server reports version ${version} (serverInfo.version): the release you ship has no changelog entry.`,
      {
        expected: `${example}, above the entry for ${entry.version}`,
        actual: entry.heading,
        hint: "Bump serverInfo.version, the contract snapshot and the changelog together, in one commit.",
      },
    );
    const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString().slice(0, 10);
    ctx.expect.ok(
      realDate(entry.date) && entry.date <= tomorrow,
      `The newest entry of ${CHANGELOG_FILE} is dated ${entry.date}, which is not a real date or lies in the future.`,
      { expected: example, actual: entry.heading },
    );
    ctx.expect.ok(
      entry.body.length > 0,
      `The entry "${entry.heading}" says nothing: integrators read it to learn what changed in the contract.`,
      { expected: `${entry.heading}\n### Contract\n- Added: ...` },
    );
    return `${entry.heading} matches serverInfo.version ${version}`;
  },
};

export const contractChecks: CheckDefinition[] = [contractMatches, changelogVersioned];
