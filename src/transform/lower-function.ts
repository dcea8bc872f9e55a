// Lowering one async function or generator: explode its body into states, decide where its locals live,
// and emit the machine class plus a wrapper with the function's own name, length, and `this`.
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { analyzeBindings, assignStorage, bodyVarCopies, rewriteStatements, type FunctionAnalysis } from "./bindings.ts";
import { Emitter, Label } from "./emitter.ts";
import { explodeStatements } from "./explode-statements.ts";
import { Exploder } from "./exploder.ts";
import { FactsStore } from "./facts.ts";
import type { FileContext } from "./file-context.ts";
import { describeStates, type MachineInfo } from "./metadata.ts";
import { placeMachineClass } from "./placement.ts";
import { creationPoint } from "./tdz.ts";

/** Fields and methods of the runtime's Machine: a local of the same name gets another field name. */
const RESERVED = new Set([
  "state", "resume", "await", "return", "jump", "finish", "step", "route", "enclosingFinally", "enterFinally",
  "iterate", "forIn", "closeIterator", "thisArg", "arguments", "newTarget", "superGet", "superSet", "superUpdate", "superAssign", "superDelete", "checkInitialized", "checkAssignable", "checkedTarget", "superCall",
  "constructor", "$value", "$pending", "$params", "__proto__", "assignConstant", "toPropertyKey", "requireObjectCoercible", "objectRest", "restArguments",
  "yield", "delegate", "stepReturn", "started", "superTarget", "asyncIterate", "closeAsyncIterator", "finishAsyncClose", "$quiet",
  "$resolve", "$reject", "$onFulfilled", "$onRejected",
]);

const BASE_CLASS = { async: "AsyncMachine", generator: "GeneratorMachine", "async-generator": "AsyncGeneratorMachine" } as const;

export function lowerAsyncFunction(fn: NodePath<t.Function>, file: FileContext): MachineInfo {
  const node = fn.node;
  if (node.async && node.generator) awaitReturnValues(fn);
  const name = functionName(fn);
  const className = file.uniqueName(machineClassName(fn, name));
  const usedNames = collectNames(node);
  const unique = (base: string) => {
    let candidate = base;
    for (let n = 1; usedNames.has(candidate); n++) candidate = `${base}${n}`;
    usedNames.add(candidate);
    return candidate;
  };
  const dispatchLabel = unique("dispatch");
  const sentName = unique("sent");
  const machineAlias = unique("machine");

  const facts = new FactsStore();
  const analysis = analyzeBindings(fn, facts, file, RESERVED);

  // Parameters: a plain list arrives through the constructor; anything else is bound in state 0 from
  // the arguments, so that an exception while binding rejects the promise as natively.
  const params = node.params.filter((param) => !(t.isIdentifier(param) && param.name === "this"));
  const simpleParams = params.every((param) => t.isIdentifier(param)) && !analysis.usesArguments;
  const isArrow = t.isArrowFunctionExpression(node);
  const argsField = isArrow ? "$params" : "arguments";

  const em = new Emitter(dispatchLabel, sentName);
  const cx = new Exploder(em, facts);
  if (!simpleParams) {
    // Parameters are bound one by one from the arguments, left to right, as the call would bind them.
    const args = () => t.memberExpression(t.thisExpression(), t.identifier(argsField));
    params.forEach((raw, i) => {
      const param = stripTypes(raw);
      const argument = () => t.memberExpression(args(), t.numericLiteral(i), true);
      let statement: t.Statement;
      if (t.isRestElement(param)) {
        statement = assign(param.argument as t.LVal, em.call("restArguments", [args(), t.numericLiteral(i)]));
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
  for (const copy of bodyVarCopies(analysis, facts)) em.emit(copy);
  // A generator binds its parameters when it is called (errors throw from the call); its body waits for
  // the first next(). The machine runs the binding, then pauses at `started`.
  const bindsOnCall = node.generator && !simpleParams;
  if (bindsOnCall) {
    const body = new Label();
    em.emit(t.returnStatement(em.call("started", [body.ref()])));
    em.mark(body);
  }
  const body = t.isBlockStatement(node.body) ? node.body.body : [t.returnStatement(node.body)];
  explodeStatements(cx, body);
  const last = em.states[em.states.length - 1].body.at(-1);
  if (!last || !(t.isReturnStatement(last) || t.isThrowStatement(last))) em.emit(t.returnStatement(em.call("return", [])));

  assignStorage(analysis, facts, em.states);
  const uninitialized = () => t.identifier(file.runtimeName("UNINITIALIZED"));
  const rewrite = { machineAlias, usedAlias: false, closureDepth: 0, snapshots: new Set<string>(), strict: fn.isInStrictMode(), uninitialized, lazyThis: analysis.lazyThis, facts };
  for (const state of em.states) {
    rewrite.snapshots.clear();
    state.body = rewriteStatements(state.body, rewrite);
    // Closures created in this state capture the boxes of the current loop iteration.
    const snapshots = [...rewrite.snapshots].sort().map((box) =>
      t.variableDeclaration("const", [t.variableDeclarator(t.identifier(box), t.memberExpression(t.thisExpression(), t.identifier(box)))]),
    );
    state.body.unshift(...snapshots);
  }

  // The class.
  const inputs = machineInputs(analysis, simpleParams, params, isArrow, argsField);
  // The frame: every field the states use, declared up front so all machines of a class share one shape.
  const frame = [
    ...analysis.bindings.filter((b) => b.storage === "field" && !inputs.some((input) => input.field === b.field)).map((b) => b.field),
    ...[...new Set(analysis.bindings.flatMap((b) => (b.box ? [b.box] : [])))],
    ...Array.from({ length: em.tempCount }, (_, i) => `$${i}`),
  ];
  const kind = node.generator ? (node.async ? "async-generator" : "generator") : "async";
  // The function's own `let`/`const`/`class` fields that an access may reach early start uninitialized.
  const startUninitialized = new Set((facts.get(node)?.uninitializedOnEntry ?? []).filter((b) => b.storage === "field").map((b) => b.field));
  const frameValue = (field: string) => (startUninitialized.has(field) ? uninitialized() : t.identifier("undefined"));
  const classDecl = buildClass(className, file, em, inputs, frame, frameValue, rewrite, describe(fn, file), sentName, BASE_CLASS[kind]);
  const createdAt = creationPoint(fn);
  if (createdAt !== null) file.createdAt.set(classDecl.body, createdAt);
  // A generator declaration's objects inherit from its `prototype`: the class learns the function when
  // it is defined (at the top of the scope, where the declaration is already hoisted).
  if (node.generator && t.isFunctionDeclaration(node) && node.id && !fn.parentPath.isSwitchCase()) {
    const link = t.staticBlock([
      t.expressionStatement(t.callExpression(t.identifier(file.runtimeName("defineGenerator")), [t.thisExpression(), t.identifier(node.id.name)])),
    ]);
    classDecl.body.body.unshift(link);
  }
  const machineRef = placeMachineClass(fn, classDecl, analysis.usesPrivateNames, analysis.references, file);
  const machineArgs = inputs.map((input) => input.value);
  // A machine kept in its class (`C.#Read`) is out of reach of a wrapper whose parameter is named `C`:
  // the wrapper's parameter takes another name.
  let renamedParam: [string, string] | null = null;
  if (t.isMemberExpression(machineRef) && t.isIdentifier(machineRef.object)) {
    const hidden = machineRef.object.name;
    if (params.some((param) => Object.keys(t.getBindingIdentifiers(param)).includes(hidden))) {
      const fresh = unique(`${hidden}_`);
      renamedParam = [hidden, fresh];
      for (const arg of machineArgs) {
        t.traverseFast(arg, (inner) => {
          if (t.isIdentifier(inner, { name: hidden })) inner.name = fresh;
        });
      }
    }
  }
  const machine = t.newExpression(machineRef, machineArgs);
  if (node.generator && (fn.isClassMethod() || fn.isObjectMethod())) linkGeneratorMethod(fn, machineRef, file);
  const { self, engineName } = generatorSelf(fn, params, file);
  const generatorArgs = bindsOnCall ? [self, t.booleanLiteral(true)] : self.name === "undefined" ? [] : [self];
  const wrapperCall = t.callExpression(t.identifier(file.runtimeName(node.generator ? "runGenerator" : file.asyncDriver)), [machine, ...(node.generator ? generatorArgs : [])]);
  // Sloppy code gives a plain function declared in a block a second, function-wide binding (Annex B);
  // an async function or generator gets none, so its wrapper must not be a plain function declaration.
  const blockScoped = fn.isFunctionDeclaration() && fn.parentPath.isBlockStatement() && !fn.parentPath.parentPath?.isFunction() && !fn.parentPath.isInStrictMode();
  replaceWithWrapper(fn, wrapperCall, params, simpleParams, isArrow, renamedParam);
  file.wrappers.add(fn.node);
  if (blockScoped) declareInBlock(fn as NodePath<t.FunctionDeclaration>, classDecl, file);
  if (self.name !== "undefined") {
    const args = [fn.node as t.Expression, t.cloneNode(machineRef), ...(engineName !== null ? [t.stringLiteral(engineName)] : [])];
    fn.replaceWith(t.callExpression(t.identifier(file.runtimeName("defineGeneratorFunction")), args));
  }

  return {
    name,
    kind,
    className,
    line: node.loc?.start.line ?? 0,
    states: describeStates(em.states, em.tryTable(), (operand) => {
      const described = facts.get(operand)?.describedAs;
      return described ? described.prefix + sourceText(described.node, file) : sourceText(operand, file);
    }),
    tries: em.tryTable(),
  };
}

/**
 * In an async generator `return v` awaits v (inside the try statements around it, so a rejection can
 * be caught there): it becomes `return await v` before the body is exploded.
 */
function awaitReturnValues(fn: NodePath<t.Function>): void {
  fn.traverse({
    Function(inner) {
      inner.skip();
    },
    ReturnStatement(statement) {
      const argument = statement.get("argument");
      if (!argument.node) return;
      const awaited = t.awaitExpression(argument.node);
      awaited.loc = argument.node.loc;
      argument.replaceWith(awaited);
    },
  });
}

interface Input {
  field: string;
  value: t.Expression;
}

function machineInputs(
  facts: FunctionAnalysis,
  simpleParams: boolean,
  params: t.Function["params"],
  isArrow: boolean,
  argsField: string,
): Input[] {
  const inputs: Input[] = [];
  if (facts.usesThis) inputs.push({ field: "thisArg", value: facts.lazyThis ? t.arrowFunctionExpression([], t.thisExpression()) : t.thisExpression() });
  if (facts.usesNewTarget) inputs.push({ field: "newTarget", value: t.metaProperty(t.identifier("new"), t.identifier("target")) });
  if (facts.usesSuperCall) {
    const args = t.identifier("args");
    inputs.push({ field: "superCall", value: t.arrowFunctionExpression([t.restElement(args)], t.callExpression(t.super(), [t.spreadElement(t.cloneNode(args))])) });
  }
  if (facts.usesSuperGet) {
    inputs.push({ field: "superGet", value: t.arrowFunctionExpression([t.identifier("key")], t.memberExpression(t.super(), t.identifier("key"), true)) });
  }
  if (facts.usesSuperSet) {
    inputs.push({
      field: "superSet",
      value: t.arrowFunctionExpression(
        [t.identifier("key"), t.identifier("value")],
        t.assignmentExpression("=", t.memberExpression(t.super(), t.identifier("key"), true), t.identifier("value")),
      ),
    });
  }
  const ownName = facts.bindings.find((binding) => binding.kind === "local");
  if (ownName) inputs.push({ field: ownName.field, value: t.identifier(ownName.name) });
  if (facts.usesArguments && isArrow) inputs.push({ field: "arguments", value: t.identifier("arguments") });
  if (simpleParams) {
    for (const param of params) {
      const id = param as t.Identifier;
      const info = facts.bindings.find((binding) => binding.kind === "param" && binding.name === id.name);
      inputs.push({ field: info?.field ?? id.name, value: t.identifier(id.name) });
    }
  } else if (params.length > 0 || facts.usesArguments) {
    inputs.push({ field: argsField, value: isArrow ? arrowArgs(params) : t.identifier("arguments") });
  }
  return inputs;
}

/**
 * A generator expression passes itself, so that its objects inherit from its own `prototype` (which
 * defineGeneratorFunction sets up where the expression is evaluated). One without a name it can use
 * (anonymous, or hidden by a parameter) is given one, `fSelf`; `engineName` is the `name` to give back.
 */
function generatorSelf(fn: NodePath<t.Function>, params: t.Function["params"], file: FileContext): { self: t.Identifier; engineName: string | null } {
  const node = fn.node;
  if (!node.generator || !t.isFunctionExpression(node)) return { self: t.identifier("undefined"), engineName: null };
  const shadowed = (name: string) => params.some((param) => Object.keys(t.getBindingIdentifiers(param)).includes(name));
  if (node.id && !shadowed(node.id.name)) return { self: t.identifier(node.id.name), engineName: null };
  const engineName = node.id ? node.id.name : inferredName(fn);
  if (engineName === null) return { self: t.identifier("undefined"), engineName: null };
  const base = engineName.replace(/\W/g, "") || "anonymous";
  node.id = t.identifier(file.uniqueName(`${/^\d/.test(base) ? "_" : ""}${base}Self`));
  return { self: t.identifier(node.id.name), engineName };
}

/** The wrapper of an arrow passes its parameters as an array: `[a, $1]`, `[a].concat($rest)` or `$rest`. */
function arrowArgs(params: t.Function["params"]): t.Expression {
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

function buildClass(
  className: string,
  file: FileContext,
  em: Emitter,
  inputs: Input[],
  frame: string[],
  frameValue: (field: string) => t.Expression,
  rewrite: { machineAlias: string; usedAlias: boolean },
  description: string,
  sentName: string,
  base: string,
): t.ClassDeclaration {
  const members: t.ClassBody["body"] = [];
  const table = em.tryTable();
  if (table.length > 0) {
    const tries = t.classProperty(
      t.identifier("tries"),
      t.arrayExpression(table.map((row) => t.arrayExpression(row.map((n) => t.numericLiteral(n))))),
      null,
      null,
      false,
      true,
    );
    t.addComment(tries, "leading", " [try start, catch, finally, end] state of each try region, innermost last", true);
    members.push(tries);
  }
  if (inputs.length > 0 || frame.length > 0) {
    const frameInit = frame.map((field) =>
      t.expressionStatement(t.assignmentExpression("=", t.memberExpression(t.thisExpression(), t.identifier(field)), frameValue(field))),
    );
    const cut = base === "GeneratorMachine" ? "a yield" : "an await";
    if (frameInit.length > 0) t.addComment(frameInit[0], "leading", ` locals that live across ${cut}, and intermediate values`, true);
    members.push(
      t.classMethod(
        "constructor",
        t.identifier("constructor"),
        inputs.map((input) => t.identifier(constructorParam(input.field, inputs))),
        t.blockStatement([
          t.expressionStatement(t.callExpression(t.super(), [])),
          ...inputs.map((input) =>
            t.expressionStatement(
              t.assignmentExpression("=", t.memberExpression(t.thisExpression(), t.identifier(input.field)), t.identifier(constructorParam(input.field, inputs))),
            ),
          ),
          ...frameInit,
        ]),
      ),
    );
  }

  const cases = em.states.map((state) => {
    const needsBlock = state.body.some((s) => t.isVariableDeclaration(s, { kind: "let" }) || t.isVariableDeclaration(s, { kind: "const" }) || t.isClassDeclaration(s) || t.isFunctionDeclaration(s));
    const clause = t.switchCase(t.numericLiteral(state.index), needsBlock ? [t.blockStatement(state.body)] : state.body);
    if (state.line !== null) t.addComment(clause, "leading", ` ${file.basename}:${state.line}`, true);
    return clause;
  });

  let resumeBody: t.Statement[];
  if (em.states.length === 1 && !em.usesDispatchLoop && table.length === 0) {
    resumeBody = em.states[0].body;
    if (em.states[0].line !== null && resumeBody.length > 0) t.addComment(resumeBody[0], "leading", ` ${file.basename}:${em.states[0].line}`, true);
  } else {
    const dispatch = t.switchStatement(t.memberExpression(t.thisExpression(), t.identifier("state")), cases);
    resumeBody = em.usesDispatchLoop ? [t.labeledStatement(t.identifier(em.dispatchLabel), t.forStatement(null, null, null, dispatch))] : [dispatch];
  }
  if (rewrite.usedAlias) {
    resumeBody.unshift(t.variableDeclaration("const", [t.variableDeclarator(t.identifier(rewrite.machineAlias), t.thisExpression())]));
  }
  members.push(t.classMethod("method", t.identifier("resume"), [t.identifier(sentName)], t.blockStatement(resumeBody)));

  const decl = t.classDeclaration(t.identifier(className), t.identifier(file.runtimeName(base)), t.classBody(members));
  t.addComment(decl, "leading", `* ${description} `, false);
  return decl;
}

/** `arguments` cannot name a parameter in class code, which is strict. */
function constructorParam(field: string, inputs: Input[]): string {
  if (field !== "arguments" && field !== "$params") return field;
  let name = field === "arguments" ? "args" : "params";
  while (inputs.some((input) => input.field === name)) name = `${name}_`;
  return name;
}

function replaceWithWrapper(
  fn: NodePath<t.Function>,
  call: t.CallExpression,
  params: t.Function["params"],
  simpleParams: boolean,
  isArrow: boolean,
  renamed: [string, string] | null,
): void {
  const node = fn.node;
  const rename = (name: string) => (renamed && name === renamed[0] ? renamed[1] : name);
  let wrapperParams: t.Function["params"];
  if (simpleParams) {
    wrapperParams = params.map((param) => t.identifier(rename((param as t.Identifier).name)));
  } else {
    const { names, rest } = wrapperParamNames(params);
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

/**
 * A generator method has a `prototype` of its own, which its objects inherit from. Once the class or the
 * object literal exists, the runtime's defineGeneratorMethod gives the method one and tells the machine
 * class which function it runs for: from a static block that runs before the class's other static
 * elements, or around the object literal (`defineGeneratorMethods({ ... }, Machine, "key")`). A method
 * under a computed key (other than `Symbol.iterator` and `Symbol.asyncIterator`) or a private name is
 * left with the shared generator prototype.
 */
function linkGeneratorMethod(fn: NodePath<t.Function>, machineRef: t.Expression, file: FileContext): void {
  const method = fn.node as t.ClassMethod | t.ObjectMethod;
  if (method.kind !== "method") return;
  const key = methodKey(fn as NodePath<t.ClassMethod | t.ObjectMethod>);
  if (!key) return;
  const machine = t.cloneNode(machineRef);
  if (t.isClassMethod(method)) {
    const home = method.static ? t.thisExpression() : t.memberExpression(t.thisExpression(), t.identifier("prototype"));
    const link = t.staticBlock([t.expressionStatement(t.callExpression(t.identifier(file.runtimeName("defineGeneratorMethod")), [machine, home, key]))]);
    // After the element that holds the machine class (a private field or a static block), if any.
    const body = (fn.parentPath as NodePath<t.ClassBody>).node.body;
    const holder = body.findIndex((element) => holdsMachine(element, machineRef));
    body.splice(holder + 1, 0, link);
    return;
  }
  const literal = fn.parentPath as NodePath<t.ObjectExpression>;
  const call = literal.parentPath;
  const define = file.runtimeName("defineGeneratorMethods");
  if (call?.isCallExpression() && t.isIdentifier(call.node.callee, { name: define }) && call.node.arguments[0] === literal.node) {
    call.node.arguments.push(machine, key);
  } else {
    literal.replaceWith(t.callExpression(t.identifier(define), [literal.node, machine, key]));
  }
}

/** The key a method is defined under, as an expression the runtime can look it up by, if it has one. */
function methodKey(fn: NodePath<t.ClassMethod | t.ObjectMethod>): t.Expression | null {
  const { key, computed } = fn.node;
  if (!computed) {
    if (t.isIdentifier(key)) return t.stringLiteral(key.name);
    if (t.isStringLiteral(key) || t.isNumericLiteral(key) || t.isBigIntLiteral(key)) return t.cloneNode(key);
    return null;
  }
  // `[Symbol.iterator]` and `[Symbol.asyncIterator]` can be read again without effects.
  const wellKnown = t.isMemberExpression(key) && !key.computed && t.isIdentifier(key.object, { name: "Symbol" }) && t.isIdentifier(key.property);
  if (wellKnown && ["iterator", "asyncIterator"].includes((key.property as t.Identifier).name) && !fn.scope.getBinding("Symbol")) return t.cloneNode(key);
  return null;
}

/** Whether a class element is the private field or the static block that stores this machine class. */
function holdsMachine(element: t.Node, machineRef: t.Expression): boolean {
  if (t.isMemberExpression(machineRef) && t.isPrivateName(machineRef.property)) {
    return t.isClassPrivateProperty(element) && element.key.id.name === machineRef.property.id.name;
  }
  if (!t.isIdentifier(machineRef) || !t.isStaticBlock(element)) return false;
  const [statement] = element.body;
  return t.isExpressionStatement(statement) && t.isAssignmentExpression(statement.expression) && t.isIdentifier(statement.expression.left, { name: machineRef.name });
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
  file.placedAtTop.add(declaration);
  fn.remove();
  const statements = block.get("body");
  const machine = statements.find((statement) => statement.node === classDecl);
  if (machine) machine.insertBefore(declaration);
  else block.unshiftContainer("body", declaration);
}

function stripTypes<T extends t.Node>(node: T): T {
  const copy = node as T & { typeAnnotation?: unknown; optional?: boolean; decorators?: unknown };
  if (copy.typeAnnotation) copy.typeAnnotation = null;
  return copy;
}

function collectNames(node: t.Node): Set<string> {
  const names = new Set<string>();
  t.traverseFast(node, (inner) => {
    if (t.isIdentifier(inner)) names.add(inner.name);
  });
  return names;
}

/**
 * The `name` the engine gives an anonymous function expression from where it stands (`const f = ...`,
 * `{ f: ... }`, `f = ...`, a default), "" where nothing names it, or null where a computed key names it
 * at run time.
 */
function inferredName(fn: NodePath<t.Function>): string | null {
  const parent = fn.parent;
  const keyName = (key: t.Node, computed: boolean): string | null => {
    if (computed) return null;
    if (t.isIdentifier(key)) return key.name;
    if (t.isStringLiteral(key)) return key.value;
    if (t.isNumericLiteral(key)) return String(key.value);
    if (t.isPrivateName(key)) return `#${key.id.name}`;
    return null;
  };
  if (t.isVariableDeclarator(parent) && parent.init === fn.node && t.isIdentifier(parent.id)) return parent.id.name;
  if (t.isAssignmentExpression(parent) && parent.right === fn.node && t.isIdentifier(parent.left) && parent.operator !== "=" && !["&&=", "||=", "??="].includes(parent.operator)) return "";
  if (t.isAssignmentExpression(parent) && parent.right === fn.node && t.isIdentifier(parent.left)) return parent.left.name;
  if (t.isAssignmentPattern(parent) && parent.right === fn.node && t.isIdentifier(parent.left)) return parent.left.name;
  if (t.isObjectProperty(parent) && parent.value === fn.node) {
    const name = keyName(parent.key, parent.computed);
    return name === "__proto__" && !parent.computed ? "" : name;
  }
  if ((t.isClassProperty(parent) || t.isClassPrivateProperty(parent)) && parent.value === fn.node) {
    return keyName(parent.key, t.isClassProperty(parent) && parent.computed);
  }
  return "";
}

/** The name the function is known by: its own, the variable or property it is assigned to, or `anonymous`. */
export function functionName(fn: NodePath<t.Function>): string {
  const node = fn.node;
  if ((t.isFunctionDeclaration(node) || t.isFunctionExpression(node)) && node.id) return node.id.name;
  if (t.isObjectMethod(node) || t.isClassMethod(node) || t.isClassPrivateMethod(node)) {
    const key = node.key;
    if (t.isIdentifier(key) && !node.computed) return key.name;
    if (t.isStringLiteral(key)) return key.value;
    if (t.isPrivateName(key)) return key.id.name;
    return "computed";
  }
  const parent = fn.parentPath;
  if (parent?.isVariableDeclarator() && t.isIdentifier(parent.node.id)) return parent.node.id.name;
  if (parent?.isAssignmentExpression()) {
    const left = parent.node.left;
    if (t.isIdentifier(left)) return left.name;
    if (t.isMemberExpression(left) && t.isIdentifier(left.property) && !left.computed) return left.property.name;
  }
  if ((parent?.isObjectProperty() || parent?.isClassProperty()) && t.isIdentifier(parent.node.key)) return parent.node.key.name;
  return "anonymous";
}

function machineClassName(fn: NodePath<t.Function>, name: string): string {
  const pascal = (text: string) => (text.replace(/[^A-Za-z0-9_$]/g, "_").replace(/^[^A-Za-z_$]/, "_$&").replace(/^./, (c) => c.toUpperCase()));
  const node = fn.node;
  if (t.isClassMethod(node) || t.isClassPrivateMethod(node)) {
    const cls = fn.findParent((p) => p.isClass()) as NodePath<t.Class> | null;
    const owner = cls?.node.id?.name ?? (cls?.parentPath?.isVariableDeclarator() && t.isIdentifier(cls.parentPath.node.id) ? cls.parentPath.node.id.name : "Class");
    return `${pascal(owner)}_${name.replace(/[^A-Za-z0-9_$]/g, "_")}`;
  }
  // A capitalized function (a component, a constructor-like name) keeps its name: its class says what it is.
  const pascalName = pascal(name);
  return pascalName === name ? `${name}Machine` : pascalName;
}

/** `async function coro(name) — question.js:1`, from the source text of the function's head. */
function describe(fn: NodePath<t.Function>, file: FileContext): string {
  const node = fn.node;
  const start = node.start ?? 0;
  const bodyStart = node.body.start ?? start;
  let head = file.code.slice(start, bodyStart).replace(/\s+/g, " ").trim();
  if (t.isArrowFunctionExpression(node)) head = head.replace(/\s*=>\s*$/, " =>");
  if (head.length > 100) head = head.slice(0, 97) + "...";
  return `${head.replace(/\*\//g, "* /")} — ${file.basename}:${node.loc?.start.line ?? "?"}`;
}

function assign(target: t.LVal, value: t.Expression): t.Statement {
  return t.expressionStatement(t.assignmentExpression("=", target, value));
}

/** `(a = () => {})` names the function `a`; kept when the default moves into an expression. */
export function named(value: t.Expression, target: t.Node): t.Expression {
  const anonymous = t.isArrowFunctionExpression(value) || ((t.isFunctionExpression(value) || t.isClassExpression(value)) && !value.id);
  if (!anonymous || !t.isIdentifier(target)) return value;
  return t.memberExpression(t.objectExpression([t.objectProperty(t.identifier(target.name), value)]), t.identifier(target.name));
}

/** The source text of an operand (or, for generated nodes, a printed form). */
function sourceText(node: t.Node, file: FileContext): string {
  const text = node.start != null && node.end != null ? file.code.slice(node.start, node.end) : "";
  return (text || (t.isIdentifier(node) ? node.name : "…")).replace(/\s+/g, " ").slice(0, 80);
}
