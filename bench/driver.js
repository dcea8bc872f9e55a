// Benchmark driver: runs ONE program (native or transformed) in this fresh process and reports timings.
//
//   node bench/driver.js <program.js> <repetitions> [<budget ms>]
//
// The program is a script that sets `globalThis.__bench` to an async entry. It is loaded with
// vm.runInThisContext (the same way for both variants), called once to warm up, then called
// <repetitions> times in a row, each timed with process.hrtime.bigint(). With a budget, the repetitions
// stop early once they have taken that long in all and at least MIN_REPS have run (for the slowest
// lowerings of `npm run bench --lowerings`, whose repetitions can take 20 times as long as native ones). Every repetition must return
// the same value as the warm-up (compared through util.inspect). The report is one line on
// stdout, prefixed with REPORT_PREFIX, holding JSON (see `Report` in run.ts). Plain JavaScript on
// purpose: it runs under bare `node`, without the tsx loader, so both variants see the same process.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import vm from "node:vm";

const REPORT_PREFIX = "@@stepwise-bench@@ ";

const MIN_REPS = 5;

const [file, repsArg, budgetArg] = process.argv.slice(2);
const reps = Number(repsArg);
const budgetMs = budgetArg === undefined ? Infinity : Number(budgetArg);
if (!file || !Number.isInteger(reps) || reps < 1 || !(budgetMs > 0)) {
  console.error("usage: node bench/driver.js <program.js> <repetitions> [<budget ms>]");
  process.exit(2);
}

const code = readFileSync(file, "utf8");
const baselineRssKb = process.resourceUsage().maxRSS;
vm.runInThisContext(code, { filename: file });
const entry = /** @type {{ __bench?: unknown }} */ (globalThis).__bench;
if (typeof entry !== "function") {
  console.error(`${file}: the program did not set globalThis.__bench to a function`);
  process.exit(3);
}
const run = /** @type {() => Promise<unknown>} */ (entry);

/** @param {unknown} value */
const show = (value) => inspect(value, { depth: 8, breakLength: Infinity });

const warmup = show(await run());
/** @type {number[]} */
const timesMs = [];
let totalMs = 0;
for (let i = 0; i < reps && (i < MIN_REPS || totalMs < budgetMs); i++) {
  const start = process.hrtime.bigint();
  const result = await run();
  const elapsed = process.hrtime.bigint() - start;
  timesMs.push(Number(elapsed) / 1e6);
  totalMs += Number(elapsed) / 1e6;
  const shown = show(result);
  if (shown !== warmup) {
    console.error(`${file}: repetition ${i + 1} returned ${shown}, the warm-up returned ${warmup}`);
    process.exit(4);
  }
}

// Heap in use right after the last repetition (garbage included), then what survives a full GC
// (the runner passes --expose-gc; without it the second figure is left out).
const heapUsedBytes = process.memoryUsage().heapUsed;
const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
gc?.();
const report = {
  result: warmup,
  timesMs,
  heapUsedBytes,
  heapRetainedBytes: gc ? process.memoryUsage().heapUsed : null,
  baselineRssBytes: baselineRssKb * 1024,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  /** CPU time of this whole process (start-up included), so the runner can tell what else was running. */
  cpuMicros: (({ user, system }) => user + system)(process.cpuUsage()),
};
process.stdout.write(REPORT_PREFIX + JSON.stringify(report) + "\n");
