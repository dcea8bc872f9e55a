// Module customization hooks of `stepwise run` (they run in Node's hooks thread): every JavaScript or
// TypeScript file the program loads from outside node_modules goes through the transform, with an
// inline source map (stack traces show original lines) and, when tracing, machine metadata.
import { readFile } from "node:fs/promises";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
// Static: an import made while a hook runs would go through the hooks themselves.
import { compile, inlineMapComment, type SourceMap } from "./compile.ts";
import type { Mode } from "./mode.ts";
import { RUNTIME_GLOBAL, TRACE_START_GLOBAL } from "./run-config.ts";
import pc from "picocolors";
import { displayPath, formatCompileError, printable } from "./shared.ts";

/** What run-preload.ts gives the hooks when it registers them. */
export interface HookData {
  /** The runtime module of the mode (src/cli/mode.ts): what ES modules of the program import. */
  runtimeUrl: string;
  mode: Mode;
  /** Machine classes carry their metadata (`machineInfo`), and modules call the tracer's start marker. */
  trace: boolean;
  /** The current directory of `stepwise run`: file names in messages are relative to it, and the Babel root. */
  cwd: string;
  /** Where the user's Babel configuration comes from (RunConfig.babel). */
  babel: { configFile?: string; babelrc: boolean };
}

type Format = "module" | "commonjs";
type LoadResult = { format?: string | null; source?: string | ArrayBuffer | Uint8Array | null; shortCircuit?: boolean };
type NextLoad = (url: string, context?: unknown) => Promise<LoadResult>;
type NextResolve = (specifier: string, context?: unknown) => Promise<{ url: string; format?: string | null }>;

let data: HookData;

/** Stands for the runtime in CommonJS output (replaced by the global the preload sets). */
const GLOBAL_RUNTIME = "stepwise:global-runtime";
/** stepwise's own files (the runtime, the event loop) run as they are: this copy's, and the runtime package's. */
const OWN = new URL("../", import.meta.url).href;
const OWN_RUNTIME = runtimePackageDir();
const JAVASCRIPT = new Set([".js", ".mjs", ".cjs"]);
const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);
/** JSX files Node cannot load itself: stepwise compiles their JSX too. */
const JSX = new Set([".jsx", ".tsx"]);

/** Every transformed module tells the tracer, first thing, that the program has started. */
export const START_MARKER = `globalThis[Symbol.for("${TRACE_START_GLOBAL}")]?.();`;

/** The folder the runtime package (@stepwise/runtime) resolves to from here (in a checkout, packages/runtime/dist/). */
function runtimePackageDir(): string | null {
  try {
    return new URL("../", import.meta.resolve("@stepwise/runtime")).href;
  } catch {
    return null;
  }
}

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
  if (!url.startsWith("file:") || url.includes("/node_modules/") || url.startsWith(OWN) || (OWN_RUNTIME !== null && url.startsWith(OWN_RUNTIME))) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const ext = extname(path);
  let format: Format;
  let source: string;
  if (TYPESCRIPT.has(ext) || JSX.has(ext)) {
    source = await readFile(path, "utf8");
    format = ext === ".mts" ? "module" : ext === ".cts" ? "commonjs" : await formatOf(path, source);
  } else if (JAVASCRIPT.has(ext)) {
    const loaded = await nextLoad(url, context);
    if (loaded.format !== "module" && loaded.format !== "commonjs") return loaded;
    format = loaded.format;
    source = loaded.source == null ? await readFile(path, "utf8") : typeof loaded.source === "string" ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString("utf8");
  } else {
    return nextLoad(url, context);
  }
  const shown = displayPath(path, data.cwd);
  let compiled;
  try {
    compiled = compile(source, {
      filename: shown,
      sourceMaps: true,
      sourceType: format === "module" ? "module" : "script",
      runtime: format === "module" ? "import" : "require",
      runtimeModule: format === "module" ? data.runtimeUrl : GLOBAL_RUNTIME,
      mode: data.mode,
      machineInfo: data.trace,
      compileJSX: JSX.has(ext),
      babel: { cwd: data.cwd, ...data.babel },
      supportsStaticESM: format === "module",
    });
  } catch (error) {
    return { format, source: failingModule(format, error, source), shortCircuit: true };
  }
  // CommonJS loaded through hooks cannot require() an ES module: it finds the runtime on a global.
  let code = compiled.code.replace(`require("${GLOBAL_RUNTIME}")`, `globalThis[Symbol.for("${RUNTIME_GLOBAL}")]`);
  const map = compiled.map ? { ...compiled.map, sources: [url] } : null;
  if (data.trace) ({ code } = withStartMarker(code, map));
  if (map) code += `\n${inlineMapComment(map)}\n`;
  return { format, source: code, shortCircuit: true };
}

/** The marker goes after the directive prologue (a "use strict" must stay first); the map gets an empty line. */
function withStartMarker(code: string, map: SourceMap | null): { code: string } {
  const prologue = /^(?:\s*(["'])use strict\1;?[^\n]*\n)?/.exec(code)![0];
  const line = prologue.split("\n").length - 1;
  if (map) {
    const lines = map.mappings.split(";");
    lines.splice(line, 0, "");
    map.mappings = lines.join(";");
  }
  return { code: prologue + START_MARKER + "\n" + code.slice(prologue.length) };
}

/**
 * A module that reports the transform's error (file:line:col and a code frame) and exits 1; a Babel
 * configuration that does not load exits 2, a bug of stepwise 70.
 */
function failingModule(format: Format, error: unknown, source: string): string {
  if ((error as Error)?.name === "BabelConfigError") {
    const line = `stepwise run: cannot load the Babel configuration: ${(error as Error).message}\n`;
    return `${format === "module" ? 'import { writeSync } from "node:fs";' : 'const { writeSync } = require("node:fs");'} writeSync(2, ${JSON.stringify(line)}); process.exit(2);`;
  }
  const compileError = formatCompileError(error, source, pc.createColors(false));
  const message =
    compileError ??
    (process.env.STEPWISE_DEBUG
      ? `stepwise run: internal error: ${(error as Error)?.stack ?? String(error)}`
      : `stepwise run: internal error: ${printable(String((error as Error)?.message ?? error).split("\n")[0])} (a bug in stepwise: please report it with the command and its input; STEPWISE_DEBUG=1 prints the stack)`);
  const body = `writeSync(2, ${JSON.stringify(message.endsWith("\n") ? message : message + "\n")}); process.exit(${compileError === null ? 70 : 1});`;
  return format === "module" ? `import { writeSync } from "node:fs"; ${body}` : `const { writeSync } = require("node:fs"); ${body}`;
}

/** A .ts (or .jsx, .tsx) file is a module if its package says so, or if it uses import/export. */
async function formatOf(path: string, source: string): Promise<Format> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { type?: string };
      if (pkg.type === "module") return "module";
      break;
    } catch {
      // no package.json here
    }
    if (dirname(dir) === dir) break;
  }
  return /^\s*(import|export)\b/m.test(source) ? "module" : "commonjs";
}
