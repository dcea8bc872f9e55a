// TypeScript's CommonJS syntax: `import x = require("y")` and `export = value`. tsc compiles a file written
// with it for CommonJS (`const x = require("y")`, `module.exports = value`), and Node 24 runs such a file as
// CommonJS: it is no ES module syntax. `stepwise run` tells a file's format without it (run-transform.ts),
// and the build makes the file's imports and exports requires where it has it (compile.ts). Nor is what
// Node strips with the types (`import type`, `export type`, `export interface`, `export declare`).
import { babelParser } from "../transform/babel-packages.ts";

/** An `import x = require(...)` or an `export = ...` at the start of a line. */
const COMMONJS_SYNTAX = /^[ \t]*(?:import\s+(?:type\s+)?[\w$]+\s*=\s*require\s*\(|export\s*=(?!=))/m;

/** Whether the text has TypeScript's CommonJS syntax. */
export function hasTypeScriptCommonjs(source: string): boolean {
  return COMMONJS_SYNTAX.test(source);
}

/**
 * The text with each `import x =` made `const x =` and each `export =` made `module.exports =` (also an
 * alias, `import x = N.y`): what they become, for telling the file's format by its syntax.
 */
export function asCommonjs(source: string): string {
  return source.replace(/^([ \t]*)(?:import\s+(?:type\s+)?([\w$]+)\s*=(?!=)|export\s*=(?!=))/gm, (_, indent: string, name: string | undefined) => (name !== undefined ? `${indent}const ${name} =` : `${indent}module.exports =`));
}

/** A TypeScript import or export that Node strips with the types (`import type`, `export type`, `export interface`, `export declare`). */
function typeOnly(statement: { type: string; importKind?: string | null; exportKind?: string | null; declaration?: { type: string; declare?: boolean | null } | null }): boolean {
  if (statement.type === "ImportDeclaration") return statement.importKind === "type";
  if (statement.type !== "ExportNamedDeclaration") return false;
  const declaration = statement.declaration;
  return statement.exportKind === "type" || (declaration != null && (declaration.type === "TSTypeAliasDeclaration" || declaration.type === "TSInterfaceDeclaration" || declaration.declare === true));
}

/**
 * Whether TypeScript text (`jsx`: a .tsx file's) has syntax only an ES module can have once its types are
 * stripped, as Node tells a file no package "type" names: Babel's parse of it as an unambiguous file, then,
 * where Babel counts type-only declarations, the same without them. Throws on a syntax error.
 */
export function moduleOnceTypesGo(text: string, jsx: boolean): boolean {
  const { parse } = babelParser();
  const plugins: ("typescript" | "jsx")[] = jsx ? ["typescript", "jsx"] : ["typescript"];
  const program = parse(text, { sourceType: "unambiguous", plugins, errorRecovery: true }).program;
  if (program.sourceType !== "module") return false;
  let stripped = text;
  for (const statement of program.body) {
    if (typeOnly(statement)) stripped = stripped.slice(0, statement.start!) + " ".repeat(statement.end! - statement.start!) + stripped.slice(statement.end!);
  }
  return stripped === text || parse(stripped, { sourceType: "unambiguous", plugins, errorRecovery: true }).program.sourceType === "module";
}
