// One file of a `stepwise run` program through the transform, wherever it is loaded: ES modules by the module
// hooks (run-hooks.ts: in their own thread, or the program's), CommonJS modules in the program's thread by the CommonJS loader
// (run-require.ts). The output carries an inline source map (stack traces show original lines) and, when
// tracing, machine metadata; it is kept in the on-disk cache (run-cache.ts) unless --no-cache.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pc from "picocolors";
import type { BabelChoice } from "./shared.ts";
import { isStackOverflow, type StepwiseError } from "../transform/errors.ts";
import { deepCompileSync, type Outcome } from "./build-worker.ts";
import { isUrl } from "./inline-map.ts";
import type { CompileOptions, SourceMap } from "./compile.ts";
import type { Mode } from "./mode.ts";
import { cacheKey, readCache, writeCache } from "./run-cache.ts";
import { hasModuleSyntax } from "./module-syntax.ts";
import { FILES_GLOBAL, machineFrames, RUNTIME_GLOBAL, TRACE_START_GLOBAL, type MachineFrames } from "./run-config.ts";
import { displayPath, formatCompileError, printable, type Compiler } from "./shared.ts";

/** What run-preload.ts gives the hooks and the CommonJS loader hook. */
export interface RunTransformData {
  /** The runtime module of the mode (src/cli/mode.ts): what ES modules of the program import. */
  runtimeUrl: string;
  mode: Mode;
  /** Machine classes carry their metadata (`machineInfo`), and modules call the tracer's start marker. */
  trace: boolean;
  /** The current directory of `stepwise run`: file names in messages are relative to it, and the Babel root. */
  cwd: string;
  /** Where the user's Babel configuration comes from (RunConfig.babel). */
  babel: BabelChoice;
  /** The transform cache's folder; null: no cache (--no-cache). */
  cacheDir: string | null;
}

export type Format = "module" | "commonjs";

/** Stands for the runtime in CommonJS output (replaced by the global the preload sets). */
const GLOBAL_RUNTIME = "stepwise:global-runtime";
/** stepwise's own files (the runtime, the event loop) run as they are: this copy's, and the runtime package's. */
export const OWN = new URL("../", import.meta.url).href;
export const OWN_RUNTIME = runtimePackageDir();
export const JAVASCRIPT = new Set([".js", ".mjs", ".cjs"]);
export const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);
/** JSX files Node cannot load itself: stepwise compiles their JSX too. */
export const JSX = new Set([".jsx", ".tsx"]);

/** Every transformed module tells the tracer, first thing, that the program has started. */
export const START_MARKER = `globalThis[Symbol.for("${TRACE_START_GLOBAL}")]?.();`;

/**
 * The folder the runtime package (@stepwise/runtime) resolves to from here (in a checkout, packages/runtime/dist/).
 * (Through require.resolve: import.meta.resolve is not there in the hooks thread.)
 */
function runtimePackageDir(): string | null {
  try {
    return pathToFileURL(dirname(dirname(createRequire(import.meta.url).resolve("@stepwise/runtime")))).href + "/";
  } catch {
    return null;
  }
}

/**
 * Whether a file of the program goes through the transform (not node_modules, not stepwise's own files):
 * JavaScript, TypeScript, JSX, and a file without an extension, which Node loads as JavaScript (a `#!`
 * script: `stepwise run bin/cli`).
 */
export function transformsFile(url: string): boolean {
  if (!url.startsWith("file:") || url.includes("/node_modules/") || url.startsWith(OWN) || (OWN_RUNTIME !== null && url.startsWith(OWN_RUNTIME))) return false;
  const ext = extname(url);
  return ext === "" || JAVASCRIPT.has(ext) || TYPESCRIPT.has(ext) || JSX.has(ext);
}

/**
 * The transformed code of one file (cached), or, if it does not compile, a module that reports why and
 * exits. Without a compiler (Babel not loaded yet), null when the file is not in the cache.
 */
export function transformForRun(source: string, path: string, format: Format, data: RunTransformData, compiler: Compiler | null): string | null {
  const url = pathToFileURL(path).href;
  const shown = displayPath(path, data.cwd);
  const ext = extname(path);
  const options = { format, shown, url, mode: data.mode, trace: data.trace, runtime: format === "module" ? data.runtimeUrl : GLOBAL_RUNTIME };
  const key = data.cacheDir === null ? null : cacheKey({ path, source, options, babel: data.babel, cwd: data.cwd });
  if (key !== null) {
    const cached = readCache(data.cacheDir!, key);
    if (cached !== null) return cached;
  }
  if (compiler === null) return null;
  const compileOptions: CompileOptions = {
    filename: shown,
    sourceMaps: true,
    // (TypeScript run as CommonJS may be written in TypeScript's CommonJS syntax, `import x = require()`, which
    // becomes a require: compile.ts; a file without it is still a script)
    sourceType: format === "module" ? "module" : /\.c?tsx?$/.test(ext) ? "unambiguous" : "script",
    runtime: format === "module" ? "import" : "require",
    runtimeModule: options.runtime,
    mode: data.mode,
    // Always: stack traces name machines' functions and their awaits from it (run-stacks.ts).
    machineInfo: true,
    compileJSX: JSX.has(ext),
    // (as Node 24 strips a .ts file's types: an unread import still runs its module)
    typeOnlyImportsGo: true,
    // (the files of one run share one lookup of Babel configuration files: a directory without one is not
    // searched again for each of its modules)
    babel: { cwd: data.cwd, ...data.babel, lookup: "run" },
    // A file the configuration ignores runs lowered all the same, without it.
    whenIgnored: "lower",
    supportsStaticESM: format === "module",
  };
  // (`frames`: what the stack traces name each machine's frames; not known of a file compiled on the deep worker,
  // whose frames keep the classes' names)
  let compiled: { code: string; map: SourceMap | null; machines: number; frames?: MachineFrames; dependencies?: string[] };
  try {
    const result = leavingErrorAsItWas(() => compiler.compile(source, compileOptions));
    compiled = { code: result.code, map: result.map, machines: result.machines.length, frames: machineFrames(result.machines), dependencies: result.dependencies };
  } catch (error) {
    if (!isStackOverflow(error) && (error as StepwiseError)?.stackOverflow !== true) return failingModule(format, error, source);
    // Code nested deeper than this thread's stack allows (thousands of blocks, `else if`s, `+ await`s):
    // compiled again on a thread with a large one, as `stepwise build` does.
    const outcome = deepCompileSync({ source, options: compileOptions, color: false });
    if (!outcome.ok) return failingOutcome(format, outcome, error, source);
    for (const warning of outcome.warnings) process.stderr.write(warning);
    compiled = outcome;
  }
  // The runtime reaches CommonJS through a global (set by the preload), whatever loads the file.
  let code = compiled.code.replace(`require("${GLOBAL_RUNTIME}")`, `globalThis[Symbol.for("${RUNTIME_GLOBAL}")]`);
  // (the file itself, or the sources its own map named: compile.ts's SourceMap)
  const map = compiled.map ? { ...compiled.map, sources: compiled.map.sources.map((source) => (isUrl(source) ? source : pathToFileURL(resolve(data.cwd, source)).href)) } : null;
  // First thing, a module tells the tracer that the program has started, and the stack traces where it is.
  let prefix = data.trace ? START_MARKER : "";
  if (compiled.machines > 0) {
    const frames = compiled.frames ? `, ${JSON.stringify(compiled.frames)}` : "";
    prefix += `globalThis[Symbol.for(${JSON.stringify(FILES_GLOBAL)})]?.(${JSON.stringify(shown)}, ${format === "module" ? "import.meta.url" : "__filename"}${frames});`;
  }
  if (prefix) ({ code } = withPrefix(code, map, prefix));
  if (map) code += `\n${compiler.inlineMapComment(map)}\n`;
  if (key !== null) writeCache(data.cacheDir!, key, code, compiled.dependencies);
  return code;
}

/**
 * Runs Babel in the program's thread with the program's `Error` left as it was: @babel/core, the first time
 * it compiles, raises `Error.stackTraceLimit` to 50 and wraps `Error.prepareStackTrace` (to hide its own
 * frames from its errors' stacks) for the whole process, which the program would see, and only on a cache miss.
 */
function leavingErrorAsItWas<T>(compile: () => T): T {
  const { stackTraceLimit, prepareStackTrace } = Error;
  try {
    return compile();
  } finally {
    // (compared first: a program may have made them read-only, and then Babel did not change them either)
    if (Error.stackTraceLimit !== stackTraceLimit) Error.stackTraceLimit = stackTraceLimit;
    if (Error.prepareStackTrace !== prepareStackTrace) Error.prepareStackTrace = prepareStackTrace;
  }
}

/** The prefix goes after a hashbang and the directive prologue (a "use strict" must stay first); the map gets an empty line. */
function withPrefix(code: string, map: SourceMap | null, prefix: string): { code: string } {
  const prologue = code.slice(0, prologueEnd(code));
  const line = prologue.split("\n").length - 1;
  if (map) {
    const lines = map.mappings.split(";");
    lines.splice(line, 0, "");
    map.mappings = lines.join(";");
  }
  return { code: prologue + prefix + "\n" + code.slice(prologue.length) };
}

/**
 * Where the lines of a program's hashbang and directive prologue end (comments before and between the
 * directives included, as a license header puts them): code inserted there runs first and leaves
 * `"use strict"` a directive. The printer puts each directive on a line of its own; a line that holds
 * anything else after a directive ends the prologue where that line ends.
 */
export function prologueEnd(code: string): number {
  let at = code.startsWith("#!") ? lineEnd(code, 0) : 0;
  for (let i = at; ; ) {
    i = skipComments(code, i, true);
    const quote = code[i];
    if (quote !== '"' && quote !== "'") return at;
    // (a directive is a string literal alone in its statement: `"use strict" + x` is none)
    let close = i + 1;
    while (close < code.length && code[close] !== quote && code[close] !== "\n") close += code[close] === "\\" ? 2 : 1;
    if (code[close] !== quote) return at;
    const after = skipComments(code, close + 1, false);
    if (code[after] !== ";" && code[after] !== "\n" && code[after] !== "\r" && after < code.length) return at;
    at = i = lineEnd(code, after);
  }
}

/** The index past the end of the line `from` is on (its line break included). */
function lineEnd(code: string, from: number): number {
  const end = code.indexOf("\n", from);
  return end < 0 ? code.length : end + 1;
}

/** Past spaces and comments from `from` (line breaks too, if `lines`). */
function skipComments(code: string, from: number, lines: boolean): number {
  let i = from;
  for (;;) {
    if (code.startsWith("//", i)) {
      // (without `lines`, up to the line break, which the caller reads)
      const end = code.indexOf("\n", i);
      if (end < 0) return code.length;
      i = lines ? end + 1 : end;
    } else if (code.startsWith("/*", i)) {
      const close = code.indexOf("*/", i + 2);
      i = close < 0 ? code.length : close + 2;
    } else if (code[i] === " " || code[i] === "\t" || (lines && (code[i] === "\n" || code[i] === "\r"))) i++;
    else return i;
  }
}

/**
 * A module that reports the transform's error (file:line:col and a code frame) and exits 1; a Babel
 * configuration that does not load exits 2, a bug of stepwise 70.
 */
function failingModule(format: Format, error: unknown, source: string): string {
  if ((error as Error)?.name === "BabelConfigError") return exiting(format, `stepwise run: cannot load the Babel configuration: ${(error as Error).message}\n`, 2);
  const compileError = formatCompileError(error, source, pc.createColors(false));
  if (compileError !== null) return exiting(format, compileError, 1);
  return exiting(
    format,
    process.env.STEPWISE_DEBUG
      ? `stepwise run: internal error: ${(error as Error)?.stack ?? String(error)}`
      : `stepwise run: internal error: ${printable(String((error as Error)?.message ?? error).split("\n")[0])} (a bug in stepwise: please report it with the command and its input; STEPWISE_DEBUG=1 prints the stack)`,
    70,
  );
}

/** failingModule for what a worker with a large stack said (deepCompileSync). */
function failingOutcome(format: Format, outcome: Exclude<Outcome, { ok: true }>, error: unknown, source: string): string {
  if (outcome.kind === "compile") return exiting(format, outcome.text, 1);
  if (outcome.kind === "config") return failingModule(format, Object.assign(new Error(outcome.message), { name: "BabelConfigError" }), source);
  // (no worker here: the error this thread had)
  if (outcome.kind === "overflow") return failingModule(format, error, source);
  return failingModule(format, Object.assign(new Error(outcome.message), { name: outcome.name, stack: outcome.stack }), source);
}

function exiting(format: Format, message: string, code: number): string {
  const body = `writeSync(2, ${JSON.stringify(message.endsWith("\n") ? message : message + "\n")}); process.exit(${code});`;
  return format === "module" ? `import { writeSync } from "node:fs"; ${body}` : `const { writeSync } = require("node:fs"); ${body}`;
}

/**
 * A file's format: by its extension (.mjs, .cjs, ...), else its package's "type"; a file no package "type"
 * names (or one in no package) is a module if it has the syntax only a module has (module-syntax.ts), as
 * Node tells it.
 */
export function formatOf(path: string, source: string): Format {
  const ext = extname(path);
  if (ext === ".mjs" || ext === ".mts") return "module";
  if (ext === ".cjs" || ext === ".cts") return "commonjs";
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string };
      if (pkg.type === "module" || pkg.type === "commonjs") return pkg.type;
      break;
    } catch {
      // no package.json here
    }
    if (dirname(dir) === dir) break;
  }
  return hasModuleSyntax(source, ext === ".ts" || ext === ".tsx", ext === ".jsx" || ext === ".tsx") ? "module" : "commonjs";
}

/**
 * TypeScript's convention: a relative `./x.js` (`.mjs`, `.cjs`) names `x.ts` (`.mts`, `.cts`) where no x.js
 * is; `parent`: the importing file's path. Asked of the files before anything is resolved, so that a request
 * that fails is resolved once, as written, and fails with Node's own error from Node's own frames (one caught
 * and thrown again by a hook would name the hook's line in the uncaught error's header).
 */
export function typeScriptNamed(specifier: string, parent: string | undefined): string | null {
  if (parent === undefined || !/^\.\.?\//.test(specifier) || !/\.[mc]?js$/.test(specifier) || /[%?#]/.test(specifier)) return null;
  const dir = dirname(parent);
  if (existsSync(resolve(dir, specifier))) return null;
  const named = specifier.replace(/\.([mc]?)js$/, ".$1ts");
  return existsSync(resolve(dir, named)) ? named : null;
}
