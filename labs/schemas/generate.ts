// Seeded inputs for the schemas checks: valid tickets (including every boundary value) and one
// family of violating inputs per constraint. Every value comes from the run's seed.

import type { SeededRandom } from "../../conformance/check-api.ts";

type Rand = SeededRandom;
export type Args = Record<string, unknown>;

export const PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export const COMPONENTS = ["api", "web", "mobile", "billing", "infra"] as const;
export const REQUIRED = ["title", "component", "estimate_hours"] as const;

const WORDS = [
  "checkout",
  "login",
  "invoice",
  "search",
  "upload",
  "webhook",
  "report",
  "session",
  "export",
  "cache",
];
const VERBS = [
  "fails",
  "hangs",
  "times out",
  "returns 500",
  "shows stale data",
  "double-charges",
  "logs out",
];

const int = (rand: Rand, min: number, max: number): number => rand.int(min, max);
const pick = <T>(rand: Rand, items: readonly T[]): T => rand.pick(items);
const token = (rand: Rand): string => rand.word();

/** `length` random letters: exact lengths for the boundary cases. */
function letters(rand: Rand, length: number): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += String.fromCharCode(97 + rand.int(0, 25));
  return out;
}

function distinctLabels(rand: Rand, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${pick(rand, WORDS)}-${i}-${letters(rand, 4)}`);
}

/** A realistic, fully valid ticket with every field set. */
export function validTicket(rand: Rand): Args {
  return {
    title: `${pick(rand, WORDS)} ${pick(rand, VERBS)} (${token(rand)})`,
    priority: pick(rand, PRIORITIES),
    component: pick(rand, COMPONENTS),
    estimate_hours: int(rand, 2, 39),
    labels: distinctLabels(rand, int(rand, 1, 4)),
  };
}

/** Valid tickets that sit exactly on each boundary the schema allows. */
export function boundaryTickets(rand: Rand): Array<{ what: string; args: Args }> {
  const base = (): Args => ({ ...validTicket(rand) });
  return [
    { what: "a 3-character title", args: { ...base(), title: letters(rand, 3) } },
    { what: "a 120-character title", args: { ...base(), title: letters(rand, 120) } },
    { what: "estimate_hours = 1", args: { ...base(), estimate_hours: 1 } },
    { what: "estimate_hours = 40", args: { ...base(), estimate_hours: 40 } },
    { what: "5 distinct labels", args: { ...base(), labels: distinctLabels(rand, 5) } },
    {
      what: "no labels and no priority",
      args: { title: base().title, component: pick(rand, COMPONENTS), estimate_hours: 8 },
    },
  ];
}

/** One violating input: which field is wrong, the arguments sent, and why they must be rejected. */
export type Violation = { field: string; why: string; args: Args };

export function outOfRange(rand: Rand): Violation[] {
  const v = (field: string, why: string, patch: Args): Violation => ({
    field,
    why,
    args: { ...validTicket(rand), ...patch },
  });
  return [
    v("title", "title is 2 characters (minimum 3)", { title: letters(rand, 2) }),
    v("title", "title is 121 characters (maximum 120)", { title: letters(rand, 121) }),
    v("estimate_hours", "estimate_hours is 0 (minimum 1)", { estimate_hours: 0 }),
    v("estimate_hours", "estimate_hours is 41 (maximum 40)", { estimate_hours: 41 }),
    v("estimate_hours", "estimate_hours is not an integer", { estimate_hours: int(rand, 2, 30) + 0.5 }),
  ];
}

export function unknownEnums(rand: Rand): Violation[] {
  const badPriority = pick(rand, ["critical", "blocker", "asap", "p0", "High", "MEDIUM"]);
  const badComponent = pick(rand, ["payments", "desktop", "backend", "frontend", "Web", "API"]);
  return [
    {
      field: "priority",
      why: `priority is "${badPriority}"`,
      args: { ...validTicket(rand), priority: badPriority },
    },
    {
      field: "component",
      why: `component is "${badComponent}"`,
      args: { ...validTicket(rand), component: badComponent },
    },
  ];
}

export function missingRequired(rand: Rand): Violation[] {
  return REQUIRED.map((field) => {
    const args = validTicket(rand);
    delete args[field];
    return { field, why: `${field} is missing`, args };
  });
}

export function extraProperty(rand: Rand): Violation {
  const field = `${pick(rand, ["assignee", "due_date", "severity", "owner", "sprint"])}_${letters(rand, 5)}`;
  return {
    field,
    why: `"${field}" is not a declared argument`,
    args: { ...validTicket(rand), [field]: token(rand) },
  };
}

export function badLabels(rand: Rand): Violation[] {
  const labels = distinctLabels(rand, 3);
  return [
    {
      field: "labels",
      why: "labels has a duplicate",
      args: { ...validTicket(rand), labels: [...labels, labels[1]] },
    },
    {
      field: "labels",
      why: "labels has 6 entries (maximum 5)",
      args: { ...validTicket(rand), labels: distinctLabels(rand, 6) },
    },
  ];
}

/** An id in the server's own format that it never issued (when we know the format). */
export function unknownId(rand: Rand, knownId: string | undefined): string {
  const match = knownId?.match(/^(.*?)(\d+)$/);
  if (match) return `${match[1]}${String(int(rand, 7000, 9999)).padStart(match[2].length, "0")}`;
  return `TCK-${int(rand, 7000, 9999)}`;
}
