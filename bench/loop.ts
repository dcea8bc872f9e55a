// The event loop's part of `npm run bench` (bench/run.ts calls it; `--case loop` runs only this part).
//
// Two workloads, each in fresh `node` processes, median over runs:
//   switches  100 tasks x 20,000 turns: stepwise's loop (`await sleep(0)`, mode "loop") beside native
//             async functions switching by microtask (`await null`) and by event-loop turn (setImmediate)
//   echo      50 clients x 4 MiB through an echo server on 127.0.0.1: stepwise's loop (streams) beside
//             native async functions over Node sockets and plain Node streams (pipe, callbacks)
// Programs are in bench/cases/loop/; each calls `report({ ms, ... })` once.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "../src/transform/index.ts";
import { median } from "./stats.ts";

const PREFIX = "@@stepwise-loop-bench@@ ";
const casesDir = fileURLToPath(new URL("./cases/loop/", import.meta.url));
const loopUrl = new URL("../src/loop/index.js", import.meta.url).href;

interface Variant {
  file: string;
  label: string;
  loop: boolean;
}

const WORKLOADS: { name: string; unit: string; variants: Variant[]; figure: (r: Record<string, number>) => number }[] = [
  {
    name: "switches",
    unit: "task switches/s",
    figure: (r) => r.switches / (r.ms / 1000),
    variants: [
      { file: "switches.loop.js", label: "stepwise loop (sleep(0))", loop: true },
      { file: "switches.microtask.js", label: "native promises (await null)", loop: false },
      { file: "switches.immediate.js", label: "native + setImmediate per switch", loop: false },
    ],
  },
  {
    name: "echo",
    unit: "MB/s echoed",
    figure: (r) => r.bytes / 1e6 / (r.ms / 1000),
    variants: [
      { file: "echo.loop.js", label: "stepwise loop (streams)", loop: true },
      { file: "echo.promises.js", label: "native async functions", loop: false },
      { file: "echo.streams.js", label: "plain Node streams (pipe)", loop: false },
    ],
  },
];

function prepare(variant: Variant, workDir: string): string {
  let source = readFileSync(join(casesDir, variant.file), "utf8").replaceAll('"stepwise/loop"', JSON.stringify(loopUrl));
  if (variant.loop) source = transform(source, { filename: variant.file, mode: "loop", runtimeModule: loopUrl }).code;
  const path = join(workDir, variant.file.replace(/\.js$/, ".mjs"));
  writeFileSync(path, `const report = (r) => console.log(${JSON.stringify(PREFIX)} + JSON.stringify(r));\n${source}`);
  return path;
}

function runOnce(path: string, nodeFlags: readonly string[]): Record<string, number> {
  const child = spawnSync(process.execPath, [...nodeFlags, path], { encoding: "utf8", timeout: 120_000, killSignal: "SIGKILL" });
  const line = child.stdout?.split("\n").find((l) => l.startsWith(PREFIX));
  if (child.status !== 0 || !line) throw new Error(`${path}: ${child.signal ?? `exit ${child.status}`}\n${(child.stderr || child.stdout || "").trim().split("\n").slice(-10).join("\n")}`);
  const report = JSON.parse(line.slice(PREFIX.length));
  if (report.expected !== undefined && report.bytes !== report.expected) throw new Error(`${path}: ${report.bytes} bytes echoed, ${report.expected} expected`);
  return report;
}

/** Runs the loop workloads; prints a table per workload; returns false if a program failed. */
export function runLoopBench(runs: number, nodeFlags: readonly string[]): boolean {
  const workDir = mkdtempSync(join(tmpdir(), "stepwise-loop-bench-"));
  try {
    return measure(runs, nodeFlags, workDir);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function measure(runs: number, nodeFlags: readonly string[], workDir: string): boolean {
  let ok = true;
  console.log("\nEvent loop (stepwise/loop), median over runs, a fresh process per run");
  for (const workload of WORKLOADS) {
    const rows: string[][] = [];
    for (const variant of workload.variants) {
      try {
        const path = prepare(variant, workDir);
        const figures: number[] = [];
        const times: number[] = [];
        for (let i = 0; i < runs; i++) {
          const report = runOnce(path, nodeFlags);
          figures.push(workload.figure(report));
          times.push(report.ms);
        }
        rows.push([variant.label, Math.round(median(figures)).toLocaleString("en-US"), median(times).toFixed(0)]);
      } catch (error) {
        ok = false;
        rows.push([variant.label, "FAILED", "-"]);
        console.log(String(error instanceof Error ? error.message : error));
      }
    }
    const headers = [workload.name, workload.unit, "ms"];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log("");
    console.log(line(headers));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const row of rows) console.log(line(row));
  }
  return ok;
}
