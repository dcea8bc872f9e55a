// The other ways to lower async functions and generators, for `npm run bench --lowerings` and
// `bench/corpus.ts --lowerings`: the same source through each, so stepwise's figures stand beside theirs.
//
// Each lowering turns a file into code for one of two purposes:
// - "run": a self-contained script for bench/driver.js, every helper and runtime inlined (stepwise's runtime
//   too), so that nothing is loaded from node_modules and every variant pays for its own helpers;
// - "size": the file as a project would ship it, the helpers and the runtime left to a shared module
//   (stepwise's runtime import, Babel's helpers as `babelHelpers.x`, TypeScript's noEmitHelpers, the
//   async-to-promises helpers import), so that the size measures what each function costs, not one copy
//   of a runtime per file (the runtime's own size is `npm run size`).
//
// TypeScript 5 (the last TypeScript with an ES5 target; the project's own TypeScript 7 has none) and
// babel-plugin-transform-async-to-promises are the bench workspace's devDependencies (bench/package.json),
// installed in bench/node_modules beside the project's TypeScript.
import { transformSync, types as t, version as babelVersion, type PluginItem, type PluginObj } from "@babel/core";
import presetEnv from "@babel/preset-env";
import asyncGeneratorFunctions from "@babel/plugin-transform-async-generator-functions";
import asyncToGenerator from "@babel/plugin-transform-async-to-generator";
import regenerator from "@babel/plugin-transform-regenerator";
import blockScoping from "@babel/plugin-transform-block-scoping";
import destructuring from "@babel/plugin-transform-destructuring";
import forOf from "@babel/plugin-transform-for-of";
import parameters from "@babel/plugin-transform-parameters";
import asyncToPromises from "babel-plugin-transform-async-to-promises";
import ts from "typescript";
import { parsingOf, transform } from "../src/transform/index.ts";

export type Purpose = "run" | "size";

/** What a bench case measures, and what a lowering turns into something else (the rest it leaves native). */
export type Kind = "async" | "generator" | "async-generator";

export interface Lowering {
  /** Short name: a column of the tables and the value of --lowering. */
  name: string;
  /** One line: the tool, its version and its settings. */
  description: string;
  lowers: readonly Kind[];
  lower(code: string, filename: string, purpose: Purpose): string;
}

/** Babel's helpers referenced as `babelHelpers.name` instead of inlined (what @babel/plugin-external-helpers does). */
const externalHelpers = (): PluginObj => ({
  name: "bench-external-helpers",
  pre(file) {
    // (File.set is Babel's own, missing from its type declarations)
    (file as unknown as { set(key: string, value: unknown): void }).set("helperGenerator", (name: string) =>
      t.memberExpression(t.identifier("babelHelpers"), t.identifier(name)),
    );
  },
  visitor: {},
});

/**
 * The plugin list of a Babel lowering, with Babel's helpers left external for "size". Each list is made once:
 * Babel caches what it makes of plugins and presets by the identity of their lists and options, as a build
 * with a config file reuses them for every file (a new list per call would make preset-env prepare itself
 * again for every file, and the time bench/corpus.ts reports would be that).
 */
const withHelpers = new WeakMap<PluginItem[], PluginItem[]>();

function babel(code: string, filename: string, purpose: Purpose, plugins: PluginItem[], presets: PluginItem[] = NO_PRESETS): string {
  let sized = withHelpers.get(plugins);
  if (!sized) withHelpers.set(plugins, (sized = [externalHelpers, ...plugins]));
  const result = transformSync(code, {
    filename,
    babelrc: false,
    configFile: false,
    ...parsingOf(filename),
    presets,
    plugins: purpose === "size" ? sized : plugins,
    compact: false,
  });
  if (result?.code == null) throw new Error(`no output for ${filename}`);
  return result.code;
}

function typescript(code: string, filename: string, purpose: Purpose, target: ts.ScriptTarget): string {
  const { outputText } = ts.transpileModule(code, {
    fileName: filename,
    compilerOptions: {
      target,
      // Keep import/export as written: the corpus holds modules and CommonJS files, the cases are scripts.
      module: ts.ModuleKind.ESNext,
      // for-of over a generator (not only arrays) in ES5, as the code needs to run like the original.
      downlevelIteration: true,
      noEmitHelpers: purpose === "size",
      allowJs: true,
    },
  });
  return outputText;
}

const NO_PRESETS: PluginItem[] = [];
const REGENERATOR: PluginItem[] = [asyncGeneratorFunctions, asyncToGenerator, forOf, destructuring, parameters, blockScoping, regenerator];
const PRESET_ENV: PluginItem[] = [[presetEnv, { targets: { ie: "11" }, modules: false }]];
const ASYNC_TO_GENERATOR: PluginItem[] = [asyncGeneratorFunctions, asyncToGenerator];
const ASYNC_TO_PROMISES = { run: [[asyncToPromises, { inlineHelpers: true }]], size: [[asyncToPromises, { externalHelpers: true }]] } satisfies Record<Purpose, PluginItem[]>;

export const LOWERINGS: Lowering[] = [
  {
    name: "stepwise",
    description: "stepwise (this project), runtime inlined to run, imported for size",
    lowers: ["async", "generator", "async-generator"],
    lower: (code, filename, purpose) => transform(code, { filename, ...(purpose === "run" ? { runtime: "inline" } : {}) }).code,
  },
  {
    name: "regenerator",
    description: `Babel ${babelVersion} transform-async-generator-functions, -async-to-generator, -regenerator and the ES2015 transforms regenerator cannot do without (for-of, destructuring, parameters, block scoping); the rest native`,
    lowers: ["async", "generator", "async-generator"],
    lower: (code, filename, purpose) => babel(code, filename, purpose, REGENERATOR),
  },
  {
    name: "preset-env",
    description: `Babel ${babelVersion} @babel/preset-env, targets { ie: 11 } (everything down to ES5, regenerator included)`,
    lowers: ["async", "generator", "async-generator"],
    lower: (code, filename, purpose) => babel(code, filename, purpose, NO_PRESETS, PRESET_ENV),
  },
  {
    name: "tsc-es5",
    description: `TypeScript ${ts.version} transpileModule, target ES5, downlevelIteration`,
    lowers: ["async", "generator", "async-generator"],
    lower: (code, filename, purpose) => typescript(code, filename, purpose, ts.ScriptTarget.ES5),
  },
  {
    name: "async-to-gen",
    description: `Babel ${babelVersion} transform-async-generator-functions + transform-async-to-generator (generators stay native)`,
    lowers: ["async", "async-generator"],
    lower: (code, filename, purpose) => babel(code, filename, purpose, ASYNC_TO_GENERATOR),
  },
  {
    name: "tsc-es2015",
    description: `TypeScript ${ts.version} transpileModule, target ES2015 (__awaiter over native generators)`,
    lowers: ["async", "async-generator"],
    lower: (code, filename, purpose) => typescript(code, filename, purpose, ts.ScriptTarget.ES2015),
  },
  {
    name: "async-to-promises",
    description: "babel-plugin-transform-async-to-promises 0.8 (promise chains and callbacks; generators stay native)",
    lowers: ["async", "async-generator"],
    lower: (code, filename, purpose) => babel(code, filename, purpose, ASYNC_TO_PROMISES[purpose]),
  },
];
