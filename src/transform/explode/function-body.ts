// The function as states: its parameters bound (unless they arrive as a plain list), a generator's pause
// before its body, the body's statements, and the return at its end.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import { stripTypes } from "../ast.ts";
import type { FunctionAnalysis } from "../facts.ts";
import type { Lowering, Parameters } from "../lowering.ts";
import { named } from "../names.ts";
import { Emitter, Label } from "./emitter.ts";
import { Exploder } from "./exploder.ts";
import { explodeExpression } from "./expressions.ts";
import { explodePattern } from "./patterns.ts";
import { explodeStatement, explodeStatements } from "./statements.ts";

/**
 * In an async generator `return v` awaits v (inside the try statements around it, so a rejection can
 * be caught there): it becomes `return await v` before the body is exploded. On the nodes, not with the
 * operand's path: `replaceWith` would make that path the `await`'s, and where the operand is a name, the path
 * its binding lists as a reference would no longer be the name's (the temporal dead zone's check, tdz.ts,
 * reads the references off those paths: `return x` before `let x` has to throw). A reference's parent as the
 * scope tree lists it stays the return statement: the Babel bindings made from the tree look for its path
 * under the `await` too (tree-scopes.ts `referencePath`).
 */
export function awaitReturnValues(fn: NodePath<t.Function>): void {
  // (a walk of the nodes: nothing reads a path of the `await`, and a function read from the scope tree has
  // none of Babel's below it)
  t.traverseFast(fn.node.body, (node) => {
    if (t.isFunction(node)) return t.traverseFast.skip;
    if (node.type !== "ReturnStatement" || !node.argument) return;
    const argument = node.argument;
    const awaited = t.awaitExpression(argument);
    awaited.loc = argument.loc;
    node.argument = awaited;
  });
}

export function explodeFunction(lowering: Lowering, analysis: FunctionAnalysis, params: Parameters): Emitter {
  const node = lowering.node;
  const em = new Emitter(lowering.dispatchLabel, lowering.sentName, (name) => lowering.file.runtimeName(name), node.async, lowering.file.yieldStarQuotes, lowering.file.ownAsyncGeneratorCalls, lowering.file.writesEveryState);
  const cx = new Exploder(em, lowering.facts, { statement: explodeStatement, expression: explodeExpression, pattern: explodePattern });
  if (!params.simple && !params.mapped) {
    // Parameters are bound one by one from the arguments, left to right, as the call would bind them, so
    // that an exception while binding rejects the promise (or throws from a generator's call) as natively.
    const args = () => t.memberExpression(t.thisExpression(), t.identifier(params.argsField));
    params.list.forEach((raw, i) => {
      if (params.shadowed.has(raw)) return;
      const param = stripTypes(raw);
      const argument = () => t.memberExpression(args(), t.numericLiteral(i), true);
      let statement: t.Statement;
      if (t.isRestElement(param)) {
        statement = assign(param.argument as t.LVal, em.helper("restArguments", [args(), t.numericLiteral(i)]));
      } else if (t.isAssignmentPattern(param)) {
        const fallback = named(param.right, param.left);
        const value = t.conditionalExpression(t.binaryExpression("===", argument(), t.identifier("undefined")), fallback, argument());
        statement = assign(param.left, value);
      } else {
        statement = assign(param as t.LVal, argument());
      }
      em.emit(statement, raw);
    });
  }
  // A body `var` named like a parameter starts with the parameter's value (analyze/body-vars.ts).
  for (const [param, bodyVar] of analysis.bodyVars) {
    const from = t.identifier(param.name);
    const to = t.identifier(bodyVar.name);
    lowering.facts.set(from, "binding", param);
    lowering.facts.set(to, "binding", bodyVar);
    em.emit(t.expressionStatement(t.assignmentExpression("=", to, from)));
  }
  if (analysis.argumentsVar !== null) {
    const to = t.identifier(analysis.argumentsVar.name);
    lowering.facts.set(to, "binding", analysis.argumentsVar);
    em.emit(t.expressionStatement(t.assignmentExpression("=", to, t.memberExpression(t.thisExpression(), t.identifier(params.argsField)))));
  }
  // A generator binds its parameters when it is called (errors throw from the call); its body waits for
  // the first next(). The machine runs the binding (the wrapper's `bindParameters`), then pauses at `started`.
  if (params.bindsOnCall) {
    const body = new Label();
    em.emit(t.returnStatement(em.helper("started", [t.thisExpression(), body.ref()])));
    em.mark(body);
  }
  // (an expression body is the `return` of its value, at the value's position)
  const body = t.isBlockStatement(node.body) ? node.body.body : [Object.assign(t.returnStatement(node.body), { loc: node.body.loc })];
  explodeStatements(cx, body);
  const last = em.states[em.states.length - 1].body.at(-1);
  if (!last || !(t.isReturnStatement(last) || t.isThrowStatement(last))) em.emit(t.returnStatement(em.call("return", [])));
  em.finishStates();
  return em;
}

function assign(target: t.LVal, value: t.Expression): t.Statement {
  return t.expressionStatement(t.assignmentExpression("=", target, value));
}
