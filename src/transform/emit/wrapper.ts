// The wrapper: the function itself, with its name, parameters (as many as its `length`), `this` and
// directives, whose body now creates a machine and hands it to the runtime's driver.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import type { Input, Lowering, Parameters } from "../lowering.ts";
import { makeFunctionObject, planFunctionObject, replacesFunction } from "./function-objects.ts";
import type { Ancestors } from "../analyze/ancestors.ts";

/**
 * Turns the function into its wrapper, `return runAsync(new Machine(...))` (or the generator's driver), and
 * the wrapper into a function object of the function's kind (emit/function-objects.ts). An async function
 * that suspends at most once (`once`, analyze/suspends.ts) gets `runAsyncOnce`, which makes no promise of
 * its own for the call.
 */
export function installWrapper(lowering: Lowering, params: Parameters, machineRef: t.Expression, inputs: Input[], methodSelf: t.Identifier | null = null, once = false): void {
  const { fn, file, node } = lowering;
  const plan = planFunctionObject(fn, params.list, lowering.className, file, params.argsField === "arguments");
  const machineArgs = inputs.map((input) => input.value);
  // A machine kept in its class (`C.#Read`) is out of reach of a wrapper whose parameter is named `C`:
  // the wrapper's parameter takes another name.
  let renamedParam: [string, string] | null = null;
  if (t.isMemberExpression(machineRef) && t.isIdentifier(machineRef.object)) {
    const hidden = machineRef.object.name;
    if (params.list.some((param) => Object.keys(t.getBindingIdentifiers(param)).includes(hidden))) {
      const fresh = lowering.unique(`${hidden}_`);
      renamedParam = [hidden, fresh];
      for (const arg of machineArgs) {
        t.traverseFast(arg, (inner) => {
          if (t.isIdentifier(inner, { name: hidden })) inner.name = fresh;
        });
      }
    }
  }
  // An async function expression passes itself only where its machine uses its name.
  if (!node.generator && plan.self !== null && !machineArgs.some((arg) => mentions(arg, plan.self!))) {
    plan.self = null;
    plan.ownSelf = false;
  }
  // (a generator whose parameters bind at the call runs that step first: `bindParameters`)
  const created = t.newExpression(machineRef, machineArgs);
  const machine = params.bindsOnCall ? t.callExpression(t.identifier(file.runtimeName("bindParameters")), [created]) : created;
  const self = plan.self !== null ? t.identifier(plan.self) : methodSelf;
  const generatorArgs = self ? [self] : [];
  const driver = file.runtimeName(node.generator ? (plan.observable ? "runGenerator" : "runLocalGenerator") : once && file.asyncDriver === "runAsync" ? "runAsyncOnce" : file.asyncDriver);
  const wrapperCall = t.callExpression(t.identifier(driver), [machine, ...(node.generator ? generatorArgs : [])]);
  // The function's scope is made again for the wrapper, for the lowering of the functions around it (and any
  // plugin after this one); in a pass nothing follows, a function inside no async function or generator has
  // no one to read it.
  // (Where the function object replaces the function, its scopes are made for what replaces it instead
  // (makeFunctionObject): a crawl of the wrapper first would leave on the bindings around it references that
  // no node holds any more, which the TDZ analysis of the function around read as uses: a `const g =
  // function* () {}` whose wrapper names itself `g` was taken for a use of `g` before its initialization.)
  const scopesRead = !file.lastPass || insideLowerable(fn, file.ancestors);
  replaceWithWrapper(fn, wrapperCall, params, lowering.isArrow, renamedParam, scopesRead && !replacesFunction(plan));
  file.wrappers.add(fn.node);
  makeFunctionObject(fn, plan, machineRef, file, scopesRead);
}

/** Whether an async function or generator is around the function: one the plugin may lower after it. */
function insideLowerable(fn: NodePath<t.Function>, ancestors: Ancestors): boolean {
  for (let around = ancestors.functionParent(fn); around !== null; around = ancestors.functionParent(around)) {
    if (around.node.async || around.node.generator) return true;
  }
  return false;
}

function mentions(node: t.Node, name: string): boolean {
  let found = false;
  t.traverseFast(node, (inner) => {
    if (t.isIdentifier(inner, { name })) found = true;
  });
  return found;
}

function replaceWithWrapper(fn: NodePath<t.Function>, call: t.CallExpression, params: Parameters, isArrow: boolean, renamed: [string, string] | null, rescan: boolean): void {
  const node = fn.node;
  const rename = (name: string) => (renamed && name === renamed[0] ? renamed[1] : name);
  const wrapperParams = params.simple
    ? params.list.map((param) => t.identifier(rename((param as t.Identifier).name)))
    : wrapperParamList(params.list).map(({ name, init, rest }) => {
        const id = t.identifier(rename(name));
        return rest ? t.restElement(id) : init ? t.assignmentPattern(id, init) : id;
      });
  node.async = false;
  node.generator = false;
  node.params = wrapperParams;
  if (isArrow) {
    node.body = call;
  } else {
    // Directives stay with the wrapper: `"use strict"` decides what `this` the wrapper passes on.
    const directives = t.isBlockStatement(node.body) ? node.body.directives : [];
    const body = t.blockStatement([t.returnStatement(call)], directives);
    // (a coverage tool that runs after the lowering takes a function's extent from its body)
    body.loc = node.body.loc;
    node.body = body;
  }
  if (rescan) fn.scope.crawl();
}

/** The wrapper of an arrow passes its parameters as an array: `[a, b]`, `[a].concat(rest)` or `rest`. */
export function arrowArgs(params: t.Function["params"]): t.Expression {
  const list = wrapperParamList(params);
  const rest = list.at(-1)?.rest ? list.pop()!.name : null;
  const named = t.arrayExpression(list.map(({ name }) => t.identifier(name)));
  if (!rest) return named;
  // Not `[a, ...rest]`: spreading would run the array iterator, which the call itself does not.
  if (list.length === 0) return t.identifier(rest);
  return t.callExpression(t.memberExpression(named, t.identifier("concat")), [t.identifier(rest)]);
}

/** A name for the wrapper's `i`th parameter that no parameter of the function uses. */
function placeholder(i: number | string, params: t.Function["params"]): string {
  const taken = new Set(params.flatMap((param) => Object.keys(t.getBindingIdentifiers(param))));
  let name = `$${i}`;
  while (taken.has(name)) name = `_${name}`;
  return name;
}

/**
 * The wrapper's parameters, one per parameter of the function, so that its `length` is the function's and
 * its source text names what the source names (dependency-injection libraries read parameter names from
 * `fn.toString()`): a parameter's own name (a pattern's placeholder `$i`), with its default where
 * evaluating it once more cannot be told (a literal), else `= undefined` where only a default can end
 * `length`. The machine evaluates the real defaults and patterns, from `arguments` (an arrow: from the
 * wrapper's parameters, which pass `undefined` or the same literal on).
 */
function wrapperParamList(params: t.Function["params"]): { name: string; init: t.Expression | null; rest: boolean }[] {
  let defaulted = false;
  const undefinedName = params.some((param) => "undefined" in t.getBindingIdentifiers(param));
  return params.map((param, i) => {
    const rest = t.isRestElement(param);
    const target = rest ? param.argument : t.isAssignmentPattern(param) ? param.left : param;
    const name = t.isIdentifier(target) ? target.name : placeholder(rest ? "rest" : i, params);
    let init: t.Expression | null = null;
    if (t.isAssignmentPattern(param)) {
      init = isLiteralValue(param.right) ? t.cloneNode(param.right) : defaulted ? null : undefinedName ? t.unaryExpression("void", t.numericLiteral(0)) : t.identifier("undefined");
      defaulted = true;
    }
    return { name, init, rest };
  });
}

/** A literal whose evaluation has no effect and cannot throw: a primitive, or an array or object of them. */
function isLiteralValue(node: t.Node): boolean {
  if (t.isStringLiteral(node) || t.isNumericLiteral(node) || t.isBooleanLiteral(node) || t.isNullLiteral(node) || t.isBigIntLiteral(node)) return true;
  if (t.isTemplateLiteral(node)) return node.expressions.length === 0;
  if (t.isUnaryExpression(node)) return (node.operator === "-" || node.operator === "+") && t.isNumericLiteral(node.argument);
  if (t.isArrayExpression(node)) return node.elements.every((element) => element !== null && isLiteralValue(element));
  if (t.isObjectExpression(node)) {
    return node.properties.every((property) => t.isObjectProperty(property) && !property.computed && !t.isIdentifier(property.key, { name: "__proto__" }) && !t.isStringLiteral(property.key, { value: "__proto__" }) && isLiteralValue(property.value));
  }
  return false;
}
