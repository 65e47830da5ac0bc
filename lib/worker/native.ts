// Engine code (conformance/, sandbox/, labs/*/checks.ts) runs unbundled, as the CLI runs it. Inside
// Next's server bundle it cannot: the engine finds its files through import.meta.dirname (undefined
// there), loads each lab's checks.ts with a runtime import() (a second copy of the check API beside a
// bundled one would break its `instanceof CheckFailure`), and uses TypeScript that plain Node does
// not strip. So the Next process loads one native module graph through tsx (the project's runner,
// as for `npm start`), once per process, and reaches the engine only through it. Scripts and tests
// already run under tsx/vitest and import it directly.
import { pathToFileURL } from "node:url";
import { HttpError } from "../http/errors.ts";
import { projectPath } from "../paths.ts";

export type NativeEngine = typeof import("./native-entry.ts");

const holder = globalThis as unknown as { mcpLabNativeEngine?: Promise<NativeEngine> };

async function load(): Promise<NativeEngine> {
  const entry = pathToFileURL(projectPath("lib", "worker", "native-entry.ts")).href;
  if (process.env.NEXT_RUNTIME) {
    const tsx = (await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ "tsx/esm/api")) as {
      tsImport: (specifier: string, parentURL: string) => Promise<unknown>;
    };
    return (await tsx.tsImport(entry, pathToFileURL(projectPath("package.json")).href)) as NativeEngine;
  }
  return (await import(/* turbopackIgnore: true */ /* webpackIgnore: true */ entry)) as NativeEngine;
}

/** The engine-facing module graph of this process, loaded on first use. */
export function nativeEngine(): Promise<NativeEngine> {
  if (!holder.mcpLabNativeEngine) {
    holder.mcpLabNativeEngine = load();
    holder.mcpLabNativeEngine.catch(() => {
      holder.mcpLabNativeEngine = undefined;
    });
  }
  return holder.mcpLabNativeEngine;
}

/**
 * Errors from the native graph are instances of its own HttpError class: give route() one of ours,
 * so a 404 stays a 404 instead of becoming a 500.
 */
export async function viaNative<T>(call: (engine: NativeEngine) => Promise<T>): Promise<T> {
  const engine = await nativeEngine();
  try {
    return await call(engine);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const e = error as { status?: unknown; code?: unknown; message?: unknown; extra?: unknown };
    if (typeof e?.status === "number" && typeof e.code === "string" && typeof e.message === "string")
      throw new HttpError(e.status, e.code, e.message, (e.extra as Record<string, unknown>) ?? {});
    throw error;
  }
}
