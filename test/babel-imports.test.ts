// Babel's packages are CommonJS: src/ loads them with require() (src/transform/babel-packages.ts), never with
// an import of their values, which makes Node 20 and 22 read each package's whole source, and every module it
// re-exports, to list its exports (about 0.2 s of every command's start: docs/performance.md, "Session 29").
// Type-only imports are erased. The playground is bundled for the browser, where the bundler does the work.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/**
 * `import ... from "@babel/..."` and `export ... from "@babel/..."` that are not type-only, and `import("@babel/...")`
 * but as a type (`typeof import(...)`).
 */
const VALUE_IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s*["']@babel\/|(?<!typeof\s+)\bimport\(\s*["']@babel\//m;

it("src/ imports no value of a Babel package (it requires them: babel-packages.ts), but in the playground", () => {
  const offending = sources(join(root, "src"))
    .filter((path) => !path.includes(`${sep}explore${sep}playground${sep}`))
    .filter((path) => VALUE_IMPORT.test(readFileSync(path, "utf8")))
    .map((path) => relative(root, path).split(sep).join("/"));
  expect(offending).toEqual([]);
});

it("the check finds a value import (and passes a type-only one)", () => {
  expect(VALUE_IMPORT.test('import { parse } from "@babel/parser";')).toBe(true);
  expect(VALUE_IMPORT.test('import traverse, { type NodePath } from "@babel/traverse";')).toBe(true);
  expect(VALUE_IMPORT.test('export * from "@babel/types";')).toBe(true);
  expect(VALUE_IMPORT.test('const core = await import("@babel/core");')).toBe(true);
  expect(VALUE_IMPORT.test('import type { NodePath } from "@babel/traverse";')).toBe(false);
  expect(VALUE_IMPORT.test('export type * from "@babel/types";')).toBe(false);
  expect(VALUE_IMPORT.test('const core = require("@babel/core") as typeof import("@babel/core");')).toBe(false);
});
