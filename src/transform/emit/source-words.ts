// A try statement kept as written inside a machine catches the engine's TypeErrors before the step bracket
// sees them, so it cannot put their messages back in the source's words (runtime/messages.js): where the
// try block has an expression V8 would quote and the machine spells it otherwise (a field, `this.thisArg`),
// its catch clause starts with `inSourceWords(this, e);`. Elsewhere nothing is added.
import * as t from "@babel/types";

/** Adds the rewording to a kept try statement's catch clause, once its block is rewritten. */
export function keepSourceWords(node: t.TryStatement, runtime: (name: string) => t.Identifier): void {
  const handler = node.handler;
  if (!handler || !t.isIdentifier(handler.param) || !quotesMachine(node.block)) return;
  const call = t.callExpression(runtime("inSourceWords"), [t.thisExpression(), t.identifier(handler.param.name)]);
  handler.body.body.unshift(t.expressionStatement(call));
}

/** Whether V8 may quote, from `node`, an expression that reads the machine (`this` of resume). */
function quotesMachine(node: t.Node): boolean {
  switch (node.type) {
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ClassDeclaration":
    case "ClassExpression":
    case "ObjectMethod":
      // (Their `this` is their own; a kept arrow's is the machine's.)
      return false;
    case "CallExpression":
    case "NewExpression":
      if (readsMachine(node.callee)) return true;
      break;
    case "TaggedTemplateExpression":
      if (readsMachine(node.tag)) return true;
      break;
    case "ForOfStatement":
    case "SpreadElement":
      if (readsMachine(node.type === "ForOfStatement" ? node.right : node.argument)) return true;
      break;
    case "VariableDeclarator":
      if (!t.isIdentifier(node.id) && node.init && readsMachine(node.init)) return true;
      break;
    case "AssignmentExpression":
      if (!t.isIdentifier(node.left) && !t.isMemberExpression(node.left) && readsMachine(node.right)) return true;
      break;
    default:
      break;
  }
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object" && quotesMachine(item as t.Node)) return true;
    } else if (child && typeof child === "object" && quotesMachine(child as t.Node)) {
      return true;
    }
  }
  return false;
}

/**
 * The member chain V8 would quote starts at the machine: `this.x`, `(0, this.f)`, `this.thisArg.m`, or a
 * closure's box of loop-iteration bindings, `$s0.x`.
 */
function readsMachine(node: t.Node): boolean {
  for (;;) {
    if (node.type === "ThisExpression") return true;
    if (node.type === "Identifier") return /^\$s\d+$/.test(node.name);
    if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") node = node.object;
    else if (node.type === "SequenceExpression") node = node.expressions[node.expressions.length - 1];
    else if (node.type === "CallExpression" || node.type === "OptionalCallExpression") node = node.callee;
    else return false;
  }
}
