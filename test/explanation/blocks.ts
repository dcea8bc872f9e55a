// The checked blocks of docs/how-it-works.md that test/support/doc-samples.ts does not handle: examples
// that live in examples/loop/ and run from examples/ (where their header command runs them).
//
//   ```js example loop/NAME.js     the file examples/loop/NAME.js, as is
//   ```text loop-trace loop/NAME.js the loop's trace of running it from examples/ (formatEvent lines, the
//                                  program's output as `    | ...`), as test/support/doc-samples.ts does
//   ```text output loop/NAME.js     what `stepwise run --mode loop loop/NAME.js` prints on stdout
//   ```python same-output loop/NAME.js  a Python program that prints what that `text output` block shows
//   ```python frame                 a Python program run with python3 (3.8 or later) ...
//   ```text python-frame            ... and what it printed (with the Python version it names first)
//
// `js input NAME loop` blocks (docs.test.ts) must also be the file examples/loop/NAME.
// Regenerate with `npm run explain` (scripts/update-explanation.ts).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { traced } from "../support/doc-samples.ts";
import { examples, stepwise } from "./helpers.ts";

export interface Block {
  start: number;
  end: number;
  lang: string;
  info: string[];
  body: string;
}

export function blocks(text: string): Block[] {
  const found: Block[] = [];
  for (const match of text.matchAll(/```(\w*)([^\n]*)\n([\s\S]*?)```/g)) {
    const start = match.index + match[0].indexOf("\n") + 1;
    found.push({ start, end: start + match[3].length, lang: match[1], info: match[2].trim().split(/\s+/).filter(Boolean), body: match[3] });
  }
  return found;
}

export function exampleFile(name: string): string {
  return readFileSync(join(examples, name), "utf8");
}

/** The loop's trace of examples/NAME run from examples/ (its relative paths resolve as they do there). */
export async function loopTrace(name: string): Promise<string> {
  const cwd = process.cwd();
  process.chdir(examples);
  try {
    return await traced(exampleFile(name), name.replace(/^.*\//, ""));
  } finally {
    process.chdir(cwd);
  }
}

/** stdout of `stepwise run --mode loop NAME` in examples/. */
export async function programOutput(name: string): Promise<string> {
  const run = await stepwise(["run", "--mode", "loop", name]);
  if (run.code !== 0) throw new Error(`stepwise run --mode loop ${name}: exit ${run.code}\n${run.stderr}`);
  return run.stdout;
}

/** The python3 on PATH as [major, minor], or null. */
export function pythonVersion(): [number, number] | null {
  const run = spawnSync("python3", ["-c", "import sys; print(*sys.version_info[:2])"], { encoding: "utf8" });
  if (run.status !== 0) return null;
  const [major, minor] = run.stdout.trim().split(" ").map(Number);
  return [major, minor];
}

export function runPython(code: string): { stdout: string; stderr: string; status: number | null } {
  const run = spawnSync("python3", ["-c", code], { encoding: "utf8", timeout: 30_000 });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

/** What a generated block should say now (python-frame: only when python3 is the version the block shows, else null). */
export async function expected(block: Block, all: Block[]): Promise<string | null> {
  const [kind, name] = block.info;
  if (block.lang === "js" && kind === "example") return exampleFile(name);
  if (block.lang === "text" && kind === "loop-trace") return loopTrace(name);
  if (block.lang === "text" && kind === "output") return programOutput(name);
  if (block.lang === "text" && kind === "python-frame") {
    const code = all.find((b) => b.lang === "python" && b.info[0] === "frame");
    if (!code) throw new Error("a text python-frame block needs a python frame block");
    const shown = /^Python (\d+)\.(\d+)/.exec(block.body);
    const version = pythonVersion();
    if (version === null || (shown && (Number(shown[1]) !== version[0] || Number(shown[2]) !== version[1]))) return null;
    return runPython(code.body).stdout;
  }
  return undefined as never;
}

export function generatedKinds(block: Block): boolean {
  return (block.lang === "js" && block.info[0] === "example") || (block.lang === "text" && ["loop-trace", "output", "python-frame"].includes(block.info[0]));
}
