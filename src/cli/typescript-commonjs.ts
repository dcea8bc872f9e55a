// TypeScript's CommonJS syntax: `import x = require("y")` and `export = value`. tsc compiles a file written
// with it for CommonJS (`const x = require("y")`, `module.exports = value`), and Node 24 runs such a file as
// CommonJS: it is no ES module syntax. `stepwise run` tells a file's format without it (run-transform.ts),
// and the build makes the file's imports and exports requires where it has it (compile.ts).

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
