// The programmatic entry: `transform(code, options) -> { code, map, machines }`.
import type { BabelFile, PluginItem, PluginObj, PluginPass, TransformOptions as BabelTransformOptions } from "@babel/core";
import { babelCore } from "./babel-packages.ts";
import { extname, resolve } from "node:path";
import { isStackOverflow, StepwiseError, tooDeeplyNested } from "./errors.ts";
import { hasLowerable, parseAsBabelWould } from "./prescan.ts";
import { packForRetainedLines } from "./retain-lines.ts";
import { printFile, type EncodedSourceMap, type SourceEdit } from "./print.ts";
import { wholeFile } from "./untouched.ts";
import { forEachChild } from "./ast.ts";
import { hideAllButLowered, hideFromCrawl, putBack } from "./narrow-crawl.ts";
import { scopesFromTree } from "./tree-scopes.ts";
import { forgettingWhatBabelIsGiven } from "./babel-memory.ts";
import { buildScopeTree } from "./analyze/scope-tree.ts";
import type { NodePath } from "@babel/traverse";
import * as t from "./types.ts";
import type { MachineInfo } from "./report/metadata.ts";
import type { FileContext } from "./file-context.ts";
import stepwisePlugin, { validateOptions, type StepwiseOptions } from "./plugin.ts";

export { deepestPoint, isStackOverflow, StepwiseError, tooDeeplyNested } from "./errors.ts";
export type { MachineInfo, StateInfo } from "./report/metadata.ts";
export type { EncodedSourceMap, SourceEdit } from "./print.ts";
export { default as stepwisePlugin } from "./babel.ts";

export interface TransformOptions extends StepwiseOptions {
  /** Used in messages, comments and source maps; its extension picks the syntax (.ts, .tsx, .jsx, .mjs, .cjs). */
  filename?: string;
  /** `module`, `script`, or `unambiguous` (the default: a module if it has import/export). */
  sourceType?: "module" | "script" | "unambiguous";
  sourceMaps?: boolean;
}

export interface TransformResult {
  code: string;
  /** The source map with `sourceMaps: true`, else null. */
  map: EncodedSourceMap | null;
  machines: MachineInfo[];
  /** What the transform has to say without failing (a function left native), one line each with file:line:col. */
  warnings: string[];
}

/**
 * How a file is parsed, from its name: TypeScript and JSX by extension; a module for .mjs/.mts, a script
 * for .cjs, else a module if it has import/export. Outside a module a top-level `return` is allowed:
 * Node wraps a CommonJS module in a function. A .cts file is CommonJS written in TypeScript, where
 * `import x = require()`, `export =` and imports and exports are what TypeScript compiles to `require` and
 * `module.exports`: parsed as Babel's TypeScript preset parses it, a module if it has them.
 */
export function parsingOf(filename: string, sourceType?: TransformOptions["sourceType"]) {
  const ext = extname(filename);
  const plugins: ("typescript" | "jsx")[] = [];
  if ([".ts", ".mts", ".cts", ".tsx"].includes(ext)) plugins.push("typescript");
  if ([".jsx", ".tsx"].includes(ext)) plugins.push("jsx");
  const type = sourceType ?? (ext === ".mjs" || ext === ".mts" ? "module" : ext === ".cjs" ? "script" : "unambiguous");
  return { sourceType: type, parserOpts: { plugins, allowReturnOutsideFunction: type !== "module", allowNewTargetOutsideFunction: type !== "module" } };
}

/** The last plugin of transform()'s own pass (and the CLI's): nothing after the lowering needs the traversal. */
export const stopAfterLowering = (): PluginObj => ({ name: "stepwise-stop", visitor: { Program: (path) => path.stop() } });

/** With `sourceMaps: true`, the result's `map` is the source map (never null). */
export function transform(code: string, options: TransformOptions & { sourceMaps: true }): TransformResult & { map: EncodedSourceMap };
export function transform(code: string, options?: TransformOptions): TransformResult;
export function transform(code: string, options: TransformOptions = {}): TransformResult {
  const { filename = "input.js", sourceType, sourceMaps = false, ...pluginOptions } = options;
  // (transform's own options, checked as the plugin's are)
  if (typeof filename !== "string") throw new Error(`stepwise: option "filename" must be a string, got ${JSON.stringify(filename)}`);
  if (sourceType !== undefined && sourceType !== "module" && sourceType !== "script" && sourceType !== "unambiguous") {
    throw new Error(`stepwise: option "sourceType" must be "module", "script" or "unambiguous", got ${JSON.stringify(sourceType)}`);
  }
  if (typeof sourceMaps !== "boolean") throw new Error(`stepwise: option "sourceMaps" must be a boolean, got ${JSON.stringify(sourceMaps)}`);
  validateOptions(pluginOptions as Record<string, unknown>, ["filename", "sourceMaps", "sourceType"]);
  const parsing = parsingOf(filename, sourceType);
  // The file is parsed here, as @babel/core would parse it. A file without async functions or generators is
  // printed straight away (as written: print.ts), without the scope crawl of the whole file and the plugin
  // pass; one with some is lowered without @babel/core's pipeline (lowerInLastPass). Only a file
  // whose input map would be merged with the output's, or that has an inline one, or that does not parse (for
  // @babel/core's message), goes through @babel/core.
  const ast = parseAsBabelWould(code, filename, parsing);
  if (ast && withoutInputMapComments(ast, code, sourceMaps)) {
    if (!hasLowerable(ast, code)) {
      const { code: output, map } = printFile(ast, code, printing(filename, sourceMaps, false), wholeFile(ast.program), mapCommentEdits(ast, code));
      return { code: output, map: map ?? null, machines: [], warnings: [] };
    }
    return lowerInLastPass(ast, code, { filename, sourceMaps, retainLines: false, caller: { name: "stepwise", lastPass: true }, plugin: pluginOptions });
  }
  let result;
  try {
    const babelOptions: BabelTransformOptions = {
      filename,
      sourceFileName: filename,
      babelrc: false,
      configFile: false,
      ...parsing,
      // Nothing else visits the file: the traversal stops once the plugin's Program visitor has lowered it
      // (else Babel would go on through the whole output, making a path and a scope for every node of it).
      plugins: pluginsFor(pluginOptions).list,
      // No browserslist file is looked for (up the directories, on every call): nothing here has targets.
      browserslistConfigFile: false,
      // (the plugin then leaves warnings to the result instead of printing them; and nothing visits the file
      // after it: see FileContext.lastPass)
      caller: { name: "stepwise", lastPass: true } as BabelTransformOptions["caller"],
      sourceMaps,
      ...withoutInputSourceMap(code),
      retainLines: false,
      compact: false,
    };
    // (the tree parsed above is the one Babel would make: it is used as it is, not copied)
    const { transformFromAstSync, transformSync } = babelCore();
    result = forgettingWhatBabelIsGiven(() => (ast ? transformFromAstSync(ast, code, { ...babelOptions, cloneInputAst: false }) : transformSync(code, babelOptions)));
  } catch (error) {
    throw toStepwiseError(error, filename, code);
  }
  if (!result || result.code == null) throw new Error(`stepwise: no output for ${filename}`);
  const metadata = result.metadata as { stepwise?: { machines: MachineInfo[]; warnings: string[] } } | undefined;
  return { code: result.code, map: (result.map ?? null) as EncodedSourceMap | null, machines: metadata?.stepwise?.machines ?? [], warnings: metadata?.stepwise?.warnings ?? [] };
}

/** How @babel/core prints a file for these options (its generatorOpts, transformation/normalize-opts.js). */
function printing(filename: string, sourceMaps: boolean, retainLines: boolean) {
  return { filename: resolve(filename), retainLines, comments: true, compact: false as const, sourceMaps, sourceFileName: filename };
}

export interface LastPassOptions {
  /** As the user spelled it (messages, comments, the map's source). */
  filename: string;
  sourceMaps: boolean;
  retainLines: boolean;
  /** Babel's `caller` (the plugin reads `name` and `lastPass`). */
  caller: { name: string; lastPass: true } & Record<string, unknown>;
  plugin: StepwiseOptions;
  /** What to do to the file before it is lowered (the CLI rewrites .ts specifiers). */
  before?: (file: BabelFile) => void;
  /** What `before` changed in the source text, for the parts printed as written (read after it ran). */
  edits?: readonly SourceEdit[];
}

/**
 * What `transformFromAstSync` does with the plugin for a file that no configuration, no input source map and
 * no other plugin concern (transform(), the CLI without a Babel configuration), without @babel/core's
 * pipeline: the same File (the program's path and its scope; the crawl narrowed to what the lowering reads,
 * narrow-crawl.ts), the plugin's Program visitor (after which the pass would stop: stopAfterLowering), the same
 * printer options. @babel/core would also load and validate a configuration, normalize the options and prepare
 * the plugin's visitor for every file: a sixth of the time of a small file. What the lowering leaves as it was
 * is printed as written (print.ts): the output is the same program as @babel/core's, laid out as the source
 * where the source is kept (scripts/compare-outputs.ts --normalized).
 */
export function lowerInLastPass(ast: t.File, code: string, options: LastPassOptions): TransformResult {
  // (what the pass gives Babel's caches of the file goes once the plugin is done with it: babel-memory.ts)
  const pass = forgettingWhatBabelIsGiven(() => lowerWithPlugin(ast, code, options));
  // (no FileContext: the plugin left the file as it is, the runtime's own)
  const untouched = pass.stepwise?.untouched ?? wholeFile(ast.program);
  const edits = [...(options.edits ?? []), ...mapCommentEdits(ast, code)];
  if (options.retainLines) packForRetainedLines(ast.program, untouched);
  const { code: output, map } = printFile(ast, code, printing(options.filename, options.sourceMaps, options.retainLines), untouched, edits);
  const report = (pass.file.metadata as { stepwise?: { machines: MachineInfo[]; warnings: string[] } }).stepwise;
  return { code: output, map: map ?? null, machines: report?.machines ?? [], warnings: report?.warnings ?? [] };
}

/** What lowerInLastPass's plugin pass leaves: Babel's File, and the plugin's FileContext (none for the runtime's own files). */
type LoweredPass = PluginPass & { file: BabelFile; stepwise?: FileContext };

/** The File made, with Babel's crawl of what the lowering reads, and the plugin's pass over it. */
function lowerWithPlugin(ast: t.File, code: string, options: LastPassOptions): LoweredPass {
  const filename = resolve(options.filename);
  // The crawl sees only what the lowering reads (narrow-crawl.ts): the rest is out of the tree while the File
  // is made. In JavaScript that is the lowered functions alone, the scope tree answering for the rest
  // (analyze/outer-bindings.ts); the tree knows no TypeScript declarations, so a TypeScript file keeps
  // what the narrowing walks find the lowering asks about. (Not where `before` walks the file with paths:
  // it would walk into what Babel never crawled.)
  const tree = options.before || /\.[cm]?tsx?$/.test(options.filename) ? null : buildScopeTree(ast.program);
  // (each outermost lowered function gets its scopes from the tree, not Babel's crawl: tree-scopes.ts)
  const hidden = options.before ? null : tree === null ? hideFromCrawl(ast) : hideAllButLowered(ast, tree, (fn) => scopesFromTree(fn, tree));
  let file: BabelFile | null = null;
  try {
    file = new BabelFileClass({ filename, sourceFileName: options.filename, caller: options.caller }, { code, ast, inputMap: null });
  } finally {
    if (hidden) putBack(hidden, file ? (file.path as NodePath<t.Program>) : null);
  }
  // (what of PluginPass the plugin reads: it calls none of its methods; and that the parts the lowering leaves
  // as they are print as written: `untouched`, print.ts)
  const pass = { key: "stepwise", file, opts: options.plugin, filename, printsUntouched: true } as unknown as LoweredPass;
  try {
    options.before?.(file);
    programVisitor(options.plugin).call(pass, file.path, pass);
  } catch (error) {
    // (as @babel/core words an error of a plugin: transformation/index.js)
    const failure = error as { message?: unknown; code?: unknown };
    if (failure && typeof failure === "object" && typeof failure.message === "string") {
      failure.message = `${filename}: ${failure.message}`;
      failure.code ??= "BABEL_TRANSFORM_ERROR";
    }
    throw toStepwiseError(error, options.filename, code);
  }
  return pass;
}

/** @babel/core's File (its types name only the interface). */
const BabelFileClass = (babelCore() as unknown as { File: new (options: object, input: { code: string; ast: t.File; inputMap: null }) => BabelFile }).File;

/** The plugin's Program visitor, for these options (one plugin instance per option set, as for @babel/core). */
function programVisitor(options: StepwiseOptions): (this: PluginPass, program: unknown, state: PluginPass) => void {
  const plugins = pluginsFor(options);
  plugins.instance ??= stepwisePlugin(undefined, options as Record<string, unknown>);
  return (plugins.instance.visitor.Program as { enter: (this: PluginPass, program: unknown, state: PluginPass) => void }).enter;
}

/**
 * The plugin with these options as a Babel plugin item, and transform()'s plugin list around it: the same
 * objects for the same options. @babel/core keeps what it makes of a plugin (its descriptor, the plugin
 * instantiated with its options, its visitor prepared) by the identity of the options object and of the list:
 * new ones per file would make it all again for every file (a tenth of the time of a small file).
 */
export function stepwisePluginItem(options: StepwiseOptions): PluginItem {
  return pluginsFor(options).item;
}

function pluginsFor(options: StepwiseOptions): Plugins {
  const key = JSON.stringify(options);
  let plugins = pluginCache.get(key);
  if (!plugins) {
    // (a program passing ever-new option values must not grow the cache without bound)
    if (pluginCache.size >= 64) pluginCache.clear();
    const item: PluginItem = [stepwisePlugin, options];
    plugins = { item, list: [item, stopAfterLowering] };
    pluginCache.set(key, plugins);
  }
  return plugins;
}
interface Plugins {
  item: PluginItem;
  list: PluginItem[];
  /** The plugin instantiated (lowerInLastPass). */
  instance?: PluginObj<PluginPass>;
}
const pluginCache = new Map<string, Plugins>();

/**
 * `inputSourceMap: false` for a file without a `//# sourceMappingURL=` comment; else nothing (Babel's default:
 * the comment's map is read, and the comment taken out of the output). Babel looks for one by walking the
 * whole tree twice, rebuilding every comment list: a tenth of the time of a file with little to lower.
 */
export function withoutInputSourceMap(code: string): { inputSourceMap?: never } {
  // (Babel takes false, as its documentation says; its types leave it out)
  return code.includes("sourceMappingURL") ? {} : { inputSourceMap: false as never };
}

// @babel/core's patterns for a `//# sourceMappingURL=` comment (transformation/normalize-file.js)
const INLINE_MAP_COMMENT = /^[@#]\s+sourceMappingURL=data:(?:application|text)\/json;(?:charset[:=]\S+?;)?base64,.*$/;
const EXTERNAL_MAP_COMMENT = /^[@#][ \t]+sourceMappingURL=([^\s'"`]+)[ \t]*$/;

/**
 * For a file transformed without @babel/core's pipeline: takes out its `//# sourceMappingURL=` comments as
 * @babel/core does before any plugin runs (it reads the map they name, and the output must not point at the
 * input's map), and says whether the file can be transformed so. It cannot where the input's map would change
 * the output (source maps asked for: @babel/core merges the two) or where @babel/core would decode an inline
 * map (whether that succeeds decides which comments go): such a file goes through @babel/core. Most files
 * published to npm end with such a comment.
 */
export function withoutInputMapComments(ast: t.File, code: string, sourceMaps: boolean): boolean {
  if (!code.includes("sourceMappingURL")) return true;
  if (sourceMaps) return false;
  let inline = false;
  const external: t.Comment[] = [];
  for (const comment of ast.comments ?? []) {
    if (INLINE_MAP_COMMENT.test(comment.value)) inline = true;
    else if (EXTERNAL_MAP_COMMENT.test(comment.value)) external.push(comment);
  }
  if (inline) return false;
  if (external.length === 0) return true;
  const drop = (comments: t.Comment[] | null | undefined) => comments && comments.filter((comment) => !external.includes(comment));
  for (const comment of external) {
    forEachPossibleHolder(ast, comment, (node) => {
      if (node.leadingComments) node.leadingComments = drop(node.leadingComments);
      if (node.innerComments) node.innerComments = drop(node.innerComments);
      if (node.trailingComments) node.trailingComments = drop(node.trailingComments);
    });
  }
  return true;
}

/**
 * Visits the nodes the parser may have given a comment to, rather than the whole tree (most files published
 * to npm end with a map comment): a comment is one of the inner comments of a node around it, or a trailing
 * comment of the node just before it, or a leading one of the node just after it, among the children of the
 * innermost node around it; where nodes end (or start) together, any of them. So the walk goes down the nodes
 * around the comment and, from each, down the last child of the one before it and the first of the one after.
 */
function forEachPossibleHolder(root: t.Node, comment: t.Comment, visit: (node: t.Node) => void): void {
  const edge = (node: t.Node | null, last: boolean) => {
    for (; node; ) {
      visit(node);
      let next: t.Node | null = null;
      forEachChild(node, (child) => {
        if (next === null || (last ? child.end! >= next.end! : child.start! < next.start!)) next = child;
      });
      node = next;
    }
  };
  for (let around: t.Node | null = root; around; ) {
    visit(around);
    let inside: t.Node | null = null;
    let before: t.Node | null = null;
    let after: t.Node | null = null;
    forEachChild(around, (child) => {
      if (child.start! <= comment.start! && child.end! >= comment.end!) inside = child;
      else if (child.end! <= comment.start!) {
        if (before === null || child.end! >= before.end!) before = child;
      } else if (child.start! >= comment.end! && (after === null || child.start! < after.start!)) after = child;
    });
    edge(before, true);
    edge(after, false);
    around = inside;
  }
}

/**
 * The input's `//# sourceMappingURL=` comments, which are not the output's, as edits of the source text: one
 * inside a part printed as written is taken out of the copy (withoutInputMapComments takes them out of the
 * tree's comment lists, which the printer prints).
 */
function mapCommentEdits(ast: t.File, code: string): SourceEdit[] {
  if (!code.includes("sourceMappingURL")) return [];
  return (ast.comments ?? []).filter((comment) => EXTERNAL_MAP_COMMENT.test(comment.value)).map((comment) => ({ start: comment.start!, end: comment.end!, text: "" }));
}

function toStepwiseError(error: unknown, filename: string, code: string): unknown {
  if (error instanceof StepwiseError) {
    error.message = error.report;
    return error;
  }
  // The stack ran out outside the lowering of one function (parsing, printing): the deepest point is named.
  if (isStackOverflow(error)) return tooDeeplyNested(filename, code, "the code here nests too deeply to compile");
  const cause = error as { code?: string; loc?: { line: number; column: number }; reasonCode?: string; message?: string };
  if (cause && cause.loc && (cause.code === "BABEL_PARSE_ERROR" || cause.reasonCode)) {
    const message = (cause.message ?? "").split("\n")[0].replace(/^[^:]*: /, "").replace(/ \(\d+:\d+\)$/, "");
    return new StepwiseError("syntax error", message, filename, code, cause.loc);
  }
  return error;
}
