// The transform on real third-party code: every .js/.mjs/.cjs file under this repository's node_modules
// that contains `async` or `function*`, deduplicated by content, taken in path order up to a cap (a few MB).
// For the whole set, in one process, after a warm-up pass: stepwise's transform time beside Babel's own parse +
// generate of the same files (the ratio: the median of the --runs passes' ratios, each pass of stepwise beside
// the pass of Babel's run next to it, so that the machine's own drift over a run, often a tenth, moves both
// sides of a ratio), and the output's size, minified
// (esbuild) and gzipped, beside the input's, minified and gzipped. Files the transform refuses are counted and
// listed with their error, not dropped silently; files Babel cannot parse at all are listed apart (they are
// neither side's).
//
// --lowerings: the same files (those stepwise lowers something in) through the other lowerings of
// bench/lowerings.ts, helpers and runtimes left to a shared module as a project ships them, each output's
// size minified + gzipped beside the input's, and each one's transform time beside Babel's parse + generate
// of the same files (the median of --runs passes), over the files that every lowering takes and esbuild
// minifies.
//
// `npm run bench` runs it (`--case corpus`), and `npm run size` its size part alone (--size-only).
//
//   npx tsx bench/corpus.ts [--max-mb 4] [--runs 3] [--max-file-kb 512] [--lowerings] [--markdown] [--verbose] [--size-only]
import { parse } from "@babel/parser";
import generateModule from "@babel/generator";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PerformanceObserver } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { transformSync as esbuild } from "esbuild";
import { parsingOf, transform } from "../src/transform/index.ts";
import { LOWERINGS } from "./lowerings.ts";
import { median } from "./stats.ts";
import { filesUnder } from "../scripts/files-under.ts";

const generate = ((generateModule as unknown as { default?: unknown }).default ?? generateModule) as (ast: unknown) => { code: string };
const root = fileURLToPath(new URL("..", import.meta.url));
/** The project's goals for this corpus. */
const TIME_TARGET = 1.5;
/**
 * Packages that only the bench workspace brings in (bench/package.json), for --lowerings: left out, so that
 * the corpus stays what the project's own dependencies make it. (TypeScript 5 is in bench/node_modules,
 * outside the walk; the Babel plugins were already there, as preset-env's.)
 */
const BENCH_ONLY = ["babel-plugin-transform-async-to-promises"].map((name) => join("node_modules", name) + sep);
const SIZE_TARGET = 1.15;

const { values } = parseArgs({
  options: {
    "max-mb": { type: "string", default: "4" },
    "max-file-kb": { type: "string", default: "512" },
    runs: { type: "string", default: "3" },
    lowerings: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
    "size-only": { type: "boolean", default: false },
  },
});
const maxBytes = Number(values["max-mb"]) * 1024 * 1024;
const maxFileBytes = Number(values["max-file-kb"]) * 1024;
const runs = Number(values.runs);
/** --size-only (npm run size): the output's size alone, no timing; exit code 1 when it is over its target. */
const timing = !values["size-only"];

interface Source {
  path: string;
  code: string;
}

function collect(): { files: Source[]; seen: number; duplicates: number; tooBig: number } {
  const hashes = new Set<string>();
  const files: Source[] = [];
  let total = 0;
  let seen = 0;
  let duplicates = 0;
  let tooBig = 0;
  // (every candidate file under node_modules, in path order; symbolic links not followed)
  for (const path of filesUnder(join(root, "node_modules"), /\.[mc]?js$/)) {
    if (path.includes(`${join("node_modules", ".vite")}`) || BENCH_ONLY.some((dir) => path.includes(dir))) continue;
    const size = statSync(path).size;
    const code = readFileSync(path, "utf8");
    if (!/\basync\b|function\s*\*/.test(code)) continue;
    seen++;
    const hash = createHash("sha1").update(code).digest("hex");
    if (hashes.has(hash)) {
      duplicates++;
      continue;
    }
    hashes.add(hash);
    if (size > maxFileBytes) {
      tooBig++;
      continue;
    }
    if (total + size > maxBytes) break;
    total += size;
    files.push({ path: relative(root, path), code });
  }
  return { files, seen, duplicates, tooBig };
}

const babelParse = (file: Source) => {
  const { sourceType, parserOpts } = parsingOf(file.path);
  return parse(file.code, { sourceType, ...parserOpts, errorRecovery: false });
};

/** Minified, gzipped size; null where esbuild cannot minify the code (a top-level return in a script, ...). */
function packed(code: string): number | null {
  try {
    return gzipSync(esbuild(code, { loader: "js", minify: true, logLevel: "silent" }).code, { level: 9 }).length;
  } catch {
    return null;
  }
}

const started = performance.now();
const { files, seen, duplicates, tooBig } = collect();
const bytes = files.reduce((sum, file) => sum + file.code.length, 0);
console.log(`corpus: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MB (of ${seen} files under node_modules with async or function*: ${duplicates} duplicates, ${tooBig} over ${values["max-file-kb"]} KB, the rest past the ${values["max-mb"]} MB cap)`);

// Which files each side can take: Babel must parse them; the transform may refuse some.
const unparsable: [string, string][] = [];
const refused: [string, string][] = [];
const usable: Source[] = [];
const outputs = new Map<Source, { code: string; machines: number }>();
for (const file of files) {
  try {
    babelParse(file);
  } catch (error) {
    unparsable.push([file.path, String((error as Error).message).split("\n")[0]]);
    continue;
  }
  try {
    const { code, machines } = transform(file.code, { filename: file.path });
    outputs.set(file, { code, machines: machines.length });
    usable.push(file);
  } catch (error) {
    refused.push([file.path, String((error as Error).message).split("\n")[0]]);
  }
}

// Time: each pass runs both tools over every usable file, alternating which goes first. Beside each pass's
// time, the garbage collector's pauses in it (the main thread's, as PerformanceObserver reports them): about
// a third of either tool's time, and the part of it that varies most from run to run (docs/performance.md,
// "Session 20").
const stepwiseMs: number[] = [];
const babelMs: number[] = [];
const stepwiseGcMs: number[] = [];
const babelGcMs: number[] = [];
const pauses: { start: number; duration: number }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, duration: entry.duration });
});
observer.observe({ entryTypes: ["gc"] });
/** Runs one pass; its time and (once the observer has them) its collections' pauses go to the two lists. */
const timed = async (pass: () => void, times: number[], gcTimes: number[]) => {
  const t0 = performance.now();
  pass();
  const t1 = performance.now();
  times.push(t1 - t0);
  // (the observer is told of the collections in a later task)
  await new Promise((resolve) => setTimeout(resolve, 0));
  gcTimes.push(pauses.filter((pause) => pause.start >= t0 && pause.start < t1).reduce((sum, pause) => sum + pause.duration, 0));
};
const runBabel = () => timed(() => {
  for (const file of usable) generate(babelParse(file));
}, babelMs, babelGcMs);
const runStepwise = () => timed(() => {
  for (const file of usable) transform(file.code, { filename: file.path });
}, stepwiseMs, stepwiseGcMs);
for (let run = 0; timing && run < runs; run++) {
  if (run % 2 === 0) {
    await runBabel();
    await runStepwise();
  } else {
    await runStepwise();
    await runBabel();
  }
}
observer.disconnect();

// Size: minified + gzipped, output beside input, over the files both can be minified.
let inPacked = 0;
let outPacked = 0;
let lowered = 0;
let unminifiable = 0;
const perFile: number[] = [];
for (const file of usable) {
  const output = outputs.get(file)!;
  if (output.machines === 0) continue;
  lowered++;
  const a = packed(file.code);
  const b = packed(output.code);
  if (a === null || b === null) {
    unminifiable++;
    continue;
  }
  inPacked += a;
  outPacked += b;
  perFile.push(b / a);
}

const time = median(stepwiseMs.map((ms, i) => ms / babelMs[i]));
// (each pass's time less its collections' pauses: the median of those)
const work = (times: number[], gcTimes: number[]) => median(times.map((ms, i) => ms - gcTimes[i]));
const size = outPacked / inPacked;
const machines = [...outputs.values()].reduce((sum, output) => sum + output.machines, 0);
console.log(`transformed: ${usable.length} files (${lowered} with something lowered, ${machines} machines); refused by the transform: ${refused.length}; not parsable by Babel: ${unparsable.length}`);
if (timing) {
  console.log(
    `time (medians of ${runs} passes): stepwise ${median(stepwiseMs).toFixed(0)} ms, Babel parse + generate ${median(babelMs).toFixed(0)} ms; ` +
      `each pass beside Babel's: ${time.toFixed(2)}x (target ${TIME_TARGET}x)${time > TIME_TARGET ? " OVER" : ""}`,
  );
  console.log(
    `of which garbage collection (medians): stepwise ${median(stepwiseGcMs).toFixed(0)} ms, Babel ${median(babelGcMs).toFixed(0)} ms; ` +
      `without it: stepwise ${work(stepwiseMs, stepwiseGcMs).toFixed(0)} ms, Babel ${work(babelMs, babelGcMs).toFixed(0)} ms: ${(work(stepwiseMs, stepwiseGcMs) / work(babelMs, babelGcMs)).toFixed(2)}x`,
  );
}
console.log(
  `size, minified + gzipped, the ${perFile.length} files with machines that esbuild minifies: input ${(inPacked / 1024).toFixed(0)} KB, output ${(outPacked / 1024).toFixed(0)} KB: ${size.toFixed(3)}x (target ${SIZE_TARGET}x)${size > SIZE_TARGET ? " OVER" : ""}` +
    `; per file median ${median(perFile).toFixed(3)}x, worst ${Math.max(...perFile).toFixed(2)}x${unminifiable > 0 ? `; ${unminifiable} not minifiable, left out` : ""}`,
);
if (timing && values.verbose) {
  const list = (times: number[], gcTimes: number[]) => times.map((ms, i) => `${ms.toFixed(0)} (gc ${gcTimes[i].toFixed(0)})`).join(" ");
  console.log(`passes: stepwise ${list(stepwiseMs, stepwiseGcMs)} ms; babel ${list(babelMs, babelGcMs)} ms`);
}
if (values.lowerings) compareLowerings();
for (const [path, message] of refused) console.log(`refused: ${path}: ${message}`);
for (const [path, message] of unparsable) console.log(`not parsable: ${path}: ${message}`);
console.log(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (!timing && size > SIZE_TARGET) process.exitCode = 1;

/** --lowerings: output size and transform time of every lowering on the files stepwise lowers, beside the input's size and Babel's parse + generate. */
function compareLowerings(): void {
  const candidates = usable.filter((file) => outputs.get(file)!.machines > 0);
  const sizes = new Map<Source, Map<string, number>>();
  const failures = new Map<string, string[]>(LOWERINGS.map((l) => [l.name, []]));
  const t0 = performance.now();
  for (const file of candidates) {
    const input = packed(file.code);
    if (input === null) continue;
    const row = new Map<string, number>([["input", input]]);
    for (const lowering of LOWERINGS) {
      let size: number | null;
      try {
        size = packed(lowering.lower(file.code, file.path, "size"));
      } catch (error) {
        // (Babel's messages start with the file's absolute path)
        const message = String((error as Error).message).split("\n")[0].replace(`${join(root, file.path)}: `, "");
        failures.get(lowering.name)!.push(`${file.path}: ${message}`);
        continue;
      }
      if (size === null) failures.get(lowering.name)!.push(`${file.path}: esbuild cannot minify the output`);
      else row.set(lowering.name, size);
    }
    sizes.set(file, row);
  }
  const commonFiles = [...sizes.keys()].filter((file) => LOWERINGS.every((l) => sizes.get(file)!.has(l.name)));
  const common = commonFiles.map((file) => sizes.get(file)!);
  const total = (key: string) => common.reduce((sum, row) => sum + row.get(key)!, 0);
  const input = total("input");
  // Time over the same files (the size pass above warmed every lowering up): each pass times Babel's parse +
  // generate and every lowering once, in an order that rotates from pass to pass.
  const timed = [{ name: "floor", lower: (code: string, filename: string) => void generate(babelParse({ path: filename, code })) }, ...LOWERINGS];
  const times = new Map<string, number[]>(timed.map((l) => [l.name, []]));
  for (let pass = 0; pass < runs; pass++) {
    for (let i = 0; i < timed.length; i++) {
      const lowering = timed[(i + pass) % timed.length];
      const t1 = performance.now();
      for (const file of commonFiles) lowering.lower(file.code, file.path, "size");
      times.get(lowering.name)!.push(performance.now() - t1);
    }
  }
  const floor = median(times.get("floor")!);
  console.log("");
  console.log(
    `Other lowerings over the ${common.length} of ${candidates.length} files with machines that every lowering takes and esbuild minifies (input ${(input / 1024).toFixed(0)} KB min+gz): ` +
      `size minified + gzipped as a ratio to the input's; time of the transform (median of ${runs} passes) as a ratio to Babel's parse + generate of the same files, ${floor.toFixed(0)} ms (${((performance.now() - t0) / 1000).toFixed(1)} s):`,
  );
  const rows = LOWERINGS.map((l) => {
    const failed = failures.get(l.name)!;
    const ms = median(times.get(l.name)!);
    return [l.name, `${(total(l.name) / 1024).toFixed(0)} KB`, `${(total(l.name) / input).toFixed(3)}x`, ms.toFixed(0), `${(ms / floor).toFixed(2)}x`, String(failed.length), l.description];
  });
  const headers = ["lowering", "output", "ratio", "time ms", "time ratio", "files failed", "how"];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  console.log(headers.map((h, i) => h.padEnd(widths[i])).join("  "));
  for (const row of rows) console.log(row.map((cell, i) => (i >= 1 && i <= 5 ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd());
  for (const [name, failed] of failures) {
    for (const line of values.verbose ? failed : failed.slice(0, 3)) console.log(`  ${name} failed: ${line}`);
    if (!values.verbose && failed.length > 3) console.log(`  ${name}: ${failed.length - 3} more (--verbose)`);
  }
  if (values.markdown) {
    console.log("");
    console.log(`| lowering | size ratio (${common.length} files, input ${(input / 1024).toFixed(0)} KB min+gz) | transform time ratio (Babel's parse + generate: ${floor.toFixed(0)} ms) |`);
    console.log("| --- | ---: | ---: |");
    for (const row of rows) console.log(`| ${row[0]} | ${row[2]} | ${row[4]} |`);
  }
}
