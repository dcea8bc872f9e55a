// `stepwise run file [args]`: runs a program in a child Node process whose module hooks transform every
// file it loads (outside node_modules); `--trace` records each step of each machine.
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_MODE, MODE_NAMES, modeOf, type Mode } from "./mode.ts";
import { cacheDirectory } from "./run-cache.ts";
import type { RunConfig } from "./run-config.ts";
import { loweredEntry, runProgram, type Entry } from "./run-program.ts";
import { babelChoice, type BabelChoice, checkConfigFile, checkOutputFile, choice, didYouMean, CliError, colorsEnabled, displayPath, EXIT, fsMessage, orList, readStdin } from "./shared.ts";
import { TRACE_FORMATS, type TraceFormat } from "./trace/schema.ts";
import { runDrawingPicture } from "./trace/picture.ts";

export const RUN_HELP = `Usage: stepwise run [options] [node options] <file> [args...]
       stepwise run [options] [node options] -e CODE [args...]
       stepwise run [options] [node options] - [args...] < program.js

Runs a program (.js, .mjs, .cjs, .ts, .mts, .cts, .jsx, .tsx) with its async functions and
generators lowered to state machines on the fly, in every file it imports or requires outside
node_modules (ES modules through module hooks, CommonJS through Node's CommonJS loader). JSX uses
the automatic runtime (react/jsx-runtime, or the file's @jsxImportSource / @jsxRuntime classic
pragma). Stack traces point at the original lines (source maps; code given with -e or on stdin is
run as Node runs it, with no source map: its positions are the lowered code's). Exits with the
program's exit code.

Options (before the file; --trace and --trace-file may also follow it. What else follows the file
goes to the program as node passes it, a "--" too, after which nothing is read as an option;
"stepwise run -- FILE ARGS" gives the program ARGS untouched):
  -e, --eval CODE      run CODE, as node -e does ([eval]; an ES module where it has import or
                       export declarations or a top-level await, or with --input-type=module)
  -p, --print CODE     the same, and print its value, as node -p does
  -                    run the code on stdin ([stdin]), as node - does (the default when no file is
                       given and stdin is not a terminal)
  --trace[=FORMAT]     record every step of every machine, with microtask and macrotask
                       boundaries: text (default, on stderr) | json (JSON Lines) | svg | html
                       (a swimlane picture, one lane per call)
  --trace-file FILE    write the trace to FILE (default: stderr for text and json,
                       stepwise-trace.svg or stepwise-trace.html for pictures)
  --mode MODE          promise | loop (async functions return event-loop coroutines); default: loop
                       when the program imports stepwise/loop, else promise
  --config-file FILE   the Babel configuration to use (default: babel.config.* of the current
                       directory, plus .babelrc* files and package.json "babel")
  --no-babelrc         ignore .babelrc* files and package.json "babel"
  --env-name NAME      the Babel configuration's env (default: BABEL_ENV, NODE_ENV or "development")
  --root-mode MODE     root | upward | upward-optional: where babel.config.* is looked for
  --presets LIST       presets to apply too, after the configuration's (comma-separated names or
                       paths, resolved from the current directory)
  --plugins LIST       plugins to apply too, after the configuration's (as --presets)
  --watch              rerun when the program or a file it loads changes (Node's --watch)
  --no-cache           do not read or write the transform cache (node_modules/.cache/stepwise,
                       else $XDG_CACHE_HOME/stepwise; $STEPWISE_CACHE_DIR sets it)
  -h, --help           show this help

Node options before the file go to Node: --inspect[-brk][=PORT], --conditions (-C) NAME,
--import MODULE, --require (-r) MODULE (loaded after the hooks, so it is transformed too),
--test, --env-file FILE, --no-warnings, --max-old-space-size=MB, and the other options Node
accepts in NODE_OPTIONS (those with a value take it after "=" or as the next argument).
--enable-source-maps is always on.
`;

interface Parsed {
  /** The program: a file, code given with -e/-p, or code on stdin ("-", or nothing given with stdin not a terminal). */
  program: { file: string } | { eval: string; print: boolean } | { stdin: true };
  programArgs: string[];
  trace: TraceFormat | null;
  traceFile: string | null;
  /** Undefined: the program's own (loop if it imports stepwise/loop; see mode.ts). */
  mode: Mode | undefined;
  babel: BabelChoice;
  cache: boolean;
  /** Options for Node itself (--inspect, --conditions, --import, --watch, ...). */
  nodeOptions: string[];
  /** --require modules: loaded by the preload, after the hooks (so they are transformed too). */
  requires: string[];
}

/** Node's options that take their value as the next argument too (`--conditions dev`); others need `=`. */
const NODE_VALUE_OPTIONS = new Set([
  "--conditions", "-C", "--import", "--require", "-r", "--loader", "--experimental-loader", "--input-type", "--inspect-port", "--debug-port",
  "--title", "--redirect-warnings", "--unhandled-rejections", "--watch-path", "--test-reporter", "--test-reporter-destination", "--test-shard",
  "--test-name-pattern", "--test-concurrency", "--test-timeout", "--env-file", "--disable-warning", "--dns-result-order", "--diagnostic-dir",
  "--heap-prof-dir", "--heap-prof-name", "--heap-prof-interval", "--heapsnapshot-signal", "--heapsnapshot-near-heap-limit", "--icu-data-dir",
  "--openssl-config", "--report-dir", "--report-directory", "--report-filename", "--report-signal", "--secure-heap", "--secure-heap-min",
  "--tls-cipher-list", "--tls-keylog", "--trace-event-categories", "--trace-event-file-pattern", "--allow-fs-read", "--allow-fs-write",
  "--experimental-policy", "--policy-integrity", "--experimental-default-type", "--max-http-header-size", "--stack-trace-limit",
  "--max-old-space-size", "--max-semi-space-size", "--stack-size", "--v8-pool-size", "--snapshot-blob",
]);
/** Node's options stepwise passes on: those Node accepts in NODE_OPTIONS, and its test runner's. */
function isNodeOption(name: string): boolean {
  return process.allowedNodeEnvironmentFlags.has(name) || ["--test", "--test-name-pattern", "--test-concurrency", "--test-timeout", "--experimental-test-coverage", "--test-force-exit", "--env-file", "--stack-size"].includes(name);
}
/** Node options that would break what stepwise sets up. */
const NODE_REFUSED = new Set(["--no-enable-source-maps", "--loader", "--experimental-loader"]);

function parseRunArgs(args: string[]): Parsed | "help" {
  let file: string | undefined;
  /** -e/--eval, -p/--print: the code, and whether its value is printed. */
  let evaluated: { code: string | undefined; print: boolean } | undefined;
  const programArgs: string[] = [];
  let trace: string | null = null;
  let traceFile: string | null = null;
  let mode: string | undefined;
  let configFile: string | undefined;
  let babelrc = true;
  let envName: string | undefined;
  let rootMode: string | undefined;
  const presets: string[] = [];
  const plugins: string[] = [];
  let cache = true;
  const nodeOptions: string[] = [];
  const requires: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      // (before the program, `--` ends the options and the file follows; after a file, node passes a `--`
      // on to the program, and so does this, reading no --trace after it; after -e's code it is node's)
      if (file === undefined && evaluated === undefined) {
        file = args[i + 1];
        programArgs.push(...args.slice(i + 2));
      } else {
        programArgs.push(...args.slice(file !== undefined ? i : i + 1));
      }
      break;
    }
    const value = (name: string): string => {
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
      const next = args[++i];
      if (next === undefined) throw new CliError(`stepwise run: option ${name} needs a value (see stepwise run --help)`);
      return next;
    };
    if (arg === "--trace") trace = "text";
    else if (arg.startsWith("--trace=")) trace = arg.slice("--trace=".length);
    else if (arg === "--trace-file" || arg.startsWith("--trace-file=")) traceFile = value("--trace-file");
    else if (file !== undefined) programArgs.push(arg);
    // (after -e's code, the first argument that is no option starts the program's, as in Node)
    else if (evaluated?.code !== undefined && !arg.startsWith("-")) {
      programArgs.push(...args.slice(i));
      break;
    }
    else if (arg === "-h" || arg === "--help") return "help";
    // Node's -e/-p: the code to run, and -p prints its value; `-pe CODE`, `-p -e CODE`, `-p CODE` alike
    else if (arg === "-e" || arg === "--eval" || arg.startsWith("--eval=") || arg === "-pe" || arg === "-ep") {
      evaluated = { code: value(arg.startsWith("--eval=") ? "--eval" : arg), print: (evaluated?.print ?? false) || arg.length === 3 };
    }
    else if (arg === "-p" || arg === "--print" || arg.startsWith("--print=")) {
      const next = args[i + 1];
      const code = arg.startsWith("--print=") ? arg.slice("--print=".length) : next !== undefined && !next.startsWith("-") ? args[++i] : evaluated?.code;
      evaluated = { code, print: true };
    }
    else if (arg === "--mode" || arg.startsWith("--mode=")) mode = value("--mode");
    else if (arg === "--config-file" || arg.startsWith("--config-file=")) configFile = value("--config-file");
    else if (arg === "--no-babelrc") babelrc = false;
    else if (arg === "--env-name" || arg.startsWith("--env-name=")) envName = value("--env-name");
    else if (arg === "--root-mode" || arg.startsWith("--root-mode=")) rootMode = value("--root-mode");
    else if (arg === "--presets" || arg.startsWith("--presets=")) presets.push(value("--presets"));
    else if (arg === "--plugins" || arg.startsWith("--plugins=")) plugins.push(value("--plugins"));
    else if (arg === "--no-cache") cache = false;
    else if (arg === "--watch") nodeOptions.push(arg);
    else if (arg === "--enable-source-maps") continue; // always on
    else if (arg.startsWith("-") && arg !== "-" && isNodeOption(arg.split("=")[0])) {
      const option = arg.split("=")[0];
      if (NODE_REFUSED.has(option)) throw new CliError(`stepwise run: node option ${option} cannot be used: stepwise installs its own module hooks and source maps`);
      const given = NODE_VALUE_OPTIONS.has(option) ? (arg.includes("=") ? arg.slice(option.length + 1) : value(option)) : null;
      if (option === "--require" || option === "-r") requires.push(given!);
      else if (given === null) nodeOptions.push(arg);
      else nodeOptions.push(...(option.startsWith("--") ? [`${option}=${given}`] : [option, given]));
    }
    else if (arg.startsWith("-") && arg !== "-") {
      const option = arg.split("=")[0];
      // (stepwise's options, and the Node options people most often type)
      const known = ["--trace", "--trace-file", "--mode", "--config-file", "--no-babelrc", "--env-name", "--root-mode", "--presets", "--plugins", "--no-cache", "--watch", "--help", "--inspect", "--inspect-brk", "--test", "--import", "--require", "--conditions", "--env-file"];
      const hint = option.startsWith("--") ? didYouMean(option, known) : "";
      throw new CliError(`stepwise run: unknown option ${option}${hint} (see stepwise run --help)`);
    }
    else file = arg;
  }
  if (evaluated !== undefined && evaluated.code === undefined) throw new CliError("stepwise run: option -p needs the code to run (see stepwise run --help)");
  if (file === undefined && evaluated === undefined && process.stdin.isTTY) throw new CliError("stepwise run: no program to run (usage: stepwise run [options] <file> [args...], -e CODE, or code on stdin)");
  if (trace !== null && !(TRACE_FORMATS as readonly string[]).includes(trace)) {
    throw new CliError(`stepwise run: --trace must be ${orList(TRACE_FORMATS)}, got "${trace}"`);
  }
  if (traceFile !== null && trace === null) throw new CliError("stepwise run: --trace-file needs --trace");
  return {
    program: evaluated !== undefined ? { eval: evaluated.code!, print: evaluated.print } : file === undefined || file === "-" ? { stdin: true } : { file },
    programArgs,
    trace: trace as TraceFormat | null,
    traceFile,
    mode: mode === undefined ? undefined : choice("run", "--mode", mode, MODE_NAMES, DEFAULT_MODE),
    babel: babelChoice("run", { "config-file": configFile, "no-babelrc": !babelrc, "env-name": envName, "root-mode": rootMode, ...(presets.length > 0 && { presets }), ...(plugins.length > 0 && { plugins }) }),
    cache,
    nodeOptions,
    requires,
  };
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseRunArgs(args);
  if (parsed === "help") {
    process.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  const { program } = parsed;
  const path = "file" in program ? resolve(program.file) : null;
  if (path !== null) {
    try {
      if (statSync(path).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
      accessSync(path, constants.R_OK);
    } catch (error) {
      throw new CliError(`stepwise run: ${fsMessage(error, (program as { file: string }).file)}`, EXIT.io);
    }
  }
  if (parsed.babel.configFile !== undefined) checkConfigFile("run", parsed.babel.configFile);
  let traceFile = parsed.traceFile;
  if (traceFile === null && (parsed.trace === "svg" || parsed.trace === "html")) traceFile = `stepwise-trace.${parsed.trace}`;
  // The trace file's folder is made (as build -o does) before the program runs, or the run is refused.
  if (traceFile !== null) checkOutputFile("run", "--trace-file", traceFile, path ?? undefined);
  // (code given on the command line or stdin is read now: its mode is its own, as a file's)
  const source = path !== null ? readFileSync(path, "utf8") : "eval" in program ? program.eval : await readStdin();
  const config: RunConfig = {
    file: path !== null ? displayPath(path) : "eval" in program ? "[eval]" : "[stdin]",
    mode: parsed.mode ?? modeOf(source),
    trace: parsed.trace,
    traceFile: traceFile === null ? null : resolve(traceFile),
    colors: colorsEnabled(process.stderr),
    babel: { ...parsed.babel, configFile: parsed.babel.configFile === undefined ? undefined : resolve(parsed.babel.configFile) },
    cacheDir: parsed.cache ? cacheDirectory(process.cwd()) : null,
    requires: parsed.requires,
  };
  const nodeOptions = [...parsed.nodeOptions];
  const entry: Entry = path !== null ? { file: path } : await loweredEntry(source, config, nodeOptions, "eval" in program ? program : "stdin");
  const run = (config: RunConfig) => runProgram(entry, parsed.programArgs, config, nodeOptions);
  return config.trace === "svg" || config.trace === "html" ? runDrawingPicture(config, run) : run(config);
}
