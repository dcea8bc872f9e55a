// The transform's growth by the shape of the code, the second table of the scaling bench (bench/scale.ts
// prints it): for each shape, a file of one construct repeated N times and one of it repeated 4N times,
// transformed in a fresh process (after a warm-up on a small one; the median of three), and the ratio of the
// two times. A transform linear in its input takes about 4x as long on the larger file. Each shape is one that
// real code has in bulk and that a scan per function or per element would make quadratic: functions of one
// name (their machine classes' names were searched from `_2` up each time), a class of many async methods
// (each link was inserted through the class's paths), closures in one long body (each closure's place was
// searched from the body's first statement), exported declarations, nested functions, long switches.
//
// A third table, deep code: the constructs issue 16 names as deep as Node runs them (a long `else if` chain, a
// long await expression, nested blocks) and two deep nestings of lowered functions, each at its size and at
// twice it (linear: about 2x), beside Babel's parse + generate of the same files, in a child with a large
// stack (the transform's own walks are loops, Babel's parser and generator recurse), three children each.
//
//   npx tsx bench/shapes.ts [--n 1000] [--shape NAME] [--deep]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { median } from "./stats.ts";

const PREFIX = "@@stepwise-shapes-bench@@ ";
/** Over this growth from N to 4N (4 for a linear transform, 16 for a quadratic one), a shape is flagged. */
const GROWTH_LIMIT = 5.5;

const repeat = (n: number, line: (i: number) => string, separator = "\n") => Array.from({ length: n }, (_, i) => line(i)).join(separator);

/** Each shape: the file for N repetitions. */
export const SHAPES: Record<string, (n: number) => string> = {
  "functions of one name": (n) => repeat(n, () => "use(async () => { await 0; });"),
  "class of async methods": (n) => `class C {\n${repeat(n, (i) => `  async m${i}(a) { return await a; }`)}\n}`,
  "class of private-using methods": (n) => `class C {\n  #p = 1;\n${repeat(n, (i) => `  async m${i}() { return await this.#p; }`)}\n}`,
  "object of async methods": (n) => `const o = {\n${repeat(n, (i) => `  async m${i}(a) { return await a; },`)}\n};`,
  "exported declarations": (n) => repeat(n, (i) => `export async function f${i}(a) { return await a; }`),
  "closures in one body": (n) => `async function f(use) {\n${repeat(n, (i) => `  let v${i} = await use(${i}); use(() => v${i});`)}\n}`,
  "block lets in one body": (n) => `async function f(use) {\n${repeat(n, (i) => `  { let x = await use(${i}); use(x); }`)}\n}`,
  "arrows in one async function": (n) => `async function f(use) {\n${repeat(n, (i) => `  use(async () => { await ${i}; });`)}\n}`,
  "arrows in one plain function": (n) => `function f(use) {\n${repeat(n, (i) => `  use(async () => { await ${i}; });`)}\n}`,
  "try/finally in one body": (n) => `async function f(use) {\n${repeat(n, (i) => `  try { await use(${i}); } catch (e) { use(e); } finally { use(); }`)}\n}`,
  "switch cases": (n) => `async function f(x, use) {\n  switch (x) {\n${repeat(n, (i) => `    case ${i}: await use(${i}); break;`)}\n  }\n}`,
  "yields in one generator": (n) => `function* g(use) {\n${repeat(n, (i) => `  use(yield ${i});`)}\n}`,
  "nested lowered functions": (n) => `async function f(use) {\n${repeat(n, (i) => `  await use(async function g${i}() { await use(async () => { await ${i}; }); });`)}\n}`,
  "generators declared in a block": (n) => `{\n${repeat(n, (i) => `  function* g${i}() { yield ${i}; }`)}\n}`,
};

/** Deep code: each construct's file at its size (the depth or length issue 16 names, where it names one). */
export const DEEP_SHAPES: Record<string, { n: number; make: (n: number) => string }> = {
  "else if branches, each awaiting": { n: 3000, make: (n) => `async function f(x) {\n  let r;\n  ${repeat(n, (i) => `if (x === ${i}) { r = await ${i}; }`, " else ")}\n  return r;\n}` },
  "terms of await a + await a + ...": { n: 5000, make: (n) => `async function f(a) {\n  return ${repeat(n, () => "await a", " + ")};\n}` },
  "switch cases, each awaiting": { n: 5000, make: (n) => `async function f(x) {\n  switch (x) {\n${repeat(n, (i) => `    case ${i}: return await ${i};`)}\n  }\n}` },
  "nested blocks, each awaiting": { n: 2000, make: (n) => `async function f(x) {\n${"{ let y = await x; ".repeat(n)}${"}".repeat(n)}\n}` },
  ".then(async ...) links in an async function": {
    n: 1000,
    make: (n) => `async function f(p) {\n  return p${repeat(n, (i) => `.then(async (v${i}) => { await v${i}; return ${i}; })`, "\n    ")};\n}`,
  },
  "async callbacks nested in each other": {
    n: 500,
    make: (n) => `function f(use) {\n  return ${"use(async (v) => { await v; return ".repeat(n)}0${"; })".repeat(n)};\n}`,
  },
};
/**
 * A deep construct at twice its size: about 2x for a linear transform, 4x for a quadratic one. (Where Babel's
 * own parse + generate grows faster, as on nested blocks, the transform, which parses as Babel does, is held
 * to Babel's growth.)
 */
const DEEP_GROWTH_LIMIT = 2.5;
/** Fresh children per deep construct (measure). */
const DEEP_CHILDREN = 3;
/** The child's stack for deep code, in KB (Node's default is about 1 MB). */
const DEEP_STACK_KB = 30_000;

interface Growth {
  small: number;
  large: number;
  /** Deep code: Babel's parse + generate of the same two files. */
  babelSmall?: number;
  babelLarge?: number;
}

/** The median of three runs of `run`, in ms. */
function medianOfThree(run: () => void): number {
  const times = [0, 1, 2].map(() => {
    const started = performance.now();
    run();
    return performance.now() - started;
  });
  return times.sort((a, b) => a - b)[1];
}

/**
 * In a child: the transform's time for the shape at n and 4n (deep code: at its size and twice it, and Babel's
 * parse + generate of both), each the median of three after a warm-up.
 */
async function child(shape: string, n: number): Promise<void> {
  const { transform } = await import("../src/transform/index.ts");
  const deep = DEEP_SHAPES[shape];
  const make = deep?.make ?? SHAPES[shape];
  const time = (code: string) => medianOfThree(() => transform(code, { filename: "shape.js" }));
  transform(make(Math.max(1, n / 10)), { filename: "shape.js" });
  const small = make(n);
  const large = make((deep ? 2 : 4) * n);
  transform(small, { filename: "shape.js" });
  const growth: Growth = { small: time(small), large: time(large) };
  if (deep) {
    const { parse } = await import("@babel/parser");
    const generateModule = await import("@babel/generator");
    const generate = ((generateModule as unknown as { default: { default?: unknown } }).default.default ?? generateModule.default) as (ast: unknown) => unknown;
    const babel = (code: string) => medianOfThree(() => generate(parse(code, { sourceType: "unambiguous" })));
    babel(small);
    growth.babelSmall = babel(small);
    growth.babelLarge = babel(large);
  }
  console.log(PREFIX + JSON.stringify(growth));
}

/** The shape's times in a fresh child, or why the child failed. */
function measureOnce(shape: string, n: number): Growth | string {
  const stack = DEEP_SHAPES[shape] ? [`--stack-size=${DEEP_STACK_KB}`] : [];
  const result = spawnSync(process.execPath, [...stack, "--import", "tsx", fileURLToPath(import.meta.url), "--child", shape, String(n)], { encoding: "utf8", timeout: 10 * 60_000 });
  const line = result.stdout?.split("\n").find((text) => text.startsWith(PREFIX));
  if (result.status !== 0 || !line) return `failed (${result.signal ?? `exit ${result.status}`}): ${(result.stderr ?? "").trim().split("\n").slice(-3).join(" ")}`;
  return JSON.parse(line.slice(PREFIX.length)) as Growth;
}

/**
 * The shape's times and growth. A deep construct is measured in DEEP_CHILDREN fresh children: its growth is
 * the median of theirs (each child's two sizes share its state of the engine), its times the medians. One
 * child's growth moved by a third from run to run at these times (docs/performance.md, "Session 27").
 */
function measure(shape: string, n: number): (Growth & { growth: number; babelGrowth?: number }) | string {
  const deep = DEEP_SHAPES[shape] !== undefined;
  const runs: Growth[] = [];
  for (let i = 0; i < (deep ? DEEP_CHILDREN : 1); i++) {
    const run = measureOnce(shape, n);
    if (typeof run === "string") return run;
    runs.push(run);
  }
  const of = (read: (run: Growth) => number) => median(runs.map(read));
  return {
    small: of((run) => run.small),
    large: of((run) => run.large),
    growth: of((run) => run.large / run.small),
    ...(deep ? { babelSmall: of((run) => run.babelSmall!), babelLarge: of((run) => run.babelLarge!), babelGrowth: of((run) => run.babelLarge! / run.babelSmall!) } : {}),
  };
}

/** A table in columns, the first left-aligned, the others right-aligned. */
function printTable(headers: string[], rows: string[][]): void {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}

/** Runs the deep constructs and prints their table; false if a run failed. */
export function runDeepBench(only?: string): boolean {
  console.log("");
  console.log(`Transform time of deep code: each construct at its size and twice it, beside Babel's parse + generate (medians of ${DEEP_CHILDREN} fresh processes; linear: about 2x)`);
  const rows: string[][] = [];
  let ok = true;
  for (const [shape, { n }] of Object.entries(DEEP_SHAPES)) {
    if (only !== undefined && shape !== only) continue;
    const growth = measure(shape, n);
    if (typeof growth === "string") {
      ok = false;
      rows.push([shape, String(n), growth, "", "", "", ""]);
      continue;
    }
    const ratio = growth.growth;
    const babelRatio = growth.babelGrowth!;
    rows.push([
      shape,
      String(n),
      `${growth.small.toFixed(0)} (${growth.babelSmall!.toFixed(0)})`,
      `${growth.large.toFixed(0)} (${growth.babelLarge!.toFixed(0)})`,
      `${ratio.toFixed(1)}x`,
      `${babelRatio.toFixed(1)}x`,
      ratio > Math.max(DEEP_GROWTH_LIMIT, babelRatio) ? "OVER" : "",
    ]);
  }
  printTable(["construct", "size", "ms (Babel)", "ms at twice (Babel)", "growth", "Babel's growth", ""], rows);
  console.log(`target: every construct's growth under ${DEEP_GROWTH_LIMIT}x (2x is linear, 4x quadratic), or under Babel's own where that is more`);
  return ok;
}

/** Runs the shapes and prints their table; false if a run failed. */
export function runShapesBench(n = 1000, only?: string): boolean {
  console.log("");
  console.log(`Transform time by shape: a file of one construct ${n} times and ${4 * n} times (fresh process per shape; linear: about 4x)`);
  const rows: string[][] = [];
  let ok = true;
  for (const shape of Object.keys(SHAPES)) {
    if (only !== undefined && shape !== only) continue;
    const growth = measure(shape, n);
    if (typeof growth === "string") {
      ok = false;
      rows.push([shape, growth, "", "", ""]);
      continue;
    }
    const ratio = growth.growth;
    rows.push([shape, growth.small.toFixed(0), growth.large.toFixed(0), `${ratio.toFixed(1)}x`, ratio > GROWTH_LIMIT ? "OVER" : ""]);
  }
  printTable(["shape", `ms at ${n}`, `ms at ${4 * n}`, "growth", ""], rows);
  console.log(`target: every shape's growth under ${GROWTH_LIMIT}x (4x is linear, 16x quadratic)`);
  return ok;
}

// (run as a script, not imported: bench/scale.ts imports this module, and its own children take `--child` too)
const main = process.argv[1] === fileURLToPath(import.meta.url);
if (main && process.argv[2] === "--child") await child(process.argv[3], Number(process.argv[4]));
else if (main) {
  const { values } = parseArgs({ options: { n: { type: "string", default: "1000" }, shape: { type: "string" }, deep: { type: "boolean", default: false } } });
  process.exitCode = (values.deep ? runDeepBench(values.shape) : runShapesBench(Number(values.n), values.shape)) ? 0 : 1;
}
