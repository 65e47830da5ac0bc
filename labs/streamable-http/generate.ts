// Seeded inputs for the streamable-http checks: names, messages, idempotency keys and job handles
// change with the run's seed, so an answer hard-coded for one run fails the next.
import type { SeededRandom } from "../../conformance/check-api.ts";

export interface GreetingInput {
  to: string;
  message: string;
  idempotency_key: string;
}

/** A name the server has never seen: a made-up word, capitalised. */
export function personName(random: SeededRandom): string {
  const word = random.word();
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** A send_greeting argument set with its own idempotency key. */
export function greetingInput(random: SeededRandom): GreetingInput {
  return {
    to: personName(random),
    message: `${random.sentence(4)}.`,
    idempotency_key: `key-${random.word()}-${random.int(100_000, 999_999)}`,
  };
}

/** A job handle for slow_count. */
export function jobHandle(random: SeededRandom): string {
  return `job-${random.word()}-${random.int(1000, 9999)}`;
}
