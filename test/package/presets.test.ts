// stepwise next to the presets people use, in one Babel pass: @babel/preset-env (down to ES5, with its
// own async and generator lowering turned off so that stepwise does it), @babel/preset-typescript and
// JSX (@babel/preset-react). Each program runs and is compared with native (or preset-only) output.
import { afterAll, describe, expect, it } from "vitest";
import { transformSync, type TransformOptions } from "@babel/core";
import presetEnv from "@babel/preset-env";
import presetReact from "@babel/preset-react";
import presetTypescript from "@babel/preset-typescript";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import stepwisePlugin from "../../src/transform/plugin.ts";
import { transform } from "../../src/transform/index.ts";
import { runProgram } from "../support/harness.ts";
import { root } from "./consumer.ts";

/** The preset-env configuration documented in the README: stepwise lowers async functions and generators. */
const EXCLUDE = ["transform-async-to-generator", "transform-async-generator-functions", "transform-regenerator"];

// A project whose node_modules/stepwise is this repository and node_modules/@stepwise/runtime its runtime
// package (dist/ of both is built by npm test).
const dir = mkdtempSync(join(tmpdir(), "stepwise-presets-"));
mkdirSync(join(dir, "node_modules"));
symlinkSync(root, join(dir, "node_modules", "stepwise"), "dir");
mkdirSync(join(dir, "node_modules", "@stepwise"));
symlinkSync(join(root, "packages", "runtime"), join(dir, "node_modules", "@stepwise", "runtime"), "dir");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function babel(code: string, filename: string, options: TransformOptions): string {
  return transformSync(code, { filename: join(dir, filename), configFile: false, babelrc: false, ...options })!.code!;
}

function run(file: string, code: string) {
  writeFileSync(join(dir, file), code);
  const result = spawnSync(process.execPath, [file], { cwd: dir, encoding: "utf8", timeout: 30_000, env: { ...process.env, NODE_OPTIONS: "" } });
  return { stdout: result.stdout, stderr: result.stderr };
}

const PROGRAM = `
class Base { async get(x) { await null; return "base " + x; } }
class Derived extends Base {
  async get(x) { const v = await super.get(x); return v + " derived"; }
}
function* gen(n) { for (let i = 0; i < n; i++) yield i * 2; }
async function* agen() { yield 1; await null; yield* [2, 3]; }
async function main() {
  const out = [];
  out.push(await new Derived().get("a"));
  out.push(...gen(3));
  for await (const x of agen()) out.push(x);
  const { a = await Promise.resolve(5), ...rest } = { b: 1, c: 2 };
  out.push(a, rest);
  const fns = [];
  for (let i = 0; i < 3; i++) { await null; fns.push(() => i); }
  out.push(fns.map((f) => f()));
  try { await Promise.reject(new Error("x")); } catch (e) { out.push(e.message); } finally { out.push("fin"); }
  return out;
}
Promise.resolve().then(() => console.log("tick"));
main().then((v) => console.log(JSON.stringify(v)), (e) => console.log("error", e));
`;
const PROGRAM_LOG = ["tick", '["base a derived",0,2,4,1,2,3,5,{"b":1,"c":2},[0,1,2],"x","fin"]'];

describe("@babel/preset-env", () => {
  it("down to ES5 (ie 11) with async/generator lowering left to stepwise: no regenerator, same log as native", async () => {
    const code = babel(PROGRAM, "program.js", {
      sourceType: "script",
      presets: [[presetEnv, { targets: "ie 11", exclude: EXCLUDE }]],
      plugins: [[stepwisePlugin, { runtime: "inline" }]],
    });
    expect(code).not.toMatch(/_regenerator|regeneratorRuntime|_asyncToGenerator|_wrapAsyncGenerator|_awaitAsyncGenerator/);
    expect(code).not.toMatch(/^\s*class |=>|\blet |\bconst /m); // preset-env lowered stepwise's output (and the inlined runtime) too
    expect((await runProgram(PROGRAM, "program.js")).log).toEqual(PROGRAM_LOG);
    expect((await runProgram(code, "program.js")).log).toEqual(PROGRAM_LOG);
  });

  it("stepwise runs before preset-env's plugins whatever the order: its output is what they transform", async () => {
    // Listed after the preset and without the exclusions, stepwise still lowers first (it does its work
    // on entering the file): preset-env finds no async function or generator left to hand to regenerator.
    const code = babel(PROGRAM, "program.js", {
      sourceType: "script",
      presets: [[presetEnv, { targets: "chrome 54" }]],
      plugins: [[stepwisePlugin, { runtime: "require" }]],
    });
    expect(code).not.toMatch(/regenerator|asyncToGenerator/);
    expect(code.match(/require\("@stepwise\/runtime"\)/g)).toHaveLength(1);
    expect(run("program.cjs", code)).toEqual({ stdout: PROGRAM_LOG.join("\n") + "\n", stderr: "" });
  });

  it("with modules: commonjs, the runtime import of an ES module becomes one require", () => {
    const source = `import { setTimeout as sleep } from "node:timers/promises";
export async function main() { await sleep(1); const out = []; for await (const x of [1, Promise.resolve(2)]) out.push(x); return out; }
main().then((v) => console.log(JSON.stringify(v)));
`;
    const code = babel(source, "module.js", { presets: [[presetEnv, { targets: { node: "20" }, modules: "commonjs", exclude: EXCLUDE }]], plugins: [stepwisePlugin] });
    expect(code.match(/require\("@stepwise\/runtime"\)/g)).toHaveLength(1);
    expect(code).not.toMatch(/^import /m);
    expect(run("module.cjs", code)).toEqual({ stdout: "[1,2]\n", stderr: "" });
  });
});

describe("@babel/preset-typescript", () => {
  it("a TypeScript module in one pass: types stripped, type-only imports elided, value imports kept, one runtime import", () => {
    writeFileSync(join(dir, "greet.mjs"), `export const greet = (name) => "hello " + name;\nexport class Shape {}\n`);
    const source = `import { greet } from "./greet.mjs";
import type { Shape } from "./greet.mjs";
import { type Shape as AlsoShape } from "./greet.mjs";

interface Named { name: string }
enum Color { Red = "red", Blue = "blue" }

export class Greeter<T extends Named> {
  constructor(private readonly who: T) {}
  async greet(delay: number): Promise<string> {
    await new Promise<void>((resolve) => setTimeout(resolve, delay));
    const shape: Shape | AlsoShape | undefined = undefined;
    return greet(this.who.name) + " in " + Color.Blue + String(shape ?? "");
  }
  *colors(): Generator<Color> { yield Color.Red; yield Color.Blue; }
}

const greeter = new Greeter({ name: "ts" });
console.log(await greeter.greet(1), [...greeter.colors()].join());
`;
    const code = babel(source, "greeter.mts", { presets: [presetTypescript], plugins: [stepwisePlugin] });
    expect(code.match(/from "@stepwise\/runtime";$/gm)).toHaveLength(1);
    expect(code).toContain('import { greet } from "./greet.mjs";');
    expect(code.replace(/\/\*\*.*\*\//g, "")).not.toMatch(/Shape\b.*from|interface|: number|<T extends/);
    expect(run("greeter.mjs", code)).toEqual({ stdout: "hello ts in blue red,blue\n", stderr: "" });
  });
});

describe("JSX", () => {
  const prelude = `const h = (type, props, ...children) => ({ type, props, children });\n`;
  const source = `${prelude}
const delay = (v) => new Promise((resolve) => setTimeout(() => resolve(v), 1));
async function render(items) {
  const title = <h1 id={await delay("t")}>{await delay("Title")}</h1>;
  const rows = [];
  for (const item of items) rows.push(<li key={item}>{await delay(item)}</li>);
  return <main>{title}<ul>{rows}</ul></main>;
}
function* steps() { yield <p>one</p>; yield <p>two</p>; }
render(["a", "b"]).then((tree) => console.log(JSON.stringify(tree), JSON.stringify([...steps()])));
`;
  const react = [presetReact, { runtime: "classic", pragma: "h" }];

  it("@babel/preset-react and stepwise in one pass: the same tree as JSX compiled alone", async () => {
    const plain = babel(source, "view.jsx", { sourceType: "script", presets: [react] });
    const lowered = babel(source, "view.jsx", { sourceType: "script", presets: [react], plugins: [[stepwisePlugin, { runtime: "inline" }]] });
    const text = babel(source, "view.jsx", { sourceType: "script", presets: [react], plugins: [stepwisePlugin] });
    expect(text.replace(/\/\*\*.*\*\//g, "")).not.toMatch(/<h1|<li|async |function\*/);
    expect(text.match(/require\("@stepwise\/runtime"\)/g)).toHaveLength(1);
    const expected = (await runProgram(plain, "view.js")).log;
    expect(expected).toHaveLength(1);
    expect((await runProgram(lowered, "view.js")).log).toEqual(expected);
  });

  it("a component kept in a field across an await is named as one in JSX (<this.Card />), in the plugin's pass and through transform()", async () => {
    const program = `${prelude}
async function page(load) {
  const Card = (props) => props.n;
  const Layout = { Main: function Main() {} };
  const n = await load();
  const later = () => <Card n={n + 1} />;
  return [<Card n={n} />, <Layout.Main><Card n={0} /></Layout.Main>, later()];
}
page(async () => 1).then((tree) => console.log(JSON.stringify(tree, (key, value) => (typeof value === "function" ? "fn " + value.name : value))));
`;
    const plain = babel(program, "page.jsx", { sourceType: "script", presets: [react] });
    const lowered = babel(program, "page.jsx", { sourceType: "script", presets: [react], plugins: [[stepwisePlugin, { runtime: "inline" }]] });
    const expected = (await runProgram(plain, "page.js")).log;
    expect(expected[0]).toContain('"type":"fn Card"');
    expect((await runProgram(lowered, "page.js")).log).toEqual(expected);
    // transform() alone keeps the JSX, naming the fields.
    const kept = transform(program, { filename: "page.jsx", runtime: "inline" }).code;
    expect(kept).toContain("<this.Card n={n} />");
    expect(kept).toContain("<this.Layout.Main><this.Card n={0} /></this.Layout.Main>");
    const compiled = babel(kept, "page.jsx", { sourceType: "script", presets: [react] });
    expect((await runProgram(compiled, "page.js")).log).toEqual(expected);
  });

  it("`this` in an element's name (<this.Comp />) is the source function's, in methods, async arrows in them and generators", async () => {
    const program = `${prelude}
function Card() {}
Card.Inner = function Inner() {};
const delay = (v) => new Promise((resolve) => setTimeout(() => resolve(v), 1));
class Page {
  Comp = Card;
  async render() {
    await null;
    const later = async () => { await null; return <this.Comp.Inner />; };
    return [<this.Comp />, <this.Comp n={await delay(1)} />, await later()];
  }
  *items() {
    yield <this.Comp />;
  }
}
const page = new Page();
page.render().then((tree) => console.log(JSON.stringify(tree, (key, value) => (typeof value === "function" ? "fn " + value.name : value)), [...page.items()][0].type.name));
`;
    const plain = babel(program, "page.jsx", { sourceType: "script", presets: [react] });
    const lowered = babel(program, "page.jsx", { sourceType: "script", presets: [react], plugins: [[stepwisePlugin, { runtime: "inline" }]] });
    const expected = (await runProgram(plain, "page.js")).log;
    expect(expected[0]).toContain('"type":"fn Inner"');
    expect((await runProgram(lowered, "page.js")).log).toEqual(expected);
    const kept = transform(program, { filename: "page.jsx", runtime: "inline" }).code;
    expect(kept).toContain("<this.thisArg.Comp />");
    expect((await runProgram(babel(kept, "page.jsx", { sourceType: "script", presets: [react] }), "page.js")).log).toEqual(expected);
  });

  it("awaits inside JSX: the component name, attributes, spreads and children evaluate in source order (transform() keeps the JSX)", async () => {
    const program = `const React = { Fragment: "Fragment" };
const h = (type, props, ...children) => ({ type: typeof type === "function" ? "fn " + type.name : type, props, children });
const delay = (v) => new Promise((resolve) => setTimeout(() => resolve(v), 1));
const mark = (tag, v) => (console.log("eval", tag), v);
let Dyn = function First() {};
async function page(load) {
  const Card = function Card() {};
  const n = await load();
  const tree = (
    <Dyn a={mark("a", 1)} {...mark("spread", { s: 1 })} b={await delay(mark("b", 2))}>
      text {mark("c1", n)}
      <Card n={await delay(n + 1)}>{await delay("inner")}</Card>
      <>{mark("frag", 3)}{await delay(4)}</>
      <span>{[mark("list", 5)]}</span>
    </Dyn>
  );
  Dyn = function Second() {};
  return [tree, <Card.prototype.constructor x={await delay(9)} />];
}
page(async () => { Dyn = function Third() {}; return 1; }).then((tree) => console.log(JSON.stringify(tree)));
`;
    const expected = (await runProgram(babel(program, "order.jsx", { sourceType: "script", presets: [react] }), "order.js")).log;
    expect(expected).toContain("eval frag");
    expect(expected.at(-1)).toContain('"type":"fn Third"');
    const kept = transform(program, { filename: "order.jsx", runtime: "inline" }).code;
    expect(kept).toContain("<this.$0 a={this.$1} {...this.$2} b={this.$3}>");
    const compiled = babel(kept, "order.jsx", { sourceType: "script", presets: [react] });
    expect((await runProgram(compiled, "order.js")).log).toEqual(expected);
    // In one pass with preset-react and preset-env down to ES5 (the plugin lowers first, JSX and ES5 follow).
    const es5 = babel(program, "order.jsx", { sourceType: "script", presets: [[presetEnv, { targets: "ie 11", exclude: EXCLUDE }], react], plugins: [[stepwisePlugin, { runtime: "inline" }]] });
    expect(es5).not.toContain("<Dyn");
    expect((await runProgram(es5, "order.js")).log).toEqual(expected);
  });

  it("TSX: preset-typescript and preset-react together", async () => {
    const tsx = source.replace("async function render(items)", "async function render(items: string[]): Promise<unknown>").replace("const delay = (v)", "const delay = <T,>(v: T): Promise<T>");
    const plain = babel(source, "view.jsx", { sourceType: "script", presets: [react] });
    const lowered = babel(tsx, "view.tsx", { sourceType: "script", presets: [[presetTypescript, { isTSX: true, allExtensions: true }], react], plugins: [[stepwisePlugin, { runtime: "inline" }]] });
    expect(lowered.replace(/\/\*\*.*\*\//g, "")).not.toMatch(/string\[\]|Promise<T>/);
    expect((await runProgram(lowered, "view.js")).log).toEqual((await runProgram(plain, "view.js")).log);
  });
});
