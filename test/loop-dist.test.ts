// The event loop as published: dist/loop/ (built by npm run build, which npm test runs first), run by a
// plain `node` process, outside the test runner.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

const distLoop = new URL("../dist/loop/index.js", import.meta.url);

describe("the loop from dist/", () => {
  it("debug mode names the line that made a coroutine never awaited", () => {
    expect(existsSync(distLoop), "dist/loop/index.js (run npm run build)").toBe(true);
    const source = `
      import { run } from "stepwise/loop";
      async function forgotten() {}
      async function main() {
        forgotten();
      }
      await run(main, { debug: true, warn: (message) => console.log(message) });
    `.replaceAll('"stepwise/loop"', JSON.stringify(distLoop.href));
    const { code } = transform(source, { filename: "program.mjs", mode: "loop", runtimeModule: distLoop.href });
    const file = join(mkdtempSync(join(tmpdir(), "stepwise-loop-dist-")), "program.mjs");
    writeFileSync(file, code);
    const ran = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
    expect(ran.stderr).toBe("");
    expect(ran.stdout.trim()).toMatch(/^stepwise: coroutine Forgotten was never awaited \(created at Main\.resume \(file:\/\/.*\/program\.mjs:\d+:\d+\)\)$/);
  });
});
