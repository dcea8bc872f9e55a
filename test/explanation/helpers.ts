// Running the examples the way their header says: `npx stepwise run --mode loop loop/NAME.js --trace`
// from examples/, with the built bin (dist/, built by `npm test` before vitest runs).
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const root = join(import.meta.dirname, "..", "..");
export const examples = join(root, "examples");
const bin = join(root, (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { bin: Record<string, string> }).bin.stepwise);

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `stepwise ...args` in `cwd` (examples/ by default), without colours, killed after `limitMs`. */
export function stepwise(args: string[], cwd = examples, limitMs = 60_000): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The command an example prints on its first line (`// Run from examples/: npx stepwise ...`), as arguments. */
export function headerCommand(file: string): string[] {
  const first = readFileSync(file, "utf8").split("\n")[0];
  const match = /^\/\/ Run from examples\/: npx stepwise (.+)$/.exec(first);
  if (!match) throw new Error(`${file}: the first line does not say how to run it: ${first}`);
  return match[1].split(" ");
}
