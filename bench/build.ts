// The directory build's part of `npm run bench` (bench/run.ts calls it; `--case build` runs only this part):
// `stepwise build` of a large command-line program's own code and dependencies (npm's lib/ and
// node_modules/ as Node ships them: about 1,100 files, 16 MB) on the main thread alone and on a worker per
// core, each a fresh process of the built CLI (dist/), alternating, with files per second, wall and CPU time,
// and a check that both builds wrote byte-identical outputs. Every `node_modules` folder of the copy is
// renamed `deps`, because a directory build skips the `node_modules` below an input outside every
// `node_modules` (docs/cli.md).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, copyFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.ts";

const PREFIX = "@@stepwise-build-bench@@ ";
const root = fileURLToPath(new URL("../", import.meta.url));

/** npm as the running Node ships it (`<prefix>/lib/node_modules/npm`), or null. */
function npmDir(): string | null {
  const dir = join(dirname(process.execPath), "..", "lib", "node_modules", "npm");
  return existsSync(join(dir, "lib")) && existsSync(join(dir, "node_modules")) ? dir : null;
}

/** Copies the JavaScript files of `from` into `to`, every `node_modules` folder renamed `deps`; returns files and bytes. */
function copyTree(from: string, to: string, totals = { files: 0, bytes: 0 }): { files: number; bytes: number } {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name === "node_modules" ? "deps" : entry.name);
    if (entry.isDirectory()) copyTree(source, target, totals);
    else if (entry.isFile() && /\.[mc]?js$/.test(entry.name)) {
      mkdirSync(to, { recursive: true });
      copyFileSync(source, target);
      totals.files++;
      totals.bytes += statSync(source).size;
    }
  }
  return totals;
}

interface Measurement {
  wallMs: number;
  cpuMs: number;
  exitCode: number;
}

/** In a child: one build with the CLI's own entry, then its wall time and the process's CPU time (all threads). */
async function child(tree: string, out: string, jobs: string): Promise<void> {
  const { build } = (await import(join(root, "dist/cli/build.js"))) as { build: (args: string[]) => Promise<number> };
  const started = performance.now();
  const exitCode = await build([tree, "-d", out, "--jobs", jobs, "--quiet"]);
  const usage = process.resourceUsage();
  const measurement: Measurement = { wallMs: performance.now() - started, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, exitCode };
  console.log(PREFIX + JSON.stringify(measurement));
}

function measure(tree: string, out: string, jobs: number): Measurement | string {
  rmSync(out, { recursive: true, force: true });
  const result = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", tree, out, String(jobs)], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30 * 60_000,
  });
  const line = result.stdout?.split("\n").find((text) => text.startsWith(PREFIX));
  if (result.status !== 0 || !line) return `--jobs ${jobs} failed (${result.signal ?? `exit ${result.status}`}): ${(result.stderr ?? "").trim().split("\n").slice(-5).join("\n")}`;
  return JSON.parse(line.slice(PREFIX.length)) as Measurement;
}

/** Every file under `dir`, relative, sorted. */
function listFiles(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, base, out);
    else out.push(relative(base, path));
  }
  return out.sort();
}

/** The first difference between two output trees, or null when they are byte for byte the same. */
function firstDifference(a: string, b: string): string | null {
  const filesA = listFiles(a);
  const filesB = listFiles(b);
  if (filesA.length !== filesB.length) return `${filesA.length} files against ${filesB.length}`;
  for (const [i, file] of filesA.entries()) {
    if (file !== filesB[i]) return `${file} against ${filesB[i]}`;
    if (!readFileSync(join(a, file)).equals(readFileSync(join(b, file)))) return file;
  }
  return null;
}

/** Runs the build bench and prints its table; false if a build failed or the outputs differ. */
export function runBuildBench(runs = 3): boolean {
  console.log("");
  const npm = npmDir();
  if (!npm) {
    console.log(`Directory build: skipped (no npm beside ${process.execPath})`);
    return true;
  }
  if (!existsSync(join(root, "dist/cli/build.js"))) {
    console.log("Directory build: skipped (run npm run build first: it measures the built CLI)");
    return true;
  }
  const version = (JSON.parse(readFileSync(join(npm, "package.json"), "utf8")) as { version: string }).version;
  const dir = mkdtempSync(join(tmpdir(), "stepwise-build-bench-"));
  const cores = availableParallelism();
  const variants = [1, cores];
  try {
    const tree = join(dir, "npm");
    const { files, bytes } = copyTree(join(npm, "lib"), join(tree, "lib"));
    const deps = copyTree(join(npm, "node_modules"), join(tree, "deps"));
    const total = { files: files + deps.files, mb: (bytes + deps.bytes) / 2 ** 20 };
    console.log(
      `Directory build: stepwise build of npm ${version}'s lib/ and node_modules/ (${total.files} files, ${total.mb.toFixed(1)} MB), ` +
        `on the main thread alone and on ${cores} workers, a fresh process each, alternating, ${runs} runs`,
    );
    const results = new Map<number, Measurement[]>(variants.map((jobs) => [jobs, []]));
    for (let run = 0; run < runs; run++) {
      const order = run % 2 ? [...variants].reverse() : variants;
      for (const jobs of order) {
        const measurement = measure(tree, join(dir, `out-${jobs}`), jobs);
        if (typeof measurement === "string") {
          console.log(measurement);
          return false;
        }
        results.get(jobs)!.push(measurement);
      }
    }
    const difference = firstDifference(join(dir, "out-1"), join(dir, `out-${cores}`));
    const exitCodes = [...results.values()].flat().map((m) => m.exitCode);
    const rows = variants.map((jobs) => {
      const wall = median(results.get(jobs)!.map((m) => m.wallMs));
      const cpu = median(results.get(jobs)!.map((m) => m.cpuMs));
      return [jobs === 1 ? "1 (main thread)" : `${jobs} workers`, (total.files / (wall / 1000)).toFixed(0), wall.toFixed(0), cpu.toFixed(0)];
    });
    const headers = ["--jobs", "files/s", "wall ms", "CPU ms (all threads)"];
    const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
    console.log(line(headers));
    for (const row of rows) console.log(line(row));
    const speedup = median(results.get(1)!.map((m) => m.wallMs)) / median(results.get(cores)!.map((m) => m.wallMs));
    console.log(`speed-up on ${cores} workers: ${speedup.toFixed(2)}x (median wall time); exit codes ${[...new Set(exitCodes)].join(", ")} (1: a file did not compile)`);
    console.log(difference === null ? "outputs: byte for byte the same on 1 thread and on the workers" : `outputs DIFFER: ${difference}`);
    return difference === null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") await child(process.argv[3], process.argv[4], process.argv[5]);
