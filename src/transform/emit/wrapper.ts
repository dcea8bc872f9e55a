// The wrapper: the function itself, kept in place with its name, parameters (as many as its `length`), `this`
// and directives, whose body now creates a machine and hands it to the runtime's driver.
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import type { FileContext } from "../file-context.ts";
import type { Input, Lowering, Parameters } from "../lowering.ts";
import { generatorSelf } from "./generator-links.ts";

/** Turns the function into its wrapper: `return runAsync(new Machine(...))` (or the generator's driver). */
export function installWrapper(lowering: Lowering, params: Parameters, machineRef: t.Expression, inputs: Input[], classDecl: t.ClassDeclaration, passesItself = false): void {
  const { fn, file, node } = lowering;
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
  const machine = t.newExpression(machineRef, machineArgs);
  const { self, engineName } = generatorSelf(fn, params.list, file, passesItself);
  const generatorArgs = params.bindsOnCall ? [self, t.booleanLiteral(true)] : self.name === "undefined" ? [] : [self];
  const driver = file.runtimeName(node.generator ? "runGenerator" : file.asyncDriver);
  const wrapperCall = t.callExpression(t.identifier(driver), [machine, ...(node.generator ? generatorArgs : [])]);
  // Sloppy code gives a plain function declared in a block a second, function-wide binding (Annex B);
  // an async function or generator gets none, so its wrapper must not be a plain function declaration.
  const blockScoped = fn.isFunctionDeclaration() && fn.parentPath.isBlockStatement() && !fn.parentPath.parentPath?.isFunction() && !fn.parentPath.isInStrictMode();
  replaceWithWrapper(fn, wrapperCall, params, lowering.isArrow, renamedParam);
  file.wrappers.add(fn.node);
  if (blockScoped) declareInBlock(fn as NodePath<t.FunctionDeclaration>, classDecl, file);
  if (self.name !== "undefined" && !passesItself) {
    const args = [fn.node as t.Expression, t.cloneNode(machineRef), ...(engineName !== null ? [t.stringLiteral(engineName)] : [])];
    fn.replaceWith(t.callExpression(t.identifier(file.runtimeName("defineGeneratorFunction")), args));
  }
}

function replaceWithWrapper(fn: NodePath<t.Function>, call: t.CallExpression, params: Parameters, isArrow: boolean, renamed: [string, string] | null): void {
  const node = fn.node;
  const rename = (name: string) => (renamed && name === renamed[0] ? renamed[1] : name);
  let wrapperParams: t.Function["params"];
  if (params.simple) {
    wrapperParams = params.list.map((param) => t.identifier(rename((param as t.Identifier).name)));
  } else {
    const { names, rest } = wrapperParamNames(params.list);
    wrapperParams = names.map((name) => t.identifier(rename(name)));
    if (rest && isArrow) wrapperParams.push(t.restElement(t.identifier(rest)));
  }
  node.async = false;
  node.generator = false;
  node.params = wrapperParams;
  if (isArrow) {
    node.body = call;
  } else {
    // Directives stay with the wrapper: `"use strict"` decides what `this` the wrapper passes on.
    const directives = t.isBlockStatement(node.body) ? node.body.directives : [];
    node.body = t.blockStatement([t.returnStatement(call)], directives);
  }
  fn.scope.crawl();
}

/** The wrapper of an arrow passes its parameters as an array: `[a, $1]`, `[a].concat($rest)` or `$rest`. */
export function arrowArgs(params: t.Function["params"]): t.Expression {
  const { names, rest } = wrapperParamNames(params);
  const named = t.arrayExpression(names.map((name) => t.identifier(name)));
  if (!rest) return named;
  // Not `[a, ...rest]`: spreading would run the array iterator, which the call itself does not.
  if (names.length === 0) return t.identifier(rest);
  return t.callExpression(t.memberExpression(named, t.identifier("concat")), [t.identifier(rest)]);
}

/** A name for the wrapper's `i`th parameter that no parameter of the function uses. */
function placeholder(i: number | string, params: t.Function["params"]): string {
  const taken = new Set(params.flatMap((param) => Object.keys(t.getBindingIdentifiers(param))));
  let name = `$${i}`;
  while (taken.has(name)) name = `_${name}`;
  return name;
}

/** Parameters of the wrapper: as many as the original's `length`, plus a rest for the others. */
function wrapperParamNames(params: t.Function["params"]): { names: string[]; rest: string | null } {
  const names: string[] = [];
  let rest: string | null = null;
  for (const [i, param] of params.entries()) {
    if (t.isAssignmentPattern(param) || t.isRestElement(param)) {
      rest = placeholder("rest", params);
      break;
    }
    names.push(t.isIdentifier(param) ? param.name : placeholder(i, params));
  }
  if (params.length > names.length) rest = placeholder("rest", params);
  return { names, rest };
}

/**
 * The wrapper of an async function or generator declared in a block of sloppy code becomes
 * `let name = function name() {...}` at the top of the block (where the declaration's binding was
 * initialized), before its machine class, whose static block may read it.
 */
function declareInBlock(fn: NodePath<t.FunctionDeclaration>, classDecl: t.ClassDeclaration, file: FileContext): void {
  const block = fn.parentPath as NodePath<t.BlockStatement>;
  const node = fn.node;
  const expression = t.functionExpression(node.id, node.params, node.body, false, false);
  const declaration = t.variableDeclaration("let", [t.variableDeclarator(t.identifier(node.id!.name), expression)]);
  t.inheritsComments(declaration, node);
  fn.remove();
  file.insertions.atTopBefore(block, "body", declaration, classDecl);
}
