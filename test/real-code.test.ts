// Real code, lowered: third-party packages of this repository's node_modules whose code is async
// (fast-check's async properties and scheduler, tinybench's async tasks, readdirp's async generator, fdir
// and tinyglobby's promise crawls, prompts' questions (CommonJS), tinyexec's async iterable of output lines) are built with the real bin, like a user lowering their dependencies, and
// one program (real-code/scenario.mjs) runs against the published packages and against the lowered ones, on
// the machine's node and on Node 24. Node is the oracle: the complete outputs must be the same.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root, stepwise } from "./cli/helpers.ts";
import { NODE24 } from "./support/node24.ts";

/** The packages the program uses, and their dependencies (lowered too, so that the lowered ones load them). */
const PACKAGES = ["fast-check", "pure-rand", "tinybench", "readdirp", "fdir", "tinyglobby", "picomatch", "prompts", "kleur", "sisteransi", "tinyexec"];

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "stepwise-real-code-"));
  for (const file of ["data/a/x.txt", "data/a/b/y.txt", "data/z.js"]) {
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), "");
  }
  for (const tree of ["native", "lowered"]) {
    mkdirSync(join(dir, tree, "app"), { recursive: true });
    cpSync(join(import.meta.dirname, "real-code", "scenario.mjs"), join(dir, tree, "app", "scenario.mjs"));
  }
  symlinkSync(join(root, "node_modules"), join(dir, "native", "node_modules"));
  const built = stepwise(["build", ...PACKAGES.map((name) => `node_modules/${name}`), "--root-dir", "node_modules", "-d", join(dir, "lowered", "node_modules"), "--copy-files", "--runtime", "inline", "-q"], { cwd: root });
  expect(built.stderr).toBe("");
  expect(built.code).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(node: string, tree: string): string {
  const result = spawnSync(node, [join(dir, tree, "app", "scenario.mjs"), join(dir, "data")], { cwd: join(dir, tree), encoding: "utf8", timeout: 60_000 });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

describe("real third-party async code, lowered", () => {
  it("the packages were lowered: their async functions and generators are machines", () => {
    const machines = (file: string) => readFileSync(join(dir, "lowered", "node_modules", file), "utf8").match(/ extends (Async|Generator|AsyncGenerator)Machine \{/g)?.length ?? 0;
    expect(machines("fast-check/lib/fast-check.js")).toBeGreaterThan(20);
    expect(machines("tinybench/dist/index.js")).toBeGreaterThan(5);
    expect(machines("readdirp/index.js")).toBeGreaterThan(0);
  });

  for (const [oracle, node] of [["node " + process.versions.node, process.execPath], ["Node 24", NODE24]] as const) {
    it(`runs as the published packages do (${oracle})`, () => {
      const native = run(node, "native");
      expect(native).toContain("done\n");
      expect(run(node, "lowered")).toBe(native);
    }, 60_000);
  }
});
