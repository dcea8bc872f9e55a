// Source maps through the Babel plugin: the output map points every lowered statement at its original
// line and column, an input source map (here: TypeScript compiled by an earlier step) is honoured, and
// an error thrown after an await, run with `node --enable-source-maps`, reports the original place.
import { afterAll, describe, expect, it } from "vitest";
import { transformSync } from "@babel/core";
import presetTypescript from "@babel/preset-typescript";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import stepwisePlugin from "../../src/transform/plugin.ts";
import { transform } from "../../src/transform/index.ts";
import { root } from "./consumer.ts";

// A project whose node_modules/stepwise is this repository and node_modules/@stepwise/runtime its runtime
// package (dist/ of both is built by npm test).
const dir = mkdtempSync(join(tmpdir(), "stepwise-maps-"));
mkdirSync(join(dir, "node_modules"));
symlinkSync(root, join(dir, "node_modules", "stepwise"), "dir");
mkdirSync(join(dir, "node_modules", "@stepwise"));
symlinkSync(join(root, "packages", "runtime"), join(dir, "node_modules", "@stepwise", "runtime"), "dir");
writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const APP = `const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function work(items) {
  let total = 0;
  for (const item of items) {
    total += await item;
    await sleep(1);
  }
  if (total > 2) {
    throw new Error("too much: " + total);
  }
  return total;
}

work([1, Promise.resolve(2)]);
`;

// The same program in TypeScript, with types that move lines and columns when they are stripped.
const APP_TS = `interface Item {
  value: number;
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function work(items: Array<number | Promise<number>>): Promise<number> {
  let total: number = 0;
  for (const item of items) {
    total += await item;
    await sleep(1);
  }
  if (total > 2) {
    throw new Error("too much: " + total);
  }
  return total;
}

work([1, Promise.resolve(2)]);
`;

interface Map {
  sources: string[];
  mappings: string;
}

function lower(code: string, filename: string, extra: { inputSourceMap?: object; runtime?: string } = {}) {
  const result = transformSync(code, {
    filename: join(dir, filename),
    sourceFileName: filename,
    configFile: false,
    babelrc: false,
    sourceMaps: true,
    inputSourceMap: extra.inputSourceMap as never,
    plugins: [[stepwisePlugin, extra.runtime ? { runtime: extra.runtime } : {}]],
  })!;
  return { code: result.code!, map: result.map as unknown as Map };
}

/** Where `needle` (from its `offset`th character) comes from on each generated line holding it, as [source, line, column] (1-based line). */
function origins(code: string, map: Map, needle: string, offset = 0): [string, number, number][] {
  const sourceMap = new SourceMap(map as never);
  const found: [string, number, number][] = [];
  code.split("\n").forEach((line, index) => {
    const at = line.indexOf(needle);
    if (at < 0) return;
    const column = at + offset;
    const entry = sourceMap.findEntry(index, column) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    found.push([entry.originalSource ?? "?", (entry.originalLine ?? -2) + 1, entry.originalColumn ?? -1]);
  });
  return found;
}

function runWithMaps(file: string, code: string, map: Map) {
  const inline = `\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}\n`;
  writeFileSync(join(dir, file), code + inline);
  return spawnSync(process.execPath, ["--enable-source-maps", file], { cwd: dir, encoding: "utf8", timeout: 30_000, env: { ...process.env, NODE_OPTIONS: "" } });
}

describe("source maps", () => {
  it("map every lowered await, throw and return to its original line and column", () => {
    const { code, map } = lower(APP, "app.js");
    expect(map.sources).toEqual(["app.js"]);
    // The awaited operands (the calls to the runtime around them are generated, so they map nowhere new).
    expect(origins(code, map, "this.await(item", 11)).toEqual([["app.js", 6, 19]]);
    expect(origins(code, map, "this.await(sleep(1)", 11)).toEqual([["app.js", 7, 10]]);
    expect(origins(code, map, 'throw new Error("too much')).toEqual([["app.js", 10, 4]]);
    expect(origins(code, map, "new Error(")).toEqual([["app.js", 10, 10]]);
    expect(origins(code, map, "this.return(this.total", 12)).toEqual([["app.js", 12, 9]]);
  });

  it("an error thrown after an await reports the original file, line and column under --enable-source-maps", () => {
    const { code, map } = lower(APP, "app.js");
    const result = runWithMaps("app.out.js", code, map);
    expect(result.stderr).toContain("Error: too much: 3");
    // The first frame is the throw, in the original source: app.js line 10, column 11 (1-based).
    const frames = result.stderr.split("\n").filter((line) => line.trim().startsWith("at "));
    expect(frames[0]).toMatch(/[/\\]app\.js:10:11\)?$/);
    expect(result.status).not.toBe(0);
  });

  it("with the runtime inlined, the map still points at the original lines (the runtime is not mapped to them)", () => {
    const { code, map } = lower(APP, "app.js", { runtime: "inline" });
    const result = runWithMaps("app.inline.js", code, map);
    const frames = result.stderr.split("\n").filter((line) => line.trim().startsWith("at "));
    expect(frames[0]).toMatch(/[/\\]app\.js:10:11\)?$/);
  });

  it("an input source map is honoured: TypeScript compiled by an earlier step maps back to the .ts file", () => {
    const stripped = transformSync(APP_TS, {
      filename: join(dir, "app.ts"),
      sourceFileName: "app.ts",
      configFile: false,
      babelrc: false,
      sourceMaps: true,
      presets: [presetTypescript],
    })!;
    expect(stripped.code).not.toContain("interface");
    const { code, map } = lower(stripped.code!, "app.js", { inputSourceMap: stripped.map! });
    expect(map.sources).toEqual(["app.ts"]);
    expect(origins(code, map, "this.await(item", 11)).toEqual([["app.ts", 9, 19]]);
    expect(origins(code, map, "new Error(")).toEqual([["app.ts", 13, 10]]);
    const result = runWithMaps("app.ts.out.js", code, map);
    const frames = result.stderr.split("\n").filter((line) => line.trim().startsWith("at "));
    expect(frames[0]).toMatch(/[/\\]app\.ts:13:11\)?$/);
  });

  it("an inline input map in the file itself is picked up (Babel's inputSourceMap: true)", () => {
    const stripped = transformSync(APP_TS, { filename: join(dir, "app.ts"), sourceFileName: "app.ts", configFile: false, babelrc: false, sourceMaps: "inline", presets: [presetTypescript] })!;
    expect(stripped.code).toContain("//# sourceMappingURL=data:");
    const { code, map } = lower(stripped.code!, "app.js");
    expect(map.sources).toEqual(["app.ts"]);
    expect(origins(code, map, "new Error(")).toEqual([["app.ts", 13, 10]]);
  });

  it("transform() takes a file's sourceMappingURL comments out as @babel/core does (a file with nothing to lower prints what @babel/core prints), or merges the input map", () => {
    const mapFile = join(dir, "plain.js.map");
    writeFileSync(mapFile, JSON.stringify({ version: 3, sources: ["plain.ts"], names: [], mappings: "AAAA" }));
    const external = "export const add = (a, b) => a + b; // addition\n//# sourceMappingURL=plain.js.map\n";
    const inline = `export const one = 1;\n//# sourceMappingURL=data:application/json;base64,${Buffer.from("not json").toString("base64")}\n/*# sourceMappingURL=other.js.map */\n`;
    const cases: [string, boolean][] = [[external, false], [external, true], [inline, false], [inline, true], ["const kept = 1; /* sourceMappingURL is only words here */\n", false]];
    for (const [source, sourceMaps] of cases) {
      const filename = join(dir, "plain.js");
      const babel = transformSync(source, { filename, sourceFileName: filename, configFile: false, babelrc: false, sourceMaps })!;
      const ours = transform(source, { filename, sourceMaps });
      expect(ours.code).toBe(babel.code);
      expect(ours.map).toEqual(babel.map ?? null);
    }
    expect(transform(external, { filename: join(dir, "plain.js") }).code).toBe("export const add = (a, b) => a + b; // addition");
    // Map comments anywhere go from whichever node holds them (laid out as written around them: the same
    // program as @babel/core's once both are printed again), also in a file with something to lower.
    const inside = "function f() {\n  g(); //# sourceMappingURL=a.js.map\n  h();\n}\nconst x = [1, /*# sourceMappingURL=b.js.map */ 2];\nif (x) {\n  //# sourceMappingURL=c.js.map\n}\nfoo(/*# sourceMappingURL=d.js.map */);\n";
    const reprinted = (code: string) => transformSync(code, { filename: "plain.js", sourceType: "unambiguous", configFile: false, babelrc: false })!.code;
    for (const [source, plugins] of [[inside, []], [`async function* s() {}\n${inside}`, [stepwisePlugin]]] as const) {
      const filename = join(dir, "plain.js");
      const babel = transformSync(source, { filename, sourceFileName: filename, sourceType: "unambiguous", configFile: false, babelrc: false, plugins: [...plugins] })!;
      const ours = transform(source, { filename }).code;
      expect(ours).not.toContain("sourceMappingURL");
      expect(reprinted(ours)).toBe(reprinted(babel.code!));
    }
    // A file with something to lower loses the comment the same way.
    const lowerable = "export async function f() {\n  await 1; // one\n}\n";
    expect(transform(`${lowerable}//# sourceMappingURL=plain.js.map\n`, { filename: join(dir, "plain.js") }).code).toBe(transform(lowerable, { filename: join(dir, "plain.js") }).code);
  });
});
