// Seeded test data for the hello-server checks. Every note carries made-up words from the run's
// seed, so a server that hard-codes one run's answers fails the next.
import type { SeededRandom } from "../../conformance/check-api.ts";

const ADJECTIVES = [
  "amber",
  "brisk",
  "cobalt",
  "dusty",
  "eager",
  "fabled",
  "gentle",
  "hollow",
  "ivory",
  "jolly",
];
const NOUNS = [
  "harbor",
  "lantern",
  "meadow",
  "orchard",
  "pebble",
  "quarry",
  "ribbon",
  "saddle",
  "thicket",
  "violin",
];
const TOPICS = ["budget review", "garden plans", "release checklist", "reading list", "trip to Lisbon"];

export type NoteInput = { title: string; body: string; tags: string[] };

/** A made-up word long enough (two generated words) that it never turns up by accident. */
export function marker(random: SeededRandom): string {
  return random.word() + random.word();
}

/** A note whose body carries `mark`, so a search for it finds exactly this note. */
export function note(random: SeededRandom, mark: string): NoteInput {
  return {
    title: `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)} ${random.int(100, 999)}`,
    body: `Remember the ${random.pick(NOUNS)} near the ${random.pick(NOUNS)}: ${mark}.`,
    tags: [random.pick(ADJECTIVES), random.word()],
  };
}

/** `count` notes, each with its own marker, none of which occurs in any other note. */
export function distinctNotes(
  random: SeededRandom,
  count: number,
): Array<{ mark: string; input: NoteInput }> {
  for (;;) {
    const notes = Array.from({ length: count }, () => {
      const mark = marker(random);
      return { mark, input: note(random, mark) };
    });
    const text = notes.map((n) => `${n.input.title} ${n.input.body} ${n.input.tags.join(" ")}`.toLowerCase());
    const clean = notes.every((n, i) => text.every((t, j) => i === j || !t.includes(n.mark)));
    if (clean) return notes;
  }
}

/** A prompt topic with a made-up word in it, so an echo of a fixed text cannot pass. */
export function topic(random: SeededRandom): string {
  return `${random.pick(TOPICS)} ${random.word()}`;
}
