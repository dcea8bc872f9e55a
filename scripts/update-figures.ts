// The figures of docs/how-it-works.md, drawn by stepwise's own renderers from the examples (so they
// cannot drift from what the tools produce): `stepwise inspect -f svg` for state graphs and
// `stepwise run --trace=svg` for the swimlane of a run. Run after `npm run build`:
// `npm run figures` (`tsx scripts/update-figures.ts`); test/explanation/figures.test.ts renders them
// again and compares.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface Figure {
  /** Under docs/figures/. */
  file: string;
  /** The stepwise command, run from examples/, with `OUT` for the file it writes. */
  args: string[];
}

export const FIGURES: Figure[] = [
  { file: "question-coro.svg", args: ["inspect", "loop/question.js", "-f", "svg", "--function", "coro", "-o", "OUT"] },
  { file: "question-main.svg", args: ["inspect", "loop/question.js", "-f", "svg", "--function", "main", "-o", "OUT"] },
  { file: "cancel-slow.svg", args: ["inspect", "loop/cancel.js", "-f", "svg", "--function", "slow", "-o", "OUT"] },
  { file: "question-run.svg", args: ["run", "--mode", "loop", "--trace=svg", "--trace-file", "OUT", "loop/question.js"] },
  { file: "loop-anatomy.svg", args: ["run", "--mode", "loop", "--trace=svg", "--trace-file", "OUT", "loop/anatomy.js"] },
];

/** Draws one figure; returns the SVG. */
export function render(figure: Figure): string {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-figure-"));
  try {
    const out = join(dir, figure.file);
    const bin = join(root, "dist", "cli", "main.js");
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    const run = spawnSync(process.execPath, [bin, ...figure.args.map((arg) => (arg === "OUT" ? out : arg))], { cwd: join(root, "examples"), encoding: "utf8", env, timeout: 60_000 });
    if (run.status !== 0) throw new Error(`stepwise ${figure.args.join(" ")}: exit ${run.status}\n${run.stderr}`);
    return readFileSync(out, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The command a figure's caption shows (run from examples/). */
export function command(figure: Figure): string {
  return `npx stepwise ${figure.args.map((arg) => (arg === "OUT" ? `../docs/figures/${figure.file}` : arg)).join(" ")}`;
}

/** Writes each figure that changed into docs/figures/, saying which. */
export function updateFigures(): void {
  for (const figure of FIGURES) {
    const path = join(root, "docs", "figures", figure.file);
    const svg = render(figure);
    let old = "";
    try {
      old = readFileSync(path, "utf8");
    } catch {}
    if (svg !== old) {
      writeFileSync(path, svg);
      console.log(`updated docs/figures/${figure.file}`);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) updateFigures();
