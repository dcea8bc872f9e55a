// The plugin as Babel 8 runs it: @babel/core 8 (and its TypeScript preset and preset-env, installed in the
// test/babel8 workspace) takes stepwise/babel on Node 24, as Babel 8 needs Node 22.18 or later. Every
// fixture but those known to differ on Node 24 is lowered by Babel 8 and run natively and lowered
// (test/babel8/fixtures-child.ts); then the README's preset-env configuration. The child's file is
// type-checked with Babel 8's types, which the plugin's declared type must satisfy.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE24 } from "../support/nodes.ts";
import { root } from "./consumer.ts";

interface Answer {
  compared: number;
  differ: { name: string; native: string[]; lowered: string[] }[];
  env: { native: string[]; lowered: string[] };
  warnings: string[];
}

describe("Babel 8", () => {
  it("lowers every fixture as Babel 7 does: native and lowered logs match; preset-env's configuration works, and its warning", () => {
    const dir = join(root, "test", "babel8");
    const child = spawnSync(NODE24, ["--disable-warning=ExperimentalWarning", join(dir, "fixtures-child.ts")], {
      cwd: dir,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      timeout: 280_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const answer = JSON.parse(child.stdout) as Answer;
    expect(answer.compared).toBeGreaterThan(700);
    expect(answer.differ).toEqual([]);
    expect(answer.env.lowered).toEqual(answer.env.native);
    expect(answer.env.native).toEqual(["tick", '["base a derived",0,2,4,1,2,3,5,{"b":1,"c":2},"x","fin"]']);
    expect(answer.warnings).toEqual([
      "stepwise: /program.js: transform-async-generator-functions, transform-async-to-generator, transform-regenerator run in the same pass and would lower the inlined runtime's own async functions and generators, which it needs native: exclude transform-async-to-generator, transform-async-generator-functions and transform-regenerator from @babel/preset-env, or import the runtime",
    ]);
  }, 300_000);
});
