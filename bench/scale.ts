// The transform's part of `npm run bench` (bench/run.ts calls it; `--case scale` runs only this part): how
// the build time grows with the input. Files of N small async functions (each a loop with try/catch/finally
// around an await, beside a plain function) at several sizes; for each size, stepwise's transform and
// Babel's own parse + generate of the same file, and @babel/core with no plugin, each in a fresh process (one warm-up on a small file
// first), with their times, the ratio, time per megabyte, and peak memory. A linear transform keeps ms/MB
// and the ratio flat across sizes. One more column bounds what any transform with stepwise's output can
// reach: Babel parsing the input and Babel's generator printing stepwise's output of it (the output parsed
// untimed), with no analysis or lowering at all, as a ratio to Babel's parse + generate in the same process
// (the median of five alternations); the output is several times the input's size. A second table
// (bench/shapes.ts) gives the growth from N to 4N repetitions of shapes real code has in bulk.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runDeepBench, runShapesBench } from "./shapes.ts";

const PREFIX = "@@stepwise-scale-bench@@ ";
/** Megabytes of input per file. */
export const SCALE_SIZES_MB = [0.1, 0.3, 1, 3, 10];
/** Heap limit of each measuring process, in MB (the machine has 24 GB). */
const HEAP_MB = 16_384;
/** The project's goal: stepwise at most this many times Babel's parse + generate of the same file. */
const TARGET_RATIO = 2;

/** One function of the generated files (about 240 bytes, two functions). */
export function unit(i: number): string {
  return `async function f${i}(items) {
  let total = 0;
  for (const item of items) {
    try {
      total += await item;
    } catch (e) {
      total -= 1;
    } finally {
      total *= 2;
    }
  }
  return total;
}
function g${i}(x) { return x + ${i}; }
`;
}

function program(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const text = unit(i);
    parts.push(text);
    size += text.length;
  }
  return parts.join("");
}

interface Measurement {
  ms: number;
  maxRssBytes: number;
  /** The bound's child: its time as a ratio to Babel's parse + generate timed in the same process. */
  ratio?: number;
}

/** In a child: time one tool on one file (after a warm-up on a small one), print the measurement. */
async function child(tool: string, file: string): Promise<void> {
  const code = readFileSync(file, "utf8");
  const { parse } = await import("@babel/parser");
  const generate = ((await import("@babel/generator")) as unknown as { default: (ast: unknown) => { code: string } }).default;
  let run: (source: string) => void;
  let output = "";
  if (tool === "stepwise") {
    const { transform } = await import("../src/transform/index.ts");
    run = (source) => void (output = transform(source, { filename: "scale.js" }).code);
  } else if (tool === "bound") {
    // Babel's parse of the input and Babel's generate of stepwise's output (the file the stepwise child left):
    // what is left with no analysis and no lowering at all. As a ratio to Babel's parse + generate of the
    // input timed in this same process, alternately, so that both see the same machine.
    const { transform } = await import("../src/transform/index.ts");
    const small = program(20_000);
    const outputs = new Map([
      [small, transform(small, { filename: "scale.js" }).code],
      [code, readFileSync(outputOf(file), "utf8")],
    ]);
    // (only the parse of the input and the generate are timed, each after a full collection: what the
    // untimed parse of the output left is not collected in them)
    const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
    const bound = (source: string): number => {
      collect();
      const started = performance.now();
      parse(source, { sourceType: "unambiguous" });
      const parsed = performance.now() - started;
      const tree = parse(outputs.get(source)!, { sourceType: "unambiguous" });
      collect();
      const printing = performance.now();
      generate(tree);
      return parsed + performance.now() - printing;
    };
    const floor = (source: string): number => {
      collect();
      const started = performance.now();
      generate(parse(source, { sourceType: "unambiguous" }));
      return performance.now() - started;
    };
    bound(small);
    floor(small);
    const runs = [0, 1, 2, 3, 4].map(() => {
      const ms = bound(code);
      return { ms, ratio: ms / floor(code) };
    });
    const median = runs.sort((a, b) => a.ratio - b.ratio)[2];
    const measurement: Measurement = { ms: median.ms, ratio: median.ratio, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
    console.log(PREFIX + JSON.stringify(measurement));
    return;
  } else if (tool === "core") {
    // @babel/core with no plugin: parse, its scope crawl of the whole file, the (empty) traversal, generate;
    // what any Babel plugin costs at the least.
    const { transformSync } = await import("@babel/core");
    run = (source) => void transformSync(source, { babelrc: false, configFile: false, sourceType: "unambiguous", filename: "scale.js", compact: false });
  } else {
    run = (source) => void generate(parse(source, { sourceType: "unambiguous" }));
  }
  run(program(20_000));
  const started = performance.now();
  run(code);
  const measurement: Measurement = { ms: performance.now() - started, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  // (the bound's child reads stepwise's output of the file; written once the timing is over)
  if (tool === "stepwise") writeFileSync(outputOf(file), output);
  console.log(PREFIX + JSON.stringify(measurement));
}

/** Where the stepwise child leaves its output of `file`. */
function outputOf(file: string): string {
  return file.replace(/\.js$/, ".out.js");
}

function measure(tool: string, file: string): Measurement | string {
  // (a generous heap: the figure is the memory used, and the largest inputs need gigabytes)
  // (--expose-gc: the bound's child collects before each timing)
  const result = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, ...(tool === "bound" ? ["--expose-gc"] : []), "--import", "tsx", fileURLToPath(import.meta.url), "--child", tool, file], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
  });
  const line = result.stdout?.split("\n").find((text) => text.startsWith(PREFIX));
  if (result.status !== 0 || !line) return `${tool} failed (${result.signal ?? `exit ${result.status}`}): ${(result.stderr ?? "").trim().split("\n").slice(-5).join("\n")}`;
  return JSON.parse(line.slice(PREFIX.length)) as Measurement;
}

/** Runs the scaling bench and prints its table; false if a run failed. */
export function runScaleBench(sizesMb: readonly number[] = SCALE_SIZES_MB): boolean {
  console.log("");
  console.log("Transform time by input size: stepwise beside Babel's parse + generate of the same file (fresh process each, after a warm-up)");
  const dir = mkdtempSync(join(tmpdir(), "stepwise-scale-"));
  const rows: string[][] = [];
  let ok = true;
  try {
    for (const mb of sizesMb) {
      const file = join(dir, `${mb}mb.js`);
      const code = program(mb * 1024 * 1024);
      writeFileSync(file, code);
      const stepwise = measure("stepwise", file);
      const babel = measure("babel", file);
      const core = measure("core", file);
      const bound = typeof stepwise === "string" ? stepwise : measure("bound", file);
      if (typeof stepwise === "string" || typeof babel === "string" || typeof core === "string" || typeof bound === "string") {
        ok = false;
        console.log(`${mb} MB: ${[stepwise, babel, core, bound].find((m) => typeof m === "string")}`);
        continue;
      }
      const actualMb = code.length / (1024 * 1024);
      rows.push([
        `${(code.length / 1024).toFixed(0)} KB`,
        stepwise.ms.toFixed(0),
        babel.ms.toFixed(0),
        `${(stepwise.ms / babel.ms).toFixed(1)}x`,
        core.ms.toFixed(0),
        `${(stepwise.ms / core.ms).toFixed(1)}x`,
        // (the bound's child gives the median ratio of its own alternating runs)
        `${bound.ratio!.toFixed(1)}x`,
        (stepwise.ms / actualMb).toFixed(0),
        (babel.ms / actualMb).toFixed(0),
        (stepwise.maxRssBytes / 2 ** 20).toFixed(0),
        (babel.maxRssBytes / 2 ** 20).toFixed(0),
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const headers = ["input", "stepwise ms", "babel ms", "ratio", "core ms", "ratio to core", "bound", "stepwise ms/MB", "babel ms/MB", "peak RSS stepwise MB", "peak RSS babel MB"];
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join("  ");
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
  console.log(`target: stepwise within ${TARGET_RATIO}x of Babel's parse + generate at every size, ms/MB flat (core: @babel/core with no plugin, the floor of any Babel plugin;`);
  console.log(`bound: Babel's parse of the input and its generate of stepwise's output, no analysis nor lowering, as a ratio to Babel's parse + generate, in one process)`);
  // (and how the time grows with the shapes of code real files have in bulk, and with deep code: bench/shapes.ts)
  const shapes = runShapesBench();
  return runDeepBench() && shapes && ok;
}

if (process.argv[2] === "--child") await child(process.argv[3], process.argv[4]);
