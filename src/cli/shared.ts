// Shared bits of the command-line front end, used by every command: errors with exit codes, argument
// parsing, colours, paths as messages show them, loading the compiler, writing files.
import { randomBytes } from "node:crypto";
import nodeModule from "node:module";
import { closeSync, fchmodSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import pc from "picocolors";

/** Exit codes, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** An input did not compile (syntax error, unsupported construct). */
  compile: 1,
  /** Bad command line: unknown command or flag, a missing or invalid value, a refused output path. */
  usage: 2,
  /** A file could not be read or written (missing input, unreadable path, write failure). */
  io: 3,
  /** A bug in stepwise. */
  internal: 70,
} as const;

/** An error the CLI reports as one line (`stepwise: ...`) and exits with `code`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code: number = EXIT.usage,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export type Colors = ReturnType<typeof pc.createColors>;

/** Whether to colour what goes to a stream: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces them. */
export function colorsEnabled(stream: { isTTY?: boolean }): boolean {
  const env = process.env;
  return "FORCE_COLOR" in env ? env.FORCE_COLOR !== "0" : !("NO_COLOR" in env) && !!stream.isTTY && env.TERM !== "dumb";
}

/** Colours for a stream (see colorsEnabled). */
export function colorsFor(stream: { isTTY?: boolean }): Colors {
  return pc.createColors(colorsEnabled(stream));
}

/** Writes synchronously to stderr (so that it interleaves with the program's own output). */
export function errorLine(text: string): void {
  writeSync(2, text.endsWith("\n") ? text : text + "\n");
}

/** A short message for an error from the file system. */
export function fsMessage(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return `no such file or directory: ${path}`;
    case "EACCES":
    case "EPERM":
      return `permission denied: ${path}`;
    case "EISDIR":
      return `is a directory: ${path}`;
    case "ENOTDIR":
      return `not a directory: ${path}`;
    default:
      return `${path}: ${(error as Error)?.message ?? String(error)}`;
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `util.parseArgs`, with its errors turned into one line that names the command, and options that may
 * take an optional value (`--source-maps`, `--source-maps=inline`) spelled out first.
 */
export function parse<T extends Options>(
  command: string,
  args: string[],
  options: T,
  optional: Record<string, { values: readonly string[]; bare: string; spaced?: boolean }> = {},
) {
  const argv: string[] = [];
  const expanded = clusters(args, options, Object.keys(optional));
  for (let i = 0; i < expanded.length; i++) {
    const arg = expanded[i];
    if (arg === "--") {
      argv.push(...expanded.slice(i));
      break;
    }
    const name = Object.keys(optional).find((key) => arg === `--${key}` || (options[key]?.short && arg === `-${options[key].short}`));
    if (name) {
      const spec = optional[name];
      const next = expanded[i + 1];
      if (spec.spaced && next !== undefined && spec.values.includes(next)) {
        argv.push(`--${name}=${next}`);
        i++;
      } else {
        argv.push(`--${name}=${spec.bare}`);
      }
      continue;
    }
    argv.push(arg);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`stepwise ${command}: ${argumentMessage(error as Error & { code?: string }, options)} (see stepwise ${command} --help)`);
  }
  for (const [name, spec] of Object.entries(optional)) {
    const value = (parsed.values as Record<string, unknown>)[name];
    if (typeof value === "string" && !spec.values.includes(value)) {
      throw new CliError(`stepwise ${command}: --${name} must be ${orList(spec.values)}, got "${value}"`);
    }
  }
  return parsed;
}

/**
 * Short flags clustered as in other CLIs: `-qs` is `-q -s`; a flag that takes a value takes the rest of
 * the cluster (`-dout`) or, last in it, the next argument (a flag whose value is optional takes the next
 * argument only if it is one of its values). A cluster with an unknown letter is left to
 * the parser, which reports it.
 */
function clusters(args: string[], options: Options, optionalValues: string[]): string[] {
  const byShort = new Map(Object.entries(options).flatMap(([name, spec]) => (spec.short ? [[spec.short, { name, spec }] as const] : [])));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.push(...args.slice(i));
      break;
    }
    if (!/^-[A-Za-z]{2,}$/.test(arg)) {
      out.push(arg);
      continue;
    }
    const letters = arg.slice(1);
    const parts: string[] = [];
    let ok = true;
    for (let at = 0; at < letters.length; at++) {
      const known = byShort.get(letters[at]);
      if (!known) {
        ok = false;
        break;
      }
      parts.push(`-${letters[at]}`);
      // A flag whose value is optional (-s) takes none inside a cluster.
      if (known.spec.type === "string" && !optionalValues.includes(known.name) && at < letters.length - 1) {
        parts.push(letters.slice(at + 1));
        break;
      }
    }
    out.push(...(ok ? parts : [arg]));
  }
  return out;
}

function argumentMessage(error: Error & { code?: string }, options: Options): string {
  const message = error.message;
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const option = /'([^']+)'/.exec(message)?.[1] ?? message;
    const known = Object.keys(options).map((name) => `--${name}`);
    return `unknown option ${option}${option.startsWith("--") ? didYouMean(option, known) : ""}`;
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const option = /--[\w-]+/.exec(message)?.[0] ?? message;
    if (/argument missing/.test(message)) return `option ${option} needs a value`;
    return `option ${option} does not take a value`;
  }
  return message.split("\n")[0];
}

export function orList(values: readonly string[]): string {
  const quoted = values.map((value) => `"${value}"`);
  return quoted.length < 2 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

/** Checks an enumerated option's value. */
export function choice<T extends string>(command: string, flag: string, value: string | undefined, values: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(values as readonly string[]).includes(value)) throw new CliError(`stepwise ${command}: ${flag} must be ${orList(values)}, got "${value}"`);
  return value as T;
}

/** All of stdin, as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A path as messages show it: relative to `cwd` when it is below it, else absolute. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, path));
  return rel === "" ? path : rel.startsWith("..") || isAbsolute(rel) ? resolve(cwd, path) : rel;
}

/** A path as progress lines and summaries show it: relative to the current directory unless it is outside. */
export function shortPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

export type Compiler = typeof import("./compile.ts");

let compiler: Compiler | null = null;

/**
 * The transform (and Babel) load only once the command line is known to be good: errors come fast. On Node
 * 22.1 and later, what V8 compiles of them is kept on disk between runs (Node's module compile cache, under
 * the system's temporary directory, as npm keeps its own; `NODE_COMPILE_CACHE` moves it,
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off), which takes about a sixth off loading them. Only
 * the CLI's own process and its build workers keep it: a program `stepwise run` starts loads as under `node`.
 */
export async function loadCompiler(): Promise<Compiler> {
  if (compiler === null) {
    (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    compiler = await import("./compile.ts");
  }
  return compiler;
}

/**
 * A compile error: one bold `file:line:col: kind: message` line, a code frame, and Babel's hint when it
 * gave one. With the source, the frame is redrawn: each line cut to a window around the error column
 * (a one-line minified file prints one screen, not megabytes) and control characters shown as their
 * Unicode control pictures (binary input puts no escape sequence on the terminal). Anything else is an
 * internal error: one line (the stack with STEPWISE_DEBUG=1).
 */
export function reportCompileError(error: unknown, command: string, source?: string): number {
  const text = formatCompileError(error, source, colorsFor(process.stderr));
  if (text !== null) {
    errorLine(text);
    return EXIT.compile;
  }
  internalError(command, error);
  return EXIT.internal;
}

/** A compile error's text (see reportCompileError), or null for an error that is not the input's. */
export function formatCompileError(error: unknown, source: string | undefined, c: Colors): string | null {
  if ((error as Error)?.name !== "StepwiseError") return null;
  const failure = error as Error & { line?: number; column?: number };
  const [first, ...rest] = failure.message.split("\n");
  const isFrame = (line: string) => /^[> ] *\d* \|/.test(line);
  let frame = rest.filter(isFrame);
  const hint = rest.filter((line) => !isFrame(line) && line.trim() !== "");
  if (source !== undefined && typeof failure.line === "number" && typeof failure.column === "number") frame = codeFrame(source, failure.line, failure.column);
  return [c.bold(printable(first)), ...frame.map(printable), ...hint.map(printable)].join("\n");
}

/** A bug of stepwise: one line asking for a report (the stack with STEPWISE_DEBUG=1). */
export function internalError(command: string, error: unknown): void {
  const who = ["build", "inspect", "run", "explore"].includes(command) ? `stepwise ${command}` : "stepwise";
  if (process.env.STEPWISE_DEBUG) {
    errorLine(`${who}: internal error: ${(error as Error)?.stack ?? String(error)}`);
  } else {
    const message = printable(String((error as Error)?.message ?? error).split("\n")[0]);
    errorLine(`${who}: internal error: ${message} (a bug in stepwise: please report it with the command and its input; STEPWISE_DEBUG=1 prints the stack)`);
  }
}

/** " (did you mean --out-dir?)" for a near miss among `known`, or "". */
export function didYouMean(given: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(given.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const bare = given.replace(/^-+/, "");
  return best !== undefined && bestDistance <= Math.max(1, Math.min(3, Math.floor(bare.length / 3))) ? ` (did you mean ${best}?)` : "";
}

/** Levenshtein distance, with a swap of two neighbours counting 1. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The widest part of a line a code frame shows. */
const FRAME_WIDTH = 100;

/** Lines 2 above to 3 below the error, cut to FRAME_WIDTH characters around the column (1-based) when the error line is longer. */
export function codeFrame(source: string, line: number, column: number): string[] {
  const lines = source.split(/\r\n|\r|\n|\u2028|\u2029/);
  const first = Math.max(1, line - 2);
  const last = Math.min(lines.length, line + 3);
  const gutter = String(last).length;
  // The window is centred on the error column, but never starts later than the error line needs: a line
  // that fits is shown whole.
  const from = Math.max(0, Math.min(column - 1 - Math.floor(FRAME_WIDTH / 2), (lines[line - 1] ?? "").length - FRAME_WIDTH));
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? "";
    let shown = text.slice(from, from + FRAME_WIDTH).replace(/\t/g, " ");
    if (from > 0 && text.length > 0) shown = `…${shown}`;
    if (text.length > from + FRAME_WIDTH) shown += "…";
    const number = String(n).padStart(gutter);
    out.push(`${n === line ? ">" : " "} ${number} |${shown ? ` ${shown}` : ""}`);
    if (n === line) out.push(`  ${" ".repeat(gutter)} | ${" ".repeat(column - 1 - from + (from > 0 ? 1 : 0))}^`);
  }
  return out;
}

/** Control characters as their Unicode control pictures (␛ for ESC), so that no input drives the terminal. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? "\u2421" : `\\x${code.toString(16)}`;
  });
}

/**
 * An output file's up-front check, before anything is compiled or run: its folder is made (as
 * `build -o` does), and a folder in the way, or a file where the folder should be, is refused (exit 3);
 * so is the `program` run (exit 2), which a page or a trace written over it would replace.
 */
export function checkOutputFile(command: string, flag: string, file: string, program?: string): void {
  const path = resolve(file);
  try {
    const output = statSync(path);
    if (output.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR", path });
    // (the page or trace written over the program it describes: the program lost, as build refuses for its inputs)
    const input = program === undefined ? undefined : statSync(program, { throwIfNoEntry: false });
    if (input !== undefined && input.ino === output.ino && input.dev === output.dev) throw new CliError(`stepwise ${command}: ${flag}: refusing to write over the program ${file}`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if ((error as NodeJS.ErrnoException).code === "EISDIR") throw new CliError(`stepwise ${command}: ${flag}: is a directory: ${file}`, EXIT.io);
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") throw new CliError(`stepwise ${command}: ${flag}: not a directory: ${shortPath(fileInTheWay(path))}`, EXIT.io);
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw new CliError(`stepwise ${command}: ${flag}: ${writeMessage(error, path)}`, EXIT.io);
  }
  checkOutputDir(command, flag, dirname(path));
}

export const ROOT_MODES = ["root", "upward", "upward-optional"] as const;

/** The user's Babel configuration as a command's flags choose it (compile.ts's BabelConfigOptions takes it). */
export interface BabelChoice {
  configFile?: string;
  babelrc: boolean;
  envName?: string;
  rootMode?: (typeof ROOT_MODES)[number];
  /** --presets, --plugins: names or paths (comma-separated on the command line, the flag repeatable). */
  presets?: string[];
  plugins?: string[];
}

/**
 * The Babel configuration a command reads, from its flags (as @babel/cli names them): `--config-file`,
 * `--no-babelrc`, `--env-name` (the configuration's `env` block; Babel's default is BABEL_ENV, NODE_ENV or
 * "development") and `--root-mode` (where the root babel.config.* is looked for: `upward` from the current
 * folder, for a package of a monorepo).
 */
export function babelChoice(command: string, values: { "config-file"?: string; "no-babelrc"?: boolean; "env-name"?: string; "root-mode"?: string; presets?: string[]; plugins?: string[] }): BabelChoice {
  if (values["env-name"] === "") throw new CliError(`stepwise ${command}: --env-name needs a name`);
  const items = (flag: "presets" | "plugins") => {
    const given = values[flag]?.flatMap((list) => list.split(",")).map((item) => item.trim());
    if (given?.some((item) => item === "")) throw new CliError(`stepwise ${command}: --${flag} takes names or paths, comma-separated (${flag === "presets" ? "@babel/preset-env,./my-preset.js" : "@babel/plugin-transform-runtime,./my-plugin.js"}), got "${values[flag]!.join(",")}"`);
    return given;
  };
  const presets = items("presets");
  const plugins = items("plugins");
  return {
    configFile: values["config-file"],
    babelrc: !values["no-babelrc"],
    ...(values["env-name"] !== undefined && { envName: values["env-name"] }),
    ...(values["root-mode"] !== undefined && { rootMode: choice(command, "--root-mode", values["root-mode"], ROOT_MODES, "root") }),
    ...(presets !== undefined && { presets }),
    ...(plugins !== undefined && { plugins }),
  };
}

/** `--config-file`: a file that exists (else one line, exit 3), checked before anything is compiled. */
export function checkConfigFile(command: string, file: string): void {
  try {
    if (!statSync(file).isFile()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
  } catch (error) {
    throw new CliError(`stepwise ${command}: --config-file: ${fsMessage(error, file)}`, EXIT.io);
  }
}

/** The file that stands where a folder of `path` should be. */
function fileInTheWay(path: string): string {
  for (let dir = dirname(path); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) return dir;
    } catch {
      // not there, or itself below the file
    }
  }
  return path;
}

/** An output folder's up-front check: made if missing; refused (exit 3) if it or a parent is a file. */
export function checkOutputDir(command: string, flag: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    // (a file where the folder or one of its parents should be: named, as mkdir names only the folder)
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") throw new CliError(`stepwise ${command}: ${flag}: not a directory: ${shortPath(fileInTheWay(join(dir, "-")))}`, EXIT.io);
    throw new CliError(`stepwise ${command}: ${flag}: cannot create ${shortPath(dir) || "."}: ${writeMessage(error, dir)}`, EXIT.io);
  }
}

/** Why a write failed, naming the path that was in the way. */
export function writeMessage(error: unknown, output: string): string {
  const failure = error as NodeJS.ErrnoException;
  const path = failure?.path ? shortPath(failure.path) : shortPath(output);
  if (failure?.code === "EEXIST" && failure.syscall === "mkdir") return `not a directory: ${path}`;
  return fsMessage(error, path);
}

/**
 * Temp file in the same directory, then rename: readers see the old file or the new one, never half.
 * `mode`: the file's permissions (exactly, whatever the umask). Not fsynced: the rename alone is what
 * readers need, and a build writes thousands of outputs, each of which an fsync would hold up for the
 * disk (seconds per thousand files on a busy disk, on the thread that hands files to the workers);
 * surviving a power cut is not promised, as babel and tsc do not promise it.
 */
export function writeAtomic(path: string, text: string | Uint8Array, mode?: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx");
    if (typeof text === "string") writeSync(fd, text);
    else for (let at = 0; at < text.length; ) at += writeSync(fd, text, at);
    if (mode !== undefined) fchmodSync(fd, mode);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    // Name the file the caller asked for, not the temporary one.
    if ((error as NodeJS.ErrnoException)?.path === temp) (error as NodeJS.ErrnoException).path = path;
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
    throw error;
  }
}
