// asyncio as the oracle: each program of test/loop/asyncio/ is written twice, for CPython's asyncio (.py)
// and for stepwise's loop (.js, run by `stepwise run --mode loop`), printing the same lines; .out is what
// the Python program printed on CPython 3.11 (its stdout, then one line per failure reported as never
// retrieved). The loop must print it; where python3 is 3.11, the Python program is run too and must still
// print it (other versions of asyncio differ in places: 3.12's wait_for, TaskGroup's uncancel).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bin, node, root } from "../cli/helpers.ts";

const dir = join(root, "test", "loop", "asyncio");
const names = readdirSync(dir).filter((file) => file.endsWith(".js")).map((file) => file.slice(0, -3)).sort();

const version = spawnSync("python3", ["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"], { encoding: "utf8" });
const python311 = version.status === 0 && version.stdout.trim() === "3 11";

/** stdout, then the failures reported as never retrieved, in one spelling for both. */
function normalize(stdout: string, stderr: string): string {
  const reports: string[] = [];
  for (const line of stderr.split("\n")) {
    // stepwise: `stepwise: Task exception was never retrieved: Task-2: Boom: message`;
    // asyncio: `future: <Task finished name='Task-2' coro=<...> exception=Boom('message')>`
    const match = /never retrieved: .+?: (\w+): (.*)$/.exec(line) ?? /^future: <.*exception=(\w+)\('(.*)'\)>$/.exec(line);
    if (match) reports.push(`never retrieved: ${match[1]}: ${match[2]}\n`);
  }
  return stdout + reports.join("");
}

describe("the loop against asyncio", () => {
  for (const name of names) {
    const expected = readFileSync(join(dir, `${name}.out`), "utf8");
    it(`${name}: prints what asyncio prints`, () => {
      const loop = spawnSync(node, [bin, "run", "--mode", "loop", join(dir, `${name}.js`)], { cwd: root, encoding: "utf8", timeout: 60_000 });
      expect(normalize(loop.stdout, loop.stderr), loop.stderr).toBe(expected);
    });
    it.skipIf(!python311)(`${name}: asyncio still prints it${python311 ? "" : " (skipped: python3 is not 3.11)"}`, () => {
      const python = spawnSync("python3", [join(dir, `${name}.py`)], { encoding: "utf8", timeout: 60_000 });
      expect(normalize(python.stdout, python.stderr), python.stderr).toBe(expected);
    });
  }
});
