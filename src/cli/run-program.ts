// Running a program the way `stepwise run` does (and `stepwise explore`, which runs it first): a child Node
// process whose preload (run-preload.ts) installs the module hooks that transform every file it loads, told
// what to do through one environment variable (run-config.ts). Signals sent to this process reach the child.
import { spawn } from "node:child_process";
import { constants as os } from "node:os";
import { fileURLToPath } from "node:url";
import { RUN_CONFIG_VARIABLE, type RunConfig } from "./run-config.ts";
import { CliError, EXIT } from "./shared.ts";

/**
 * Runs `path` with its arguments; resolves with the program's exit code (128 + signal when killed).
 * `nodeOptions` (--inspect, --conditions, --import, --watch, ...) come after the preload, so that modules
 * they import are transformed too.
 */
export function runProgram(path: string, programArgs: string[], config: RunConfig, nodeOptions: string[] = []): Promise<number> {
  const preload = fileURLToPath(new URL("./run-preload.js", import.meta.url));
  const child = spawn(process.execPath, ["--enable-source-maps", "--require", preload, ...nodeOptions, path, ...programArgs], {
    stdio: "inherit",
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
