// `stepwise build`: files and directories in, a mirrored tree (-d), one file (-o), or stdout out.
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { availableParallelism } from "node:os";
import picomatch from "picomatch";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { compileTask, DeepLane, workersAvailable, WorkerPool, type CompileTask, type Outcome } from "./build-worker.ts";
import type { Printing, SourceMap } from "./compile.ts";
import { copiesIgnored, DEFAULT_EXTENSIONS, ignoredBelow, isDependencies, outDirOf, OUTPUT_EXTENSION, outputName, pathMatcher, plan, selectFile, toPosix, tsxExtension, type BuildOptions, type Job, type SourceMapsKind } from "./build-plan.ts";
import { inlineMapComment, sourcesFrom } from "./inline-map.ts";
import { DEFAULT_MODE, MODE_NAMES } from "./mode.ts";
import { defaultRuntimeModule } from "../transform/emit/runtime-import.ts";
import {
  babelChoice,
  checkConfigFile,
  checkOutputDir,
  checkOutputFile,
  choice,
  CliError,
  colorsEnabled,
  colorsFor,
  errorLine,
  internalError,
  EXIT,
  loadCompiler,
  fsMessage,
  parse,
  readStdin,
  reportCompileError,
  shortPath as shown,
  writeAtomic,
  writeMessage,
} from "./shared.ts";

export const BUILD_HELP = `Usage: stepwise build [options] [files or directories...]

Lowers async functions and generators to state-machine classes. With no input (or "-"), reads
stdin and writes stdout.

Options:
  -d, --out-dir DIR          write each input under DIR, mirroring directory inputs' trees
  -o, --out-file FILE        write the single input to FILE ("-": stdout, the default)
  -x, --extensions LIST      extensions compiled in directories (comma-separated, dot optional;
                             default .js,.mjs,.cjs,.ts,.mts,.cts,.jsx,.tsx)
      --keep-file-extension  outputs keep their inputs' extensions (a.ts -> a.ts)
      --out-file-extension EXT
                             extension of compiled outputs in --out-dir (default: .ts -> .js,
                             .mts -> .mjs, .cts -> .cjs, .tsx -> .jsx, or .js where the Babel
                             configuration compiles JSX; others kept)
      --relative             --out-dir is taken from each input's folder (build pkgs/a/src
                             pkgs/b/src -d ../lib --relative writes pkgs/a/lib and pkgs/b/lib)
      --root-dir DIR         outputs mirror the inputs' paths from DIR (build lib test -d out
                             --root-dir . writes out/lib/... and out/test/...)
  -D, --copy-files           copy the other files of directory inputs (data.json, ...) to --out-dir
      --no-copy-ignored      with --copy-files, leave out the files --ignore, --only or the
                             Babel configuration keep from being compiled
      --include-dotfiles     compile (and copy) dot-files and dot-directories too
      --delete-dir-on-start  delete --out-dir before building
      --ignore GLOB          do not compile matching files or folders (repeatable; matched against
                             the path from the current directory, or the file name for a pattern
                             without "/"); with --copy-files they are copied
      --only GLOB            compile only matching files of directories (repeatable, matched as
                             --ignore; the others are copied with --copy-files)
  -s, --source-maps [KIND]   inline | true (.map files) | both (default when given alone: true)
      --source-root URL      the maps' sourceRoot
      --source-map-target NAME
                             the map's "file" (one output: -o or stdout)
      --source-file-name NAME
                             the map's source (one output: -o or stdout)
      --source-type TYPE     script | module | unambiguous: how every input is parsed (default: by
                             its extension and its package's "type")
      --runtime KIND         import | require | inline: how output reaches the runtime
      --runtime-module SPEC  the runtime's module specifier (default @stepwise/runtime)
  -f, --filename NAME        the name of stdin's code (picks the syntax: .ts, .jsx, ...)
      --mode MODE            promise (default) | loop
      --no-generators        leave generators (function*, async function*) native; lower async functions only
      --module-type TYPE     es (default: import/export kept) | commonjs (require/exports)
      --config-file FILE     the Babel configuration to use (default: babel.config.* of the current
                             directory, plus .babelrc* files and package.json "babel")
      --no-babelrc           ignore .babelrc* files and package.json "babel"
      --env-name NAME        the Babel configuration's env (default: BABEL_ENV, NODE_ENV or
                             "development")
      --root-mode MODE       root | upward | upward-optional: where babel.config.* is looked for
                             (upward: the first folder up from the current one that has one)
      --presets LIST         presets to apply too, after the configuration's (comma-separated
                             names or paths, resolved from the current directory)
      --plugins LIST         plugins to apply too, after the configuration's (as --presets)
      --retain-lines         keep untouched statements on their original lines
      --compact [true|false|auto]
                             print without needless spaces and line breaks (auto: files over
                             500 KB); every file is printed then, none copied as written
      --minified             print as few bytes as Babel can (compact, and more)
      --no-comments          print no comments, the machines' state comments neither
  -j, --jobs N               compile on N threads (default: one per core, fewer for a small build);
                             the outputs and messages are the same as on one
  -w, --watch                rebuild files when they change (needs -d or -o)
      --skip-initial-build   with --watch, build only what changes from now on
      --no-highlight-code    code frames of errors without colours
      --overwrite            allow writing over an input file or into an input directory
  -q, --quiet                no progress line or summary
      --verbose              name each file written
  -h, --help                 show this help
`;

const newTotals = (): Totals => ({ files: 0, copied: 0, ignored: 0, needRuntime: [], commonjs: [], machines: 0, states: 0, failed: 0, worst: EXIT.ok });

interface Totals {
  files: number;
  /** Files copied by --copy-files. */
  copied: number;
  /** Files of directories that the Babel configuration ignores, left out (not --copy-files). */
  ignored: number;
  /** Outputs that import or require the runtime. */
  needRuntime: string[];
  /** Outputs written as CommonJS (--module-type commonjs) with a .js name. */
  commonjs: string[];
  machines: number;
  states: number;
  failed: number;
  worst: number;
}

export async function build(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    "build",
    args,
    {
      "out-dir": { type: "string", short: "d" },
      "out-file": { type: "string", short: "o" },
      extensions: { type: "string", short: "x" },
      "out-file-extension": { type: "string" },
      "root-dir": { type: "string" },
      relative: { type: "boolean" },
      "copy-files": { type: "boolean", short: "D" },
      "no-copy-ignored": { type: "boolean" },
      "include-dotfiles": { type: "boolean" },
      "delete-dir-on-start": { type: "boolean" },
      "module-type": { type: "string" },
      "config-file": { type: "string" },
      "no-babelrc": { type: "boolean" },
      "env-name": { type: "string" },
      "root-mode": { type: "string" },
      presets: { type: "string", multiple: true },
      plugins: { type: "string", multiple: true },
      "retain-lines": { type: "boolean" },
      compact: { type: "string" },
      minified: { type: "boolean" },
      "no-comments": { type: "boolean" },
      verbose: { type: "boolean" },
      ignore: { type: "string", multiple: true },
      only: { type: "string", multiple: true },
      "source-maps": { type: "string", short: "s" },
      "source-root": { type: "string" },
      runtime: { type: "string" },
      "runtime-module": { type: "string" },
      filename: { type: "string", short: "f" },
      "keep-file-extension": { type: "boolean" },
      "skip-initial-build": { type: "boolean" },
      "source-type": { type: "string" },
      "source-map-target": { type: "string" },
      "source-file-name": { type: "string" },
      "no-highlight-code": { type: "boolean" },
      mode: { type: "string" },
      "no-generators": { type: "boolean" },
      watch: { type: "boolean", short: "w" },
      jobs: { type: "string", short: "j" },
      overwrite: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
    { "source-maps": { values: ["inline", "true", "both"], bare: "true", spaced: true }, compact: { values: ["true", "false", "auto"], bare: "true", spaced: true } },
  );
  if (values.help) {
    process.stdout.write(BUILD_HELP);
    return EXIT.ok;
  }
  const extensions: string[] = [];
  for (const raw of values.extensions === undefined ? DEFAULT_EXTENSIONS : values.extensions.split(",").map((ext) => ext.trim())) {
    // (an empty list would compile no file of a directory, and say nothing)
    if (raw === "") throw new CliError(`stepwise build: --extensions takes extensions like .js,.ts or js,ts, got ${values.extensions!.trim() === "" ? "none" : `an empty one in "${values.extensions}"`}`);
    const ext = raw.startsWith(".") ? raw : `.${raw}`;
    if (!/^\.[\w-][\w.-]*$/.test(ext)) throw new CliError(`stepwise build: --extensions takes extensions like .js,.ts or js,ts, got "${raw}"`);
    extensions.push(ext);
  }
  let outFileExtension = values["out-file-extension"];
  if (outFileExtension !== undefined) {
    if (!outFileExtension.startsWith(".")) outFileExtension = `.${outFileExtension}`;
    if (!/^\.[\w-][\w.-]*$/.test(outFileExtension)) throw new CliError(`stepwise build: --out-file-extension takes an extension like .mjs, got "${values["out-file-extension"]}"`);
  }
  const globs = values.ignore ?? [];
  const matcher = pathMatcher(globs);
  const only = values.only === undefined ? () => true : pathMatcher(values.only);
  const options: BuildOptions = {
    outDir: values["out-dir"],
    // ("-o -" is stdout, as "-" is stdin: what no --out-file does)
    outFile: values["out-file"] === "-" ? undefined : values["out-file"],
    extensions,
    ignore: (path) => matcher(toPosix(relative(process.cwd(), path))),
    only: (path) => only(toPosix(relative(process.cwd(), path))),
    sourceMaps: (values["source-maps"] as SourceMapsKind | undefined) ?? "none",
    sourceRoot: values["source-root"],
    sourceMapTarget: values["source-map-target"],
    sourceFileName: values["source-file-name"],
    sourceType: values["source-type"] === undefined ? undefined : choice("build", "--source-type", values["source-type"], ["script", "module", "unambiguous"] as const, "unambiguous"),
    highlightCode: !values["no-highlight-code"],
    keepFileExtension: !!values["keep-file-extension"],
    runtime: values.runtime === undefined ? undefined : choice("build", "--runtime", values.runtime, ["import", "require", "inline"] as const, "import"),
    runtimeModule: values["runtime-module"],
    mode: values.mode === undefined ? undefined : choice("build", "--mode", values.mode, MODE_NAMES, DEFAULT_MODE),
    generators: !values["no-generators"],
    quiet: !!values.quiet,
    verbose: !!values.verbose,
    overwrite: !!values.overwrite,
    copyFiles: !!values["copy-files"],
    copyIgnored: !values["no-copy-ignored"],
    includeDotfiles: !!values["include-dotfiles"],
    outFileExtension,
    rootDir: values["root-dir"] === undefined ? undefined : resolve(values["root-dir"]),
    relative: !!values.relative,
    commonjs: choice("build", "--module-type", values["module-type"], ["es", "commonjs"] as const, "es") === "commonjs",
    retainLines: !!values["retain-lines"],
    printing: printingOf(values),
    babel: babelChoice("build", values),
  };
  if (options.quiet && options.verbose) throw new CliError("stepwise build: give either --quiet or --verbose, not both");
  for (const flag of ["source-root", "source-map-target", "source-file-name"] as const) {
    if (values[flag] !== undefined && options.sourceMaps === "none") throw new CliError(`stepwise build: --${flag} needs --source-maps`);
  }
  // (@babel/cli names each file's own source in a directory's maps: these name the one output's)
  for (const flag of ["source-map-target", "source-file-name"] as const) {
    if (values[flag] !== undefined && options.outDir !== undefined) throw new CliError(`stepwise build: --${flag} names the map of one output (-o or stdout), not of --out-dir's`);
  }
  if (options.relative && options.rootDir !== undefined) throw new CliError("stepwise build: give either --relative or --root-dir, not both (--relative puts each input's outputs in its own folder's --out-dir)");
  if (options.keepFileExtension && outFileExtension !== undefined) throw new CliError("stepwise build: give either --keep-file-extension or --out-file-extension, not both");
  if (values["skip-initial-build"] && !values.watch) throw new CliError("stepwise build: --skip-initial-build needs --watch");
  if (options.runtime === "inline" && options.runtimeModule !== undefined) throw new CliError("stepwise build: --runtime-module cannot be used with --runtime inline (the runtime is written into each file, not imported)");
  if (options.mode === "loop" && options.runtime === "inline") throw new CliError("stepwise build: --runtime inline cannot be used with --mode loop (the event loop is a module: use import or require)");
  if (values["config-file"] !== undefined) checkConfigFile("build", values["config-file"]);
  if (options.outDir === undefined) {
    for (const flag of ["copy-files", "no-copy-ignored", "delete-dir-on-start", "out-file-extension", "keep-file-extension", "root-dir", "relative"] as const) {
      if (values[flag] !== undefined) throw new CliError(`stepwise build: --${flag} needs --out-dir`);
    }
  }
  if (options.outDir !== undefined && options.outFile !== undefined) throw new CliError("stepwise build: give either --out-dir or --out-file, not both");

  // "-" is stdin, as in other CLIs.
  if (positionals.includes("-")) {
    if (positionals.length > 1) throw new CliError("stepwise build: - (stdin) cannot be combined with other inputs");
    positionals.length = 0;
    if (values.watch) throw new CliError("stepwise build: --watch needs input files or directories");
    if (options.outDir !== undefined) throw new CliError("stepwise build: --out-dir needs input files or directories");
    return buildStdin(options, values.filename ?? "stdin.js");
  }
  if (positionals.length === 0) {
    if (values.watch) throw new CliError("stepwise build: --watch needs input files or directories");
    if (options.outDir !== undefined) throw new CliError("stepwise build: --out-dir needs input files or directories");
    if (process.stdin.isTTY) throw new CliError("stepwise build: no input (give files or directories, or pipe code to stdin; see stepwise build --help)");
    return buildStdin(options, values.filename ?? "stdin.js");
  }
  if (values.filename !== undefined) throw new CliError("stepwise build: --filename names stdin's code; it cannot be used with input files");

  if (values.watch && options.outDir === undefined && options.outFile === undefined) {
    throw new CliError(`stepwise build: --watch needs --out-dir or --out-file${values["out-file"] === "-" ? " (a file, not stdout)" : ""}`);
  }
  let threads: number | undefined;
  if (values.jobs !== undefined) {
    threads = Number(values.jobs);
    if (!/^\d+$/.test(values.jobs) || threads < 1) throw new CliError(`stepwise build: --jobs takes a positive whole number, got "${values.jobs}"`);
  }
  const inputs = await expandGlobs(positionals, options);
  let jobs = plan(inputs, options);
  // (planned again with the .tsx outputs' names known)
  if (await knowJsxOfTsx(jobs, options)) jobs = plan(inputs, options);
  const outDirs = options.outDir === undefined ? [] : [...new Set(inputs.map((raw) => outDirOf(inputFolder(resolve(raw)), options)))];
  if (values["delete-dir-on-start"]) for (const outDir of outDirs) deleteOutDir(outDir, inputs);
  for (const outDir of outDirs) checkOutputDir("build", "--out-dir", outDir);
  if (options.outFile !== undefined) checkOutputFile("build", "--out-file", options.outFile);
  if (values["skip-initial-build"]) return watch(inputs, jobs, options);
  const started = performance.now();
  const totals = newTotals();
  const progress = !options.quiet && process.stderr.isTTY && jobs.length > 1;
  // On several threads: every file is read and handed to the workers at once; the outputs are written and
  // the messages printed here, in the order of the files, as each one's turn comes. This thread does not
  // load Babel then (the workers do, at once, while it waits).
  const size = workersAvailable ? poolSize(jobs, threads) : 0;
  const pool = size > 1 ? new WorkerPool(size) : null;
  const deepLane = new DeepLane();
  try {
    const outcomes = pool ? startJobs(jobs, options, pool) : [];
    for (const [i, job] of jobs.entries()) {
      if (progress) process.stderr.write(`\r\x1b[K[${i + 1}/${jobs.length}] ${job.shown}`);
      await buildOne(job, options, totals, progress, deepLane, undefined, outcomes[i] ?? undefined);
    }
  } finally {
    await Promise.all([pool?.close(), deepLane.close()]);
  }
  if (progress) process.stderr.write("\r\x1b[K");
  // (when nothing was written, the failures' own lines say it all)
  if (!options.quiet && !(totals.failed > 0 && totals.files + totals.copied === 0)) summary(totals, performance.now() - started);
  checkRuntime(totals.needRuntime, options);
  checkCommonjs(totals.commonjs);
  if (values.watch) return watch(inputs, jobs, options);
  return totals.worst;
}

/**
 * Inputs as @babel/cli takes them: a pattern the shell left as it is (quoted, or on Windows) is expanded here
 * (`build "src/**\/*.test.js" -d out`), its matches in path order; a path that exists is itself, and a pattern
 * that matches nothing is left for the plan to report as missing.
 */
async function expandGlobs(inputs: string[], options: BuildOptions): Promise<string[]> {
  const expanded: string[] = [];
  for (const input of inputs) {
    // (the glob library loads only for a pattern)
    const matches = !existsSync(input) && picomatch.scan(input).isGlob ? (await import("tinyglobby")).globSync(input, { onlyFiles: false, expandDirectories: false, dot: options.includeDotfiles }).sort() : [];
    expanded.push(...(matches.length > 0 ? matches : [input]));
  }
  return [...new Set(expanded)];
}

/** An input's own folder: a directory input itself, a file input's parent (from which --relative takes --out-dir). */
function inputFolder(input: string): string {
  try {
    return statSync(input).isDirectory() ? input : dirname(input);
  } catch {
    return dirname(input);
  }
}

/** --delete-dir-on-start: refused when an input or the current directory is inside the output folder. */
function deleteOutDir(outDir: string, inputs: string[]): void {
  const inside = (path: string) => path === outDir || path.startsWith(outDir + sep);
  const input = inputs.find((raw) => inside(resolve(raw)));
  if (input !== undefined) throw new CliError(`stepwise build: --delete-dir-on-start would delete the input ${input} (it is inside ${shown(outDir) || "."})`);
  if (inside(process.cwd())) throw new CliError(`stepwise build: --delete-dir-on-start would delete the current directory (it is inside ${outDir})`);
  try {
    rmSync(outDir, { recursive: true, force: true });
  } catch (error) {
    throw new CliError(`stepwise build: cannot delete ${shown(outDir)}: ${writeMessage(error, outDir)}`, EXIT.io);
  }
}

/**
 * Outputs that import the runtime by a bare specifier must find it from where they are: if the package
 * cannot be found from the output folder (no node_modules/<package> above it, and no package of that
 * name around it), the build says so once, with the fix.
 */
let warnedRuntime = false;

function checkRuntime(outputs: string[], options: BuildOptions): void {
  if (warnedRuntime || outputs.length === 0 || options.runtime === "inline") return;
  const specifier = options.runtimeModule ?? defaultRuntimeModule(options.mode);
  if (/^(\.|\/|[a-z][\w+.-]*:)/i.test(specifier)) return;
  const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];
  const folders = [...new Set(outputs.map((output) => dirname(output)))];
  const missing = folders.filter((folder) => !findsPackage(folder, name));
  if (missing.length === 0) return;
  warnedRuntime = true;
  const where = shown(missing[0]) || ".";
  errorLine(
    `stepwise build: warning: ${name} cannot be found from ${where}${missing.length > 1 ? ` (and ${missing.length - 1} other output folder${missing.length > 2 ? "s" : ""})` : ""}, where the output imports ${specifier}: install ${name} there, or build with --runtime inline`,
  );
}

/**
 * CommonJS output named .js in a "type": "module" package is loaded by Node as an ES module (and fails on
 * `exports`): the build says so once, with the fixes.
 */
let warnedCommonjs = false;

function checkCommonjs(outputs: string[]): void {
  if (warnedCommonjs) return;
  const inModule = outputs.filter((output) => packageType(dirname(output)) === "module");
  if (inModule.length === 0) return;
  warnedCommonjs = true;
  const folder = shown(dirname(inModule[0])) || ".";
  errorLine(
    `stepwise build: warning: ${shown(inModule[0])}${inModule.length > 1 ? ` (and ${inModule.length - 1} other output${inModule.length > 2 ? "s" : ""})` : ""} is CommonJS in a "type": "module" package, where Node loads .js files as ES modules: put a package.json saying {"type": "commonjs"} in ${folder}, or build with --out-file-extension .cjs`,
  );
}

function findsPackage(start: string, name: string): boolean {
  let nearest = true;
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules", name, "package.json"))) return true;
    // A package reaches itself by its own name (only from inside it: the nearest package.json).
    if (nearest && existsSync(join(dir, "package.json"))) {
      nearest = false;
      try {
        if ((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name === name) return true;
      } catch {
        // unreadable: not ours
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

function summary(totals: Totals, ms: number): void {
  const c = colorsFor(process.stderr);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const failed = totals.failed > 0 ? c.red(`, ${plural(totals.failed, "file")} failed`) : "";
  const copied = totals.copied > 0 ? `, copied ${plural(totals.copied, "file")}` : "";
  const ignored = totals.ignored > 0 ? `, ${plural(totals.ignored, "file")} ignored by the Babel configuration` : "";
  errorLine(`stepwise build: built ${plural(totals.files, "file")} (${plural(totals.machines, "machine")}, ${plural(totals.states, "state")})${copied}${ignored} in ${Math.round(ms)} ms${failed}`);
}

/**
 * Input a worker must have for itself to pay off. A worker is a V8 isolate of its own: it loads Babel
 * (0.6 s of CPU) and compiles Babel's hot functions again (its optimizing compiler and its garbage
 * collector run on background threads: together 35-40% of a one-thread build's CPU). A one-thread build
 * already keeps a second core busy with that background work, so on 2 cores a second worker wins only
 * when there is much more compiling to share than the extra isolate costs. Measured on 2 cores
 * (node_modules files): on a quiet machine, 11 MB of small files took 5.4 s on one thread and 5.5 s on 2
 * workers, 21 MB (two 3.5 MB bundles among them) 24 s and 19.4 s; on a loaded one, in CPU time, 3.5 MB
 * of small files 10.6 s on one thread (6.3 s of it on the main thread) and 15.7 s on 2 workers (a loss),
 * 9 MB 35 s (23 s) and 44 s (about even: 44 s on 2 cores is 22 s).
 */
const BYTES_PER_WORKER = 6 * 1024 * 1024;

/**
 * How many workers a build uses: --jobs, or by default one per core but no more than one per
 * BYTES_PER_WORKER of input; at most one per file. One (or none) means the main thread compiles.
 */
function poolSize(jobs: Job[], threads: number | undefined): number {
  const files = jobs.filter((job) => !job.copy);
  if (threads !== undefined) return Math.min(threads, files.length);
  let bytes = 0;
  for (const job of files) {
    try {
      bytes += statSync(job.input).size;
    } catch {
      // (reported when the file is read)
    }
  }
  return Math.min(availableParallelism(), files.length, Math.floor(bytes / BYTES_PER_WORKER));
}

/** A file read and handed to the pool: its source, mode, and the outcome to come (or why it could not be read). */
interface Started {
  read: Read;
  outcome?: Promise<Outcome>;
}

type Read = { source: string; inputMode?: number } | { error: unknown };

/** --compact, --minified, --no-comments: Babel's generator options (none given: undefined, the readable default). */
function printingOf(values: { compact?: string; minified?: boolean; "no-comments"?: boolean }): Printing | undefined {
  const printing: Printing = {};
  if (values.compact !== undefined && values.compact !== "false") printing.compact = values.compact === "auto" ? "auto" : true;
  if (values.minified) printing.minified = true;
  if (values["no-comments"]) printing.comments = false;
  return Object.keys(printing).length > 0 ? printing : undefined;
}

function readJob(job: Job, given?: string): Read {
  try {
    const source = given ?? readFileSync(job.input, "utf8");
    return { source, inputMode: given === undefined ? statSync(job.input).mode & 0o7777 : undefined };
  } catch (error) {
    return { error };
  }
}

function taskFor(job: Job, options: BuildOptions, source: string, lookup?: string): CompileTask {
  return {
    source,
    color: options.highlightCode && colorsEnabled(process.stderr),
    options: {
      filename: job.shown,
      sourceMaps: options.sourceMaps !== "none",
      runtime: options.runtime,
      runtimeModule: options.runtimeModule,
      mode: options.mode,
      generators: options.generators ? undefined : false,
      sourceType: sourceTypeFor(job, options),
      babel: options.babel && lookup !== undefined ? { ...options.babel, lookup } : options.babel,
      retainLines: options.retainLines,
      printing: options.printing,
      // .mjs and .mts files stay ES modules (as tsc keeps them).
      commonjs: options.commonjs && !/\.m[jt]s$/.test(job.input),
      importExtensions: importExtensions(options, job.input),
    },
  };
}

/**
 * Relative specifiers of TypeScript files name their outputs: `./a.ts` → `./a.js`, or `./a.mjs` with
 * --out-file-extension .mjs; `./c.tsx` as the importing file's folder's configuration makes a `.tsx` file's.
 */
function importExtensions(options: BuildOptions, input: string): Record<string, string> | undefined {
  // (each output keeps its input's name: the specifiers name it as they are)
  if (options.keepFileExtension) return undefined;
  const out = options.outFileExtension;
  return Object.fromEntries(Object.entries(OUTPUT_EXTENSION).map(([ext, output]) => [ext, out ?? (ext === ".tsx" ? tsxExtension(input, options) : output)]));
}

/**
 * Sets options.jsxCompiled once a build has a `.tsx` file to compile (its output's name and the specifiers
 * naming it depend on whether the configuration compiles JSX): Babel is loaded on this thread for it.
 */
async function knowJsxOfTsx(jobs: Job[], options: BuildOptions): Promise<boolean> {
  if (options.jsxCompiled !== undefined || options.outFileExtension !== undefined || options.keepFileExtension || !jobs.some((job) => !job.copy && job.input.endsWith(".tsx"))) return false;
  const compiler = await loadCompiler();
  options.jsxCompiled = (input) => {
    try {
      return compiler.configurationCompilesJsx(input, options.babel);
    } catch (error) {
      throw new CliError(`stepwise build: cannot load the Babel configuration: ${(error as Error).message}`);
    }
  };
  return true;
}

/**
 * Every file read and handed to the pool, the largest first: a large file started last would leave the
 * other workers idle while it compiles alone (one 1.4 MB bundle takes as long as a hundred small files).
 * The outcomes stay in the order of the files, which is the order they are written and reported in.
 */
function startJobs(jobs: Job[], options: BuildOptions, pool: WorkerPool): (Started | null)[] {
  const started: (Started | null)[] = jobs.map((job) => (job.copy ? null : { read: readJob(job) }));
  const bySize = [...started.keys()].filter((i) => started[i] !== null && !("error" in started[i]!.read));
  const length = (i: number) => (started[i]!.read as { source: string }).source.length;
  bySize.sort((a, b) => length(b) - length(a) || a - b);
  // (the files of one build look for the Babel configuration files of a directory once: compile.ts)
  const lookup = `build ${++builds}`;
  for (const i of bySize) started[i]!.outcome = pool.compile(taskFor(jobs[i], options, (started[i]!.read as { source: string }).source, lookup));
  return started;
}

/** Builds started by this process (each its own lookup of Babel configuration files). */
let builds = 0;

/** On this thread, or, if the stack runs out here, again on `lane`'s worker, whose stack is larger. */
async function compileHere(task: CompileTask, lane: DeepLane): Promise<Outcome> {
  const outcome = await compileTask(task, !workersAvailable);
  if (outcome.ok || outcome.kind !== "overflow") return outcome;
  const deep = await lane.compile(task);
  // (a worker's warnings come back with its outcome)
  if (deep.ok) for (const warning of deep.warnings) process.stderr.write(warning);
  return deep.ok ? { ...deep, warnings: [] } : deep;
}

/** Compiles and writes one job; failures are reported and counted, never half-written. */
async function buildOne(job: Job, options: BuildOptions, totals: Totals, progress: boolean, deepLane: DeepLane, given?: string, started?: Started): Promise<boolean> {
  const clear = () => {
    if (progress) process.stderr.write("\r\x1b[K");
  };
  const fail = (message: string, code: number) => {
    clear();
    errorLine(message);
    totals.failed++;
    totals.worst = Math.max(totals.worst, code);
    return false;
  };
  if (job.copy) {
    let mode: number;
    try {
      mode = statSync(job.input).mode & 0o7777;
      accessSync(job.input, constants.R_OK);
    } catch (error) {
      return fail(`stepwise build: ${fsMessage(error, job.shown)}`, EXIT.io);
    }
    try {
      mkdirSync(dirname(job.output), { recursive: true });
      copyFileSync(job.input, job.output);
      chmodSync(job.output, mode);
    } catch (error) {
      return fail(`stepwise build: cannot write ${shown(job.output)}: ${writeMessage(error, job.output)}`, EXIT.io);
    }
    totals.copied++;
    if (options.verbose) errorLine(`${job.shown} -> ${shown(job.output)} (copied)`);
    return true;
  }
  const read = started?.read ?? readJob(job, given);
  if ("error" in read) return fail(`stepwise build: ${fsMessage(read.error, job.shown)}`, EXIT.io);
  const { source, inputMode } = read;
  const outcome = started?.outcome ? await started.outcome : await compileHere(taskFor(job, options, source), deepLane);
  if (!outcome.ok) {
    clear();
    if (outcome.kind === "config") throw new CliError(`stepwise build: cannot load the Babel configuration: ${outcome.message}`);
    if (outcome.kind === "compile") errorLine(outcome.text);
    else internalError("build", Object.assign(new Error(outcome.message), { name: outcome.kind === "internal" ? outcome.name : "RangeError", stack: outcome.kind === "internal" ? outcome.stack : undefined }));
    const code = outcome.kind === "compile" ? EXIT.compile : EXIT.internal;
    totals.failed++;
    totals.worst = Math.max(totals.worst, code);
    return false;
  }
  for (const warning of outcome.warnings) process.stderr.write(warning);
  if (outcome.ignored) return ignoredByConfig(job, options, totals, source, inputMode, given);
  const compiled = outcome;
  try {
    if (job.output === "-") {
      // (stdout has no place for a .map file: any kind of map is inline there, as babel writes it, for a file or stdin)
      writeStdout(compiled.unchanged ? asRead(job, compiled.code, source, given) : withMap(compiled.code, compiled.map, options.sourceMaps === "none" ? "none" : "inline", job, null, options));
    } else {
      const mapFile = options.sourceMaps === "true" || options.sourceMaps === "both" ? `${job.output}.map` : null;
      // A file with nothing to lower is its own output, byte for byte (it needs no source map).
      const code = compiled.unchanged ? compiled.code : withMap(compiled.code, compiled.map, options.sourceMaps, job, mapFile, options);
      mkdirSync(dirname(job.output), { recursive: true });
      if (mapFile !== null && compiled.map && !compiled.unchanged) writeAtomic(mapFile, JSON.stringify(relativeMap(compiled.map, job.output, options)));
      // An existing output keeps its mode; a new one gets the input's (an executable script stays executable).
      let mode = inputMode;
      try {
        mode = statSync(job.output).mode & 0o7777;
      } catch {
        // no earlier output
      }
      writeAtomic(job.output, compiled.unchanged ? asRead(job, code, source, given) : code, mode);
    }
  } catch (error) {
    return fail(`stepwise build: cannot write ${job.output === "-" ? "stdout" : shown(job.output)}: ${writeMessage(error, job.output)}`, EXIT.io);
  }
  if (options.verbose && job.output !== "-") errorLine(`${job.shown} -> ${shown(job.output)}`);
  totals.files++;
  totals.machines += compiled.machines;
  totals.states += compiled.states;
  if (compiled.machines > 0 && job.output !== "-") totals.needRuntime.push(job.output);
  if (options.commonjs && job.output !== "-" && extname(job.output) === ".js" && !/\.m[jt]s$/.test(job.input)) totals.commonjs.push(job.output);
  return true;
}

/** A folder and the folders in it, each if it is empty (or becomes so); anything else in them stays. */
function removeEmptyFolders(dir: string): void {
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeEmptyFolders(join(dir, entry.name));
    rmdirSync(dir);
  } catch {
    // not there, or not empty: left as it is
  }
}

/**
 * A file the user's Babel configuration ignores (`ignore`, `only`) is not compiled, as with @babel/cli: a
 * file of a directory input is left out, or with --copy-files copied under its own name (not with
 * --no-copy-ignored); a file named on the command line is written as it is.
 */
function ignoredByConfig(job: Job, options: BuildOptions, totals: Totals, source: string, inputMode: number | undefined, given: string | undefined): boolean {
  if (!job.named && !(options.copyFiles && options.copyIgnored)) {
    totals.ignored++;
    if (options.verbose) errorLine(`${job.shown}: ignored by the Babel configuration`);
    return true;
  }
  const output = job.output === "-" || options.outFile !== undefined ? job.output : join(dirname(job.output), basename(job.input));
  try {
    if (output === "-") writeStdout(asRead(job, source, source, given));
    else {
      mkdirSync(dirname(output), { recursive: true });
      let mode = inputMode;
      try {
        mode = statSync(output).mode & 0o7777;
      } catch {
        // no earlier output
      }
      writeAtomic(output, asRead(job, source, source, given), mode);
    }
  } catch (error) {
    errorLine(`stepwise build: cannot write ${output === "-" ? "stdout" : shown(output)}: ${writeMessage(error, output)}`);
    totals.failed++;
    totals.worst = Math.max(totals.worst, EXIT.io);
    return false;
  }
  if (output === "-") totals.ignored++;
  else totals.copied++;
  if (options.verbose && output !== "-") errorLine(`${job.shown} -> ${shown(output)} (copied: ignored by the Babel configuration)`);
  return true;
}

/**
 * An untouched file's output: the source's own bytes when the text is the source's (so that a file that is
 * not valid UTF-8, which reading as text would change, is still written byte for byte).
 */
function asRead(job: Job, text: string, source: string, given: string | undefined): string | Uint8Array {
  if (given !== undefined || text !== source) return text;
  try {
    return readFileSync(job.input);
  } catch {
    return text;
  }
}

/**
 * Module or script, as Node runs the source where it is: by extension, else by the nearest package.json
 * of the source (not of the output) saying "type": "module" (then a file with no import or export is
 * still a module), else by its syntax (import/export).
 */
function sourceTypeFor(job: Job, options: BuildOptions): "module" | "script" | "unambiguous" {
  if (options.sourceType !== undefined) return options.sourceType;
  const ext = extname(job.input);
  if (ext === ".mjs" || ext === ".mts") return "module";
  if (ext === ".cjs") return "script";
  // (CommonJS in TypeScript, whose imports and `import x = require()` become requires: parsingOf)
  if (ext === ".cts") return "unambiguous";
  return packageType(dirname(job.input)) === "module" ? "module" : "unambiguous";
}

function packageType(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { type?: string }).type ?? "commonjs";
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" && (error as NodeJS.ErrnoException).code !== "ENOTDIR") return undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The map with its sources named relative to the output (as a .map file or inline comment sees it; on stdout,
 * from the current directory), and as --source-root, --source-map-target and --source-file-name name them.
 */
function relativeMap(map: SourceMap, output: string, options: BuildOptions): SourceMap {
  const sources = sourcesFrom(map.sources, output === "-" ? process.cwd() : dirname(output));
  if (options.sourceFileName !== undefined) sources[0] = options.sourceFileName;
  return {
    ...map,
    ...(output !== "-" && { file: basename(output) }),
    ...(options.sourceMapTarget !== undefined && { file: options.sourceMapTarget }),
    ...(options.sourceRoot !== undefined && { sourceRoot: options.sourceRoot }),
    sources,
  };
}

function withMap(code: string, map: SourceMap | null, kind: SourceMapsKind, job: Job, mapFile: string | null, options: BuildOptions): string {
  if (kind === "none" || !map) return code + "\n";
  const lines = [code];
  if (kind === "inline" || kind === "both") {
    const inline = relativeMap(map, job.output, options);
    lines.push(inlineMapComment(inline));
  } else if (mapFile !== null) {
    lines.push(`//# sourceMappingURL=${mapFileUrl(basename(mapFile))}`);
  }
  return lines.join("\n") + "\n";
}

/**
 * A .map file's name as the URL the comment is (relative to the output's): `e%20f.js.map`, as tsc writes it
 * (encodeURI), and `#` and `?` too, which would start the URL's fragment or query (Node, following the comment,
 * would look for another file).
 */
function mapFileUrl(name: string): string {
  return encodeURI(name).replace(/[#?]/g, (char) => encodeURIComponent(char));
}

function writeStdout(text: string | Uint8Array): void {
  let offset = 0;
  const buffer = typeof text === "string" ? Buffer.from(text) : text;
  while (offset < buffer.length) {
    try {
      offset += writeSync(1, buffer, offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EAGAIN") continue;
      throw error;
    }
  }
}

async function buildStdin(options: BuildOptions, filename: string): Promise<number> {
  const source = await readStdin();
  const started = performance.now();
  const job: Job = { input: resolve(filename), shown: filename, output: options.outFile !== undefined ? resolve(options.outFile) : "-", named: true };
  const totals = newTotals();
  const deepLane = new DeepLane();
  try {
    await buildOne(job, options, totals, false, deepLane, source);
  } finally {
    await deepLane.close();
  }
  if (!options.quiet && job.output !== "-") summary(totals, performance.now() - started);
  return totals.worst;
}

async function watch(inputs: string[], jobs: Job[], options: BuildOptions): Promise<number> {
  const { watch: chokidar } = await import("chokidar");
  const c = colorsFor(process.stderr);
  const byInput = new Map(jobs.map((job) => [job.input, job]));
  const roots = inputs.map((raw) => resolve(raw));
  /** The output folder of a watched directory (roots that are files have their jobs already). */
  const outDirFor = (root: string) => (options.outDir === undefined ? undefined : outDirOf(root, options));
  const outDirs = options.outDir === undefined ? [] : roots.map((root) => outDirOf(inputFolder(root), options));
  const outFile = options.outFile === undefined ? undefined : resolve(options.outFile);
  const ignored = (path: string) => {
    const abs = resolve(path);
    if (outDirs.some((outDir) => abs === outDir || abs.startsWith(outDir + sep))) return true;
    if (abs === outFile) return true;
    if (abs.split(sep).some((part) => part.startsWith(".") && part.length > 1 && !options.includeDotfiles)) return true;
    // (a node_modules folder below an input, unless the input is dependencies itself: build-plan.ts)
    const root = roots.find((input) => abs === input || abs.startsWith(input + sep));
    if (abs.split(sep).includes("node_modules") && !(root !== undefined && isDependencies(root))) return true;
    // (ignored files are copied with --copy-files: watched then, selectFile says so)
    return !copiesIgnored(options) && options.ignore(abs);
  };
  const watcher = chokidar(roots, {
    ignoreInitial: true,
    // A file being written (truncated, then filled) is read once it has stopped changing, not half-written.
    awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 15 },
    ignored,
  });
  // (a deep file rebuilt again and again goes to the same warm worker)
  const deepLane = new DeepLane();
  const rebuild = async (path: string) => {
    const abs = resolve(path);
    let job = byInput.get(abs);
    if (!job) {
      // A new file in a watched directory.
      const root = roots.find((dir) => abs.startsWith(dir + sep));
      const outDir = root === undefined ? undefined : outDirFor(root);
      const what = root === undefined || outDir === undefined ? null : selectFile(abs, options, ignoredBelow(abs, root, options));
      if (what === null) return;
      // (the first .tsx file of the watch)
      if (what === "compile") await knowJsxOfTsx([{ input: abs, shown: shown(abs), output: "" }], options);
      const rel = relative(options.rootDir ?? root!, abs);
      job = { input: abs, shown: shown(abs), output: join(outDir!, what === "copy" ? rel : outputName(rel, options, abs)), copy: what === "copy" };
      byInput.set(abs, job);
    }
    const started = performance.now();
    const totals = newTotals();
    if ((await buildOne(job, options, totals, false, deepLane)) && !options.quiet) {
      const what = job.copy || totals.copied > 0 ? "copied" : totals.ignored > 0 ? "ignored by the Babel configuration: not written" : `${totals.states} state${totals.states === 1 ? "" : "s"}`;
      errorLine(`stepwise build: rebuilt ${job.shown} -> ${shown(job.output)} (${what}) in ${Math.round(performance.now() - started)} ms`);
    }
    checkRuntime(totals.needRuntime, options);
    checkCommonjs(totals.commonjs);
  };
  /** A deleted input's output (and its .map file) goes too. */
  const removed = (path: string) => {
    const job = byInput.get(resolve(path));
    if (!job || job.output === "-") return;
    byInput.delete(job.input);
    let gone = false;
    for (const file of [job.output, `${job.output}.map`]) {
      try {
        unlinkSync(file);
        gone ||= file === job.output;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") errorLine(`stepwise build: cannot remove ${shown(file)}: ${writeMessage(error, file)}`);
      }
    }
    if (gone && !options.quiet) errorLine(`stepwise build: removed ${shown(job.output)} (${job.shown} was deleted)`);
  };
  // (one rebuild at a time, in the order of the events)
  let rebuilding = Promise.resolve();
  const queueRebuild = (path: string) => {
    rebuilding = rebuilding.then(() => rebuild(path));
  };
  watcher.on("add", queueRebuild);
  watcher.on("change", queueRebuild);
  // chokidar (5.0) reads a new folder before it watches it, so a file written into the folder in between is
  // never reported (paulmillr/chokidar#1471: `mkdir src/new && cp b.js src/new/` can lose b.js, and a busy
  // machine widens the gap). A new folder is read again once its watch is up: a file chokidar does not know
  // there is built as a new one, a folder it does not know is watched from then on and its files built.
  const rescued = new Set<string>();
  const readAgain = (dir: string, missed: boolean) => {
    const known = new Set(missed ? [] : (watcher.getWatched()[dir] ?? []));
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (known.has(entry.name) || rescued.has(path) || ignored(path)) continue;
      rescued.add(path);
      if (entry.isDirectory()) {
        watcher.add(path);
        readAgain(path, true);
      } else if (entry.isFile()) queueRebuild(path);
    }
  };
  watcher.on("addDir", (path: string) => {
    const abs = resolve(path);
    for (const path of rescued) if (path.startsWith(abs + sep)) rescued.delete(path);
    for (const ms of [100, 1000]) setTimeout(() => readAgain(abs, false), ms).unref();
  });
  watcher.on("unlink", removed);
  // A deleted folder's outputs go, then its output folder (if nothing else is in it).
  watcher.on("unlinkDir", (path: string) => {
    const abs = resolve(path);
    const root = roots.find((dir) => abs.startsWith(dir + sep));
    const outDir = root === undefined ? undefined : outDirFor(root);
    if (root === undefined || outDir === undefined) return;
    // (chokidar says so before it reports the files in it)
    for (const input of [...byInput.keys()]) if (input.startsWith(abs + sep)) removed(input);
    removeEmptyFolders(join(outDir, relative(options.rootDir ?? root, abs)));
  });
  watcher.on("error", (error) => errorLine(`stepwise build: watch error: ${(error as Error).message}`));
  await new Promise<void>((ready) => watcher.on("ready", () => ready()));
  if (!options.quiet) errorLine(c.dim("stepwise build: watching for changes (Ctrl-C to stop)"));
  return new Promise<number>((done) => {
    const stop = () => {
      void Promise.all([watcher.close(), deepLane.close()]).then(() => done(EXIT.ok));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
