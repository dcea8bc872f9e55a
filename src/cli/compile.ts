// One file through the transform, then (for TypeScript) through Babel's TypeScript preset and (for
// `stepwise run`) JSX through Babel's JSX transform, with one source map from the original to the output.
// With `babel` options, the first pass also loads the user's Babel configuration (babel.config.*,
// .babelrc*, package.json "babel"), as @babel/cli does: its plugins and presets run after the lowering.
import type { BabelFile, PluginItem, PluginObj, TransformOptions as BabelOptions, Visitor } from "@babel/core";
import { babelCore } from "../transform/babel-packages.ts";
import { createRequire } from "node:module";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { validateOptions } from "../transform/plugin.ts";
import { lowerInLastPass, parsingOf, StepwiseError, stepwisePlugin, stepwisePluginItem, stopAfterLowering, withoutInputMapComments, withoutInputSourceMap, type MachineInfo, type SourceEdit, type TransformOptions } from "../transform/index.ts";
import { hasLowerable, parseAsBabelWould } from "../transform/prescan.ts";
import { forgettingWhatBabelIsGiven } from "../transform/babel-memory.ts";
import { MODES, type Mode } from "./mode.ts";
import { hasTypeScriptCommonjs } from "./typescript-commonjs.ts";
import { hasModuleSyntax } from "./module-syntax.ts";
import { inputMapPlugin, takeInputMap, withAbsoluteSources, type SourceMap } from "./input-map.ts";

/**
 * A preset or plugin of the second pass, loaded by the first file that needs it: a build of JavaScript files
 * loads none of them (64 modules, about 30 ms of the CLI's start).
 */
const secondPass = createRequire(import.meta.url) as (
  name: "@babel/preset-typescript" | "@babel/plugin-transform-react-jsx" | "@babel/plugin-transform-modules-commonjs" | "@babel/plugin-transform-export-namespace-from",
) => PluginItem;

/** Where the user's Babel configuration comes from (absent: none is read). */
export interface BabelConfigOptions {
  /** The project root, where babel.config.* is looked for (default: the current directory). */
  cwd?: string;
  /** A configuration file to use instead of the root babel.config.*; false: none. */
  configFile?: string | false;
  /** Read .babelrc* files and package.json "babel" (default true). */
  babelrc?: boolean;
  /** The configuration's env (Babel's `envName`; default: BABEL_ENV, NODE_ENV or "development"). */
  envName?: string;
  /** Where the root configuration is looked for (Babel's `rootMode`; default "root": `cwd` alone). */
  rootMode?: "root" | "upward" | "upward-optional";
  /**
   * The command line's presets and plugins (@babel/cli's `--presets`, `--plugins`): names or paths, resolved
   * from `cwd` as Babel resolves programmatic options, applied after the configuration files' own.
   */
  presets?: string[];
  plugins?: string[];
  /**
   * Files compiled with the same `lookup` (the files of one build, with the same options) share what was
   * found of the configuration files around their directory, where there was none: looked for once per
   * directory rather than once per file. Absent: looked for every time (a file may have been added since).
   */
  lookup?: string;
}

export interface CompileOptions {
  /** The file name shown in messages and state comments (as the user spelled it). */
  filename: string;
  sourceMaps: boolean;
  runtime?: TransformOptions["runtime"];
  runtimeModule?: string;
  mode?: Mode;
  /** False: generators stay native. */
  generators?: boolean;
  sourceType?: TransformOptions["sourceType"];
  /** Each machine class carries its own metadata (for `run --trace`). */
  machineInfo?: boolean;
  /**
   * JSX becomes calls (for `run`, which must execute it): the automatic runtime (`react/jsx-runtime`)
   * unless the file's `@jsxImportSource` or `@jsxRuntime classic` / `@jsx` pragmas say otherwise.
   */
  compileJSX?: boolean;
  /** Read the user's Babel configuration for this file. */
  babel?: BabelConfigOptions;
  /** Untouched statements keep their line numbers (Babel's `retainLines`). */
  retainLines?: boolean;
  /**
   * How the output is printed, as Babel's generator options (@babel/cli's `--compact`, `--minified`,
   * `--no-comments`): with any of them the whole file is printed, none of it copied as written, a file with
   * nothing to lower too. Absent: readable (`compact: false`), comments kept, the code around a lowered
   * function as written.
   */
  printing?: Printing;
  /** ES module syntax becomes CommonJS (`require`, `exports`). */
  commonjs?: boolean;
  /**
   * TypeScript's imports go only where they are type-only (`import type`, `import { type T }`, which leaves
   * `import "x"`), as Node strips a .ts file's types (`run`): an import whose names the file never reads
   * still runs its module. Else as tsc elides imports: one whose names are not read as values goes.
   */
  typeOnlyImportsGo?: boolean;
  /**
   * What runs the output, for the user's presets (Babel's `caller`): `supportsStaticESM` true keeps
   * preset-env from turning ES modules into CommonJS (`run` loads ES modules as such). Default: the
   * caller @babel/cli is (no ES module support declared: preset-env's "auto" modules become CommonJS).
   */
  supportsStaticESM?: boolean;
  /**
   * Relative import specifiers that name TypeScript files get the extension of their output (as tsc's
   * rewriteRelativeImportExtensions): for each source extension (`.ts`, `.mts`, `.cts`, `.tsx`) the
   * output's (`.js`, ...). Absent: specifiers are left as written.
   */
  importExtensions?: Record<string, string>;
  /**
   * A file the user's Babel configuration ignores (its `ignore` or `only`): `"source"` (the default) gives
   * it back as it is, flagged `ignored` (a build copies it, as @babel/cli does); `"lower"` compiles it
   * without the configuration (`run` must run it, lowered like every file of the program).
   */
  whenIgnored?: "source" | "lower";
}

export type { SourceMap } from "./input-map.ts";

/** Babel's generator options a build may give (CompileOptions.printing). */
export interface Printing {
  /** "auto": compact where the file is over 500 KB (Babel's default, which stepwise's is not). */
  compact?: boolean | "auto";
  minified?: boolean;
  /** False: no comment printed, the machines' own neither (but `@license` and `@preserve` ones where not minified). */
  comments?: boolean;
}

export interface Compiled {
  code: string;
  map: SourceMap | null;
  machines: MachineInfo[];
  /**
   * Nothing was changed: no function was lowered, the file is plain JavaScript, and no Babel
   * configuration or option would change it. The source can be used as it is, byte for byte.
   */
  unchanged: boolean;
  /** The user's Babel configuration ignores the file (`ignore`, `only`): `code` is the source, untouched. */
  ignored?: boolean;
  /** The files of the configuration's plugins and presets that compiled it: their code decides the output too. */
  dependencies?: string[];
}

const TYPESCRIPT = /\.[mc]?tsx?$/;
const JSX = /\.[jt]sx$/;

export function isTypeScript(filename: string): boolean {
  return TYPESCRIPT.test(filename);
}

/** Where the user's Babel configuration for a file comes from, as Babel's own options. */
function configOptions(filename: string, babel: BabelConfigOptions | undefined): Pick<BabelOptions, "cwd" | "root" | "rootMode" | "envName" | "configFile" | "babelrc" | "filename" | "presets" | "plugins"> {
  if (babel === undefined) return { filename, configFile: false, babelrc: false };
  const cwd = babel.cwd ?? process.cwd();
  return {
    cwd,
    root: cwd,
    ...(babel.rootMode !== undefined && { rootMode: babel.rootMode }),
    ...(babel.envName !== undefined && { envName: babel.envName }),
    filename: resolve(cwd, filename),
    configFile: babel.configFile === undefined ? undefined : babel.configFile === false ? false : resolve(cwd, babel.configFile),
    babelrc: babel.babelrc ?? true,
    ...(babel.presets?.length && { presets: babel.presets }),
    ...(babel.plugins?.length && { plugins: babel.plugins }),
  };
}

/** Whether the command line gives presets or plugins of its own (`--presets`, `--plugins`). */
function givesItems(babel: BabelConfigOptions | undefined): boolean {
  return !!(babel?.presets?.length || babel?.plugins?.length);
}

/** The configuration files Babel would read for a file (empty when none), or null for a file they ignore. */
export function babelConfigFiles(filename: string, babel: BabelConfigOptions | undefined): string[] | null {
  return babelConfigOf(filename, babel)?.files ?? null;
}

interface BabelConfig {
  files: string[];
  /** Where the configuration's own plugins and presets (not stepwise's) were loaded from. */
  dependencies?: string[];
  /** The options the configuration gives stepwise's own plugin (`["stepwise/babel", {...}]`), validated. */
  stepwise?: Record<string, unknown>;
}

function babelConfigOf(filename: string, babel: BabelConfigOptions | undefined): BabelConfig | null {
  if (babel === undefined) return { files: [] };
  const where = configOptions(filename, babel);
  const dir = dirname(where.filename!);
  // (the command line's own presets and plugins make it no lookup of files alone)
  const lookup = givesItems(babel) ? undefined : babel.lookup;
  if (lookup !== undefined && unconfigured?.lookup === lookup && unconfigured.dirs.has(dir)) return { files: [] };
  // (Babel looks for eight names in every directory up to the package's: a tenth of a small file's compile)
  const partial = babelCore().loadPartialConfig({ ...where, sourceType: "unambiguous" });
  if (!partial) return null;
  const files = [partial.config, partial.babelrc].filter((file): file is string => typeof file === "string");
  if (files.length === 0 && lookup !== undefined) {
    if (unconfigured?.lookup !== lookup) unconfigured = { lookup, dirs: new Set() };
    unconfigured.dirs.add(dir);
  }
  return { files, dependencies: pluginFiles([...(partial.options.plugins ?? []), ...(partial.options.presets ?? [])]), stepwise: stepwiseEntryOptions(partial.options.plugins ?? [], files) };
}

/** The files the configuration's plugins and presets come from, stepwise's own left out. */
function pluginFiles(items: readonly unknown[]): string[] {
  const files: string[] = [];
  for (const item of items as { value?: unknown; file?: { request?: string; resolved?: string } }[]) {
    if (item?.value === stepwisePlugin || item?.file?.request === "stepwise/babel") continue;
    if (typeof item?.file?.resolved === "string") files.push(item.file.resolved);
  }
  return files;
}

/**
 * The options of the configuration's `stepwise/babel` entry. The command runs the plugin itself, in its own
 * place in the pass: Babel would merge the configuration's entry into that one (the same plugin) and drop its
 * options, so they are read here, and refused as the plugin refuses them.
 */
function stepwiseEntryOptions(plugins: readonly unknown[], files: string[]): Record<string, unknown> | undefined {
  for (const plugin of plugins as { value?: unknown; options?: unknown; dirname?: string; file?: { request?: string } }[]) {
    if (plugin?.value !== stepwisePlugin && plugin?.file?.request !== "stepwise/babel") continue;
    const options = (plugin.options ?? {}) as Record<string, unknown>;
    try {
      validateOptions(options);
    } catch (error) {
      const from = files.find((file) => dirname(file) === plugin.dirname) ?? files[0];
      throw Object.assign(new Error(`${from === undefined ? "" : `${shownPath(from)}: `}${(error as Error).message} (while processing stepwise/babel)`), { name: "BabelConfigError" });
    }
    return options;
  }
  return undefined;
}

/**
 * Whether the user's Babel configuration for a folder's `.tsx` files compiles JSX (its preset-react, say), as
 * `<a />` compiled with the configuration of `filename`'s folder tells. A `.tsx` file's output is then `.js`;
 * else `.jsx`, its JSX kept (which Node cannot load). One probe per set of configuration files.
 */
export function configurationCompilesJsx(filename: string, babel: BabelConfigOptions): boolean {
  const probe = filename.replace(/(\.[^./\\]*)?$/, ".tsx");
  let files;
  try {
    files = babelConfigFiles(probe, babel);
  } catch (error) {
    throw configError(error);
  }
  // (none, or one that ignores the file: nothing compiles its JSX)
  if (files === null || (files.length === 0 && !givesItems(babel))) return false;
  const key = JSON.stringify([files, babel.presets, babel.plugins]);
  let compiles = jsxProbes.get(key);
  if (compiles === undefined) {
    let code: string | null | undefined;
    try {
      code = babelCore().transformSync("<a />;", { ...configOptions(probe, babel), caller: { name: "stepwise", supportsStaticESM: false } as BabelOptions["caller"], ...parsingOf(probe, "module"), sourceMaps: false, compact: false })?.code;
    } catch (error) {
      if (/^\[BABEL\] /.test((error as Error)?.message ?? "")) throw configError(error);
      // (a configuration that fails on the probe fails on the files too, where it is reported)
      code = null;
    }
    compiles = typeof code === "string" && !/<a\s*\/>/.test(code);
    jsxProbes.set(key, compiles);
  }
  return compiles;
}

const jsxProbes = new Map<string, boolean>();

/**
 * The directories of one lookup (BabelConfigOptions.lookup) where Babel found no configuration file for a
 * file. Every other file there gets none either: which files apply depends on the directory alone (the
 * root's, then .babelrc* and package.json up to the package's), and only a configuration can ignore a file.
 */
let unconfigured: { lookup: string; dirs: Set<string> } | null = null;

export function compile(source: string, options: CompileOptions): Compiled {
  const { filename, sourceMaps, machineInfo, mode, compileJSX, babel, retainLines = false, printing, commonjs = false, typeOnlyImportsGo = false, importExtensions, sourceType, supportsStaticESM = false, whenIgnored = "source", ...rest } = options;
  const pluginOptions: Record<string, unknown> = { ...rest };
  if (machineInfo) pluginOptions.machineInfo = true;
  if (mode !== undefined) pluginOptions.mode = MODES[mode].transformMode;
  for (const key of Object.keys(pluginOptions)) if (pluginOptions[key] === undefined) delete pluginOptions[key];
  const parsing = parsingOf(filename, sourceType);
  // (not Babel's default compact "auto", which prints a file over 500 KB on one line, with a note)
  const printed = { compact: false as boolean | "auto", ...printing };
  /** Where the source's relative .ts specifiers are, to rewrite them in place when nothing else changes. */
  const rewritten: Rewrite[] = [];
  let result;
  let config: BabelConfig | null;
  try {
    config = babelConfigOf(filename, babel);
  } catch (error) {
    throw (error as Error)?.name === "BabelConfigError" ? error : configError(error);
  }
  const configFiles = config?.files ?? null;
  // The configuration's options for stepwise's plugin apply as the command line's would; the command line's
  // own (given) win. (`mode` given as promise is no option of the plugin's, but it still wins.)
  if (config?.stepwise !== undefined) {
    const given = { ...pluginOptions, ...(mode !== undefined ? { mode: MODES[mode].transformMode ?? "promise" } : {}) };
    Object.assign(pluginOptions, config.stepwise, given);
  }
  // (a file the configuration ignores is left to Babel below, which says so)
  const configured = configFiles === null || configFiles.length > 0 || givesItems(babel);
  // (with no configuration file for it, Babel is told so rather than left to look for them again, and for a
  // browserslist file that only a configuration's presets could use)
  const where = { ...configOptions(filename, babel), ...(configured ? {} : { configFile: false as const, babelrc: false, browserslistConfigFile: false }) };
  // With no plugin of the user's, nothing visits the file after the lowering: the traversal stops there (else
  // Babel would go on through the whole output, making a path and a scope for every node of it), as in
  // transform(); specifiers are then rewritten before the lowering, in the input.
  const lastPass = !configured;
  const rewrite = importExtensions === undefined ? null : rewriteExtensionsVisitor(importExtensions, rewritten);
  const typescript = isTypeScript(filename);
  const jsx = compileJSX === true && JSX.test(filename);
  // (a specifier to rewrite is a string that starts with ./ or ../ and ends in a TypeScript extension)
  const mayRewrite = importExtensions !== undefined && /["'`]\.\.?\/[^"'`\n]*\.[mc]?tsx?["'`]/.test(source);
  // Without a configuration of the user's, the file is parsed here as Babel would parse it, and Babel is given
  // that tree (not the text to parse again); a configuration may bring parser options of its own.
  const ast = configured ? null : parseAsBabelWould(source, filename, parsing);
  // Nothing can change a file without async functions or generators: the source as it is, found without
  // Babel's pipeline (what it returns below for such a file).
  if (ast && !printing && !typescript && !jsx && !commonjs && !mayRewrite && !hasLowerable(ast, source)) return { code: source, map: null, machines: [], unchanged: true };
  /** Whether Babel parsed the file as a module (`sourceType: "unambiguous"` decides by its syntax). */
  const parsed = { module: ast ? ast.program.sourceType === "module" : parsing.sourceType === "module" };
  const caller = { name: "stepwise", supportsStaticESM, supportsDynamicImport: true, supportsTopLevelAwait: supportsStaticESM, lastPass };
  try {
    // (the tree parsed above is the one Babel would make: it is used as it is, not copied; with nothing but
    // the plugin to run, and no input map to read, without @babel/core's pipeline, as transform() does)
    if (ast && lastPass && !printing && withoutInputMapComments(ast, source, sourceMaps)) {
      // (the specifiers rewritten where the text has one: a walk of paths through the whole file turns off the
      // narrowing of Babel's crawl, transform/narrow-crawl.ts, and elsewhere it would change nothing; also as
      // edits of the text, from which the parts printed as written are copied)
      const edits: SourceEdit[] = [];
      const before = rewrite && mayRewrite ? (file: BabelFile) => {
        file.path.traverse(rewrite);
        for (const { start, end, from, to } of rewritten) {
          const quote = source[start];
          edits.push({ start, end, text: source.slice(start + 1, end - 1) === from ? quote + to + quote : JSON.stringify(to) });
        }
      } : undefined;
      const lowered = lowerInLastPass(ast, source, { filename, sourceMaps, retainLines, caller: { ...caller, lastPass: true }, plugin: pluginOptions, before, edits });
      result = { code: lowered.code, map: lowered.map, metadata: { stepwise: { machines: lowered.machines, warnings: lowered.warnings } } };
    } else {
      const plugins: PluginItem[] = [stepwisePluginItem(pluginOptions)];
      if (rewrite) plugins.push(rewriteExtensionsPlugin(rewrite, lastPass));
      if (lastPass) plugins.push(stopAfterLowering);
      // (the input's own map, which Babel reads only where maps are asked for and the file has a map comment)
      const readsInputMap = sourceMaps && source.includes("sourceMappingURL");
      if (readsInputMap) plugins.push(inputMapPlugin);
      if (!ast) plugins.push(() => ({ name: "stepwise-source-type", visitor: { Program: (path: { node: { sourceType: string } }) => void (parsed.module = path.node.sourceType === "module") } }));
      const babelOptions: BabelOptions = {
        ...where,
        caller: caller as BabelOptions["caller"],
        sourceFileName: filename,
        ...parsing,
        // (a map the user's configuration gives is theirs: only without one)
        ...(configured ? {} : withoutInputSourceMap(source)),
        // (the command line's plugins after stepwise's: `where` has them)
        plugins: [...plugins, ...(where.plugins ?? [])],
        sourceMaps,
        retainLines,
        ...printed,
      };
      const { transformFromAstSync, transformSync } = babelCore();
      // (what Babel's pipeline was given of the file goes with it: transform/babel-memory.ts)
      result = forgettingWhatBabelIsGiven(() => (ast ? transformFromAstSync(ast, source, { ...babelOptions, cloneInputAst: false }) : transformSync(source, babelOptions)));
      const inputMap = readsInputMap ? takeInputMap() : null;
      if (inputMap?.used === false) process.stderr.write(`${inputMap.warning}\n`);
      // (the sources of the input's map are named from where it was; the output's map is written elsewhere)
      if (inputMap?.used && result?.map) result.map = withAbsoluteSources(result.map as SourceMap, inputMap.dir) as typeof result.map;
    }
  } catch (error) {
    // "[BABEL] file: ..." is Babel loading a plugin or preset of the configuration (a bad option, one that throws).
    if (/^\[BABEL\] /.test((error as Error)?.message ?? "")) throw configError(error);
    throw toStepwiseError(error, filename, source);
  }
  // No result: the configuration's `ignore` or `only` leaves the file out.
  if (result === null && babel !== undefined) {
    if (whenIgnored === "lower") return compile(source, { ...options, babel: undefined });
    return { code: source, map: null, machines: [], unchanged: true, ignored: true };
  }
  if (!result || result.code == null) throw new Error(`no output for ${filename}`);
  const report = (result.metadata as { stepwise?: { machines: MachineInfo[]; warnings: string[] } } | undefined)?.stepwise;
  const machines = report?.machines ?? [];
  // (as the caller named "stepwise", the plugin leaves its warnings to us; "file:line:col: warning: ...",
  // as errors are "file:line:col: syntax error: ...", or "file: warning: ..." for the whole file)
  for (const warning of report?.warnings ?? []) process.stderr.write(`${warning.replace(/^(.*?(?::\d+:\d+)?): /, "$1: warning: ")}\n`);
  let code = result.code;
  let map = (result.map ?? null) as SourceMap | null;
  // (CommonJS output changes only modules: a script stays as it is)
  if (machines.length === 0 && !printing && !typescript && !jsx && !configured && !(commonjs && parsed.module)) {
    // Nothing lowered: the source itself (with its .ts specifiers rewritten, in place).
    let text = source;
    for (const { start, end, from, to } of rewritten.sort((a, b) => b.start - a.start)) {
      // A specifier spelled with escapes is left to the printer.
      if (source.slice(start + 1, end - 1) !== from) return { code, map, machines, unchanged: false };
      text = text.slice(0, start + 1) + to + text.slice(end - 1);
    }
    return { code: text, map: null, machines, unchanged: true };
  }
  // TypeScript's CommonJS syntax (`import x = require()`, `export =`) in a file that is not an ES module: the
  // file's imports and exports become requires too, as tsc compiles it for CommonJS (Node 24 runs it so).
  // (a .cts file's module syntax is made CommonJS by the TypeScript preset itself, as Babel's preset does)
  const typescriptCommonjs = typescript && parsed.module && parsing.sourceType !== "module" && hasTypeScriptCommonjs(source);
  const toCommonjs = (commonjs || typescriptCommonjs) && parsed.module && !filename.endsWith(".cts");
  if (typescript || jsx || toCommonjs) {
    // Class fields as Node 24 runs a .ts file (and tsc with `useDefineForClassFields`, the default from ES2022
    // on; Babel 8's default): `declare x: T` is a type and goes, `x: T` stays a field, set to undefined.
    // (Babel 7 would refuse the first and drop the second.)
    const presets: PluginItem[] = typescript ? [[secondPass("@babel/preset-typescript"), { allowDeclareFields: true, onlyRemoveTypeImports: typeOnlyImportsGo }]] : [];
    const second: PluginItem[] = jsx ? [[secondPass("@babel/plugin-transform-react-jsx"), { runtime: "automatic" }]] : [];
    // (top-level `this` is `module.exports` in a file written for CommonJS, undefined in an ES module)
    // (`export * as ns from` first: the CommonJS plugin takes only what that one makes of it)
    if (toCommonjs) second.push(secondPass("@babel/plugin-transform-export-namespace-from"), [secondPass("@babel/plugin-transform-modules-commonjs"), { allowTopLevelThis: typescriptCommonjs }]);
    // A TypeScript file required as CommonJS (runtime "require") whose only module syntax goes with its types
    // (`import type`, `export interface`): a script once they go, which the TypeScript preset would keep a
    // module with an `export {}` of its own.
    if (typescript && parsed.module && parsing.sourceType !== "module" && rest.runtime === "require" && !toCommonjs && !hasModuleSyntax(source, true, filename.endsWith(".tsx"))) second.unshift(STAYS_SCRIPT);
    const secondPassOf = (text: string, inputSourceMap: SourceMap | null) =>
      forgettingWhatBabelIsGiven(() => babelCore().transformSync(text, {
        filename,
        sourceFileName: filename,
        babelrc: false,
        configFile: false,
        sourceType: parsing.sourceType,
        parserOpts: { allowReturnOutsideFunction: parsing.parserOpts.allowReturnOutsideFunction, allowNewTargetOutsideFunction: parsing.parserOpts.allowNewTargetOutsideFunction },
        presets,
        plugins: second,
        inputSourceMap: (inputSourceMap ?? undefined) as never,
        sourceMaps,
        retainLines,
        ...printed,
      }));
    try {
      const stripped = secondPassOf(code, map);
      code = stripped?.code ?? "";
      map = (stripped?.map as SourceMap | null | undefined) ?? null;
    } catch (error) {
      throw secondPassError(error, () => secondPassOf(source, null), filename, code, source);
    }
  }
  return { code, map, machines, unchanged: false, ...(config?.dependencies?.length ? { dependencies: config.dependencies } : {}) };
}

/** The second pass's program is a script: Babel's TypeScript plugin adds `export {}` to a module it leaves without imports or exports. */
const STAYS_SCRIPT: PluginItem = () => ({ name: "stepwise-stays-script", visitor: { Program: (path: { node: { sourceType: string } }) => void (path.node.sourceType = "script") } });

const RELATIVE_TS = /^\.\.?\/.*(\.[mc]?tsx?)$/;

interface Rewrite {
  start: number;
  end: number;
  from: string;
  to: string;
}

/**
 * `import "./two.ts"` → `import "./two.js"` (each TypeScript extension to its output's, `extensions`), in
 * imports, exports, import() and require().
 */
function rewriteExtensionsVisitor(extensions: Record<string, string>, rewritten: Rewrite[]): Visitor {
  const rewrite = (node: { type: string; value?: unknown; start?: number | null; end?: number | null; loc?: unknown } | null | undefined) => {
    const ext = node?.type === "StringLiteral" && typeof node.value === "string" && !/\.d\.[mc]?ts$/.test(node.value) ? RELATIVE_TS.exec(node.value)?.[1] : undefined;
    if (node && ext !== undefined && extensions[ext] !== undefined) {
      const from = node.value as string;
      const to = from.slice(0, -ext.length) + extensions[ext];
      node.value = to;
      delete (node as { extra?: unknown }).extra;
      if (node.loc && typeof node.start === "number" && typeof node.end === "number") rewritten.push({ start: node.start, end: node.end, from, to });
    }
  };
  const visitor: Record<string, (path: any) => void> = {
    "ImportDeclaration|ExportAllDeclaration|ExportNamedDeclaration"(path) {
      rewrite(path.node.source);
    },
    CallExpression(path) {
      const { callee, arguments: args } = path.node;
      if (callee.type === "Import" || (callee.type === "Identifier" && callee.name === "require" && !path.scope.hasBinding("require"))) rewrite(args[0]);
    },
    ImportExpression(path) {
      rewrite(path.node.source);
    },
    TSImportEqualsDeclaration(path) {
      if (path.node.moduleReference.type === "TSExternalModuleReference") rewrite(path.node.moduleReference.expression);
    },
  };
  return visitor as Visitor;
}

/**
 * The rewrite as a plugin. `first`: in the input, before any plugin's traversal (a last pass stops once the
 * file is lowered); else during the traversal, where the user's plugins may add specifiers too.
 */
const rewriteExtensionsPlugin = (visitor: Visitor, first: boolean) => (): PluginObj => {
  const name = "stepwise-rewrite-import-extensions";
  return first ? { name, pre: (file) => file.path.traverse(visitor), visitor: {} } : { name, visitor };
};

/**
 * An error of the second pass, which reads the lowered code: where the same error is in the source (a
 * TypeScript construct the preset refuses, as `import x = require()` in an ES module), the source's line and
 * column, found by running the second pass over the source itself; else the lowering made what the pass
 * refuses: stepwise's bug, an internal error (never a line and column of the lowered code, which the user
 * never sees, as if they were the source's).
 */
function secondPassError(error: unknown, overSource: () => unknown, filename: string, code: string, source: string): unknown {
  const lowered = toStepwiseError(error, filename, code);
  if (!(lowered instanceof StepwiseError)) return lowered;
  try {
    overSource();
  } catch (sourceError) {
    const original = toStepwiseError(sourceError, filename, source);
    const reason = (made: StepwiseError) => made.message.split("\n")[0].replace(/^.*?:\d+:\d+: /, "");
    if (original instanceof StepwiseError && reason(original) === reason(lowered)) return original;
  }
  const reason = lowered.message.split("\n")[0].replace(/^.*?:\d+:\d+: (?:syntax )?error: /, "");
  return new Error(`${filename}: the lowered code does not compile as TypeScript (${reason}, in the lowered code, not in the source)`);
}

/** A StepwiseError (file:line:col: kind: message, a code frame, and Babel's hint if it gave one), or the error as it is. */
function toStepwiseError(error: unknown, filename: string, code: string): unknown {
  if (error instanceof StepwiseError) {
    error.message = error.report;
    return error;
  }
  const cause = error as { code?: string; loc?: { line: number; column: number }; reasonCode?: string; message?: string };
  if (cause && cause.loc && (cause.code === "BABEL_PARSE_ERROR" || cause.reasonCode)) {
    // Babel's message: "file: reason (line:col):\n\n<frame>\n\n<hint>", the hint being how to enable the syntax.
    const [first, , ...hint] = (cause.message ?? "").split("\n\n");
    const reason = first.replace(/^[^\n]*?: /, "").replace(/ \(\d+:\d+\):?$/, "");
    const made = new StepwiseError("syntax error", reason, filename, code, cause.loc);
    const extra = hint.join("\n\n").trim();
    if (extra) {
      made.message += `\n${extra}`;
      (made as { report: string }).report = made.message;
    }
    return made;
  }
  if (cause?.code === "BABEL_TRANSFORM_ERROR" && typeof cause.message === "string") {
    // A plugin's error: "file: message\n<frame>" (path.buildCodeFrameError), or "file: message".
    const lines = cause.message.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
    const reason = lines[0].replace(/^[^\n]*?: /, "");
    const marked = lines.findIndex((line) => /^> *\d+ \|/.test(line));
    const caret = marked >= 0 ? lines.slice(marked + 1).find((line) => /^ +\| .*\^/.test(line)) : undefined;
    if (marked >= 0 && caret !== undefined) {
      const line = Number(/\d+/.exec(lines[marked])![0]);
      const bar = caret.indexOf("|");
      return new StepwiseError("error", reason, filename, code, { line, column: caret.indexOf("^") - bar - 2 });
    }
    return Object.assign(new Error(`${filename}: error: ${reason}`), { name: "StepwiseError" });
  }
  return error;
}

/**
 * A Babel configuration that does not load, or a plugin or preset of it that fails to start: one line,
 * naming the configuration file (Babel puts it in the stack, "at /path/babel.config.json") or the plugin
 * ("While processing: ..."), not the file being compiled.
 */
function configError(error: unknown): Error {
  // (the plugin Babel names at the end, "(While processing: ...)", on whichever line it ends)
  const text = String((error as Error)?.message ?? error).trimEnd();
  const processing = / \(While processing: "?([^")]*)"?\)$/.exec(text);
  // (a list, as in "Multiple configuration files found. Please remove one:\n - a\n - b\nfrom dir", on one line;
  // a hint on a line of its own, as "'bogus' is not a valid target\n- Did you mean 'ios'?", after it)
  const [first, ...rest] = (processing ? text.slice(0, processing.index) : text).split("\n").map((line) => line.trim()).filter(Boolean);
  const list = first.endsWith(":");
  const listed = list ? rest.filter((line) => line.startsWith("- ")).map((line) => shownPath(line.slice(2))) : [];
  const from = list ? rest.find((line) => line.startsWith("from "))?.slice(5) : undefined;
  const hint = list ? undefined : rest.find((line) => line.startsWith("- Did you mean "))?.slice(2);
  let message = first.replace(/^\[BABEL\] .*?: /, "") + (listed.length > 0 ? ` ${listed.join(", ")}` : "") + (from !== undefined ? ` (in ${shownPath(from) || "."})` : "");
  if (hint !== undefined) message += ` (d${hint.slice(1)})`;
  if (processing) message += ` (while processing ${pluginName(processing[1])})`;
  const stack = String((error as Error)?.stack ?? "");
  // Babel's own frame for the file (a path alone: no function name, no line and column), or where the
  // JavaScript of a babel.config.js does not parse ("/path/babel.config.js:1" first in the stack).
  const file = /\n {4}at ([^\s()][^()\n]*?)(?<!:\d+:\d+)\n/.exec(stack)?.[1] ?? /^([^\n]+:\d+)\n/.exec(stack)?.[1];
  if (file !== undefined && isAbsolute(file) && !message.includes(file)) message = `${shownPath(file)}: ${message}`;
  return Object.assign(new Error(message), { name: "BabelConfigError" });
}

/** A plugin's path as its package name (`@babel/preset-env`) when it is in node_modules, else relative. */
function pluginName(path: string): string {
  const inPackage = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path);
  if (inPackage) return inPackage[1].replace(/\\/g, "/");
  return isAbsolute(path) ? shownPath(path) : path;
}

function shownPath(path: string): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

export { inlineMapComment } from "./inline-map.ts";
