// Babel's packages as the transform and the command line use them, loaded with require(), each the first time
// it is asked for. They are CommonJS, and an ES module that imports a CommonJS module makes Node 20 and 22
// read its whole source, and that of every module it re-exports, with cjs-module-lexer to list its exports
// before it runs: 0.1-0.15 s more for each of @babel/parser, @babel/types and @babel/core on the development
// machine (docs/performance.md, "Session 29"), paid by every `stepwise run`, build and inspect. require()
// gives the module's own exports (what an import gives as its default), from Node's one cache of CommonJS
// modules. Loaded when asked for, each where it was imported before: the plugin, which must load wherever
// Babel does, never loads @babel/core or the parts of Babel that are not its API (lib/...), which only
// transform()'s own pass and the command line use. (Babel 8's packages are ES modules, which require() loads
// too on Node 20.19 and later, the oldest this supports.)
//
// The explorer's playground, bundled for the browser, gets the bundler's require instead: its build
// (scripts/playground-shims.mjs) takes out the line that makes Node's.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** What `load` gives, loaded the first time it is asked for. (Each `require` is written out: the playground's bundler bundles what it names.) */
function lazy<T>(load: () => unknown): () => T {
  let exports: T | undefined;
  return () => (exports ??= load() as T);
}

export const babelCore = lazy<typeof import("@babel/core")>(() => require("@babel/core"));
export const babelParser = lazy<typeof import("@babel/parser")>(() => require("@babel/parser"));
export const babelTypes = lazy<typeof import("@babel/types")>(() => require("@babel/types"));
export const babelCodeFrame = lazy<typeof import("@babel/code-frame")>(() => require("@babel/code-frame"));
/** The traversal function is its `default`. */
export const babelTraverse = lazy<{ default: typeof import("@babel/traverse").default }>(() => require("@babel/traverse"));
/** `generate` is its `default`. */
export const babelGenerator = lazy<{ default: unknown; CodeGenerator: unknown }>(() => require("@babel/generator"));
/** lib/printer.js of @babel/generator (not its API: print.ts): the Printer class is its `default`, if the file is there. */
export const babelPrinter = lazy<{ default?: unknown }>(() => require("@babel/generator/lib/printer.js"));
/** lib/scope/binding.js of @babel/traverse (not its API: tree-scopes.ts): the Binding class is its `default`. */
export const babelBinding = lazy<{ default: unknown }>(() => require("@babel/traverse/lib/scope/binding.js"));
