import { projectPath } from "../paths.ts";

/** The embedded default: a SQLite file under data/ in the project folder. */
export const DEFAULT_DATABASE_URL = `file:${projectPath("data", "mcp-lab.db")}`;

export function databaseUrl(): string {
  return process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
}
