// transform()'s own pass leaves nothing of the file in Babel's caches of paths and scopes (babel-memory.ts
// `forgetFile`). They are WeakMaps that live as long as Babel, and V8's young-generation collections keep an
// entry's value while its key is young: one entry left kept the whole file, its input and output trees,
// through every young collection after the transform (docs/performance.md, "Session 30"). Every key the
// transform puts into either cache must be gone when it returns: for every JavaScript fixture and example,
// programs the fuzzer generates, real code from node_modules, TypeScript, and the shapes whose lowering
// replaces nodes Babel was given paths for (functions inside lowered functions, parameters).
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { transform } from "../src/transform/index.ts";
import { babelCaches } from "../src/transform/babel-memory.ts";
import type * as t from "../src/transform/types.ts";
import { itHoldsOnEveryBody } from "./support/files.ts";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The keys the transform of `code` put into Babel's caches and left there, as `cache type@line:col`. */
function leftInBabelCaches(code: string, filename: string): string[] {
  const caches = babelCaches();
  const added: [string, WeakMap<t.Node, unknown>, t.Node][] = [];
  const record = (name: string, cache: WeakMap<t.Node, unknown>) => {
    // (an own property for the length of one transform: the one object Babel's module sets entries in)
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
    transform(code, { filename });
  } finally {
    delete (caches.path as { set?: unknown }).set;
    delete (caches.scope as { set?: unknown }).set;
  }
  return added.filter(([, cache, key]) => cache.has(key)).map(([name, , key]) => `${name} ${key.type}@${key.loc?.start.line}:${key.loc?.start.column}`);
}

describe("Babel's caches after transform()", () => {
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

  itHoldsOnEveryBody(root, leftInBabelCaches, 20261206);
});
