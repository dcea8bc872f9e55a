// How generated code reaches the runtime: an import, a require, or the runtime itself inlined.
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
// twice. The names the function returns are those src/runtime/index.js re-exports (its public surface).
// In src/ the runtime's sources are next door; in dist/ the compiler's runtime folder only re-exports the
// runtime package, so its files are read where the package is installed.
function runtimeEntry(): URL {
  const sources = new URL("../../runtime/", import.meta.url);
  if (existsSync(new URL("machine.js", sources))) return new URL("index.js", sources);
  return pathToFileURL(createRequire(import.meta.url).resolve(RUNTIME_PACKAGE));
}
let inlineBody: t.Statement[] | null = null;
let exportedNames: string[] = [];

/**
 * The runtime's statements with `import`/`export` removed, and the names it exports. `shared`: the same
 * statements every time, not copies (nothing changes them: the file is printed right after the lowering,
 * FileContext.lastPass).
 */
function runtimeStatements(shared: boolean): t.Statement[] {
  if (!inlineBody) {
    const body: t.Statement[] = [];
    const done = new Set<string>();
    const declared = new Map<string, string>();
    const visit = (url: URL, entry: boolean) => {
      if (done.has(url.href)) return;
      done.add(url.href);
      const ast = babelParser().parse(readFileSync(url, "utf8"), { sourceType: "module", attachComment: false });
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
        visit(new URL(from.value, url), false);
      }
      for (const statement of ast.program.body) {
        if (t.isImportDeclaration(statement)) {
          for (const specifier of statement.specifiers) {
            if (!t.isImportSpecifier(specifier) || (t.isIdentifier(specifier.imported) ? specifier.imported.name : specifier.imported.value) !== specifier.local.name) {
              fail(`imports ${specifier.local.name} under another name`);
            }
          }
          continue;
        }
        if (t.isExportAllDeclaration(statement) || t.isExportDefaultDeclaration(statement)) fail("export * and export default are not inlined");
        if (t.isExportNamedDeclaration(statement) && !statement.declaration) {
          for (const specifier of statement.specifiers) {
            if (!t.isExportSpecifier(specifier)) return fail("exports a namespace");
            const exported = t.isIdentifier(specifier.exported) ? specifier.exported.name : specifier.exported.value;
            if (exported !== specifier.local.name) fail("exports a name under another name");
            if (entry) exportedNames.push(exported);
          }
          continue;
        }
        const declaration = t.isExportNamedDeclaration(statement) ? statement.declaration! : statement;
        const names = Object.keys(t.getOuterBindingIdentifiers(declaration));
        for (const name of names) {
          const other = declared.get(name);
          if (other !== undefined) fail(`declares ${name}, as ${other} does`);
          declared.set(name, url.pathname);
        }
        if (entry && t.isExportNamedDeclaration(statement)) exportedNames.push(...names);
        body.push(declaration);
      }
    };
    exportedNames = [];
    visit(runtimeEntry(), true);
    inlineBody = body;
  }
  return shared ? inlineBody : inlineBody.map((statement) => t.cloneNode(statement, true, true));
}

/**
 * The calls of the inlined runtime's function, `(() => { ...; return { ... }; })()`: the same text in every
 * file, which print.ts prints once and copies (most of what inlining the runtime cost per file was printing it).
 */
const runtimeCalls = new WeakSet<t.Node>();

export function isInlinedRuntimeCall(node: t.Node): boolean {
  return runtimeCalls.has(node);
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
  const body = runtimeStatements(lastPass);
  const exported = t.objectExpression(exportedNames.map((name) => t.objectProperty(t.identifier(name), t.identifier(name), false, true)));
  const factory = t.arrowFunctionExpression([], t.blockStatement([...body, t.returnStatement(exported)]));
  const call = t.callExpression(factory, []);
  runtimeCalls.add(call);
  const declaration = t.variableDeclaration("const", [t.variableDeclarator(pattern, call)]);
  t.addComment(declaration, "leading", INLINED, true);
  return declaration;
}
