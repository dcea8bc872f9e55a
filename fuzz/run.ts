// The differential fuzzer: `npm run fuzz -- --runs N [--seed S]`.
//
// Generated programs (fuzz/generate.ts) run natively and transformed (test/support/harness.ts); a difference
// in the logs, a transform crash, a hang or a program that misbehaves natively is a failure. "unsupported"
// transform errors are counted and listed, not failures.
//
// The runs are split into chunks of `--chunk` programs, each a fast-check run with its own seed: S, S+1, ...
// (so the seed range is S..S+chunks-1), spread over `--jobs` worker threads. A failing chunk is shrunk by
// fast-check; the shrunk program is printed with both logs and written to fixtures/fuzz/<hash>.js.
//
// Options:
//   --runs N        programs to run in all (default 1000)
//   --seed S        first chunk seed (default: random; printed at start and end)
//   --path P        replay one counterexample: with --seed of its chunk (printed with every failure)
//   --chunk C       programs per seed (default 500)
//   --jobs J        worker threads (default: available cores)
//   --minutes M     start no new chunk after M minutes
//   --keep-going    go on after a failure (every chunk stops at its own first failure)
//   --disable A,B   construct families to leave out (see FLAGS in fuzz/generate.ts)
//   --no-fixtures   do not write fixtures
//   --node24        every program on the Node 24 oracle (rendered as a program with `using` is)
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { Coverage, describeFailure, writeFixture, type FailureRecord } from "./check.ts";
import { EXPECTED_CONSTRUCTS, FLAGS } from "./generate.ts";
import type { Job, WorkerMessage } from "./worker.ts";

const root = join(import.meta.dirname, "..");

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    seed: { type: "string" },
    path: { type: "string" },
    chunk: { type: "string", default: "500" },
    jobs: { type: "string" },
    minutes: { type: "string" },
    "keep-going": { type: "boolean", default: false },
    disable: { type: "string", default: "" },
    "no-fixtures": { type: "boolean", default: false },
    node24: { type: "boolean", default: false },
  },
  strict: true,
});

const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 0x7fffffff);
const chunk = values.path ? runs : Math.max(1, Number(values.chunk));
const jobs = Math.max(1, Number(values.jobs ?? availableParallelism()));
const deadline = values.minutes ? Date.now() + Number(values.minutes) * 60_000 : Infinity;
const disable = values.disable ? values.disable.split(",").map((s) => s.trim()).filter(Boolean) : [];
for (const name of disable) {
  if (!(name in FLAGS)) throw new Error(`--disable ${name}: not a flag of fuzz/generate.ts (${Object.keys(FLAGS).join(", ") || "none defined"})`);
}
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) throw new Error("--runs and --seed take integers");

const queue: Job[] = [];
for (let done = 0, s = seed; done < runs; done += chunk, s = (s + 1) | 0) {
  queue.push({ seed: s, runs: Math.min(chunk, runs - done), path: values.path, disable, node24: values.node24 });
}
const lastSeed = queue[queue.length - 1].seed;
console.log(
  `fuzz: seed ${seed}` +
    (queue.length > 1 ? ` (chunk seeds ${seed}..${lastSeed}, ${chunk} programs each)` : "") +
    (values.path ? `, replaying path ${values.path}` : "") +
    `, ${runs} programs, ${Math.min(jobs, queue.length)} worker(s)` +
    (disable.length ? `, disabled: ${disable.join(", ")}` : "") +
    (values.node24 ? ", every program on Node 24" : ""),
);

interface Failure extends FailureRecord {
  seed: number;
  path: string;
  shrinks: number;
  fixture?: string;
}

const started = Date.now();
const coverage = new Coverage();
const verdicts = new Map<string, number>();
const unsupported = new Map<string, number>();
const failures: Failure[] = [];
const errors: string[] = [];
const seedsRun: number[] = [];
let stopping = false;
let lastProgress = Date.now();

const WORKER_URL = new URL("./worker.ts", import.meta.url).href;
const TSX_API = import.meta.resolve("tsx/esm/api");
/** Worker threads do not inherit tsx's loader: register it, then load the TypeScript worker. */
const BOOT = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`;
/** A worker that reports nothing for this long is stuck in a program (the harness only limits async waits). */
const HANG_MS = 120_000;

function progress(force = false) {
  if (!force && Date.now() - lastProgress < 15_000) return;
  lastProgress = Date.now();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `  ${coverage.runs}/${runs} programs, ${(coverage.runs / seconds).toFixed(1)}/s, ` +
      `${failures.length} failure(s), ${unsupported.size ? [...unsupported.values()].reduce((a, b) => a + b) : 0} unsupported`,
  );
}

function replay(f: { seed: number; path: string }, chunkRuns: number): string {
  return `\`npm run fuzz -- --seed ${f.seed} --runs ${chunkRuns}${f.path ? ` --path ${f.path}` : ""}${values.node24 ? " --node24" : ""}\``;
}

function runWorker(): Promise<void> {
  return new Promise((resolve) => {
    const worker = new Worker(BOOT, { eval: true });
    let job: Job | undefined;
    let heard = Date.now();
    const watchdog = setInterval(() => {
      if (job && Date.now() - heard > HANG_MS) {
        errors.push(`chunk seed ${job.seed}: no report for ${HANG_MS / 1000} s after ${coverage.runs} programs (a hang); worker stopped`);
        failures.push({
          seed: job.seed,
          path: "",
          shrinks: 0,
          code: "// (not captured: the worker hung)",
          verdict: { kind: "timeout", message: `chunk seed ${job.seed} hung` },
        });
        job = undefined;
        clearInterval(watchdog);
        void worker.terminate().then(() => runWorker().then(resolve));
      }
    }, 5_000);
    const next = () => {
      job = stopping || Date.now() > deadline ? undefined : queue.shift();
      if (!job) {
        clearInterval(watchdog);
        void worker.terminate().then(() => resolve());
        return;
      }
      heard = Date.now();
      seedsRun.push(job.seed);
      worker.postMessage(job);
    };
    worker.on("message", (message: WorkerMessage) => {
      heard = Date.now();
      if (message.type === "run") {
        coverage.add(message.counts);
        verdicts.set(message.verdict, (verdicts.get(message.verdict) ?? 0) + 1);
        if (message.note) unsupported.set(message.note, (unsupported.get(message.note) ?? 0) + 1);
        progress();
        return;
      }
      if (message.error) errors.push(`chunk seed ${message.seed}: ${message.error}`);
      if (message.failure) {
        const failure: Failure = { ...message.failure, seed: message.seed };
        failures.push(failure);
        const chunkRuns = job?.runs ?? chunk;
        console.log(`\nFAILURE in chunk seed ${message.seed} (shrunk ${failure.shrinks} times):`);
        console.log(describeFailure(failure));
        if (!values["no-fixtures"]) {
          failure.fixture = writeFixture(root, failure, replay(failure, chunkRuns));
          console.log(`--- written to ${failure.fixture}`);
        }
        console.log(`--- replay: ${replay(failure, chunkRuns)}\n`);
        if (!values["keep-going"]) stopping = true;
      }
      next();
    });
    worker.on("error", (error) => {
      errors.push(`worker error: ${error.stack ?? error}`);
      clearInterval(watchdog);
      resolve();
    });
    next();
  });
}

await Promise.all(Array.from({ length: Math.min(jobs, queue.length) }, () => runWorker()));

const seconds = (Date.now() - started) / 1000;
console.log("\n=== coverage (constructs emitted across the generated programs)");
console.log(coverage.table(EXPECTED_CONSTRUCTS));
const missing = coverage.missing(EXPECTED_CONSTRUCTS);
console.log("\n=== summary");
const ran = [...seedsRun].sort((a, b) => a - b);
console.log(`seed ${seed}; chunk seeds run: ${ran.length ? `${ran[0]}..${ran[ran.length - 1]} (${ran.length})` : "none"}`);
console.log(`programs: ${coverage.runs} in ${seconds.toFixed(1)} s (${(coverage.runs / seconds).toFixed(1)} runs/s)`);
console.log(`verdicts: ${[...verdicts].map(([k, n]) => `${k} ${n}`).join(", ") || "none"}`);
if (unsupported.size) {
  console.log(`unsupported (not failures): ${[...unsupported.values()].reduce((a, b) => a + b)}`);
  for (const [message, n] of [...unsupported].sort((a, b) => b[1] - a[1])) console.log(`  ${n} x ${message}`);
}
if (missing.length) console.log(`never generated: ${missing.join(", ")}`);
for (const error of errors) console.log(`error: ${error}`);
console.log(`failures: ${failures.length}`);
for (const f of failures) console.log(`  ${f.verdict.kind} in chunk seed ${f.seed}${f.path ? ` path ${f.path}` : ""}${f.fixture ? ` -> ${f.fixture}` : ""}`);
process.exitCode = failures.length || errors.length ? 1 : 0;
