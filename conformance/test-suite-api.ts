// What a test-suite lab (lab.yaml `kind: test-suite`) gives the engine: labs/<id>/mutants.ts exports
// `variants`, which turns the subject server into the variants the learner's suite is run against.
// A breaking variant must make the suite fail (check `catches-<id>`), a compatible one must not
// (check `accepts-<id>`); the suite must pass on the subject as shipped (`suite-passes-on-original`).
import { z } from "zod";
import type { LabLanguage } from "./lab-config.ts";

export { createRandom, type SeededRandom } from "./random.ts";
export { applyEdits, type SourceEdit } from "./source-patch.ts";

export type VariantKind = "breaking" | "compatible";

export interface SubjectVariant {
  /** Stable kebab-case id, never renamed: the check is `catches-<id>` or `accepts-<id>`. */
  id: string;
  kind: VariantKind;
  /** The check's title, e.g. "your suite fails when a tool is renamed". */
  title: string;
  /** This run's change in words; may vary with the seed, e.g. "get_book is renamed to fetch_book". */
  change: string;
  /** For the learner: what kind of test catches it (breaking), or what not to pin (compatible). */
  hint: string;
  /** Lesson slug, e.g. "m7/contract-tests". */
  lesson: string;
  specRef?: string;
  /** Subject files after the change, path -> full content (only the files it changes). */
  files: Record<string, string>;
}

export interface VariantsInput {
  seed: number;
  lang: LabLanguage;
  /** The subject's files as shipped, path -> content. */
  subject: Record<string, string>;
}

export type VariantsFactory = (input: VariantsInput) => SubjectVariant[];

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be a kebab-case slug");

/** The shape every variant must have (a lab author's mistake is an infra error, never a learner's). */
export const SubjectVariantSchema = z.object({
  id: kebab,
  kind: z.enum(["breaking", "compatible"]),
  title: z.string().min(1),
  change: z.string().min(1),
  hint: z.string().min(1),
  lesson: z.string().regex(/^m\d+\/[a-z0-9-]+$/),
  specRef: z.string().optional(),
  files: z.record(z.string().min(1), z.string()).refine((f) => Object.keys(f).length > 0, "changes no file"),
});

/** The check id a variant grades. */
export function variantCheckId(variant: Pick<SubjectVariant, "id" | "kind">): string {
  return `${variant.kind === "breaking" ? "catches" : "accepts"}-${variant.id}`;
}
