// Runs a program in a fresh vm context and records its complete log (console output, uncaught errors) once
// every timer it started has fired. Plain Node and erasable types only: the Node 24 oracle runs this file
// as it is (test/support/node24-child.ts).
import vm from "node:vm";
import { inspect } from "node:util";

export interface RunResult {
  log: string[];
}

/** One line per console.log call; errors print as `Name: message` so that stacks never differ. */
function formatArg(value: unknown): string {
  if (typeof value === "string") return value;
  if (isErrorLike(value)) return `${value.name}: ${value.message}`;
  return inspect(value, { depth: 6, breakLength: Infinity });
}

function isErrorLike(value: unknown): value is { name: string; message: string } {
  return (
    typeof value === "object" && value !== null && typeof (value as { stack?: unknown }).stack === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Runs `code` as a script in a new context and resolves with its log when it has gone quiet. */
export function runProgram(code: string, filename: string, timeoutMs = 5_000): Promise<RunResult> {
  const log: string[] = [];
  let pendingTimers = 0;
  const timers = new Set<NodeJS.Timeout | NodeJS.Immediate>();
  const sandbox = {
    console: { log: (...args: unknown[]) => log.push(args.map(formatArg).join(" ")) },
    setTimeout: (fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      pendingTimers++;
      const handle = setTimeout(() => {
        pendingTimers--;
        timers.delete(handle);
        fn(...args);
      }, ms);
      timers.add(handle);
      return handle;
    },
    clearTimeout: (handle: NodeJS.Timeout) => {
      if (timers.delete(handle)) pendingTimers--;
      clearTimeout(handle);
    },
    setImmediate: (fn: (...args: unknown[]) => void, ...args: unknown[]) => {
      pendingTimers++;
      const handle = setImmediate(() => {
        pendingTimers--;
        timers.delete(handle);
        fn(...args);
      });
      timers.add(handle);
      return handle;
    },
    queueMicrotask,
  };
  const context = vm.createContext(sandbox);
  // A rejection nobody handles is part of the log (and must not reach the test runner's own handler).
  const runnerListeners = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  const onUnhandled = (reason: unknown) => log.push(`unhandled rejection: ${formatArg(reason)}`);
  process.on("unhandledRejection", onUnhandled);
  const restore = () => {
    process.off("unhandledRejection", onUnhandled);
    for (const listener of runnerListeners) process.on("unhandledRejection", listener);
  };
  try {
    vm.runInContext(code, context, { filename });
  } catch (error) {
    log.push(`uncaught: ${formatArg(error)}`);
  }
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let quietTurns = 0;
    const poll = () => {
      if (Date.now() - started > timeoutMs) {
        for (const handle of timers) clearTimeout(handle as NodeJS.Timeout);
        restore();
        reject(new Error(`${filename}: still running after ${timeoutMs} ms; log so far:\n${log.join("\n")}`));
        return;
      }
      quietTurns = pendingTimers === 0 ? quietTurns + 1 : 0;
      if (quietTurns >= 3) {
        restore();
        resolve({ log });
      }
      else setTimeout(poll, pendingTimers === 0 ? 0 : 1);
    };
    setImmediate(poll);
  });
}
