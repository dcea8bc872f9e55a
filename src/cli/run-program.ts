// Running a program the way `stepwise run` does (and `stepwise explore`, which runs it first): a child Node
// process whose preload (run-preload.ts) installs the module hooks that transform every file it loads, told
// what to do through one environment variable (run-config.ts). Signals sent to this process reach the child.
import { spawn } from "node:child_process";
import { constants as os } from "node:os";
import { fileURLToPath } from "node:url";
import { RUN_CONFIG_VARIABLE, type RunConfig } from "./run-config.ts";
import { CliError, EXIT } from "./shared.ts";

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
export function runProgram(entry: Entry, programArgs: string[], config: RunConfig, nodeOptions: string[] = []): Promise<number> {
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
  // Ctrl-C reaches the child through the terminal; a signal sent to this process only is passed on.
  const forward = (signal: NodeJS.Signals) => () => {
    if (process.stdin.isTTY && signal === "SIGINT") return;
    child.kill(signal);
  };
  // (a child that exits before reading it all closes the pipe: nothing to say then, as `node -` says nothing)
  if ("stdin" in entry) child.stdin?.on("error", () => {}).end(entry.stdin);
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return new Promise<number>((done, fail) => {
    child.on("error", (error) => fail(new CliError(`stepwise run: cannot start node: ${error.message}`, EXIT.io)));
    child.on("exit", (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      done(code ?? 128 + (signal ? (os.signals[signal] ?? 0) : 0));
    });
  });
}
