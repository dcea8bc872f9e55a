// Running a program the way `stepwise run` does (and `stepwise explore`, which runs it first): a child Node
// process whose preload (run-preload.ts) installs the module hooks that transform every file it loads, told
// what to do through one environment variable (run-config.ts). Signals sent to this process reach the child.
import { spawn } from "node:child_process";
import { constants as os } from "node:os";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { MODES } from "./mode.ts";
import { RUN_CONFIG_VARIABLE, type RunConfig } from "./run-config.ts";
import type { RunTransformData } from "./run-transform.ts";
import { CliError, EXIT, loadCompiler } from "./shared.ts";

/**
 * What Node runs: a file (its modules transformed as they load), or code already lowered, given as Node's
 * `-e`/`-p` (`print`) takes it, or piped to its stdin as `node -` reads it.
 */
export type Entry = { file: string } | { eval: string; print: boolean } | { stdin: string };

/**
 * Runs the entry with its arguments; resolves with the program's exit code (128 + signal when killed).
 * `nodeOptions` (--inspect, --conditions, --import, --watch, ...) come after the preload, so that modules
 * they import are transformed too.
 */
export function runProgram(entry: Entry, programArgs: string[], config: RunConfig, nodeOptions: string[] = [], command: "run" | "explore" = "run"): Promise<number> {
  const preload = fileURLToPath(new URL("./run-preload.js", import.meta.url));
  // (after -e's code, "--": the program's arguments are its own, whatever they start with, as after a file)
  const program = "file" in entry ? [entry.file] : "eval" in entry ? [entry.print ? "--print" : "--eval", entry.eval, "--"] : ["-"];
  const child = spawn(process.execPath, ["--enable-source-maps", "--require", preload, ...nodeOptions, ...program, ...programArgs], {
    stdio: ["stdin" in entry ? "pipe" : "inherit", "inherit", "inherit"],
    // (what the user typed to start stepwise, `node`, as the program would see it run natively; spawn would give it
    // the full execPath)
    argv0: process.argv0,
    env: { ...process.env, [RUN_CONFIG_VARIABLE]: JSON.stringify(config) },
  });
  // Ctrl-C reaches the child through the terminal; a signal sent to this process only is passed on. A
  // traced program ends on SIGINT or SIGTERM through a handler (trace/index.ts), which a program busy in a
  // loop that never yields never runs, where natively the signal would end it: a second signal kills it,
  // and a program still there a second after the first says so. (An untraced one gets the signals as
  // natively.)
  let interrupted: NodeJS.Signals | null = null;
  const traced = config.trace !== null;
  const forward = (signal: NodeJS.Signals) => () => {
    if (traced && interrupted !== null && signal !== "SIGHUP") {
      child.kill("SIGKILL");
      return;
    }
    if (traced && signal !== "SIGHUP") {
      interrupted = signal;
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.stderr.write(`stepwise ${command}: the program has not ended on ${signal} (busy in a loop that never yields?); ${signal === "SIGINT" ? "Ctrl-C" : signal} again kills it\n`);
      }, 1000).unref();
    }
    if (process.stdin.isTTY && signal === "SIGINT") return;
    child.kill(signal);
  };
  // (a child that exits before reading it all closes the pipe: nothing to say then, as `node -` says nothing)
  if ("stdin" in entry) child.stdin?.on("error", () => {}).end(entry.stdin);
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise<number>((done, fail) => {
    child.on("error", (error) => fail(new CliError(`stepwise ${command}: cannot start node: ${error.message}`, EXIT.io)));
    child.on("exit", (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      // (killed at the second signal: the exit code of the signal it was sent first, as natively)
      const by = signal === "SIGKILL" && interrupted !== null ? interrupted : signal;
      done(code ?? 128 + (by ? (os.signals[by] ?? 0) : 0));
    });
  });
}

/**
 * Code given with -e/-p or on stdin, lowered here: Node evaluates it as it is, with no loader between (named
 * `[eval]` or `[stdin]`, resolving what it imports from the current directory). Its format is what `--input-type`
 * says, else its syntax's (as Node 20.19 and later tell it); Node is then told it. Node maps no position of such
 * code through a source map (not even its own `--enable-source-maps`): its stack traces and error frames give
 * the lowered code's lines, and no map is passed. (Kept on the source's lines with `retainLines`, a state's
 * code would be packed onto its function's line, so the lines would still not be the source's.)
 */
export async function loweredEntry(source: string, config: RunConfig, nodeOptions: string[], program: { print: boolean } | "stdin"): Promise<Entry> {
  // (loaded here: a program run from its file needs none of them in this process)
  const [compiler, { transformForRun }, { hasModuleSyntax }] = await Promise.all([loadCompiler(), import("./run-transform.ts"), import("./module-syntax.ts")]);
  const inputType = nodeOptions.find((option) => option.startsWith("--input-type="))?.slice("--input-type=".length);
  if (inputType !== undefined && inputType !== "module" && inputType !== "commonjs") {
    throw new CliError(`stepwise run: --input-type=${inputType} is not supported (module or commonjs: TypeScript code runs from its file)`);
  }
  const format = inputType ?? (hasModuleSyntax(source, false, false) ? "module" : "commonjs");
  if (inputType === undefined && format === "module") nodeOptions.push("--input-type=module");
  const data: RunTransformData = { runtimeUrl: MODES[config.mode].runtimeUrl, mode: config.mode, trace: config.trace !== null, cwd: process.cwd(), babel: config.babel, cacheDir: config.cacheDir ?? null };
  const code = transformForRun(source, resolve(config.file), format, data, compiler)!.replace(MAP_COMMENT, "");
  return program === "stdin" ? { stdin: code } : { eval: code, print: program.print };
}

/** The inline source map transformForRun ends the code with. */
const MAP_COMMENT = /\n\/\/# sourceMappingURL=data:[^\n]*\n$/;
