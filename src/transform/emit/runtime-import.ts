// How generated code reaches the runtime: an import, a require, or the runtime itself inlined.
import { buildScopeTree } from "../analyze/scope-tree.ts";
import { babelParser } from "../babel-packages.ts";
import * as t from "../types.ts";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export type RuntimeMode = "import" | "require" | "inline";

/**
 * The runtime package generated code imports by default (packages/runtime: the promise driver, generator
 * objects, and the event loop as `@stepwise/runtime/loop`). `stepwise/runtime` and `stepwise/loop`
 * re-export it, for code built with `runtimeModule` set to them.
 */
export const RUNTIME_PACKAGE = "@stepwise/runtime";
export const LOOP_MODULE = "@stepwise/runtime/loop";

/** The module generated code imports when `runtimeModule` is not given: the loop's in loop mode. */
export function defaultRuntimeModule(mode: string | undefined): string {
  return mode === "loop" ? LOOP_MODULE : RUNTIME_PACKAGE;
}

// The inline mode puts the runtime's modules in one function: each module's statements, in the order
// ESM evaluates them (a module after the modules it imports), with `import` lines and `export` keywords
// removed. That is sound because the runtime keeps to three rules, checked here: its modules import only
// each other (relative `./name.js`), never rename an import, and never declare the same top-level name
// twice. In src/ the runtime's sources are next door; in dist/ the compiler's runtime folder only re-exports
// the runtime package, so its files are read where the package is installed.
//
// Of those statements a file gets only what it uses, as a bundler keeps them (a file with one async function
// does not carry generators, async generators and the disposal of `using`): the declarations of the names
// the file imports and of every top-level name a kept statement refers to, and the statements that declare
// nothing (`setPrototypeOf(Generator.prototype, ...)`) of every module something is kept of. That is the
// promise the runtime package makes bundlers with `"sideEffects": false`: a module's top-level code does
// nothing that matters unless something of the module is used.
function runtimeEntry(): URL {
  const sources = new URL("../../runtime/", import.meta.url);
  if (existsSync(new URL("machine.js", sources))) return new URL("index.js", sources);
  return pathToFileURL(createRequire(import.meta.url).resolve(RUNTIME_PACKAGE));
}

/** A top-level statement of the runtime: its module, the names it declares and the runtime's top-level names it refers to. */
interface RuntimeStatement {
  node: t.Statement;
  module: string;
  declares: string[];
  refersTo: string[];
}

/** The runtime's statements in evaluation order, with `import`/`export` removed. */
let runtimeBody: RuntimeStatement[] | null = null;

function readRuntime(): RuntimeStatement[] {
  if (runtimeBody) return runtimeBody;
  const body: RuntimeStatement[] = [];
  const done = new Set<string>();
  const declared = new Map<string, string>();
  const visit = (url: URL) => {
    if (done.has(url.href)) return;
    done.add(url.href);
    const ast = babelParser().parse(readFileSync(url, "utf8"), { sourceType: "module", attachComment: false });
    const refersTo = topLevelReferences(ast.program);
    // The runtime's places are in its own files, not in the file it is inlined into: where it is printed
    // (by Babel's generator; by the printer in a script's namespace, which it does not copy), the source
    // map must take its code nowhere.
    t.traverseFast(ast, (node) => void (node.loc = null));
    const fail = (message: string): never => {
      throw new Error(`stepwise: cannot inline the runtime: ${url.pathname}: ${message}`);
    };
    for (const statement of ast.program.body) {
      const from = (t.isImportDeclaration(statement) || t.isExportNamedDeclaration(statement) || t.isExportAllDeclaration(statement)) && statement.source;
      if (!from) continue;
      if (!/^\.\/[\w-]+\.js$/.test(from.value)) fail(`imports ${from.value} (only ./module.js of the runtime itself)`);
      visit(new URL(from.value, url));
    }
    ast.program.body.forEach((statement, index) => {
      if (t.isImportDeclaration(statement)) {
        for (const specifier of statement.specifiers) {
          if (!t.isImportSpecifier(specifier) || (t.isIdentifier(specifier.imported) ? specifier.imported.name : specifier.imported.value) !== specifier.local.name) {
            fail(`imports ${specifier.local.name} under another name`);
          }
        }
        return;
      }
      if (t.isExportAllDeclaration(statement) || t.isExportDefaultDeclaration(statement)) fail("export * and export default are not inlined");
      if (t.isExportNamedDeclaration(statement) && !statement.declaration) {
        for (const specifier of statement.specifiers) {
          if (!t.isExportSpecifier(specifier)) return fail("exports a namespace");
          const exported = t.isIdentifier(specifier.exported) ? specifier.exported.name : specifier.exported.value;
          if (exported !== specifier.local.name) fail("exports a name under another name");
        }
        return;
      }
      const declaration = t.isExportNamedDeclaration(statement) ? statement.declaration! : statement;
      const declares = Object.keys(t.getOuterBindingIdentifiers(declaration));
      for (const name of declares) {
        const other = declared.get(name);
        if (other !== undefined) fail(`declares ${name}, as ${other} does`);
        declared.set(name, url.pathname);
      }
      body.push({ node: declaration, module: url.href, declares, refersTo: refersTo[index]! });
    });
  };
  visit(runtimeEntry());
  return (runtimeBody = body);
}

/**
 * For each top-level statement of a runtime module (by index), the module's top-level names (its imports
 * among them) that the statement refers to or assigns, by the transform's own scopes (analyze/scope-tree.ts).
 */
function topLevelReferences(program: t.Program): string[][] {
  const statementOf = new Map<t.Node, number>();
  program.body.forEach((statement, index) => t.traverseFast(statement, (node) => void statementOf.set(node, index)));
  const refersTo: Set<string>[] = program.body.map(() => new Set());
  for (const [name, binding] of buildScopeTree(program).program.bindings) {
    for (const use of [...binding.references, ...binding.violations]) refersTo[statementOf.get(use)!]!.add(name);
  }
  return refersTo.map((names) => [...names]);
}

/** The runtime a file with these imports gets: its statements, shared (see runtimeImport), keyed by the names. */
const shaken = new Map<string, t.Statement[]>();

/** The runtime's statements that `names` (sorted names the runtime exports) need, in evaluation order. */
function runtimeStatements(names: readonly string[]): t.Statement[] {
  const key = names.join(" ");
  let statements = shaken.get(key);
  if (statements) return statements;
  const body = readRuntime();
  const needed = new Set(names);
  const modules = new Set<string>();
  const kept = new Set<RuntimeStatement>();
  // To a fixpoint: a declaration of a needed name is kept, and a statement that declares nothing
  // (`setPrototypeOf(Generator.prototype, ...)`) where a declaration of its module is; what a kept statement
  // refers to is needed. Each round follows the references one step further.
  for (let grew = true; grew; ) {
    grew = false;
    for (const statement of body) {
      if (kept.has(statement)) continue;
      if (!(statement.declares.length > 0 ? statement.declares.some((name) => needed.has(name)) : modules.has(statement.module))) continue;
      kept.add(statement);
      modules.add(statement.module);
      for (const name of statement.refersTo) needed.add(name);
      grew = true;
    }
  }
  statements = body.filter((statement) => kept.has(statement)).map((statement) => statement.node);
  shaken.set(key, statements);
  return statements;
}

/**
 * The calls of the inlined runtime's function, `(() => { ...; return { ... }; })()`, each with the names it
 * returns: the same text for every file that imports the same names, which print.ts prints once and copies
 * (most of what inlining the runtime cost per file was printing it).
 */
const runtimeCalls = new WeakMap<t.Node, string>();

/** The names an inlined runtime's call returns, as one string (the key of its text), or undefined for any other node. */
export function inlinedRuntimeKey(node: t.Node): string | undefined {
  return runtimeCalls.get(node);
}

const INLINED = " stepwise runtime, inlined";

/** The declaration that holds an inlined runtime: the plugin must not lower its functions. */
export function isInlinedRuntime(node: t.Node): boolean {
  return !!node.leadingComments?.some((comment) => comment.value === INLINED);
}

/** `lastPass`: nothing changes the statement before it is printed (an inlined runtime's statements are then shared). */
export function runtimeImport(mode: RuntimeMode, names: Map<string, string>, specifier: string, lastPass = false): t.Statement {
  const pairs = [...names.entries()];
  if (mode === "import") {
    return t.importDeclaration(
      pairs.map(([exported, local]) => t.importSpecifier(t.identifier(local), t.identifier(exported))),
      t.stringLiteral(specifier),
    );
  }
  const pattern = t.objectPattern(
    pairs.map(([exported, local]) => t.objectProperty(t.identifier(exported), t.identifier(local), false, exported === local)),
  );
  if (mode === "require") {
    return t.variableDeclaration("const", [
      t.variableDeclarator(pattern, t.callExpression(t.identifier("require"), [t.stringLiteral(specifier)])),
    ]);
  }
  const used = pairs.map(([exported]) => exported).sort();
  const shared = runtimeStatements(used);
  const body = lastPass ? shared : shared.map((statement) => t.cloneNode(statement, true, true));
  const exported = t.objectExpression(used.map((name) => t.objectProperty(t.identifier(name), t.identifier(name), false, true)));
  const factory = t.arrowFunctionExpression([], t.blockStatement([...body, t.returnStatement(exported)]));
  const call = t.callExpression(factory, []);
  runtimeCalls.set(call, used.join(" "));
  const declaration = t.variableDeclaration("const", [t.variableDeclarator(pattern, call)]);
  t.addComment(declaration, "leading", INLINED, true);
  return declaration;
}
