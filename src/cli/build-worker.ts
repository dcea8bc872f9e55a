// `stepwise build` on worker threads: one file's compilation as a message in and an outcome out, the same
// function on the main thread (compileTask) and in a worker (this module's message loop), so that a build
// on N threads writes what a build on one writes, byte for byte. The main thread (build.ts) writes the
// outputs and prints every message in the order of the files, whatever order the workers finish in.
//
// Workers get a large stack: the transform and Babel recurse once per level of nesting, so code nested
// a few thousand levels deep (blocks, `else if` chains, `a + await b + ...` with thousands of terms) needs
// more than the main thread's default. A file that overflows the main thread's stack is compiled again
// on such a worker (a DeepLane's, or deepCompileSync's for `stepwise run`, whose loaders return a module's
// code synchronously), one worker for all such files of a build or a run; one that overflows even there is
// reported in one line (file:line:col).
import { isMainThread, MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from "node:worker_threads";
import pc from "picocolors";
import { isStackOverflow, tooDeeplyNested, type StepwiseError } from "../transform/errors.ts";
import type { CompileOptions, SourceMap } from "./compile.ts";
import { formatCompileError, loadCompiler } from "./shared.ts";

/** Stack of each worker, in MB (the main thread has about 1): enough for 5,000 nested levels. */
export const WORKER_STACK_MB = 512;

export interface CompileTask {
  source: string;
  options: CompileOptions;
  /** Colour the error text (the main thread's stderr is a terminal). */
  color: boolean;
}

export type Outcome =
  | { ok: true; code: string; map: SourceMap | null; machines: number; states: number; unchanged: boolean; ignored: boolean; warnings: string[] }
  /** The user's Babel configuration did not load. */
  | { ok: false; kind: "config"; message: string }
  /** The input's fault: the text to print (file:line:col, frame). */
  | { ok: false; kind: "compile"; text: string }
  /** A bug of stepwise. */
  | { ok: false; kind: "internal"; name: string; message: string; stack?: string }
  /** The stack ran out on this thread. */
  | { ok: false; kind: "overflow"; message: string };

/**
 * Compiles one file on this thread; warnings are collected (not printed) when `collect` is given. When the
 * stack runs out, the outcome is "overflow" (to try again with a larger stack), or on the largest stack
 * (`last`) the one-line error.
 */
export async function compileTask(task: CompileTask, last: boolean, collect?: string[]): Promise<Outcome> {
  const compiler = await loadCompiler();
  const write = process.stderr.write;
  if (collect) {
    // compile() prints the transform's warnings to stderr: here they go back with the outcome instead.
    process.stderr.write = ((chunk: string | Uint8Array) => {
      collect.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    }) as typeof process.stderr.write;
  }
  try {
    const compiled = compiler.compile(task.source, task.options);
    return {
      ok: true,
      code: compiled.code,
      map: compiled.map,
      machines: compiled.machines.length,
      states: compiled.machines.reduce((sum, machine) => sum + machine.states.length, 0),
      unchanged: compiled.unchanged,
      ignored: compiled.ignored === true,
      warnings: collect ?? [],
    };
  } catch (error) {
    if ((error as Error)?.name === "BabelConfigError") return { ok: false, kind: "config", message: (error as Error).message };
    const overflow = isStackOverflow(error) || (error as StepwiseError)?.stackOverflow === true;
    if (overflow && !last) return { ok: false, kind: "overflow", message: (error as Error).message };
    const reported = isStackOverflow(error) ? tooDeeplyNested(task.options.filename, task.source, "the code here nests too deeply to compile") : error;
    const text = formatCompileError(reported, task.source, pc.createColors(task.color));
    if (text !== null) return { ok: false, kind: "compile", text };
    const failure = error as Error;
    return { ok: false, kind: "internal", name: failure?.name ?? "Error", message: failure?.message ?? String(error), stack: failure?.stack };
  } finally {
    if (collect) process.stderr.write = write;
  }
}

/** The module's own file, to start workers from (the built .js; under tsx from source there are no workers). */
const workerFile = new URL(import.meta.url);
export const workersAvailable = workerFile.pathname.endsWith(".js");

interface Pending {
  task: CompileTask;
  done: (outcome: Outcome) => void;
}

/** N workers, each compiling one file at a time; `compile` resolves with the outcome of one task. */
export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly all: Worker[] = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(workerFile, { workerData: { stepwiseBuildWorker: true }, resourceLimits: { stackSizeMb: WORKER_STACK_MB }, stderr: false, stdout: false });
    worker.on("message", (outcome: Outcome) => {
      const pending = this.busy.get(worker)!;
      this.busy.delete(worker);
      this.idle.push(worker);
      pending.done(outcome);
      this.next();
    });
    worker.on("error", (error) => {
      // A worker that died (out of memory, a crash) fails the file it had; a fresh one takes its place.
      const pending = this.busy.get(worker);
      this.busy.delete(worker);
      this.all.splice(this.all.indexOf(worker), 1);
      const idle = this.idle.indexOf(worker);
      if (idle >= 0) this.idle.splice(idle, 1);
      pending?.done({ ok: false, kind: "internal", name: error.name, message: error.message, stack: error.stack });
      if (!this.closed) this.spawn();
      this.next();
    });
    this.all.push(worker);
    this.idle.push(worker);
  }

  private closed = false;

  compile(task: CompileTask): Promise<Outcome> {
    return new Promise((done) => {
      this.queue.push({ task, done });
      this.next();
    });
  }

  private next(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      this.busy.set(worker, pending);
      worker.postMessage(pending.task);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }
}

/**
 * Files compiled again on a worker with a large stack, each one that overflowed the main thread's: all on one
 * worker, started by the first, so that a build or a watch with several such files starts a worker and warms
 * Babel up in it once, not once per file. `close` ends it.
 */
export class DeepLane {
  private pool: WorkerPool | null = null;

  compile(task: CompileTask): Promise<Outcome> {
    if (!workersAvailable) return Promise.resolve({ ok: false, kind: "overflow", message: "Maximum call stack size exceeded" });
    this.pool ??= new WorkerPool(1);
    return this.pool.compile(task);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}

/** How long deepCompileSync waits for its worker (which it cannot see die while it waits). */
const DEEP_SYNC_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * deepCompileSync's worker and the port it answers on: started by the first file that needs it and kept for
 * the rest of the process, unreferenced (it does not keep the program alive), as a build keeps its DeepLane.
 */
let syncLane: { worker: Worker; port: MessagePort } | null = null;

/**
 * One file compiled on a worker with a large stack while this thread waits (`stepwise run`: Node's loaders
 * take a module's code synchronously). The worker gets no execArgv: in a program run by `stepwise run`,
 * this thread's would load the run's preload into it.
 */
export function deepCompileSync(task: CompileTask): Outcome {
  if (!workersAvailable) return { ok: false, kind: "overflow", message: "Maximum call stack size exceeded" };
  if (syncLane === null) {
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(workerFile, {
      workerData: { stepwiseBuildWorker: true, port: port2 },
      transferList: [port2],
      execArgv: [],
      resourceLimits: { stackSizeMb: WORKER_STACK_MB },
      stderr: false,
      stdout: false,
    });
    worker.unref();
    syncLane = { worker, port: port1 };
  }
  const lane = syncLane;
  const done = new Int32Array(new SharedArrayBuffer(4));
  lane.port.postMessage({ task, done });
  const waited = Atomics.wait(done, 0, 0, DEEP_SYNC_TIMEOUT_MS);
  const received = receiveMessageOnPort(lane.port);
  if (received) return received.message as Outcome;
  // (no answer: the worker stopped or is stuck; the next file gets a new one)
  syncLane = null;
  lane.port.close();
  void lane.worker.terminate();
  return { ok: false, kind: "internal", name: "Error", message: waited === "timed-out" ? "the worker compiling a deeply nested file did not answer" : "the worker compiling a deeply nested file stopped" };
}

if (!isMainThread && (workerData as { stepwiseBuildWorker?: boolean } | null)?.stepwiseBuildWorker) {
  const { port } = workerData as { port?: MessagePort };
  if (port) {
    // deepCompileSync's: each task's outcome on the port, then the waiting thread woken.
    port.on("message", ({ task, done }: { task: CompileTask; done: Int32Array }) => {
      void compileTask(task, true, [])
        .catch((error: unknown): Outcome => ({ ok: false, kind: "internal", name: (error as Error)?.name ?? "Error", message: (error as Error)?.message ?? String(error) }))
        .then((outcome) => {
          port.postMessage(outcome);
          Atomics.store(done, 0, 1);
          Atomics.notify(done, 0);
        });
    });
  } else {
    parentPort!.on("message", (task: CompileTask) => {
      void compileTask(task, true, []).then((outcome) => parentPort!.postMessage(outcome));
    });
  }
}
