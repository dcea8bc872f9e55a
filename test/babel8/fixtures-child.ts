// Run by test/package/babel8.test.ts on Node 24 (Babel 8 wants Node 22.18 or later), as Node runs
// TypeScript (types stripped): the plugin as @babel/core 8 runs it, on every fixture but those known to
// differ on Node 24 (and those that read source text only transform() keeps as written), each run natively and lowered in a fresh vm context (test/support/run-program.ts);
// then the README's preset-env configuration. Answers with JSON on stdout.
import { transformSync, type PluginItem, type PresetItem } from "@babel/core";
import presetEnv from "@babel/preset-env";
import presetTypescript from "@babel/preset-typescript";
import { readFileSync } from "node:fs";
import stepwise from "../../dist/transform/babel.js";
import { stepwisePlugin } from "../../dist/transform/index.js";
import { knownDivergences, listFixtures } from "../support/fixtures.ts";
import { runProgram } from "../support/run-program.ts";

const typescript: PresetItem = [presetTypescript, { onlyRemoveTypeImports: true }];

function babel(code: string, filename: string, presets: PresetItem[], plugins: PluginItem[]): string {
  return transformSync(code, { filename, babelrc: false, configFile: false, sourceType: "unambiguous", presets, plugins })!.code!;
}

const known = knownDivergences("node24");
const differ: { name: string; native: string[]; lowered: string[] }[] = [];
let compared = 0;
for (const fixture of listFixtures()) {
  if (known.has(fixture.name) || fixture.printedAsWritten) continue;
  const code = readFileSync(fixture.file, "utf8");
  const presets = fixture.file.endsWith(".ts") ? [typescript] : [];
  let lowered: string[];
  const native = (await runProgram(presets.length ? babel(code, fixture.file, presets, []) : code, fixture.name)).log;
  try {
    lowered = (await runProgram(babel(code, fixture.file, presets, [[stepwise, { runtime: "inline" }]]), fixture.name)).log;
  } catch (error) {
    lowered = [`threw: ${String((error as Error)?.message ?? error).split("\n")[0]}`];
  }
  compared++;
  if (JSON.stringify(native) !== JSON.stringify(lowered)) differ.push({ name: fixture.name, native, lowered });
}

// The README's configuration: preset-env down to old targets with its own async and generator lowerings
// excluded, stepwise beside it (a program of classes, super, generators, for await, object rest).
const PROGRAM = `
class Base { async get(x) { await null; return "base " + x; } }
class Derived extends Base { async get(x) { const v = await super.get(x); return v + " derived"; } }
function* gen(n) { for (let i = 0; i < n; i++) yield i * 2; }
async function* agen() { yield 1; await null; yield* [2, 3]; }
async function main() {
  const out = [await new Derived().get("a"), ...gen(3)];
  for await (const x of agen()) out.push(x);
  const { a = await Promise.resolve(5), ...rest } = { b: 1, c: 2 };
  try { await Promise.reject(new Error("x")); } catch (e) { out.push(a, rest, e.message); } finally { out.push("fin"); }
  return out;
}
main().then((out) => console.log(JSON.stringify(out)));
Promise.resolve().then(() => console.log("tick"));
`;
const EXCLUDE = ["transform-async-to-generator", "transform-async-generator-functions", "transform-regenerator"];
// (the plugin as the main entry exports it, `stepwisePlugin`, whose declared type fits Babel 8's too)
const env = babel(PROGRAM, "/program.js", [[presetEnv, { targets: "chrome 49", exclude: EXCLUDE }]], [[stepwisePlugin, { runtime: "inline" }]]);
const warnings: string[] = [];
const warn = console.warn;
console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
babel(PROGRAM, "/program.js", [[presetEnv, { targets: "chrome 49" }]], [[stepwise, { runtime: "inline" }]]);
console.warn = warn;
process.stdout.write(
  JSON.stringify({
    compared,
    differ,
    env: { native: (await runProgram(PROGRAM, "program.js")).log, lowered: (await runProgram(env, "program.js")).log },
    warnings,
  }),
);
