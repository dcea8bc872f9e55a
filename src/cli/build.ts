// `stepwise build`: files and directories in, a mirrored tree (-d), one file (-o), or stdout out.
import { mkdirSync, readdirSync, readFileSync, statSync, writeSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import type { SourceMap } from "./compile.ts";
import { DEFAULT_MODE, MODE_NAMES, type Mode } from "./mode.ts";
import {
  choice,
  CliError,
  colorsFor,
  type Compiler,
  errorLine,
  EXIT,
  fsMessage,
  loadCompiler,
  parse,
  reportCompileError,
  shortPath as shown,
  writeAtomic,
  writeMessage,
} from "./shared.ts";

export const BUILD_HELP = `Usage: stepwise build [options] [files or directories...]

Lowers async functions and generators to state-machine classes. With no input, reads stdin and
writes stdout.

Options:
  -d, --out-dir DIR          write each input under DIR, mirroring directory inputs' trees
  -o, --out-file FILE        write the single input to FILE
      --extensions LIST      extensions compiled in directories (comma-separated;
                             default .js,.mjs,.cjs,.ts,.mts,.cts,.jsx,.tsx)
      --ignore GLOB          skip matching files (repeatable; matched against the path from the
                             current directory, or the file name for a pattern without "/")
  -s, --source-maps [KIND]   inline | true (.map files) | both (default when given alone: true)
      --runtime KIND         import | require | inline: how output reaches the runtime
      --runtime-module SPEC  the runtime's module specifier (default stepwise/runtime)
      --filename NAME        the name of stdin's code (picks the syntax: .ts, .jsx, ...)
      --mode MODE            promise (default) | loop
      --no-generators        leave generators (function*, async function*) native; lower async functions only
  -w, --watch                rebuild files when they change (needs -d or -o)
      --overwrite            allow writing over an input file or into an input directory
  -q, --quiet                no progress line or summary
  -h, --help                 show this help
`;

const DEFAULT_EXTENSIONS = [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"];
const OUTPUT_EXTENSION: Record<string, string> = { ".ts": ".js", ".mts": ".mjs", ".cts": ".cjs", ".tsx": ".jsx" };

type SourceMapsKind = "none" | "inline" | "true" | "both";

/** Loaded once the command line is known to be good (see loadCompiler). */
let compiler: Compiler;

interface BuildOptions {
  outDir?: string;
  outFile?: string;
  extensions: string[];
  ignore: (path: string) => boolean;
  sourceMaps: SourceMapsKind;
  runtime?: "import" | "require" | "inline";
  runtimeModule?: string;
  mode?: Mode;
  /** False: generators stay native (the plugin's `generators` option). */
  generators: boolean;
  quiet: boolean;
  overwrite: boolean;
}

/** One file to compile: where it is read from and where its output goes. */
interface Job {
  input: string;
  /** The input path as shown in messages (relative to the current directory). */
  shown: string;
  output: string;
}

interface Totals {
  files: number;
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
      extensions: { type: "string" },
      ignore: { type: "string", multiple: true },
      "source-maps": { type: "string", short: "s" },
      runtime: { type: "string" },
      "runtime-module": { type: "string" },
      filename: { type: "string" },
      mode: { type: "string" },
      "no-generators": { type: "boolean" },
      watch: { type: "boolean", short: "w" },
      overwrite: { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
    },
    { "source-maps": { values: ["inline", "true", "both"], bare: "true", spaced: true } },
  );
  if (values.help) {
    process.stdout.write(BUILD_HELP);
    return EXIT.ok;
  }
  const extensions = values.extensions === undefined ? DEFAULT_EXTENSIONS : values.extensions.split(",").map((ext) => ext.trim()).filter(Boolean);
  for (const ext of extensions) {
    if (!/^\.[\w.-]+$/.test(ext)) throw new CliError(`stepwise build: --extensions takes extensions like .js,.ts, got "${ext}"`);
  }
  const globs = values.ignore ?? [];
  const matcher = ignoreMatcher(globs);
  const options: BuildOptions = {
    outDir: values["out-dir"],
    outFile: values["out-file"],
    extensions,
    ignore: (path) => matcher(toPosix(relative(process.cwd(), path))),
    sourceMaps: (values["source-maps"] as SourceMapsKind | undefined) ?? "none",
    runtime: values.runtime === undefined ? undefined : choice("build", "--runtime", values.runtime, ["import", "require", "inline"] as const, "import"),
    runtimeModule: values["runtime-module"],
    mode: values.mode === undefined ? undefined : choice("build", "--mode", values.mode, MODE_NAMES, DEFAULT_MODE),
    generators: !values["no-generators"],
    quiet: !!values.quiet,
    overwrite: !!values.overwrite,
  };
  if (options.outDir !== undefined && options.outFile !== undefined) throw new CliError("stepwise build: give either --out-dir or --out-file, not both");

  if (positionals.length === 0) {
    if (values.watch) throw new CliError("stepwise build: --watch needs input files or directories");
    if (options.outDir !== undefined) throw new CliError("stepwise build: --out-dir needs input files or directories");
    if (process.stdin.isTTY) throw new CliError("stepwise build: no input (give files or directories, or pipe code to stdin; see stepwise build --help)");
    return buildStdin(options, values.filename ?? "stdin.js");
  }
  if (values.filename !== undefined) throw new CliError("stepwise build: --filename names stdin's code; it cannot be used with input files");

  const jobs = plan(positionals, options);
  compiler = await loadCompiler();
  if (values.watch && options.outDir === undefined && options.outFile === undefined) {
    throw new CliError("stepwise build: --watch needs --out-dir or --out-file");
  }
  const started = performance.now();
  const totals: Totals = { files: 0, machines: 0, states: 0, failed: 0, worst: EXIT.ok };
  const progress = !options.quiet && process.stderr.isTTY && jobs.length > 1;
  for (const [i, job] of jobs.entries()) {
    if (progress) process.stderr.write(`\r\x1b[K[${i + 1}/${jobs.length}] ${job.shown}`);
    buildOne(job, options, totals, progress);
  }
  if (progress) process.stderr.write("\r\x1b[K");
  if (!options.quiet) summary(totals, performance.now() - started);
  if (values.watch) return watch(positionals, jobs, options);
  return totals.worst;
}

/** --ignore: a pattern with a "/" matches the path from the current directory, one without matches the file name. */
function ignoreMatcher(globs: string[]): (path: string) => boolean {
  const never = () => false;
  const paths = globs.filter((glob) => glob.includes("/"));
  const names = globs.filter((glob) => !glob.includes("/"));
  const byPath = paths.length > 0 ? picomatch(paths, { dot: true }) : never;
  const byName = names.length > 0 ? picomatch(names, { dot: true, basename: true }) : never;
  // A directory matches `dir/**` too.
  return (path) => byPath(path) || byPath(`${path}/`) || byName(path);
}

function summary(totals: Totals, ms: number): void {
  const c = colorsFor(process.stderr);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const failed = totals.failed > 0 ? c.red(`, ${plural(totals.failed, "file")} failed`) : "";
  errorLine(`stepwise: built ${plural(totals.files, "file")} (${plural(totals.machines, "machine")}, ${plural(totals.states, "state")}) in ${Math.round(ms)} ms${failed}`);
}

/** Inputs to jobs; every refusal is checked before anything is written. */
function plan(inputs: string[], options: BuildOptions): Job[] {
  const jobs: Job[] = [];
  const inputDirs: string[] = [];
  /** Directories of file inputs: the output may go below them, not next to the inputs. */
  const fileDirs: string[] = [];
  const outDir = options.outDir === undefined ? undefined : resolve(options.outDir);
  for (const raw of inputs) {
    const input = resolve(raw);
    let stats;
    try {
      stats = statSync(input);
    } catch (error) {
      throw new CliError(`stepwise build: ${fsMessage(error, raw)}`, EXIT.io);
    }
    if (stats.isDirectory()) {
      if (options.outFile !== undefined) throw new CliError(`stepwise build: --out-file takes one input file; ${raw} is a directory (use --out-dir)`);
      if (outDir === undefined) throw new CliError(`stepwise build: ${raw} is a directory: give --out-dir`);
      inputDirs.push(input);
      for (const file of walk(input, options, outDir, raw)) {
        jobs.push({ input: file, shown: shown(file), output: join(outDir, outputName(relative(input, file))) });
      }
    } else {
      fileDirs.push(dirname(input));
      const output = outDir !== undefined ? join(outDir, outputName(basename(input))) : options.outFile !== undefined ? resolve(options.outFile) : "-";
      jobs.push({ input, shown: shown(input), output });
    }
  }
  if (options.outFile !== undefined && jobs.length > 1) throw new CliError("stepwise build: --out-file takes one input file (use --out-dir for several)");
  if (options.outDir === undefined && options.outFile === undefined && jobs.length > 1) {
    throw new CliError("stepwise build: several inputs need --out-dir");
  }
  if (!options.overwrite) {
    const inputsSet = new Set(jobs.map((job) => job.input));
    for (const job of jobs) {
      if (inputsSet.has(job.output)) throw new CliError(`stepwise build: refusing to write over the input ${shown(job.output)} (pass --overwrite to allow it)`);
    }
    if (outDir !== undefined) {
      const into = inputDirs.find((dir) => outDir === dir || outDir.startsWith(dir + sep)) ?? fileDirs.find((dir) => outDir === dir);
      if (into !== undefined) throw new CliError(`stepwise build: refusing to write into the input directory ${shown(into) || "."} (pass --overwrite to allow it)`);
    }
  }
  const seen = new Map<string, string>();
  for (const job of jobs) {
    const other = seen.get(job.output);
    if (other !== undefined && other !== job.input) throw new CliError(`stepwise build: ${shown(other)} and ${job.shown} would both write ${shown(job.output)}`);
    seen.set(job.output, job.input);
  }
  return jobs;
}

function walk(dir: string, options: BuildOptions, outDir: string, raw: string): string[] {
  const files: string[] = [];
  const visit = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      throw new CliError(`stepwise build: ${fsMessage(error, current === dir ? raw : shown(current))}`, EXIT.io);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name === "node_modules" || entry.name.startsWith(".") || path === outDir || options.ignore(path)) continue;
        visit(path);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        if (!options.extensions.includes(extname(entry.name)) || /\.d\.[mc]?ts$/.test(entry.name) || options.ignore(path)) continue;
        files.push(path);
      }
    }
  };
  visit(dir);
  return files;
}

function outputName(path: string): string {
  const ext = extname(path);
  const replacement = OUTPUT_EXTENSION[ext];
  return replacement ? path.slice(0, -ext.length) + replacement : path;
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/** Compiles and writes one job; failures are reported and counted, never half-written. */
function buildOne(job: Job, options: BuildOptions, totals: Totals, progress: boolean, given?: string): boolean {
  const clear = () => {
    if (progress) process.stderr.write("\r\x1b[K");
  };
  let source: string;
  try {
    source = given ?? readFileSync(job.input, "utf8");
  } catch (error) {
    clear();
    errorLine(`stepwise: ${fsMessage(error, job.shown)}`);
    totals.failed++;
    totals.worst = Math.max(totals.worst, EXIT.io);
    return false;
  }
  let compiled;
  try {
    compiled = compiler.compile(source, {
      filename: job.shown,
      sourceMaps: options.sourceMaps !== "none",
      runtime: options.runtime,
      runtimeModule: options.runtimeModule,
      mode: options.mode,
      generators: options.generators ? undefined : false,
      sourceType: sourceTypeFor(job),
    });
  } catch (error) {
    clear();
    reportCompileError(error);
    totals.failed++;
    totals.worst = Math.max(totals.worst, EXIT.compile);
    return false;
  }
  try {
    if (job.output === "-") {
      writeStdout(withMap(compiled.code, compiled.map, options.sourceMaps === "none" ? "none" : "inline", job, null));
    } else {
      const mapFile = options.sourceMaps === "true" || options.sourceMaps === "both" ? `${job.output}.map` : null;
      const code = withMap(compiled.code, compiled.map, options.sourceMaps, job, mapFile);
      mkdirSync(dirname(job.output), { recursive: true });
      if (mapFile !== null && compiled.map) writeAtomic(mapFile, JSON.stringify(relativeMap(compiled.map, job, job.output)));
      writeAtomic(job.output, code);
    }
  } catch (error) {
    clear();
    errorLine(`stepwise: cannot write ${job.output === "-" ? "stdout" : shown(job.output)}: ${writeMessage(error, job.output)}`);
    totals.failed++;
    totals.worst = Math.max(totals.worst, EXIT.io);
    return false;
  }
  totals.files++;
  totals.machines += compiled.machines.length;
  totals.states += compiled.machines.reduce((sum, machine) => sum + machine.states.length, 0);
  return true;
}

/**
 * Module or script, as Node will run the output: by extension, else by the nearest package.json's
 * "type" (a file with no import or export in a "type": "module" package is still a module).
 */
function sourceTypeFor(job: Job): "module" | "script" | "unambiguous" {
  const ext = extname(job.input);
  if (ext === ".mjs" || ext === ".mts") return "module";
  if (ext === ".cjs" || ext === ".cts") return "script";
  return packageType(dirname(job.output === "-" ? job.input : job.output)) === "module" ? "module" : "unambiguous";
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

/** The map with its source named relative to the output (as a .map file or inline comment sees it). */
function relativeMap(map: SourceMap, job: Job, output: string): SourceMap {
  return { ...map, file: basename(output), sources: [toPosix(relative(dirname(output), job.input))] };
}

function withMap(code: string, map: SourceMap | null, kind: SourceMapsKind, job: Job, mapFile: string | null): string {
  if (kind === "none" || !map) return code + "\n";
  const lines = [code];
  if (kind === "inline" || kind === "both") {
    const inline = job.output === "-" ? { ...map, sources: [job.shown] } : relativeMap(map, job, job.output);
    lines.push(compiler.inlineMapComment(inline));
  } else if (mapFile !== null) {
    lines.push(`//# sourceMappingURL=${basename(mapFile)}`);
  }
  return lines.join("\n") + "\n";
}

function writeStdout(text: string): void {
  let offset = 0;
  const buffer = Buffer.from(text);
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
  compiler = await loadCompiler();
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const source = Buffer.concat(chunks).toString("utf8");
  const started = performance.now();
  const job: Job = { input: resolve(filename), shown: filename, output: options.outFile !== undefined ? resolve(options.outFile) : "-" };
  if (job.output === "-" && (options.sourceMaps === "true" || options.sourceMaps === "both")) {
    throw new CliError(`stepwise build: --source-maps ${options.sourceMaps} writes a .map file: give --out-file (or use --source-maps inline)`);
  }
  const totals: Totals = { files: 0, machines: 0, states: 0, failed: 0, worst: EXIT.ok };
  buildOne(job, options, totals, false, source);
  if (!options.quiet && job.output !== "-") summary(totals, performance.now() - started);
  return totals.worst;
}

async function watch(inputs: string[], jobs: Job[], options: BuildOptions): Promise<number> {
  const { watch: chokidar } = await import("chokidar");
  const c = colorsFor(process.stderr);
  const byInput = new Map(jobs.map((job) => [job.input, job]));
  const roots = inputs.map((raw) => resolve(raw));
  const outDir = options.outDir === undefined ? undefined : resolve(options.outDir);
  const outFile = options.outFile === undefined ? undefined : resolve(options.outFile);
  const watcher = chokidar(roots, {
    ignoreInitial: true,
    // A file being written (truncated, then filled) is read once it has stopped changing, not half-written.
    awaitWriteFinish: { stabilityThreshold: 60, pollInterval: 15 },
    ignored: (path: string) => {
      const abs = resolve(path);
      if (outDir !== undefined && (abs === outDir || abs.startsWith(outDir + sep))) return true;
      if (abs === outFile) return true;
      if (abs.split(sep).some((part) => part === "node_modules" || (part.startsWith(".") && part.length > 1))) return true;
      return options.ignore(abs);
    },
  });
  const rebuild = (path: string) => {
    const abs = resolve(path);
    let job = byInput.get(abs);
    if (!job) {
      // A new file in a watched directory.
      const root = roots.find((dir) => abs.startsWith(dir + sep));
      if (root === undefined || outDir === undefined || !options.extensions.includes(extname(abs)) || /\.d\.[mc]?ts$/.test(abs)) return;
      job = { input: abs, shown: shown(abs), output: join(outDir, outputName(relative(root, abs))) };
      byInput.set(abs, job);
    }
    const started = performance.now();
    const totals: Totals = { files: 0, machines: 0, states: 0, failed: 0, worst: EXIT.ok };
    if (buildOne(job, options, totals, false) && !options.quiet) {
      errorLine(`stepwise: rebuilt ${job.shown} -> ${shown(job.output)} (${totals.states} states) in ${Math.round(performance.now() - started)} ms`);
    }
  };
  watcher.on("add", rebuild);
  watcher.on("change", rebuild);
  watcher.on("error", (error) => errorLine(`stepwise: watch error: ${(error as Error).message}`));
  await new Promise<void>((ready) => watcher.on("ready", () => ready()));
  if (!options.quiet) errorLine(c.dim("stepwise: watching for changes (Ctrl-C to stop)"));
  return new Promise<number>((done) => {
    const stop = () => {
      void watcher.close().then(() => done(EXIT.ok));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
