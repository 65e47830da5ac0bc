// Seeded inputs for the contract-boundaries checks: which services to use, incident titles,
// severities and resolutions. Titles and resolutions carry made-up words from the run's seed, so a
// server that hard-codes one run's answers fails the next.
import type { SeededRandom } from "../../conformance/check-api.ts";
import { SERVICES, SEVERITIES, type Severity } from "./catalogue.ts";

const SYMPTOMS = [
  "Elevated 5xx errors",
  "Latency above the SLO",
  "Queue backlog growing",
  "Stale results served",
  "Login failures spiking",
  "Deliveries delayed",
  "Timeouts from the database",
];
const FIXES = [
  "Rolled back the last deploy",
  "Failed over to the secondary region",
  "Restarted the stuck workers",
  "Raised the connection pool limit",
  "Purged the poisoned cache entries",
];

export type IncidentInput = { service: string; title: string; severity: Severity };

/** Every service name, in a seeded order. */
export function serviceNames(random: SeededRandom): string[] {
  return random.shuffle(SERVICES.map((s) => s.name));
}

/** A new incident's arguments: a seeded title (with a made-up word in it) on a seeded or given service. */
export function incidentInput(random: SeededRandom, service?: string, severity?: Severity): IncidentInput {
  return {
    service: service ?? random.pick(SERVICES).name,
    title: `${random.pick(SYMPTOMS)} (${random.word()})`,
    severity: severity ?? random.pick(SEVERITIES),
  };
}

export function resolutionText(random: SeededRandom): string {
  return `${random.pick(FIXES)}; ticket ${random.word()}-${random.int(100, 999)}.`;
}

/** A name that is no service: made-up words never collide with the catalogue. */
export function unknownService(random: SeededRandom): string {
  return `${random.word()}-svc`;
}

/** An id in the server's own format (when it ends in digits) that it never issued. */
export function unknownIncidentId(random: SeededRandom, knownId: string): string {
  const match = knownId.match(/^(.*?)(\d+)$/);
  const number = String(random.int(7000, 9999));
  if (match) return `${match[1]}${number.padStart(match[2].length, "0")}`;
  return `INC-${number}`;
}
