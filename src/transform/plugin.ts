// The Babel plugin: every async function, innermost first, becomes a machine class and a wrapper.
import type { PluginObj, PluginPass } from "@babel/core";
import type { NodePath, Visitor } from "@babel/traverse";
import * as t from "./types.ts";
import { lstatSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { isStackOverflow, StepwiseError, tooDeeplyNested, UnsupportedError } from "./errors.ts";
import { forgetFileCrawl, forgetFunction, forgetStatements, nodesOf } from "./babel-memory.ts";
import { FileContext } from "./file-context.ts";
import type { BindingLookup } from "./analyze/outer-bindings.ts";
import { referencesOf, type AnyBinding } from "./analyze/scope-view.ts";
import { lowerFunction } from "./lower-function.ts";
import { functionName } from "./names.ts";
import { attachMachineInfo } from "./report/machine-info.ts";
import { RUNTIME_PACKAGE, defaultRuntimeModule, isInlinedRuntime, runtimeImport, type RuntimeMode } from "./emit/runtime-import.ts";
import { encloseScript, namespaceName } from "./emit/script-scope.ts";
import { markUntouched, untouchedParts } from "./untouched.ts";
import { packForRetainedLines } from "./retain-lines.ts";
import { forEachChild } from "./ast.ts";

export interface StepwiseOptions {
  /** How generated code reaches the runtime. Default: `import` in modules, `require` in scripts. */
  runtime?: RuntimeMode;
  /** Module specifier of the runtime (default: `@stepwise/runtime`; `@stepwise/runtime/loop` in loop mode). */
  runtimeModule?: string;
  /**
   * What calling a lowered async function does: `promise` (default) runs it on the promise driver and
   * returns a Promise; `loop` returns a coroutine for stepwise's event loop (`stepwise/loop`).
   */
  mode?: "promise" | "loop";
  /** Each machine class carries its metadata as a static `$info` field (for tracers; see report/machine-info.ts). */
  machineInfo?: boolean;
  /**
   * Lower generator functions too (default true). `false` leaves every `function*` native, async
   * generators (`async function*`) included: they are generators; only async functions are lowered.
   */
  generators?: boolean;
}

/** The plugin's walk to the functions (see `toFunctions`). */
interface Walk {
  pass: State;
  /** The insertions' mark at each function entered and not yet left (emit/insertions.ts). */
  marks: number[];
}

interface State extends PluginPass {
  stepwise?: FileContext;
  /** Set by lowerInLastPass (index.ts), which prints the parts the lowering leaves as they are as written. */
  printsUntouched?: boolean;
}

const OPTION_KEYS = new Set(["generators", "machineInfo", "mode", "runtime", "runtimeModule"]);
/** Babel's plugins (their keys, as preset-env includes them) that lower async functions or generators. */
const PRESET_ENV_LOWERINGS = new Set(["transform-async-to-generator", "transform-async-generator-functions", "transform-regenerator", "proposal-async-generator-functions"]);
/** Those, and the other plugins (their keys: the names they declare) that lower them: babel-plugin-transform-async-to-promises. */
const NATIVE_LOWERINGS = new Set([...PRESET_ENV_LOWERINGS, "transform-async-to-promises"]);

export function validateOptions(options: Record<string, unknown>, alsoKnown: readonly string[] = []): StepwiseOptions {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new Error(`stepwise: unknown option "${key}" (known: ${[...OPTION_KEYS, ...alsoKnown].sort().join(", ")})`);
  }
  const runtime = options.runtime;
  if (runtime !== undefined && runtime !== "import" && runtime !== "require" && runtime !== "inline") {
    throw new Error(`stepwise: option "runtime" must be "import", "require" or "inline", got ${JSON.stringify(runtime)}`);
  }
  if (options.mode !== undefined && options.mode !== "promise" && options.mode !== "loop") {
    throw new Error(`stepwise: option "mode" must be "promise" or "loop", got ${JSON.stringify(options.mode)}`);
  }
  if (options.mode === "loop" && runtime === "inline") {
    throw new Error(`stepwise: option "runtime" cannot be "inline" in loop mode (the event loop is a module: use "import" or "require")`);
  }
  if (options.runtimeModule !== undefined && typeof options.runtimeModule !== "string") {
    throw new Error(`stepwise: option "runtimeModule" must be a string, got ${JSON.stringify(options.runtimeModule)}`);
  }
  for (const key of ["generators", "machineInfo"]) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") {
      throw new Error(`stepwise: option "${key}" must be a boolean, got ${JSON.stringify(options[key])}`);
    }
  }
  return options as StepwiseOptions;
}

// (`options: object`, as Babel 8's types give a plugin its options, Babel 7's `any`: the plugin fits both)
export default function stepwisePlugin(_api: unknown, rawOptions: object = {}): PluginObj<State> {
  const options = validateOptions(rawOptions as Record<string, unknown>);
  // The walk to the functions, made once per plugin instance rather than per file: Babel prepares (explodes)
  // a visitor object the first time it sees it.
  const toFunctions: Visitor<Walk> = {
    // Only async functions, generators and what holds them: nothing else has anything to lower.
    enter(path, walk) {
      if (!walk.pass.stepwise!.lowerable.has(path.node)) path.skip();
    },
    // (a runtime inlined by an earlier run of the plugin over the same file is left as it is)
    VariableDeclaration(path) {
      if (isInlinedRuntime(path.node)) path.skip();
    },
    Function: {
      enter(path, walk) {
        // (an outermost async function or generator Babel has no scopes of yet: narrow-crawl.ts)
        const file = walk.pass.stepwise!;
        if (file.onEntry?.functions.has(path.node)) {
          if (readableFromTree(path, file)) file.fromTree.add(path.node);
          else file.giveScopes(path);
        }
        walk.marks.push(file.insertions.mark());
      },
      exit(path, walk) {
        lower(path, walk.pass, walk.marks.pop()!);
      },
    },
  };
  return {
    name: "stepwise",
    visitor: {
      Program: {
        enter(program, state) {
          // The runtime and the event loop are never lowered (bundlers may run Babel over node_modules):
          // their generators would import the runtime from itself.
          if (isStepwiseRuntime(state.filename)) return;
          // (a script's top level is the realm's, unless the output imports the runtime: then it is a module)
          const ownTopLevel = program.node.sourceType === "module" || options.runtime === "import" || /\.c[jt]s$/.test(state.filename ?? "");
          state.stepwise = new FileContext(state.file.code, basename(displayName(state)), program, ownTopLevel);
          if (options.mode === "loop") state.stepwise.asyncDriver = "coroutine";
          if (options.machineInfo) state.stepwise.writesEveryState = true;
          state.stepwise.lastPass = (state.file.opts.caller as { lastPass?: unknown } | undefined)?.lastPass === true;
          // (before the lowering moves anything)
          if (state.printsUntouched) state.stepwise.untouched = untouchedParts(program.node, state.stepwise.lowerable);
          // (FileContext has read what it needs of the crawl's scopes; its lists of paths are dead weight, and so,
          // in a last pass, is what Babel knows of the statements with nothing to lower)
          forgetFileCrawl(program);
          if (state.stepwise.lastPass) forgetStatements(program.node, state.stepwise.lowerable, state.stepwise.hiddenFromCrawl);
          // Every function is lowered here, innermost first, before any other plugin or preset visits the
          // file's functions: preset-env's async-to-generator, regenerator or object-rest lowering, or a JSX
          // preset, then see (and compile further) only the generated classes and wrappers.
          program.traverse(toFunctions, { pass: state, marks: [] });
          state.stepwise.insertions.flushAll(state.stepwise.lastPass);
          // The runtime import goes in now, so that other plugins transform it too (modules-commonjs into a
          // require, preset-env an inlined runtime).
          finish(program, state);
          // (transform() and the CLI print the file themselves: lowerInLastPass packs it)
          const printing = state.file.opts as { generatorOpts?: { retainLines?: boolean } };
          if (!state.stepwise.lastPass && printing.generatorOpts?.retainLines) packForRetainedLines(program.node, state.stepwise.untouched ?? null);
        },
      },
    },
  };

  function finish(program: NodePath<t.Program>, state: State): void {
    const file = state.stepwise!;
    const mode = file.runtimeNames.size === 0 ? null : (options.runtime ?? defaultRuntime(program, state));
    if (mode === "inline") warnOfNativeLowerings(state);
    state.file.metadata = Object.assign(state.file.metadata ?? {}, { stepwise: { machines: file.machines, warnings: file.warnings } });
    // transform() and the CLI report warnings themselves; anywhere else (a Babel config), stderr is the place.
    if ((state.file.opts.caller as { name?: string } | undefined)?.name !== "stepwise") for (const warning of file.warnings) console.warn(`stepwise: ${warning}`);
    if (options.machineInfo) attachMachineInfo(program.node, file.machines, displayName(state));
    if (mode === null) return;
    const header = runtimeImport(mode, file.runtimeNames, options.runtimeModule ?? defaultRuntimeModule(options.mode), file.lastPass);
    // A script's top level is the realm's (emit/script-scope.ts); an inlined runtime is the only one a
    // script can have, and a .cjs/.cts file is CommonJS, whose top level is its own.
    if (mode === "inline" && program.node.sourceType === "script" && !/\.c[jt]s$/.test(state.filename ?? "")) {
      const name = namespaceName(file, displayName(state), state.file.code, options);
      encloseScript(program.node, header, new Set(file.machines.map((machine) => machine.className)), file.holders, name);
      return;
    }
    // Last pass (transform(), the CLI): nothing reads paths after this, and unshiftContainer would make a path
    // and a scope for the first statement, a whole machine class crawled for nothing.
    if (file.lastPass) program.node.body.unshift(header);
    else program.unshiftContainer("body", header);
  }

  /**
   * An inlined runtime goes in so that the pass's other plugins transform it (preset-env lowers its private
   * fields for older targets), but one that lowers async functions or generators takes from it the native
   * functions whose prototypes make lowered functions look native: it fails at run time (a `for await` finds
   * no async iterator). Said once per file, naming them.
   */
  function warnOfNativeLowerings(state: State): void {
    const plugins = (state.file.opts.plugins ?? []) as { key?: string | null }[];
    const lowerings = [...new Set(plugins.map((plugin) => plugin.key ?? "").filter((key) => NATIVE_LOWERINGS.has(key)))];
    if (lowerings.length === 0) return;
    const remedies = [];
    if (lowerings.some((key) => PRESET_ENV_LOWERINGS.has(key))) remedies.push("exclude transform-async-to-generator, transform-async-generator-functions and transform-regenerator from @babel/preset-env");
    for (const key of lowerings) if (!PRESET_ENV_LOWERINGS.has(key)) remedies.push(`remove ${key}`);
    state.stepwise!.warnings.push(
      `${displayName(state)}: ${lowerings.join(", ")} ${lowerings.length > 1 ? "run" : "runs"} in the same pass and would lower the inlined runtime's own async functions and generators, which it needs native: ${remedies.join(", ")}, or import the runtime`,
    );
  }

  function lower(path: NodePath<t.Function>, state: State, mark: number): void {
    const { async, generator } = path.node;
    if (!(async || generator)) return;
    if (generator && options.generators === false) return;
    const file = state.stepwise!;
    if (markedNative(path) || sentAsSource(path, file)) return keepAsWritten(path, file);
    // The classes of the functions inside it go into its lists first: its analysis must see them.
    file.insertions.flush(mark);
    try {
      const evalCall = file.evalCalls.get(path.node);
      if (evalCall && options.mode === "loop") throw new UnsupportedError("direct `eval` in an async function (its locals are fields of the machine) is not supported", evalCall);
      // eval's code could read or assign any variable of the function, which a machine keeps in fields.
      if (evalCall) return leaveNative(path, state, `it calls eval directly (line ${evalCall.loc?.start.line ?? "?"}), which could reach the variables a machine keeps in fields`);
      const freeArguments = programArguments(path, file);
      if (freeArguments && options.mode === "loop") throw new UnsupportedError("`arguments` in an async arrow function at a module's top level (it names no function's arguments) is not supported", freeArguments);
      if (freeArguments) return leaveNative(path, state, `it reads \`arguments\` at a module's top level (line ${freeArguments.loc?.start.line ?? "?"}), where it names no function's arguments`);
      // A function inside no other, in a last pass: nothing reads Babel's paths and scopes of it once it is
      // lowered, and they are most of the heap (babel-memory.ts). Its nodes are listed before the lowering
      // moves them: by the tree's scopes as they were made (before, or by its analysis, for one read from the
      // tree until then), else by a walk.
      const node = path.node;
      const outermost = file.lastPass && file.ancestors.functionParent(path) === null;
      const walked = outermost && !file.keptByBabel.has(node) && !file.fromTree.has(node) ? nodesOf(node) : null;
      file.machines.push(lowerFunction(path, file));
      const forget = walked ?? (outermost ? file.keptByBabel.get(node) : undefined);
      if (forget) forgetFunction(forget);
    } catch (error) {
      if (isStackOverflow(error)) {
        const what = generator ? (async ? "async generator" : "generator") : "async function";
        throw tooDeeplyNested(displayName(state), state.file.code, `${what} ${functionName(path)} nests too deeply to lower`, path.node.loc?.start);
      }
      if (error instanceof UnsupportedError) {
        const loc = error.node?.loc?.start ?? path.node.loc?.start ?? { line: 1, column: 0 };
        throw new StepwiseError("unsupported", error.message, displayName(state), state.file.code, loc);
      }
      throw error;
    }
  }
}

/**
 * Whether an outermost lowered function can be lowered reading its scopes off the scope tree, with no paths
 * or scopes of Babel's below it (FileContext.fromTree). What the lowering rewrites before its analysis, or
 * reads with paths, rules a function out: a lowered function inside it (its machine is made first), a `using`
 * (lowered first), a function that is the value of a computed key (remade as a method: lower-function.ts
 * `asMethod`), and `with` (read with paths). Where the analysis meets what only Babel's scopes tell, it gives
 * the function its scopes then (analyze/bindings.ts).
 */
function readableFromTree(fn: NodePath<t.Function>, file: FileContext): boolean {
  const node = fn.node;
  if (file.hasWith || file.hasUsing) return false;
  if (file.lowerable.has(node.body) || node.params.some((param) => file.lowerable.has(param))) return false;
  const holder = fn.parent;
  return !(node.type === "FunctionExpression" && !node.id && holder.type === "ObjectProperty" && holder.computed && holder.value === node);
}

/** A function that stays as written, with one warning line saying why. */
function leaveNative(fn: NodePath<t.Function>, state: State, why: string): void {
  keepAsWritten(fn, state.stepwise!);
  const { async, generator } = fn.node;
  const start = fn.node.loc?.start ?? { line: 1, column: 0 };
  const what = generator ? (async ? "async generator" : "generator") : "async function";
  state.stepwise!.warnings.push(`${displayName(state)}:${start.line}:${start.column + 1}: ${what} ${functionName(fn)} is left native: ${why}; a /* stepwise-native */ comment before it keeps it native without this warning`);
}

/**
 * A function kept native is printed from the source as written, as the code around it is, where nothing in
 * it was lowered (a lowered function inside it changed it) and no function around it may be (whose lowering
 * rewrites what it reads of that function's locals: printed again, it reads them where they went).
 */
function keepAsWritten(fn: NodePath<t.Function>, file: FileContext): void {
  const { node } = fn;
  if (file.untouched === null || file.lowerable.has(node.body) || node.params.some((param) => file.lowerable.has(param))) return;
  for (let up: NodePath | null = fn.parentPath; up !== null; up = up.parentPath) if (up.isFunction() && (up.node.async || up.node.generator)) return;
  markUntouched(file.untouched, node, fn.parent, fn.listKey ?? String(fn.key));
}

/**
 * A reference to `arguments` that an async arrow at a module's top level reads as its own: in a module no
 * function is around it (a CommonJS module's is Node's wrapper's, which the lowered arrow's wrapper passes
 * on), so it is a global reference, which throws a ReferenceError when it runs, and `typeof arguments` is
 * "undefined". Inside a machine's method `arguments` would be the method's, and a wrapper that passed the
 * program's on would throw when called: such an arrow stays native. (Strict code declares no `arguments`,
 * so every such reference outside a function of its own is this one.)
 */
function programArguments(fn: NodePath<t.Function>, file: FileContext): t.Identifier | null {
  // (the text is looked at once per file, not once per arrow)
  if (!fn.isArrowFunctionExpression() || !(file.mentionsArguments ??= file.code.includes("arguments"))) return null;
  for (let path: NodePath | null = fn.parentPath; path; path = path.parentPath) {
    if (path.isFunction() && !path.isArrowFunctionExpression()) return null;
    if (path.isProgram() && path.node.sourceType !== "module") return null;
  }
  // (the first in the source, for the warning)
  let first: t.Identifier | null = null;
  const stack: t.Node[] = [fn.node];
  const parents: t.Node[] = [fn.node];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const parent = parents.pop()!;
    if (node.type === "Identifier" && node.name === "arguments" && t.isReferenced(node, parent)) {
      if (first === null || node.start! < first.start!) first = node;
      continue;
    }
    // (a function of its own has its own `arguments`; only a computed key of a method is read outside it)
    if (node !== fn.node && t.isFunction(node) && node.type !== "ArrowFunctionExpression") {
      if ("computed" in node && node.computed) stack.push(node.key), parents.push(node);
      continue;
    }
    forEachChild(node, (child) => void (stack.push(child), parents.push(node)));
  }
  return first;
}

/**
 * Methods that send a function's source text (`fn.toString()`) to run somewhere else: a browser page or
 * worker (Playwright's and Puppeteer's `evaluate`, `evaluateHandle`, `$eval`, `$$eval`, `waitForFunction`,
 * `addInitScript`, `evaluateOnNewDocument`, Playwright's own `evaluateInUtility`; Selenium's `executeScript`),
 * and TestCafe's `ClientFunction`. A lowered function's text is its wrapper's, which calls a runtime and a
 * machine class that are not there.
 */
const SOURCE_SENDERS = /^(_?evaluate\w*|\$\$?eval|waitForFunction|addInitScript|executeScript|executeAsyncScript|ClientFunction)$/;

/** One of SOURCE_SENDERS' names anywhere in the text (or a longer word ending in one): only then can a function be sent. */
const MENTIONS_SENDER = new RegExp(SOURCE_SENDERS.source.slice(1, -1));

/**
 * A function inside a function that one of SOURCE_SENDERS is given (or that function itself): a function
 * literal passed straight to it, or a function whose name is (`async function check() {}` or `const check =
 * async () => {}`, then `page.evaluate(check)`). Its text runs elsewhere as written, so it stays native. (Left
 * native by mistake, a function only loses its machine: it runs as natively.)
 */
function sentAsSource(fn: NodePath<t.Function>, file: FileContext): boolean {
  if (!(file.mentionsSender ??= MENTIONS_SENDER.test(file.code))) return false;
  for (let path: NodePath | null = fn; path?.parentPath; path = path.parentPath) {
    if (!path.isFunction()) continue;
    if (isSenderArgument(path.node, path.parentPath.node)) return true;
    const binding = nameBinding(path, file.lookup);
    if (binding && referencesOf(binding).some(({ node, parent }) => isSenderArgument(node, parent))) return true;
  }
  return false;
}

/** Whether `node` is an argument of a call of one of SOURCE_SENDERS (`call`: its parent). */
function isSenderArgument(node: t.Node, call: t.Node): boolean {
  if ((call.type !== "CallExpression" && call.type !== "OptionalCallExpression") || !call.arguments.includes(node as t.Expression)) return false;
  const callee = call.callee;
  const name = callee.type === "Identifier" ? callee.name : (callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression") && !callee.computed && callee.property.type === "Identifier" ? callee.property.name : null;
  return name !== null && SOURCE_SENDERS.test(name);
}

/** The binding that names a function: a declaration's, or that of the variable it initializes or is assigned to. */
function nameBinding(fn: NodePath<t.Function>, lookup: BindingLookup): AnyBinding | undefined {
  if (fn.isFunctionDeclaration()) return fn.node.id ? lookup.binding(fn.parentPath.scope, fn.node.id.name) : undefined;
  const holder = fn.parentPath;
  const name =
    holder.isVariableDeclarator() && holder.node.init === fn.node && holder.node.id.type === "Identifier" ? holder.node.id.name
    : holder.isAssignmentExpression({ operator: "=" }) && holder.node.right === fn.node && holder.node.left.type === "Identifier" ? holder.node.left.name
    : null;
  return name === null ? undefined : lookup.binding(holder.scope, name);
}

/** What can stand between a `stepwise-native` comment and the function it marks (`const f = async () => {}`). */
const HOLDERS = new Set(["VariableDeclarator", "VariableDeclaration", "ExportNamedDeclaration", "ExportDefaultDeclaration", "ObjectProperty", "ClassProperty", "ClassPrivateProperty", "AssignmentExpression", "ExpressionStatement"]);

/** A function marked to stay native: a comment containing `stepwise-native` before it (or before what holds it). */
function markedNative(fn: NodePath<t.Function>): boolean {
  for (let path: NodePath | null = fn; path; path = path.parentPath) {
    if (path.node.leadingComments?.some((comment) => /\bstepwise-native\b/.test(comment.value))) return true;
    if (!path.parentPath || !HOLDERS.has(path.parentPath.node.type)) return false;
  }
  return false;
}

/** Where this copy's runtime is: next door in src/, the runtime package's dist/ (which dist/ re-exports). */
const runtimeDirs = ["../runtime/", "../loop/"].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));
try {
  runtimeDirs.push(dirname(dirname(createRequire(import.meta.url).resolve(RUNTIME_PACKAGE))) + sep);
} catch {
  // not installed next to this copy: the sources next door are the runtime
}

/** Whether `filename` is a file of stepwise's runtime or event loop (this copy's, or any installed one; its CommonJS build's `.cjs` files too). */
function isStepwiseRuntime(filename: string | undefined): boolean {
  if (!filename) return false;
  const real = realPath(filename);
  return runtimeDirs.some((dir) => real.startsWith(dir)) || /[\\/]node_modules[\\/](stepwise|@stepwise[\\/]runtime)[\\/]dist[\\/](runtime|loop)[\\/][^\\/]+\.c?js$/.test(filename);
}

/** The real paths of the directories of the files transformed so far (null: not on disk). */
const realDirs = new Map<string, string | null>();

/**
 * realpathSync(filename), or the name itself where it is not on disk (a string transformed in memory). A
 * build transforms many files of few directories: each directory's real path is resolved once (a link
 * replaced while the process runs is not seen), and the file itself only looked at (one lstat, not one per
 * directory of the path) to tell whether it is a link.
 */
function realPath(filename: string): string {
  try {
    // (a relative name is the current directory's, as realpathSync reads it)
    const absolute = resolve(filename);
    const dir = dirname(absolute);
    let realDir = realDirs.get(dir);
    if (realDir === undefined) {
      try {
        realDir = realpathSync(dir);
      } catch {
        realDir = null;
      }
      realDirs.set(dir, realDir);
    }
    const stat = realDir === null ? undefined : lstatSync(absolute, { throwIfNoEntry: false });
    if (stat === undefined) return filename;
    return stat.isSymbolicLink() ? realpathSync(absolute) : join(realDir!, basename(absolute));
  } catch {
    return filename;
  }
}

/**
 * The runtime delivery that matches the file's module type: `require` in a script; in what Babel parsed
 * as a module (its default sourceType), `require` too when the file is CommonJS all the same (a .cjs/.cts
 * file, or no import/export but a free `require`, `module` or `exports`), else `import`.
 */
function defaultRuntime(program: NodePath<t.Program>, state: State): RuntimeMode {
  if (program.node.sourceType !== "module") return "require";
  if (/\.c[jt]s$/.test(state.filename ?? "")) return "require";
  const moduleSyntax = program.node.body.some((node) => t.isImportDeclaration(node) || t.isExportDeclaration(node));
  if (moduleSyntax) return "import";
  // (where Babel crawled only the lowered functions, the scope tree has the whole file's free names)
  const tree = state.stepwise?.lookup.tree;
  if (tree) return ["require", "module", "exports"].some((name) => tree.globals.has(name) && !tree.program.bindings.has(name)) ? "require" : "import";
  const globals = (program.scope as unknown as { globals: Record<string, unknown> }).globals;
  return ["require", "module", "exports"].some((name) => name in globals && !program.scope.hasBinding(name)) ? "require" : "import";
}

/** The file name as the caller spelled it (Babel makes `filename` absolute). */
function displayName(state: PluginPass): string {
  return state.file.opts.sourceFileName ?? state.filename ?? "input.js";
}
