// Forms only an ES module has (`export default` of an anonymous function) run natively and lowered, each as
// a module of its own in a child process, and the logs must match: the differential fixtures are scripts.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";

const work = mkdtempSync(join(tmpdir(), "stepwise-modules-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes the modules (lowered with the runtime inlined, or as they are) into a folder of their own and runs the first. */
function run(modules: Record<string, string>, lowered: boolean): string {
  const dir = join(work, `${lowered ? "lowered" : "native"}-${Object.keys(modules)[0]}`);
  mkdirSync(dir);
  for (const [name, code] of Object.entries(modules)) writeFileSync(join(dir, name), lowered ? transform(code, { filename: name, runtime: "inline" }).code : code);
  return execFileSync(process.execPath, [join(dir, Object.keys(modules)[0])], { encoding: "utf8" });
}

const SHAPE = "const shape = (f) => [f.name, f.length, Object.getOwnPropertyNames(f).join(), Object.getPrototypeOf(f).constructor.name, f.prototype === undefined ? 'no prototype' : Object.getOwnPropertyNames(f.prototype).join()];\n";

describe("ES modules: native and lowered logs match", () => {
  it("an anonymous default export is named `default` and is a function of its kind (declaration or parenthesized expression)", async () => {
    const modules = {
      "main.mjs": `${SHAPE}import generator from "./generator.mjs";
import asyncDeclaration from "./async-declaration.mjs";
import arrow from "./arrow.mjs";
import expression from "./expression.mjs";
console.log(shape(generator), Object.getPrototypeOf(generator(2)) === generator.prototype, [...generator(2)]);
try { new generator(); } catch (e) { console.log(e.constructor.name); }
console.log(shape(asyncDeclaration), await asyncDeclaration(3));
console.log(shape(arrow), await arrow());
console.log(shape(expression), [...expression()]);
`,
      "generator.mjs": "export default function* (n) { for (let i = 0; i < n; i++) yield i; }\n",
      "async-declaration.mjs": "export default async function (x) { return (await x) * 2; }\n",
      "arrow.mjs": "export default (async () => 'arrow');\n",
      "expression.mjs": "export default (function* () { yield 'expression'; });\n",
    };
    const native = run(modules, false);
    expect(native).toContain("default");
    expect(run(modules, true)).toBe(native);
  });

  it("an async arrow at a module's top level that reads `arguments` (no function's there) stays native; one in a function of its own is lowered", async () => {
    const main = `const typeOf = async () => { await 1; return typeof arguments; };
const length = async () => { await 1; return arguments.length; };
const outer = async () => { const inner = async () => arguments; await 1; return inner; };
const own = async () => { await 1; return [function () { return arguments.length; }(1, 2), { arguments: 3 }.arguments]; };
console.log(await typeOf(), await own());
for (const f of [length, outer]) {
  let result;
  try { result = f(); console.log("called", result instanceof Promise); } catch (e) { console.log("threw", e.constructor.name); continue; }
  await result.then((v) => console.log("fulfilled", typeof v), (e) => console.log("rejected", e.constructor.name));
}
`;
    const native = run({ "top-arguments.mjs": main }, false);
    expect(native).toContain("rejected ReferenceError");
    expect(run({ "top-arguments.mjs": main }, true)).toBe(native);
    const result = transform(main, { filename: "top-arguments.mjs" });
    expect(result.machines.map((machine) => machine.name)).toEqual(["own"]);
    expect(result.warnings).toHaveLength(4);
  });
});
