// Drafts: the learner's current code per lab and language, autosaved on the server so it survives a
// reload and follows the learner to another browser. One row per (learner, lab, language).
import type { Db } from "../db/client.ts";
import { HttpError } from "../http/errors.ts";
import { oversizeMessage, parseStoredFiles, type SubmittedFiles } from "../submissions/files.ts";
import type { LabLanguage } from "./catalog.ts";

export interface Draft {
  lang: LabLanguage;
  files: SubmittedFiles;
  updatedAt: Date;
}

export async function draftsFor(db: Db, userId: string, labId: string): Promise<Draft[]> {
  const rows = await db.labDraft.findMany({ where: { userId, labId }, orderBy: { updatedAt: "desc" } });
  return rows
    .filter((row) => row.lang === "python" || row.lang === "typescript")
    .map((row) => ({
      lang: row.lang as LabLanguage,
      files: parseStoredFiles(row.files),
      updatedAt: row.updatedAt,
    }));
}

export async function saveDraft(
  db: Db,
  userId: string,
  labId: string,
  lang: LabLanguage,
  files: SubmittedFiles,
): Promise<Draft> {
  const tooLarge = oversizeMessage(files);
  if (tooLarge) throw new HttpError(413, "FILES_TOO_LARGE", tooLarge.replace("submission", "draft"));
  const text = JSON.stringify(files);
  const row = await db.labDraft.upsert({
    where: { userId_labId_lang: { userId, labId, lang } },
    create: { userId, labId, lang, files: text },
    update: { files: text },
  });
  return { lang, files, updatedAt: row.updatedAt };
}
