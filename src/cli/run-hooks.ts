// Module customization hooks of `stepwise run`: every ES module the program loads from outside node_modules
// goes through the transform (run-transform.ts). CommonJS modules are left to Node's CommonJS loader, whose
// own extension point transforms them in the program's thread (run-require.ts): a CommonJS module given to
// Node as source by these hooks would get a reduced `require` (no require.cache, no require.extensions, no
// require(esm) of "module-sync" exports).
//
// Two ways to install them, the same hooks: where Node has `module.registerHooks` (22.15, 23.5 and later),
// synchronous hooks in the program's own thread (`syncHooks`); else `module.register`'s asynchronous ones,
// which run in a thread of their own (this module's `initialize`, `resolve` and `load`). That thread costs
// each process about 140 ms to start on Node 24, more than half of what `stepwise run` adds to a program's
// start there, and every process a program forks (node --test's workers) pays it again.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { formatOf, JAVASCRIPT, transformForRun, transformsFile, typeScriptNamed, type Format, type RunTransformData } from "./run-transform.ts";
import type { Compiler } from "./shared.ts";

/** What run-preload.ts gives the hooks when it registers them. */
export type HookData = RunTransformData;

type LoadResult = { format?: string | null; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean };
type ResolveResult = { url: string; format?: string | null };
/** The next hook's answer: a promise from module.register's chain, the answer itself from registerHooks'. */
type Answer<T> = T | Promise<T>;
type NextLoad = (url: string, context?: unknown) => Answer<LoadResult>;
type NextResolve = (specifier: string, context?: unknown) => Answer<ResolveResult>;

let data: HookData;
/** Babel loads only when a file is not in the cache (run-preload.ts gives it at once for --trace). */
let compiler: Compiler | null = null;
/** Installed with registerHooks (syncHooks), in the program's thread. */
let inThread = false;

export async function initialize(given: HookData): Promise<void> {
  data = given;
}

/** The hooks for module.registerHooks, in the program's thread. */
export function syncHooks(given: HookData, loaded: Compiler | null) {
  data = given;
  compiler = loaded;
  inThread = true;
  return {
    resolve(specifier: string, context: unknown, nextResolve: (specifier: string, context?: unknown) => ResolveResult): ResolveResult {
      return nextResolve(typeScriptSpecifier(specifier, context) ?? specifier, context);
    },
    load: (url: string, context: unknown, nextLoad: (url: string, context?: unknown) => LoadResult): LoadResult => load(url, context, nextLoad) as LoadResult,
  };
}

export function resolve(specifier: string, context: unknown, nextResolve: NextResolve): Answer<ResolveResult> {
  return nextResolve(typeScriptSpecifier(specifier, context) ?? specifier, context);
}

/** TypeScript's convention: `import "./x.js"` names x.ts, where no x.js is (run-transform.ts typeScriptNamed). */
function typeScriptSpecifier(specifier: string, context: unknown): string | null {
  const parentURL = (context as { parentURL?: string }).parentURL;
  return parentURL?.startsWith("file:") ? typeScriptNamed(specifier, fileURLToPath(parentURL)) : null;
}

/**
 * The transformed ES module (format and source), or what the next hook loads. Synchronous where the next
 * hook is (registerHooks), else a promise.
 */
export function load(url: string, context: unknown, nextLoad: NextLoad): Answer<LoadResult> {
  if (!transformsFile(url)) return nextLoad(url, context);
  const path = fileURLToPath(url);
  if (JAVASCRIPT.has(extname(path))) {
    // Node decides the format of a .js file (its package's "type", or its syntax).
    const loaded = nextLoad(url, context);
    return loaded instanceof Promise ? loaded.then((result) => javaScript(path, result)) : javaScript(path, loaded);
  }
  const source = readFileSync(path, "utf8");
  const format = formatOf(path, source);
  // Node's CommonJS loader loads it, with the whole `require`, and run-require.ts transforms it there. The
  // hooks' thread says so with no source; synchronous hooks leave the file to Node's own load, told it is
  // CommonJS (not TypeScript that Node would strip itself), which gives no source where an ES module imports it.
  if (format === "commonjs") return inThread ? nextLoad(url, { ...(context as object), format }) : { format, source: null, shortCircuit: true };
  return transformed(path, source, format);
}

function javaScript(path: string, loaded: LoadResult): Answer<LoadResult> {
  if (loaded.format !== "module") return loaded;
  const source = loaded.source == null ? readFileSync(path, "utf8") : typeof loaded.source === "string" ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString("utf8");
  return transformed(path, source, "module");
}

function transformed(path: string, source: string, format: Format): Answer<LoadResult> {
  const code = transformForRun(source, path, format, data, compiler);
  if (code !== null) return { format, source: code, shortCircuit: true };
  // Babel, for the first file not in the cache: required in the program's thread; imported in the hooks'
  // thread, where Node 22 cannot require an ES module (it has no synchronous resolve there).
  if (inThread) {
    compiler = createRequire(import.meta.url)("./compile.js") as Compiler;
    return transformed(path, source, format);
  }
  return import("./compile.ts").then((loaded) => {
    compiler = loaded;
    return transformed(path, source, format);
  });
}
