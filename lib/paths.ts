import { resolve } from "node:path";

/**
 * The project folder. Scripts run from source know it from their own path; inside Next's server bundle
 * import.meta.dirname is undefined and the server runs with the project as its working directory.
 */
export const PROJECT_ROOT: string = import.meta.dirname ? resolve(import.meta.dirname, "..") : process.cwd();

export function projectPath(...segments: string[]): string {
  return resolve(PROJECT_ROOT, ...segments);
}
