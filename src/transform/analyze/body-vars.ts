// A body `var` named like a parameter, in a function whose parameter list has defaults or patterns: a
// binding of its own (the body's environment), copied from the parameter on entry (explode/function-body.ts).
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import { walkAll } from "../ast.ts";
import type { BindingInfo, FactsStore, FunctionAnalysis } from "../facts.ts";
import { forEachBinding, type AnyScope } from "./scope-view.ts";
import type { FieldNames } from "./field-names.ts";

/**
 * With defaults or patterns in its parameter list, a function's body gets an environment of its own: a
 * body `var p` beside a parameter `p` is another binding, which starts with the parameter's value, while
 * closures in the parameter list keep seeing the parameter. Babel's scope has one binding for both; here
 * the body's references move to a second binding (its own field), copied from the parameter on entry.
 */
export function splitBodyVars(fn: NodePath<t.Function>, ownScope: AnyScope, facts: FactsStore, analysis: FunctionAnalysis, infos: Map<object, BindingInfo>, fieldNames: FieldNames): void {
  if (fn.node.params.every((param) => t.isIdentifier(param)) || !t.isBlockStatement(fn.node.body)) return;
  const varNames = new Map<string, t.Identifier>();
  t.traverseFast(fn.node.body, (node) => {
    if (t.isFunction(node)) return t.traverseFast.skip;
    if (node.type !== "VariableDeclaration" || node.kind !== "var") return;
    for (const id of Object.values(t.getBindingIdentifiers(node)) as t.Identifier[]) if (!varNames.has(id.name)) varNames.set(id.name, id);
  });
  forEachBinding(ownScope, (name, binding) => {
    const param = infos.get(binding);
    const declared = varNames.get(name);
    if (!param || param.kind !== "param" || !declared) return;
    const field = fieldNames.claim(name);
    const bodyVar: BindingInfo = { ...param, kind: "var", constant: false, group: [], states: new Set(), field, node: declared, uninitialized: false, namesItsValue: false };
    bodyVar.group.push(bodyVar);
    walkAll(fn.node.body, (node) => {
      if (facts.binding(node) === param) facts.set(node, "binding", bodyVar);
    });
    analysis.bindings.push(bodyVar);
    analysis.bodyVars.push([param, bodyVar]);
  });
}
