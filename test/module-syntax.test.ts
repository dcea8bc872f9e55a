// How `stepwise run` tells an ES module from CommonJS by its syntax (src/cli/module-syntax.ts), as Node does
// for a file no extension or package "type" names.
import { describe, expect, it } from "vitest";
import { hasModuleSyntax } from "../src/cli/module-syntax.ts";

describe("hasModuleSyntax", () => {
  it("finds import and export declarations, import.meta anywhere, and an await outside every function", () => {
    expect(hasModuleSyntax('import x from "y";\n', false, false)).toBe(true);
    expect(hasModuleSyntax("export const a = 1;\n", false, false)).toBe(true);
    expect(hasModuleSyntax("function f() { { return import.meta.url; } }\n", false, false)).toBe(true);
    expect(hasModuleSyntax("{ for await (const x of y); }\n", false, false)).toBe(true);
    expect(hasModuleSyntax("async function f() { await 1; }\nconst g = async () => { for await (const x of y); };\n", false, false)).toBe(false);
    expect(hasModuleSyntax('import type { T } from "./t";\nexport type U = T;\n', true, false)).toBe(false);
    expect(hasModuleSyntax('const x = require("y");\nmodule.exports = x;\n', false, false)).toBe(false);
  });

  it("throws nothing on code nested thousands of levels deep (Node runs it): its walk has a stack of its own", () => {
    const nested = (depth: number, inner: string) => `function f() {${"{ ".repeat(depth)}${inner}${" }".repeat(depth)}}\n`;
    expect(hasModuleSyntax(nested(400, "console.log(import.meta.url);"), false, false)).toBe(true);
    expect(hasModuleSyntax(nested(400, "console.log(1);"), false, false)).toBe(false);
    for (const depth of [2000, 20000]) {
      // (where Babel's parser runs out of stack itself, the lines that start a declaration still tell)
      expect(() => hasModuleSyntax(nested(depth, "console.log(import.meta.url);"), false, false), String(depth)).not.toThrow();
      expect(hasModuleSyntax(`export {};\n${nested(depth, "1;")}`, false, false), String(depth)).toBe(true);
    }
  });
});
