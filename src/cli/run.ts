// `stepwise run file [args]`: runs a program in a child Node process whose module hooks transform every
// file it loads (outside node_modules); `--trace` records each step of each machine.
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_MODE, MODE_NAMES, modeOf, type Mode } from "./mode.ts";
import { cacheDirectory } from "./run-cache.ts";
import type { RunConfig } from "./run-config.ts";
import { runProgram } from "./run-program.ts";
import { babelChoice, type BabelChoice, checkConfigFile, checkOutputFile, choice, didYouMean, CliError, colorsEnabled, displayPath, EXIT, fsMessage, orList } from "./shared.ts";
import { TRACE_FORMATS, type TraceFormat } from "./trace/schema.ts";
import { runDrawingPicture } from "./trace/picture.ts";

export const RUN_HELP = `Usage: stepwise run [options] [node options] <file> [args...]

Runs a program (.js, .mjs, .cjs, .ts, .mts, .cts, .jsx, .tsx) with its async functions and
generators lowered to state machines on the fly, in every file it imports or requires outside
node_modules (ES modules through module hooks, CommonJS through Node's CommonJS loader). JSX uses
the automatic runtime (react/jsx-runtime, or the file's @jsxImportSource / @jsxRuntime classic
pragma). Stack traces point at the original lines (source maps). Exits with the program's exit code.

Options (before the file; --trace and --trace-file may also follow it, and everything after "--"
goes to the program untouched):
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
  file: string;
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
  const programArgs: string[] = [];
  let trace: string | null = null;
  let traceFile: string | null = null;
  let mode: string | undefined;
  let configFile: string | undefined;
  let babelrc = true;
  let envName: string | undefined;
  let rootMode: string | undefined;
  let cache = true;
  const nodeOptions: string[] = [];
  const requires: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      if (file === undefined) {
        file = args[i + 1];
        programArgs.push(...args.slice(i + 2));
      } else {
        programArgs.push(...args.slice(i + 1));
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
    else if (arg === "-h" || arg === "--help") return "help";
    else if (arg === "--mode" || arg.startsWith("--mode=")) mode = value("--mode");
    else if (arg === "--config-file" || arg.startsWith("--config-file=")) configFile = value("--config-file");
    else if (arg === "--no-babelrc") babelrc = false;
    else if (arg === "--env-name" || arg.startsWith("--env-name=")) envName = value("--env-name");
    else if (arg === "--root-mode" || arg.startsWith("--root-mode=")) rootMode = value("--root-mode");
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
      const known = ["--trace", "--trace-file", "--mode", "--config-file", "--no-babelrc", "--env-name", "--root-mode", "--no-cache", "--watch", "--help", "--inspect", "--inspect-brk", "--test", "--import", "--require", "--conditions", "--env-file"];
      const hint = option.startsWith("--") ? didYouMean(option, known) : "";
      throw new CliError(`stepwise run: unknown option ${option}${hint} (see stepwise run --help)`);
    }
    else file = arg;
  }
  if (file === undefined) throw new CliError("stepwise run: no program to run (usage: stepwise run [options] <file> [args...])");
  if (file === "-") throw new CliError("stepwise run: a program from stdin (-) is not supported: give its file (its imports are resolved from its folder)");
  if (trace !== null && !(TRACE_FORMATS as readonly string[]).includes(trace)) {
    throw new CliError(`stepwise run: --trace must be ${orList(TRACE_FORMATS)}, got "${trace}"`);
  }
  if (traceFile !== null && trace === null) throw new CliError("stepwise run: --trace-file needs --trace");
  return {
    file,
    programArgs,
    trace: trace as TraceFormat | null,
    traceFile,
    mode: mode === undefined ? undefined : choice("run", "--mode", mode, MODE_NAMES, DEFAULT_MODE),
    babel: babelChoice("run", { "config-file": configFile, "no-babelrc": !babelrc, "env-name": envName, "root-mode": rootMode }),
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
  const path = resolve(parsed.file);
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new CliError(`stepwise run: ${fsMessage(error, parsed.file)}`, EXIT.io);
  }
  if (parsed.babel.configFile !== undefined) checkConfigFile("run", parsed.babel.configFile);
  let traceFile = parsed.traceFile;
  if (traceFile === null && (parsed.trace === "svg" || parsed.trace === "html")) traceFile = `stepwise-trace.${parsed.trace}`;
  // The trace file's folder is made (as build -o does) before the program runs, or the run is refused.
  if (traceFile !== null) checkOutputFile("run", "--trace-file", traceFile, path);
  const config: RunConfig = {
    file: displayPath(path),
    mode: parsed.mode ?? modeOf(readFileSync(path, "utf8")),
    trace: parsed.trace,
    traceFile: traceFile === null ? null : resolve(traceFile),
    colors: colorsEnabled(process.stderr),
    babel: { ...parsed.babel, configFile: parsed.babel.configFile === undefined ? undefined : resolve(parsed.babel.configFile) },
    cacheDir: parsed.cache ? cacheDirectory(process.cwd()) : null,
    requires: parsed.requires,
  };
  const run = (config: RunConfig) => runProgram(path, parsed.programArgs, config, parsed.nodeOptions);
  return config.trace === "svg" || config.trace === "html" ? runDrawingPicture(config, run) : run(config);
}
