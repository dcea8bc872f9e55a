// Module customization hooks of `stepwise run` (they run in Node's hooks thread): every ES module the program
// loads from outside node_modules goes through the transform (run-transform.ts). CommonJS modules are left
// to Node's CommonJS loader, whose own extension point transforms them in the program's thread
// (run-require.ts): a CommonJS module given to Node as source by these hooks would get a reduced `require`
// (no require.cache, no require.extensions, no require(esm) of "module-sync" exports).
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { formatOf, JAVASCRIPT, transformForRun, transformsFile, type Format, type RunTransformData } from "./run-transform.ts";
import type { Compiler } from "./shared.ts";

/** What run-preload.ts gives the hooks when it registers them. */
export type HookData = RunTransformData;

type LoadResult = { format?: string | null; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean };
type NextLoad = (url: string, context?: unknown) => Promise<LoadResult>;
type NextResolve = (specifier: string, context?: unknown) => Promise<{ url: string; format?: string | null }>;

let data: HookData;
/** Babel loads only when a file is not in the cache. */
let compiler: Compiler | null = null;

export async function initialize(given: HookData): Promise<void> {
  data = given;
}

export async function resolve(specifier: string, context: unknown, nextResolve: NextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // TypeScript's convention: `import "./x.js"` names x.ts.
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" && /^\.\.?\//.test(specifier) && /\.[mc]?js$/.test(specifier)) {
      try {
        return await nextResolve(specifier.replace(/\.([mc]?)js$/, ".$1ts"), context);
      } catch {
        // the original error says it better
      }
    }
    throw error;
  }
}

export async function load(url: string, context: unknown, nextLoad: NextLoad): Promise<LoadResult> {
  if (!transformsFile(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  let format: Format;
  let source: string;
  if (JAVASCRIPT.has(extname(path))) {
    const loaded = await nextLoad(url, context);
    if (loaded.format !== "module") return loaded;
    format = loaded.format;
    source = loaded.source == null ? await readFile(path, "utf8") : typeof loaded.source === "string" ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString("utf8");
  } else {
    source = await readFile(path, "utf8");
    format = formatOf(path, source);
    // No source: Node's CommonJS loader loads it (Module._extensions, run-require.ts).
    if (format === "commonjs") return { format, source: null, shortCircuit: true };
  }
  let code = transformForRun(source, path, format, data, compiler);
  if (code === null) {
    compiler ??= await import("./compile.ts");
    code = transformForRun(source, path, format, data, compiler)!;
  }
  return { format, source: code, shortCircuit: true };
}
