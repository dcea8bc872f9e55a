// TypeScript's CommonJS syntax: `import x = require("y")` and `export = value`. tsc compiles a file written
// with it for CommonJS (`const x = require("y")`, `module.exports = value`), and Node 24 runs such a file as
// CommonJS: it is no ES module syntax (module-syntax.ts), and the build makes the file's imports and
// exports requires where it has it (compile.ts).

/** An `import x = require(...)` or an `export = ...` at the start of a line. */
const COMMONJS_SYNTAX = /^[ \t]*(?:import\s+(?:type\s+)?[\w$]+\s*=\s*require\s*\(|export\s*=(?!=))/m;

/** Whether the text has TypeScript's CommonJS syntax. */
export function hasTypeScriptCommonjs(source: string): boolean {
  return COMMONJS_SYNTAX.test(source);
}
