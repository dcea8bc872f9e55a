// `npm run bench`: native async functions against their stepwise state machines.
//
//   tsx bench/run.ts [--case NAME]... [--runs N] [--reps N] [--lowerings | --lowering NAME...] [--markdown]
//                    [--parallel-gc] [--verbose]
//
// Each case in bench/cases/ is a script that sets `globalThis.__bench` to an async entry. The case is
// transformed here once (runtime inlined); then, for every run, the native and the transformed program
// each get a fresh `node` child process (bench/driver.js) that warms up once and times a fixed number of
// repetitions. The order alternates from run to run (N T, T N, N T, ...) so that neither variant always
// goes first. A run's figure is the median of its repetitions; a case's figure is the median over runs.
//
// --lowerings adds the other ways to lower the same case (bench/lowerings.ts: Babel's regenerator and
// preset-env, TypeScript's ES5 and ES2015 emit, ...), each a variant of its own in the same rotation (run r
// starts at the r-th variant), and prints one more table: case x lowering, ratio to native. A lowering that
// leaves the case's kind of function native (TypeScript's ES2015 emit keeps generators) is not run there.
// --markdown ends the report with these tables in Markdown, for the README's "Speed" section.
//
// After the cases: the event loop's workloads (bench/loop.ts), the transform's time by input size
// (bench/scale.ts) and by shape and depth (bench/shapes.ts), a directory build on one thread and on workers (bench/build.ts) and the transform on real
// code, time and output size (bench/corpus.ts, in a process of its own); `--case loop`, `--case scale`,
// `--case build`, `--case corpus` run only those.
//
// Children run with --single-threaded-gc by default: on a 2-core machine V8's parallel/concurrent GC helper
// threads compete with the measured thread, and await-values settled at either ~70 or ~130 ms/rep from one
// process to the next (both variants). On the main thread the collector's work is also charged to the
// variant that made the garbage. --parallel-gc restores V8's default. Other processes busy on the machine
// have the same effect; the report ends with how much CPU they took during the bench, and warns.
//
// This is a report, not a test: cases slower than the target still exit 0. A crash, a transform error or
// a result that differs between native and transformed code exits 1; bad flags exit 2.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { transform } from "../src/transform/index.ts";
import { LOWERINGS, type Kind, type Lowering } from "./lowerings.ts";
import { runLoopBench } from "./loop.ts";
import { runBuildBench } from "./build.ts";
import { runScaleBench } from "./scale.ts";
import { median } from "./stats.ts";

/** The project's goal for transformed code: at most this many times the native time. */
const TARGET_RATIO = 1.5;
const DEFAULT_RUNS = 5;
/**
 * Timed repetitions of one process stop early past this many ms (bench/driver.js; after 5 at least): the
 * slowest lowerings of --lowerings take seconds per repetition. No native or stepwise process comes near it.
 */
const CHILD_BUDGET_MS = 3000;
/** Per child process; a hung or runaway program counts as a crash. */
const CHILD_TIMEOUT_MS = 120_000;
const REPORT_PREFIX = "@@stepwise-bench@@ ";
/** Above this many cores' worth of CPU used by other processes during the bench, the report warns. */
const BACKGROUND_WARN_CORES = 0.25;

interface CaseSpec {
  name: string;
  /** Timed repetitions per process (after one warm-up), sized so that a process takes well under a second. */
  reps: number;
  /** Allowed ratio transformed/native (default TARGET_RATIO). */
  target?: number;
  /** The kind of function whose cost the case measures (default async): which lowerings apply. */
  kind?: Kind;
}

const CASES: CaseSpec[] = [
  { name: "await-values", reps: 10 },
  { name: "await-resolved", reps: 30 },
  { name: "fib", reps: 40, target: 1.4 },
  { name: "try-finally", reps: 30 },
  { name: "concurrent", reps: 30 },
  { name: "generator", reps: 20, kind: "generator" },
  { name: "async-generator", reps: 10, kind: "async-generator" },
  // Functions created inside functions (their machine classes evaluated once, not per creation).
  { name: "inner-arrow", reps: 10 },
  { name: "detached-iife", reps: 10 },
  { name: "map-fanout", reps: 10 },
  { name: "generator-helper", reps: 10, kind: "generator" },
];

/** What bench/driver.js prints (after REPORT_PREFIX) as its last stdout line. */
interface Report {
  result: string;
  timesMs: number[];
  heapUsedBytes: number;
  heapRetainedBytes: number | null;
  baselineRssBytes: number;
  peakRssBytes: number;
  cpuMicros: number;
}

type Variant = "native" | "transformed";

/** Where the issue puts the bar for geometric mean of the ratios over the cases (issue 16). */
const GEOMEAN_TARGET = 1.25;

interface Measured {
  /** One entry per run: the median repetition time of that process. */
  runMs: number[];
  reports: Report[];
}

interface CaseOutcome {
  spec: CaseSpec;
  native: Measured;
  transformed: Measured;
  /** Set when the case could not be measured to the end (transform error, crash, timeout). */
  error?: string;
  /** Set when results differ, between variants or between runs of one variant. */
  mismatch?: string;
  /** --lowerings: the other lowerings of this case, by name (absent: the lowering leaves the case native). */
  others: Map<string, OtherOutcome>;
}

/** Another lowering of a case. Its failures are reported in its cell; they do not fail the bench. */
interface OtherOutcome {
  measured: Measured;
  error?: string;
  mismatch?: string;
}

const benchDir = fileURLToPath(new URL(".", import.meta.url));
const casesDir = join(benchDir, "cases");
const driverPath = join(benchDir, "driver.js");

function usage(): string {
  return [
    "usage: tsx bench/run.ts [--case NAME]... [--runs N] [--reps N] [--lowerings | --lowering NAME...] [--markdown] [--parallel-gc] [--verbose]",
    `  --case NAME  run only this case (repeatable); one of: ${CASES.map((c) => c.name).join(", ")}, loop (the event loop's workloads, bench/loop.ts), scale (transform time by input size, bench/scale.ts, and by shape and depth of code, bench/shapes.ts), build (a directory build on 1 thread and on workers, bench/build.ts), corpus (the transform on real code: time and output size, bench/corpus.ts)`,
    `  --runs N     fresh processes per variant, the median is reported (default ${DEFAULT_RUNS})`,
    "  --reps N     timed repetitions per process (default: per case)",
    `  --lowerings  also run every case through the other lowerings (${LOWERINGS.filter((l) => l.name !== "stepwise").map((l) => l.name).join(", ")}) in the same rotation`,
    "  --lowering NAME  only this other lowering (repeatable; implies --lowerings)",
    "  --markdown   end with the time table in Markdown (with --lowerings, case x lowering: the README's Speed section)",
    "  --parallel-gc  run children with V8's default GC threads instead of --single-threaded-gc",
    "  --verbose    also print every run's median repetition time",
  ].join("\n");
}

function fail(message: string): never {
  console.error(`bench: ${message}\n${usage()}`);
  process.exit(2);
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${flag} wants a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

interface Options {
  specs: CaseSpec[];
  runs: number;
  /** Node flags for every child process, the same for both variants. */
  nodeFlags: string[];
  /** Also run the event loop's workloads (bench/loop.ts). */
  loop: boolean;
  /** Also run the transform's scaling bench (bench/scale.ts). */
  scale: boolean;
  /** Also run the directory build on one thread and on workers (bench/build.ts). */
  build: boolean;
  /** Also run the transform over real code (bench/corpus.ts). */
  corpus: boolean;
  /** Other lowerings to run each case through (--lowerings), stepwise not among them. */
  lowerings: Lowering[];
  markdown: boolean;
  verbose: boolean;
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        case: { type: "string", multiple: true },
        runs: { type: "string" },
        reps: { type: "string" },
        lowerings: { type: "boolean" },
        lowering: { type: "string", multiple: true },
        markdown: { type: "boolean" },
        "parallel-gc": { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    console.log(usage());
    process.exit(0);
  }
  const runs = positiveInt("--runs", values.runs) ?? DEFAULT_RUNS;
  const reps = positiveInt("--reps", values.reps);
  let specs = CASES;
  let loop = true;
  let scale = true;
  let build = true;
  let corpus = true;
  if (values.case) {
    const wanted = values.case.flatMap((name) => name.split(",")).filter((name) => name !== "");
    const unknown = wanted.filter((name) => !["loop", "scale", "build", "corpus"].includes(name) && !CASES.some((c) => c.name === name));
    if (unknown.length > 0) fail(`unknown case ${unknown.join(", ")}`);
    specs = CASES.filter((c) => wanted.includes(c.name));
    loop = wanted.includes("loop");
    scale = wanted.includes("scale");
    build = wanted.includes("build");
    corpus = wanted.includes("corpus");
  }
  const others = LOWERINGS.filter((l) => l.name !== "stepwise");
  let lowerings = values.lowerings ? others : [];
  if (values.lowering) {
    const wanted = values.lowering.flatMap((name) => name.split(",")).filter((name) => name !== "");
    const unknown = wanted.filter((name) => !others.some((l) => l.name === name));
    if (unknown.length > 0) fail(`unknown lowering ${unknown.join(", ")}; one of: ${others.map((l) => l.name).join(", ")}`);
    lowerings = others.filter((l) => wanted.includes(l.name));
  }
  return {
    specs: specs.map((spec) => (reps ? { ...spec, reps } : spec)),
    lowerings,
    markdown: values.markdown ?? false,
    runs,
    loop,
    scale,
    build,
    corpus,
    nodeFlags: ["--expose-gc", ...(values["parallel-gc"] ? [] : ["--single-threaded-gc"])],
    verbose: values.verbose ?? false,
  };
}

/**
 * bench/corpus.ts in a process of its own (its passes are in-process, and it collects its own garbage), its
 * report printed as it comes: the transform's time on real code beside Babel's parse + generate, and the
 * output's size minified and gzipped beside the input's. False if it could not run.
 */
function runCorpusBench(runs: number): boolean {
  console.log("");
  console.log(`Real code: bench/corpus.ts --runs ${runs}`);
  const child = spawnSync(process.execPath, ["--import", "tsx", join(benchDir, "corpus.ts"), "--runs", String(runs)], { stdio: "inherit" });
  if (child.status === 0) return true;
  console.log(`bench/corpus.ts failed (${child.signal ?? `exit ${child.status}`})`);
  return false;
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** One fresh process: warm-up plus `reps` timed repetitions of `programPath`. */
function runChild(programPath: string, reps: number, nodeFlags: readonly string[]): Report {
  const child = spawnSync(process.execPath, [...nodeFlags, driverPath, programPath, String(reps), String(CHILD_BUDGET_MS)], {
    encoding: "utf8",
    timeout: CHILD_TIMEOUT_MS,
    killSignal: "SIGKILL",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.error) throw new Error(`could not run ${programPath}: ${child.error.message}`);
  const line = child.stdout.split("\n").find((l) => l.startsWith(REPORT_PREFIX));
  if (child.status !== 0 || child.signal || !line) {
    const how = child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`;
    const timedOut = child.signal === "SIGKILL" ? ` (timeout ${CHILD_TIMEOUT_MS} ms?)` : "";
    const output = tail(child.stderr || child.stdout || "(no output)");
    throw new Error(`${programPath}: ${how}${timedOut}${line ? "" : ", no report"}\n${output}`);
  }
  return JSON.parse(line.slice(REPORT_PREFIX.length)) as Report;
}

function measureCase(spec: CaseSpec, { runs, nodeFlags, lowerings }: Options, workDir: string): CaseOutcome {
  const outcome: CaseOutcome = { spec, native: { runMs: [], reports: [] }, transformed: { runMs: [], reports: [] }, others: new Map() };
  const nativePath = join(casesDir, `${spec.name}.js`);
  const transformedPath = join(workDir, `${spec.name}.transformed.js`);
  process.stdout.write(`${spec.name.padEnd(16)} ${runs} runs x ${spec.reps} reps `);
  const started = performance.now();
  try {
    const source = readFileSync(nativePath, "utf8");
    const { code, machines } = transform(source, { filename: `${spec.name}.js`, runtime: "inline" });
    // Without machines the "transformed" program would just be the native one, and the ratio meaningless.
    if (machines.length === 0) throw new Error("the transform produced no state machines");
    writeFileSync(transformedPath, code);
    // Every variant of the case in one rotation: [native, stepwise, other lowerings...].
    const variants: { path: string; measured: Measured; other?: OtherOutcome }[] = [
      { path: nativePath, measured: outcome.native },
      { path: transformedPath, measured: outcome.transformed },
    ];
    for (const lowering of lowerings) {
      if (!lowering.lowers.includes(spec.kind ?? "async")) continue;
      const other: OtherOutcome = { measured: { runMs: [], reports: [] } };
      outcome.others.set(lowering.name, other);
      const path = join(workDir, `${spec.name}.${lowering.name}.js`);
      try {
        writeFileSync(path, lowering.lower(source, `${spec.name}.js`, "run"));
        variants.push({ path, measured: other.measured, other });
      } catch (error) {
        other.error = `transform: ${firstLine(error)}`;
      }
    }
    for (let run = 0; run < runs; run++) {
      // Run r starts at the r-th variant: with two variants N T, T N, N T, ...; with more, each variant
      // takes each place in turn.
      const order = variants.map((_, i) => variants[(i + run) % variants.length]);
      for (const variant of order) {
        if (variant.other?.error) continue;
        let report: Report;
        try {
          report = runChild(variant.path, spec.reps, nodeFlags);
        } catch (error) {
          if (!variant.other) throw error;
          variant.other.error = `run: ${firstLine(error)}`;
          continue;
        }
        variant.measured.reports.push(report);
        variant.measured.runMs.push(median(report.timesMs));
      }
      process.stdout.write(".");
    }
  } catch (error) {
    outcome.error = error instanceof Error ? error.message : String(error);
  }
  process.stdout.write(` ${((performance.now() - started) / 1000).toFixed(1)} s${outcome.error ? " FAILED" : ""}\n`);
  if (!outcome.error) {
    outcome.mismatch = compareResults(outcome);
    const native = outcome.native.reports[0]?.result;
    for (const other of outcome.others.values()) {
      if (other.error) continue;
      const results = new Set(other.measured.reports.map((r) => r.result));
      if (results.size > 1 || !results.has(native)) other.mismatch = [...results].join(" / ");
    }
  }
  return outcome;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

function compareResults(outcome: CaseOutcome): string | undefined {
  for (const variant of ["native", "transformed"] as const) {
    const results = new Set(outcome[variant].reports.map((r) => r.result));
    if (results.size > 1) return `${variant} runs disagree: ${[...results].join(" / ")}`;
  }
  const native = outcome.native.reports[0]?.result;
  const transformed = outcome.transformed.reports[0]?.result;
  if (native !== transformed) return `native ${native}, transformed ${transformed}`;
  return undefined;
}

function table(headers: string[], rows: string[][], rightAligned: ReadonlySet<number>, markdown = false): string {
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(headers), line(headers.map((_, i) => (rightAligned.has(i) ? "---:" : "---"))), ...rows.map(line)].join("\n");
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (cells: string[]) =>
    cells.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd();
  return [format(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(format)].join("\n");
}

const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
/** Run-to-run spread of a variant: (max - min) / median. */
const spread = (values: readonly number[]) => (Math.max(...values) - Math.min(...values)) / median(values);

function timeTable(outcomes: CaseOutcome[], markdown = false): string {
  const rows = outcomes.map((o) => {
    if (o.error) return [o.spec.name, "-", "-", "-", "-", "-", "CRASH"];
    const native = median(o.native.runMs);
    const transformed = median(o.transformed.runMs);
    const ratio = transformed / native;
    const noise = Math.max(spread(o.native.runMs), spread(o.transformed.runMs));
    return [
      o.spec.name,
      ms(native),
      ms(transformed),
      `${ratio.toFixed(2)}x`,
      `${(noise * 100).toFixed(0)}%`,
      o.mismatch ? "DIFFER" : "equal",
      ratio > (o.spec.target ?? TARGET_RATIO) ? `OVER ${o.spec.target ?? TARGET_RATIO}x` : "ok",
    ];
  });
  return table(
    ["case", "native ms", "transformed ms", "ratio", "spread", "results", "target"],
    rows,
    new Set([1, 2, 3, 4]),
    markdown,
  );
}

const geomean = (values: readonly number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);

/** --lowerings: case x lowering, each cell the ratio of medians to native (as in the time table). */
function loweringsTable(outcomes: CaseOutcome[], lowerings: readonly Lowering[], markdown = false): string {
  const names = ["stepwise", ...lowerings.map((l) => l.name)];
  const ratios = new Map<string, number[]>(names.map((name) => [name, []]));
  const rows = outcomes.map((o) => {
    if (o.error) return [o.spec.name, "-", ...names.map(() => "-")];
    const native = median(o.native.runMs);
    const cells = names.map((name) => {
      const other = name === "stepwise" ? { measured: o.transformed, mismatch: o.mismatch, error: undefined } : o.others.get(name);
      if (!other) return "native";
      if (other.error) return "error";
      if (other.mismatch) return "DIFFER";
      const ratio = median(other.measured.runMs) / native;
      ratios.get(name)!.push(ratio);
      return `${ratio.toFixed(2)}x`;
    });
    return [o.spec.name, ms(native), ...cells];
  });
  const summary = (label: string, figure: (values: number[]) => number) => [
    label,
    "",
    ...names.map((name) => {
      const values = ratios.get(name)!;
      return values.length === 0 ? "-" : `${figure(values).toFixed(2)}x`;
    }),
  ];
  rows.push(summary("geomean", geomean), summary("worst", (values) => Math.max(...values)));
  return table(["case", "native ms", ...names], rows, new Set(names.map((_, i) => i + 1).concat(names.length + 1)), markdown);
}

function memoryTable(outcomes: CaseOutcome[]): string {
  const measured = outcomes.filter((o) => !o.error);
  const pick = (m: Measured, key: "peakRssBytes" | "heapUsedBytes" | "heapRetainedBytes") =>
    mb(median(m.reports.map((r) => r[key] ?? Number.NaN)));
  const rows = measured.map((o) => [
    o.spec.name,
    pick(o.native, "peakRssBytes"),
    pick(o.transformed, "peakRssBytes"),
    pick(o.native, "heapUsedBytes"),
    pick(o.transformed, "heapUsedBytes"),
    pick(o.native, "heapRetainedBytes"),
    pick(o.transformed, "heapRetainedBytes"),
  ]);
  return table(
    ["case", "peak RSS N", "peak RSS T", "heap after N", "heap after T", "after GC N", "after GC T"],
    rows,
    new Set([1, 2, 3, 4, 5, 6]),
  );
}

/** Busy CPU time (all cores, ms) since boot, from the kernel's per-core counters. */
function busyCpuMs(): number {
  return cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}

function main(): number {
  const options = parseOptions();
  const { specs, runs, verbose } = options;
  for (const spec of specs) {
    if (!existsSync(join(casesDir, `${spec.name}.js`))) fail(`missing bench/cases/${spec.name}.js`);
  }
  console.log(`stepwise bench: node ${process.version}, ${runs} runs per variant, a fresh process per run`);
  console.log(`children: node ${options.nodeFlags.join(" ")} bench/driver.js <program> <reps> ${CHILD_BUDGET_MS}`);
  if (specs.length === 0) {
    // --case loop, scale, build and/or corpus alone
    const loopOk = !options.loop || runLoopBench(runs, options.nodeFlags);
    const scaleOk = !options.scale || runScaleBench();
    const buildOk = !options.build || runBuildBench(runs);
    return loopOk && scaleOk && buildOk && (!options.corpus || runCorpusBench(runs)) ? 0 : 1;
  }
  console.log("");
  const workDir = mkdtempSync(join(tmpdir(), "stepwise-bench-"));
  const started = performance.now();
  const busyAtStart = busyCpuMs();
  const ownCpuAtStart = process.cpuUsage();
  let outcomes: CaseOutcome[];
  try {
    outcomes = specs.map((spec) => measureCase(spec, options, workDir));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  // CPU that neither this runner nor its children used: other processes competing for the cores.
  const wallMs = performance.now() - started;
  const ownCpu = process.cpuUsage(ownCpuAtStart);
  const childReports = outcomes.flatMap((o) => [o.native, o.transformed, ...[...o.others.values()].map((other) => other.measured)].flatMap((m) => m.reports));
  const childrenMs = childReports.reduce((sum, r) => sum + r.cpuMicros / 1000, 0);
  const backgroundCores = Math.max(0, busyCpuMs() - busyAtStart - childrenMs - (ownCpu.user + ownCpu.system) / 1000) / wallMs;

  console.log("");
  console.log("Time per repetition, median over runs of each process's median repetition (one warm-up first)");
  console.log(timeTable(outcomes));
  if (verbose) {
    for (const o of outcomes.filter((o) => !o.error)) {
      for (const variant of ["native", "transformed"] as const) {
        console.log(`  ${o.spec.name} ${variant}: ${o[variant].runMs.map(ms).join(" ")} ms`);
      }
      const pairs = o.native.runMs.map((native, i) => `${(o.transformed.runMs[i] / native).toFixed(2)}x`);
      console.log(`  ${o.spec.name} ratio of each run: ${pairs.join(" ")}`);
    }
  }
  console.log(`target (issue 16): transformed within ${TARGET_RATIO}x of native (fib: 1.4x), geomean ${GEOMEAN_TARGET}x; spread = run-to-run (max-min)/median, worse variant`);
  const over = outcomes.filter((o) => !o.error && median(o.transformed.runMs) / median(o.native.runMs) > (o.spec.target ?? TARGET_RATIO));
  console.log(over.length === 0 ? "all measured cases within target" : `over target: ${over.map((o) => o.spec.name).join(", ")}`);

  if (options.lowerings.length > 0) {
    console.log("");
    console.log("Other lowerings of the same cases, in the same rotation: time per repetition as a ratio to native (median over runs)");
    console.log(loweringsTable(outcomes, options.lowerings));
    for (const lowering of LOWERINGS.filter((l) => l.name === "stepwise" || options.lowerings.includes(l))) {
      console.log(`  ${lowering.name}: ${lowering.description}`);
    }
    console.log(`native: the lowering leaves this kind of function native (not run); geomean and worst over the cases run; targets (issue 16): every case ${TARGET_RATIO}x, fib 1.4x, geomean ${GEOMEAN_TARGET}x`);
    for (const o of outcomes) {
      for (const [name, other] of o.others) {
        if (other.error) console.log(`  ${o.spec.name} ${name}: ${other.error}`);
        else if (other.mismatch) console.log(`  ${o.spec.name} ${name}: result ${other.mismatch}, native ${o.native.reports[0]?.result}`);
      }
    }
  }

  if (outcomes.some((o) => !o.error)) {
    console.log("");
    console.log("Memory in MB, median over runs (N = native, T = transformed); heap measured after the last repetition");
    console.log(memoryTable(outcomes));
    const baseline = outcomes.flatMap((o) => [...o.native.reports, ...o.transformed.reports]).map((r) => r.baselineRssBytes);
    console.log(`baseline RSS of a driver process before running its program: ${mb(median(baseline))} MB`);
  }

  // After the CPU accounting above: these children are not in the reports.
  let failed = options.loop && !runLoopBench(runs, options.nodeFlags);
  if (options.scale && !runScaleBench()) failed = true;
  if (options.build && !runBuildBench(runs)) failed = true;
  if (options.corpus && !runCorpusBench(runs)) failed = true;
  for (const o of outcomes) {
    if (o.error) {
      failed = true;
      console.log(`\n${o.spec.name}: FAILED\n${o.error}`);
    } else if (o.mismatch) {
      failed = true;
      console.log(`\n${o.spec.name}: RESULTS DIFFER: ${o.mismatch}`);
    }
  }
  console.log("");
  const background = `other processes used ${backgroundCores.toFixed(2)} of ${cpus().length} cores during the bench`;
  console.log(backgroundCores > BACKGROUND_WARN_CORES ? `WARNING: ${background}; timings are likely noisy, rerun on a quiet machine` : background);
  console.log(`total ${(wallMs / 1000).toFixed(1)} s${failed ? "; FAILED (see above)" : ""}`);
  if (options.markdown) {
    // What the README's "Speed" section shows, with how and where it was measured.
    const args = process.argv.slice(2).join(" ");
    console.log("");
    console.log(
      `Measured with \`npm run bench${args ? ` -- ${args}` : ""}\` on ${cpus()[0]?.model.trim() ?? "?"} (${cpus().length} cores), Node ${process.version}; ` +
        `other processes used ${backgroundCores.toFixed(2)} of ${cpus().length} cores meanwhile. Time per repetition as a ratio to native, median of ${runs} fresh processes each.`,
    );
    console.log("");
    console.log(options.lowerings.length > 0 ? loweringsTable(outcomes, options.lowerings, true) : timeTable(outcomes, true));
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
