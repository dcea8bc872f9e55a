// How generated code reaches the runtime: an import, a require, or the runtime itself inlined.
import { parse } from "@babel/parser";
import * as t from "@babel/types";
import { readFileSync } from "node:fs";

export type RuntimeMode = "import" | "require" | "inline";

const runtimePath = new URL("../../runtime/index.js", import.meta.url);
let inlineBody: t.Statement[] | null = null;
let exportedNames: string[] = [];

/** The runtime's statements with `export` removed, and the names it exports. */
function runtimeStatements(): t.Statement[] {
  if (!inlineBody) {
    const ast = parse(readFileSync(runtimePath, "utf8"), { sourceType: "module", attachComment: false });
    exportedNames = [];
    inlineBody = ast.program.body.map((statement) => {
      if (t.isExportNamedDeclaration(statement) && statement.declaration) {
        const declaration = statement.declaration;
        exportedNames.push(...Object.keys(t.getOuterBindingIdentifiers(declaration)));
        return declaration;
      }
      return statement;
    });
  }
  return inlineBody.map((statement) => t.cloneNode(statement, true, true));
}

const INLINED = " stepwise runtime, inlined";

/** The declaration that holds an inlined runtime: the plugin must not lower its functions. */
export function isInlinedRuntime(node: t.Node): boolean {
  return !!node.leadingComments?.some((comment) => comment.value === INLINED);
}

export function runtimeImport(mode: RuntimeMode, names: Map<string, string>, specifier: string): t.Statement {
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
  const body = runtimeStatements();
  const exported = t.objectExpression(exportedNames.map((name) => t.objectProperty(t.identifier(name), t.identifier(name), false, true)));
  const factory = t.arrowFunctionExpression([], t.blockStatement([...body, t.returnStatement(exported)]));
  const declaration = t.variableDeclaration("const", [t.variableDeclarator(pattern, t.callExpression(factory, []))]);
  t.addComment(declaration, "leading", INLINED, true);
  return declaration;
}
