// Statements that run none of the program's functions: declarations of functions, classes with nothing to
// evaluate, variables bound to literals, functions or modules. The temporal dead zone analysis (tdz.ts) asks
// whether a function made before a `let`/`const`/class declaration (a hoisted function declaration, most
// often: `async function main() { ... }` above `const log = ...`) can run before that declaration does; it
// cannot when everything of the scope up to the declaration is inert, for nothing there can call it.
//
// Loading a module counts as inert (`import`, `require("name")`): a module that imports this one back could
// call one of its functions before its declarations have run, which is left out (docs/lowering.md, "Known
// differences").
import * as t from "../types.ts";

/** Whether nothing of `scope` (a scope's node) that runs before `declaration` ends can call a function of the program. */
export function nothingRunsBefore(scope: t.Node, declaration: t.Node): boolean {
  const body = scope.type === "Program" || scope.type === "BlockStatement" || scope.type === "StaticBlock" ? scope.body : null;
  if (body === null) return false;
  for (const statement of body) {
    // (a statement the lowering made, with no place: a machine class, a wrapper, the runtime's import, which
    // call nothing of the program's)
    if (statement.start == null) continue;
    if (statement.start >= declaration.end!) return true;
    if (!isInertStatement(statement)) return false;
  }
  return true;
}

function isInertStatement(statement: t.Statement): boolean {
  switch (statement.type) {
    case "FunctionDeclaration":
    case "ImportDeclaration":
    case "EmptyStatement":
    case "ExportAllDeclaration":
    case "TSImportEqualsDeclaration":
    case "TSTypeAliasDeclaration":
    case "TSInterfaceDeclaration":
    case "TSDeclareFunction":
      return true;
    case "ExportNamedDeclaration":
      return statement.declaration == null || isInertStatement(statement.declaration);
    case "ExportDefaultDeclaration":
      return t.isFunctionDeclaration(statement.declaration) || (t.isClassDeclaration(statement.declaration) ? isInertClass(statement.declaration) : isInertExpression(statement.declaration as t.Expression));
    case "ClassDeclaration":
      return isInertClass(statement);
    case "VariableDeclaration":
      return statement.declarations.every((declarator) =>
        loadsModule(declarator.init) ? isPlainPattern(declarator.id) : declarator.id.type === "Identifier" && (declarator.init == null || isInertExpression(declarator.init)),
      );
    default:
      return false;
  }
}

function isInertExpression(expression: t.Expression): boolean {
  switch (expression.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
    case "BigIntLiteral":
    case "RegExpLiteral":
    case "Identifier":
    case "ArrowFunctionExpression":
    case "FunctionExpression":
      return true;
    case "TemplateLiteral":
      return expression.expressions.length === 0;
    case "ClassExpression":
      return isInertClass(expression);
    case "ArrayExpression":
      return expression.elements.every((element) => element === null || (element.type !== "SpreadElement" && isInertExpression(element)));
    case "ObjectExpression":
      return expression.properties.every((property) =>
        property.type === "SpreadElement"
          ? false
          : (!property.computed || isKeyWrittenOut(property.key)) && (property.type === "ObjectMethod" || isInertExpression(property.value as t.Expression)),
      );
    case "UnaryExpression":
      return (expression.operator === "void" || expression.operator === "typeof") && isInertExpression(expression.argument);
    case "ParenthesizedExpression":
    case "TSAsExpression":
    case "TSSatisfiesExpression":
    case "TSNonNullExpression":
      return isInertExpression(expression.expression);
    default:
      return loadsModule(expression);
  }
}

/** A class whose definition evaluates nothing that can call a function: no static initializers or blocks, keys written out. */
function isInertClass(node: t.Class): boolean {
  if (node.decorators?.length || (node.superClass != null && node.superClass.type !== "Identifier")) return false;
  return node.body.body.every((member) => {
    if (member.type === "StaticBlock" || ("decorators" in member && member.decorators?.length)) return false;
    if ("computed" in member && member.computed && !isKeyWrittenOut(member.key)) return false;
    const value = member.type === "ClassProperty" || member.type === "ClassPrivateProperty" || member.type === "ClassAccessorProperty" ? member.value : null;
    return !member.static || value == null || isInertExpression(value);
  });
}

/** A computed key that is a string or number written out (`["a-b"]`): its evaluation calls nothing. */
function isKeyWrittenOut(key: t.Node): boolean {
  return t.isStringLiteral(key) || t.isNumericLiteral(key);
}

/** `require("name")`, or a property of it (`require("util").promisify`). */
function loadsModule(expression: t.Node | null | undefined): boolean {
  while (expression?.type === "MemberExpression" && !expression.computed) expression = expression.object;
  return (
    expression?.type === "CallExpression" &&
    t.isIdentifier(expression.callee, { name: "require" }) &&
    expression.arguments.length === 1 &&
    t.isStringLiteral(expression.arguments[0])
  );
}

/** A name, or an object pattern of names (`{ a, b: c }`): what binding a module's exports reads, no more. */
function isPlainPattern(id: t.Node): boolean {
  return id.type === "Identifier" || (id.type === "ObjectPattern" && id.properties.every((property) => property.type === "ObjectProperty" && !property.computed && property.value.type === "Identifier"));
}
