// Whether a file that neither its extension nor its package's "type" names a format is an ES module, as Node
// tells it (by its syntax: Node 20.19 and 22.7 on, also for .ts files once their types are stripped). It is
// when it has an import or export declaration at its top level, `import.meta`, or an `await` outside every
// function. What goes with the types is none (`import type`, `export type`, `export interface`, `export
// declare`, `export default interface`), nor is TypeScript's CommonJS (`import x = require()`, `export =`,
// an alias `import x = N.y`), nor an export inside a namespace or a `declare module` block.
import type { ParserPlugin } from "@babel/parser";
import { babelParser } from "../transform/babel-packages.ts";

interface Node {
  type: string;
  [key: string]: unknown;
}

/**
 * `typescript`, `jsx`: the syntax of the file's extension. Throws nothing. Decorators parse (a project's Babel
 * configuration may compile them: either proposal's syntax); a file that still does not parse (syntax only
 * its configuration enables, or none) is told by its lines that start with an import or export declaration.
 */
export function hasModuleSyntax(text: string, typescript: boolean, jsx: boolean): boolean {
  // (most CommonJS files have none of these words: no parse)
  if (!/\b(?:import|export|await)\b/.test(text)) return false;
  const base: string[] = [];
  if (typescript) base.push("typescript");
  if (jsx) base.push("jsx");
  // (the current proposal's decorators, which also parse before and after `export`, then the legacy ones,
  // which also parse on a class expression's members the way TypeScript's experimentalDecorators write them)
  for (const decorators of ["decorators", "decorators-legacy"]) {
    let program: Node;
    try {
      // (as a module, which has all the syntax, forgiving what only a script allows)
      const plugins = [...base, decorators] as ParserPlugin[];
      program = babelParser().parse(text, { sourceType: "module", allowReturnOutsideFunction: true, allowNewTargetOutsideFunction: true, errorRecovery: true, plugins }).program as unknown as Node;
    } catch {
      continue;
    }
    return (program.body as Node[]).some(declaresModule) || usesModuleOnly(program, false);
  }
  // (the transform reports a syntax error; syntax of the configuration's still runs as its output says)
  return MODULE_LINE.test(text);
}

/**
 * A line that starts an import or export declaration that stays once the types go: `import x from`, `import
 * {`, `import *`, `import "x"`, `export default`, `export const`, `export {`, ... (not `import type`, `import x
 * = require()`, `export type`, `export interface`, `export declare`, `export =`).
 */
const MODULE_LINE = /^(?:import\s*(?:[{*"']|(?!type\s)[\w$]+\s*(?:,|\s+from\b))|export\s*(?:\{|\*|(?:default|const|let|var|function|async|class|enum|abstract|@)\b))/m;

/** An import or export declaration that stays once the types go. */
function declaresModule(statement: Node): boolean {
  switch (statement.type) {
    case "ImportDeclaration":
      return statement.importKind !== "type" && statement.importKind !== "typeof";
    case "ExportAllDeclaration":
      return statement.exportKind !== "type";
    case "ExportDefaultDeclaration":
      return (statement.declaration as Node).type !== "TSInterfaceDeclaration";
    case "ExportNamedDeclaration": {
      const declaration = statement.declaration as Node | null;
      if (statement.exportKind === "type" || declaration == null) return statement.exportKind !== "type";
      return declaration.type !== "TSTypeAliasDeclaration" && declaration.type !== "TSInterfaceDeclaration" && declaration.declare !== true;
    }
    default:
      return false;
  }
}

const FUNCTIONS = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ObjectMethod", "ClassMethod", "ClassPrivateMethod"]);

/**
 * `import.meta` anywhere, or an `await` (`for await`, `await using`) outside every function (`inFunction`).
 * (A walk with a stack of its own: a program nested thousands of levels deep, which Node runs, would overflow
 * a recursion's.)
 */
function usesModuleOnly(root: Node, inFunction: boolean): boolean {
  const stack: [Node, boolean][] = [[root, inFunction]];
  while (stack.length > 0) {
    const [node, outside] = stack.pop()!;
    if (node.type === "MetaProperty" && (node.meta as Node).name === "import") return true;
    if (!outside && (node.type === "AwaitExpression" || (node.type === "ForOfStatement" && node.await === true) || (node.type === "VariableDeclaration" && node.kind === "await using"))) return true;
    const inside = outside || FUNCTIONS.has(node.type);
    for (const key in node) {
      if (key === "loc" || key === "leadingComments" || key === "trailingComments" || key === "innerComments" || key === "extra" || key === "errors") continue;
      const value = node[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item !== null && typeof item === "object" && typeof item.type === "string") stack.push([item as Node, inside]);
      } else if (value !== null && typeof value === "object" && typeof (value as Node).type === "string") {
        stack.push([value as Node, inside]);
      }
    }
  }
  return false;
}
