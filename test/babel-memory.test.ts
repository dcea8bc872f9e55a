// transform() and the CLI's compile() leave nothing of a file in Babel's caches of paths and scopes
// (babel-memory.ts `forgettingWhatBabelIsGiven`), whether they lower it in their own pass or through
// @babel/core. The caches are WeakMaps that live as long as Babel, and V8's young-generation collections keep
// an entry's value while its key is young: one entry left kept the whole file, its input and output trees,
// through every young collection after the transform (docs/performance.md, "Session 30"). Every key put into
// either cache must be gone when they return: for every JavaScript fixture and example, programs the fuzzer
// generates, real code from node_modules, TypeScript, @babel/core's pipeline, and the shapes whose lowering
// replaces nodes Babel was given paths for (functions inside lowered functions, parameters).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";
import { compile } from "../src/cli/compile.ts";
import { babelCaches } from "../src/transform/babel-memory.ts";
import type * as t from "../src/transform/types.ts";
import { itHoldsOnEveryBody } from "./support/files.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The keys `run` put into Babel's caches and left there, as `cache type@line:col`. */
function leftInBabelCachesBy(run: () => void): string[] {
  const caches = babelCaches();
  const added: [string, WeakMap<t.Node, unknown>, t.Node][] = [];
  const record = (name: string, cache: WeakMap<t.Node, unknown>) => {
    // (an own property for the length of one run: the one object Babel's module sets entries in)
    Object.defineProperty(cache, "set", {
      configurable: true,
      value(key: t.Node, value: unknown) {
        added.push([name, cache, key]);
        return WeakMap.prototype.set.call(cache, key, value);
      },
    });
  };
  record("path", caches.path);
  record("scope", caches.scope);
  try {
    run();
  } finally {
    delete (caches.path as { set?: unknown }).set;
    delete (caches.scope as { set?: unknown }).set;
  }
  return added.filter(([, cache, key]) => cache.has(key)).map(([name, , key]) => `${name} ${key.type}@${key.loc?.start.line}:${key.loc?.start.column}`);
}

const leftInBabelCaches = (code: string, filename: string) => leftInBabelCachesBy(() => transform(code, { filename }));

describe("Babel's caches after transform() and the CLI's compile()", () => {
  it("keep nothing of functions inside lowered functions, of parameters, of classes and of code left as written", () => {
    const code = [
      "function plain(items) {",
      "  const f = async (a = 1, { b = 2 } = {}) => { await a; return b; };",
      "  return items.map(async (item) => { const g = async () => await item; return (await g()) + (await f()); });",
      "}",
      "async function outer(x = async () => 1) {",
      "  class Inner { async *m() { yield await x(); } }",
      "  async function inner() { return await 1; }",
      "  if (x) { const h = function* () { yield 1; }; return [...h(), await inner(), new Inner()]; }",
      "}",
      "export const chain = Promise.resolve(1).then(async (v) => v + 1).then(async (v) => { try { return await v; } finally { await null; } });",
      "const untouched = { method() { return (c = 3) => c; } };",
    ].join("\n");
    expect(leftInBabelCaches(code, "shapes.mjs")).toEqual([]);
  });

  it("keep nothing of a TypeScript file (which Babel crawls more of: the scope tree knows no types)", () => {
    const code = [
      "type Id = string;",
      "export async function load(id: Id, retries: number = 3): Promise<Id> {",
      "  for (let i = 0; i < retries; i++) { try { return await fetchIt(id); } catch (e: unknown) { if (i === retries - 1) throw e; } }",
      "  return id;",
      "}",
      "function helper<T>(value: T, fn = (x: T) => x): T { return fn(value); }",
      "declare function fetchIt(id: Id): Promise<Id>;",
    ].join("\n");
    expect(leftInBabelCaches(code, "load.ts")).toEqual([]);
  });

  it("keep nothing of a file given to @babel/core's pipeline: transform() of a file with an inline map, and the CLI's with a configuration and its second pass for TypeScript", () => {
    const map = Buffer.from(JSON.stringify({ version: 3, sources: ["a.js"], names: [], mappings: "AAAA" })).toString("base64");
    expect(leftInBabelCaches(`async function f() { await 1; }\n//# sourceMappingURL=data:application/json;base64,${map}\n`, "mapped.js")).toEqual([]);
    const project = mkdtempSync(join(tmpdir(), "stepwise-babel-memory-"));
    try {
      writeFileSync(join(project, "babel.config.json"), JSON.stringify({ plugins: [] }));
      const filename = join(project, "configured.js");
      expect(leftInBabelCachesBy(() => compile("export async function f(x = 1) { for (const y of x) await y; }\n", { filename, sourceMaps: false, babel: { cwd: project } }))).toEqual([]);
      const ts = "export async function g(id: string, n: number = 2): Promise<string> { try { return await load(id); } finally { n--; } }\ndeclare function load(id: string): Promise<string>;\n";
      expect(leftInBabelCachesBy(() => compile(ts, { filename: join(project, "typed.ts"), sourceMaps: true, babel: { cwd: project, configFile: false, babelrc: false } }))).toEqual([]);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  itHoldsOnEveryBody(root, leftInBabelCaches, 20261206);
});
