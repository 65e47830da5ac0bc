// Seeded randomness for check inputs: the same seed grades the same way, and a hard-coded
// answer fails because titles, words and ids change with the seed.

export interface SeededRandom {
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Float in [0, 1). */
  float(): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** A made-up lowercase word (6-10 letters) that no starter or dictionary text contains. */
  word(): string;
  /** `n` distinct words. */
  words(n: number): string[];
  /** A few words joined by spaces, capitalised. */
  sentence(wordCount?: number): string;
  /** An id like "kelamo-4821"; `prefix` replaces the word part. */
  id(prefix?: string): string;
}

/** 32-bit FNV-1a, to turn (seed, check id) into an independent stream per check. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, good enough for test inputs (not for secrets). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = [
  "b",
  "d",
  "f",
  "g",
  "k",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "t",
  "v",
  "z",
  "br",
  "dr",
  "gl",
  "kr",
  "pl",
  "st",
  "tr",
];
const VOWELS = ["a", "e", "i", "o", "u"];
const CODAS = ["", "", "", "n", "r", "l", "m", "x"];

/**
 * A random stream for one check of one run. Streams are keyed by check id, so adding or
 * reordering checks does not change the inputs of the others.
 */
export function createRandom(seed: number, stream = ""): SeededRandom {
  const next = mulberry32(hash(`${seed}:${stream}`));
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error("pick() from an empty list");
    return items[int(0, items.length - 1)];
  };
  const used = new Set<string>();
  const word = (): string => {
    for (;;) {
      let w = "";
      const syllables = int(3, 4);
      for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(VOWELS);
      w += pick(CODAS);
      if (w.length >= 6 && w.length <= 10 && !used.has(w)) {
        used.add(w);
        return w;
      }
    }
  };
  return {
    int,
    float: next,
    pick,
    shuffle<T>(items: readonly T[]): T[] {
      const out = [...items];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(0, i);
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    },
    word,
    words: (n: number) => Array.from({ length: n }, word),
    sentence(wordCount = 4) {
      const text = Array.from({ length: wordCount }, word).join(" ");
      return text.charAt(0).toUpperCase() + text.slice(1);
    },
    id: (prefix?: string) => `${prefix ?? word()}-${int(1000, 9999)}`,
  };
}

/** A fresh seed for a run when none is given (CLI --seed overrides it). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 1_000_000);
}
