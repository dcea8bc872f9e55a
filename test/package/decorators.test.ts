// Decorators (Babel's @babel/plugin-proposal-decorators after the lowering, as a project configures it) whose
// expressions await or yield: no engine runs decorators yet, so the oracle is the same plugin over the source
// with its async functions and generators native. What a class evaluates where it is defined (its
// decorators, its heritage, each member's decorators and computed key) is evaluated in the same order.
import { transformSync } from "@babel/core";
import decorators from "@babel/plugin-proposal-decorators";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import stepwisePlugin from "../../src/transform/plugin.ts";
import { runProgram } from "../support/harness.ts";
import { stepwise } from "../cli/helpers.ts";

const PRELUDE = `const log = (...a) => console.log(...a);
const tick = (v) => new Promise((resolve) => setTimeout(() => resolve(v), 1));
const dec = (name) => (value, context) => { log("apply", name, context.kind, String(context.name)); };
`;

const PROGRAMS: Record<string, string> = {
  "a class decorator's argument awaits": `
async function make() {
  @dec(await tick("A"))
  class A {}
  return A.name;
}
make().then((name) => log("made", name));
`,
  "the order: class decorators, heritage, then each member's decorators and key": `
class Base {}
async function make(round) {
  const C = @(log("class 1"), dec("class 1")) @(await tick(dec("class 2")))
  class extends (log("heritage"), Base) {
    @(log("m decorator"), dec("m")) [(log("m key"), await tick("m"))]() { return round; }
    @(await tick(dec("field"))) static field = log("field value");
    @(log("n decorator"), dec("n")) n() {}
    [(log("last key"), "last")]() {}
  };
  log(Object.getOwnPropertyNames(C.prototype).join(" "));
  return new C().m();
}
(async () => {
  for (let round = 0; round < 2; round++) log("round", await make(round));
})();
`,
  "a method decorator awaits in a loop, the class in a try": `
async function each(names) {
  const made = [];
  for (const name of names) {
    try {
      class K {
        @(await tick(dec(name))) method() { return name; }
      }
      made.push(new K().method());
      if (name === "b") throw new Error("after b");
    } catch (error) {
      log("caught", error.message);
    }
  }
  return made;
}
each(["a", "b", "c"]).then((made) => log(made));
`,
  "a generator's decorator yields": `
function* classes() {
  class G {
    @(yield "decorator?") accessor value = 1;
  }
  return new G().value;
}
const it = classes();
log(it.next());
log(it.next(dec("from next")));
`,
};

/** The program built with these plugins, then run: its log. */
async function run(program: string, plugins: unknown[]) {
  const { code } = transformSync(PRELUDE + program, { filename: "decorated.js", configFile: false, babelrc: false, sourceType: "script", plugins: plugins as never })!;
  return (await runProgram(code!, "decorated.js")).log;
}

describe("decorators that await or yield, lowered by Babel's decorators plugin after stepwise", () => {
  const decorated = [decorators, { version: "2023-11" }];
  for (const [name, program] of Object.entries(PROGRAMS)) {
    it(name, async () => {
      const native = await run(program, [decorated]);
      expect(native.length).toBeGreaterThan(1);
      expect(await run(program, [[stepwisePlugin, { runtime: "inline" }], decorated])).toEqual(native);
    });
  }
});

describe("stepwise run: a TypeScript file whose decorator awaits, with the project's decorators plugin", () => {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-decorators-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs as the plugin over the native source does", () => {
    const plugin = createRequire(import.meta.url).resolve("@babel/plugin-proposal-decorators");
    writeFileSync(join(dir, "babel.config.json"), JSON.stringify({ plugins: [[plugin, { version: "2023-11" }]] }));
    const program = `const log = (...a: unknown[]) => console.log(...a);
function tag(name: string) { return (_value: unknown, context: ClassDecoratorContext) => log("decorate", name, context.kind); }
async function make(): Promise<string> {
  @tag(await Promise.resolve("A"))
  class A {}
  return A.name;
}
make().then(log);
`;
    writeFileSync(join(dir, "decorated.ts"), program);
    const result = stepwise(["run", "--no-cache", "decorated.ts"], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("decorate A class\nA\n");
    expect(result.code).toBe(0);
  });
});
