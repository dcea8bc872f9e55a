// Where the locals of a lowered function live.
//
// Before explosion every identifier that refers to a binding of the function (its parameters, and the
// declarations of every scope whose statements get flattened into states) is tagged with that binding.
// After explosion we know which states use each binding: one used by a single state stays a local
// `let`/`const` inside that state's `case`; anything that crosses a cut becomes a field of the machine
// (`this.name`). The same pass rewrites `this`, `arguments`, `new.target` and `super` of the function to
// what the machine received from its wrapper.
import type { Binding, NodePath, Scope } from "@babel/traverse";
import * as t from "@babel/types";
import { mustExplode } from "./analysis.ts";
import { UnsupportedError } from "./errors.ts";
import type { State } from "./emitter.ts";
import type { AnnexBFunction, BindingInfo, FactsStore } from "./facts.ts";
import type { FileContext } from "./file-context.ts";
import { findUninitializedAccesses } from "./tdz.ts";

export type { BindingInfo } from "./facts.ts";

/**
 * Where a block function declaration stands (it is hoisted to the block's start): in sloppy code its
 * value is copied to the function-wide binding here, when the statement is reached.
 */
export function annexBEvaluation(facts: FactsStore, declaration: t.FunctionDeclaration): t.Statement | null {
  const annex = facts.get(declaration)?.annexB;
  if (!annex) return null;
  annex.positioned = true;
  const placeholder = t.expressionStatement(t.identifier("undefined"));
  facts.set(placeholder, "annexBEvaluation", annex);
  return placeholder;
}

function annexBAssignment(annex: AnnexBFunction, foreign: boolean, cx: RewriteContext): t.Statement {
  const value = annex.inner && annex.inner.storage !== "local" ? fieldOf(annex.inner, foreign, cx) : t.identifier(annex.inner?.name ?? annex.innerName);
  return t.expressionStatement(t.assignmentExpression("=", fieldOf(annex.outer, foreign, cx), value));
}

/** Entering this scope: a statement that marks its TDZ-checked bindings uninitialized, if it has any. */
export function uninitializeOnEntry(facts: FactsStore, scope: t.Node): t.Statement | null {
  const infos = facts.get(scope)?.uninitializedOnEntry;
  if (!infos) return null;
  const placeholder = t.expressionStatement(t.identifier("undefined"));
  facts.set(placeholder, "resets", infos);
  return placeholder;
}
/** A `super.x` target rebuilt by the transform (its key held in a temp) stays a target. */
export function superTargetLike(facts: FactsStore, original: t.Node, rebuilt: t.MemberExpression): t.MemberExpression {
  if (facts.get(original)?.superTarget) facts.set(rebuilt, "superTarget", true);
  return rebuilt;
}

/** A `this` of the source function, made by the transform (it becomes `this.thisArg`). */
export function userThis(facts: FactsStore): t.ThisExpression {
  const node = t.thisExpression();
  facts.set(node, "userThis", true);
  return node;
}

export function isStableIdentifier(facts: FactsStore, node: t.Identifier): boolean {
  const record = facts.get(node);
  if (!record) return false;
  if (record.binding) return record.binding.constant;
  return record.outerStable ?? false;
}

export interface FunctionAnalysis {
  bindings: BindingInfo[];
  usesThis: boolean;
  usesArguments: boolean;
  usesNewTarget: boolean;
  usesSuperGet: boolean;
  usesSuperSet: boolean;
  usesPrivateNames: boolean;
  /**
   * An arrow in a derived class's constructor may run before `super()`, when `this` cannot be read yet:
   * the machine receives `() => this` and reads it when the body does.
   */
  lazyThis: boolean;
  /** The arrow calls `super()` (it is in a derived constructor). */
  usesSuperCall: boolean;
  /** Names the function refers to that are bound outside it. */
  references: Set<string>;
  /** Body `var`s named like a parameter, each a binding of its own: [parameter, var] (see splitBodyVars). */
  bodyVars: [BindingInfo, BindingInfo][];
}

/** Is this scope's code flattened into the machine's states (rather than kept inside one statement)? */
function isFlattened(scope: Scope, fn: NodePath<t.Function>, facts: FactsStore): boolean {
  if (scope.block === fn.node) return true;
  // Explosion goes top-down: a block is flattened only if it and every statement around it are exploded.
  for (let path: NodePath | null = scope.path; path && path !== fn; path = path.parentPath) {
    if (path.isCatchClause() || path.isSwitchCase()) continue; // decided by their try / switch
    if (path.isStatement() && !mustExplode(facts, path.node)) return false;
    if (path.parentPath === fn) break; // the function body itself
  }
  return true;
}

/**
 * Renames flattened block-scoped bindings that would clash once their blocks are gone, then tags every
 * identifier that refers to one of the function's bindings.
 */
export function analyzeBindings(fn: NodePath<t.Function>, facts: FactsStore, file: FileContext, reservedNames: Set<string>): FunctionAnalysis {
  const { allNames, assignedGlobals } = file;
  const scopes: Scope[] = [fn.scope];
  fn.get("body").traverse({
    Scopable(path) {
      if (path.isFunction() || path.isClass()) {
        path.skip();
        return;
      }
      if (path.scope.block === path.node && path.scope !== fn.scope && isFlattened(path.scope, fn, facts)) scopes.push(path.scope);
    },
  });

  // Names referenced in the function that resolve to something else than a flattened binding.
  const flattenedBindings = new Set(scopes.flatMap((scope) => Object.values(scope.bindings)));
  const foreignNames = new Set<string>();
  const noteForeign = (path: NodePath<t.Identifier | t.JSXIdentifier>) => {
    if (!isReference(path)) return;
    const binding = resolveBinding(path);
    if (!binding || !flattenedBindings.has(binding)) foreignNames.add(path.node.name);
  };
  // (a JSX element's name is a reference too: `<Comp />`)
  fn.traverse({ Identifier: noteForeign, JSXIdentifier: noteForeign });

  const sourceNames = new Map<string, string>();
  const seen = new Set<string>();
  // Parameters (and a function expression's own name) always live in fields, `this.n`: a block's `n`
  // can keep its name beside them, so that its TDZ error and the output read as the source.
  for (const [name, binding] of Object.entries(fn.scope.bindings)) if (binding.kind !== "param" && binding.kind !== "local") seen.add(name);
  for (const scope of scopes.slice(1)) {
    for (const name of Object.keys(scope.bindings)) {
      if (seen.has(name) || foreignNames.has(name)) {
        let n = 1;
        while (allNames.has(`${name}_${n}`) || seen.has(`${name}_${n}`)) n++;
        const fresh = `${name}_${n}`;
        // Babel renames one target per name in a pattern: `[n = 1, n] = list` keeps the second `n`.
        const binding = scope.getOwnBinding(name);
        const targets = (binding?.constantViolations ?? []).flatMap((violation) => {
          const found = (t.getBindingIdentifiers(violation.node, true) as Record<string, t.Identifier | t.Identifier[]>)[name];
          return found ? ([] as t.Identifier[]).concat(found) : [];
        });
        scope.rename(name, fresh);
        for (const target of targets) if (target.name === name) target.name = fresh;
        sourceNames.set(fresh, name);
        allNames.add(fresh);
        seen.add(fresh);
      } else {
        seen.add(name);
      }
    }
  }

  const infos = new Map<object, BindingInfo>();
  const fieldNames = new Set<string>(reservedNames);
  for (const scope of scopes) {
    for (const [name, binding] of Object.entries(scope.bindings)) {
      if (name === "this") continue; // a TypeScript `this` parameter only types `this`
      let field = name;
      // `$0`, `$s0`, ... are the transform's own fields (temps, boxes).
      for (let n = 1; fieldNames.has(field) || /^\$s?\d+$/.test(field); n++) field = `${name}_${n}`;
      fieldNames.add(field);
      const info: BindingInfo = {
        name,
        sourceName: sourceNames.get(name) ?? name,
        kind: binding.kind,
        constant: binding.constant,
        reentrant: scope !== fn.scope && isInLoop(scope.path, fn),
        captured: false,
        group: [],
        states: new Set(),
        storage: "field",
        field,
        box: null,
        node: binding.identifier,
        uninitialized: false,
        namesItsValue: binding.path.isFunctionDeclaration() || binding.path.isClassDeclaration(),
      };
      info.group.push(info);
      infos.set(binding, info);
    }
  }

  const analysis: FunctionAnalysis = {
    bindings: [...infos.values()],
    usesThis: false,
    usesArguments: false,
    usesNewTarget: false,
    usesSuperGet: false,
    usesSuperSet: false,
    usesPrivateNames: false,
    lazyThis: fn.isArrowFunctionExpression() && inDerivedConstructor(fn),
    usesSuperCall: false,
    references: foreignNames,
    bodyVars: [],
  };

  const tag = (path: NodePath<t.Identifier | t.JSXIdentifier>) => {
    if (!isReference(path)) return;
    const binding = resolveBinding(path);
    const info = binding && infos.get(binding);
    if (info) {
      facts.set(path.node, "binding", info);
      if (path.getFunctionParent() !== fn) info.captured = true;
    } else if (binding) {
      facts.set(path.node, "outerStable", binding.constant);
    } else {
      facts.set(path.node, "outerStable", !assignedGlobals.has(path.node.name) && path.node.name !== "arguments");
    }
  };
  fn.traverse({
    Identifier: tag,
    JSXIdentifier: tag,
    PrivateName() {
      analysis.usesPrivateNames = true;
    },
    CallExpression(path) {
      if (t.isIdentifier(path.node.callee, { name: "eval" }) && !path.scope.getBinding("eval") && path.getFunctionParent() === fn) {
        throw new UnsupportedError("direct `eval` in an async function (its locals are fields of the machine) is not supported", path.node);
      }
    },
  });

  splitBodyVars(fn, facts, analysis, infos, fieldNames);
  if (!fn.isInStrictMode()) applyAnnexB(fn, facts, file.wrappers, analysis, infos, fieldNames);

  // Lexical bindings some access may reach before their declaration start each scope entry uninitialized.
  for (const binding of findUninitializedAccesses(scopes, fn, facts, file.createdAt)) {
    const info = infos.get(binding)!;
    info.uninitialized = true;
    (facts.of(binding.scope.block).uninitializedOnEntry ??= []).push(info);
  }

  // Scopes entered again by a loop whose bindings a closure captures get a box per entry.
  for (const scope of scopes.slice(1)) {
    const captured = Object.values(scope.bindings).map((binding) => infos.get(binding)!).filter((info) => info.reentrant && info.captured);
    if (captured.length === 0) continue;
    // Box names are unique in the file: a nested machine's `const $s1 = this.$s1` must not hide an outer box.
    const box = file.newBoxName();
    facts.set(scope.block, "box", box);
    for (const info of captured) {
      info.storage = "boxed";
      info.box = box;
    }
  }

  // Bindings declared by one pattern are stored together (a declaration is all fields or all locals).
  fn.traverse({
    "VariableDeclarator|CatchClause"(path: NodePath) {
      const id = path.isVariableDeclarator() ? path.node.id : (path.node as t.CatchClause).param;
      if (!id) return;
      const ids = Object.values(t.getBindingIdentifiers(id)) as t.Identifier[];
      const group = ids.map((node) => facts.binding(node)).filter((info): info is BindingInfo => info !== undefined);
      if (group.length > 1) for (const info of group) info.group = group;
    },
  });

  // this / arguments / new.target / super as the function itself sees them (arrows see through).
  const visitOwn = (path: NodePath) => {
    path.traverse({
      Function(inner) {
        if (inner.isArrowFunctionExpression()) return;
        // An object method's computed key is evaluated by the function around it.
        if (inner.isObjectMethod() && inner.node.computed) visitOwn(inner.get("key") as NodePath);
        inner.skip();
      },
      ClassBody(inner) {
        // Computed keys are evaluated outside the class's own functions.
        for (const member of inner.get("body")) {
          if ("computed" in member.node && member.node.computed) visitOwn(member.get("key") as NodePath);
        }
        inner.skip();
      },
      ThisExpression(inner) {
        facts.set(inner.node, "userThis", true);
        analysis.usesThis = true;
      },
      Identifier(inner) {
        if (inner.node.name === "arguments" && inner.isReferencedIdentifier() && !inner.scope.getBinding("arguments")) analysis.usesArguments = true;
      },
      MetaProperty(inner) {
        if (inner.node.meta.name === "new") analysis.usesNewTarget = true;
      },
      Super(inner) {
        const parent = inner.parentPath;
        if (parent.isCallExpression()) {
          // `super()` in an arrow of a derived constructor: the wrapper passes `(...args) => super(...args)`.
          analysis.usesSuperCall = true;
          return;
        }
        const grand = parent.parentPath;
        // `delete super.x` only throws (after evaluating a computed key): it needs neither reference.
        if (grand?.isUnaryExpression({ operator: "delete" })) return;
        analysis.usesSuperGet = true;
        analysis.usesThis = true;
        if (grand?.isAssignmentExpression({ left: parent.node }) || grand?.isUpdateExpression()) analysis.usesSuperSet = true;
        const inPattern =
          grand?.isArrayPattern() || grand?.isRestElement() || grand?.isAssignmentPattern({ left: parent.node }) ||
          (grand?.isObjectProperty({ value: parent.node }) && grand.parentPath?.isObjectPattern()) ||
          ((grand?.isForOfStatement() || grand?.isForInStatement()) && grand.node.left === parent.node);
        if (inPattern) {
          analysis.usesSuperSet = true;
          facts.set(parent.node, "superTarget", true);
        }
      },
    });
  };
  visitOwn(fn.get("body") as NodePath);
  for (const param of fn.get("params")) visitOwn(param as NodePath);
  return analysis;
}

function isInLoop(path: NodePath, fn: NodePath): boolean {
  for (let p: NodePath | null = path; p && p !== fn; p = p.parentPath) {
    if (p.isLoop()) return true;
  }
  return false;
}

/** Decides local or field for each binding from the states that use it. */
export function assignStorage(analysis: FunctionAnalysis, facts: FactsStore, states: State[]): void {
  states.forEach((state) => {
    for (const statement of state.body) {
      walkAll(statement, (node) => {
        const info = facts.binding(node);
        if (info) info.states.add(state.index);
      });
    }
  });
  const singleState = states.length === 1;
  for (const info of analysis.bindings) {
    if (info.storage === "boxed") continue;
    const lexical = info.kind === "let" || info.kind === "const";
    // A named function expression's own name arrives from the wrapper, like a parameter.
    info.storage = info.kind === "param" || info.kind === "local" || info.alwaysField ? "field" : singleState || (lexical && info.states.size <= 1) ? "local" : "field";
  }
  for (const info of analysis.bindings) {
    // A renamed local's own TDZ error would name it `n_1`, and a renamed function or class declaration
    // would be called `g_1`: as fields, the check names `n` and the declaration keeps `g`.
    if (info.storage === "local" && (info.uninitialized || info.namesItsValue) && info.name !== info.sourceName) info.storage = "field";
  }
  for (const info of analysis.bindings) {
    if (info.storage === "local" && info.group.some((member) => member.storage !== "local")) info.storage = "field";
  }
}

function walkAll(node: t.Node, visit: (node: t.Node) => void): void {
  visit(node);
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const item of child) if (item && typeof item === "object") walkAll(item as t.Node, visit);
    } else if (child && typeof child === "object") {
      walkAll(child as t.Node, visit);
    }
  }
}

// --- rewriting -----------------------------------------------------------------------------------------

export interface RewriteContext {
  /** Name of the alias of the machine that nested ordinary functions use (`const machine = this`). */
  machineAlias: string;
  usedAlias: boolean;
  /** Depth of nested functions around the node being rewritten. */
  closureDepth: number;
  /** Boxes the current state's closures capture: `const $s0 = this.$s0;` opens the state. */
  snapshots: Set<string>;
  /** The source function is strict code (assigning to its own name throws rather than doing nothing). */
  strict: boolean;
  /** The runtime's UNINITIALIZED marker. */
  uninitialized: () => t.Expression;
  /** `this` of the source arrives as a function to call (FunctionAnalysis.lazyThis). */
  lazyThis: boolean;
  facts: FactsStore;
}

function fieldOf(info: BindingInfo, foreign: boolean, cx: RewriteContext): t.MemberExpression {
  if (info.box) {
    if (cx.closureDepth > 0) {
      cx.snapshots.add(info.box);
      return t.memberExpression(t.identifier(info.box), t.identifier(info.name));
    }
    return t.memberExpression(t.memberExpression(t.thisExpression(), t.identifier(info.box)), t.identifier(info.name));
  }
  if (foreign) cx.usedAlias = true;
  return t.memberExpression(foreign ? t.identifier(cx.machineAlias) : t.thisExpression(), t.identifier(info.field));
}

/** A JSX element's name as the expression it evaluates (`<Comp.Item>`: `Comp.Item`), keeping what the analysis knows of it. */
export function jsxNameToExpression(facts: FactsStore, name: t.JSXIdentifier | t.JSXMemberExpression): t.Expression {
  if (name.type === "JSXMemberExpression") return t.memberExpression(jsxNameToExpression(facts, name.object), t.identifier(name.property.name));
  return facts.carryOver(name, name.name === "this" ? t.thisExpression() : t.identifier(name.name));
}

/** `this.Comp` as the name of a JSX element: `<this.Comp />`. */
export function toJSXName(facts: FactsStore, expr: t.Expression): t.JSXIdentifier | t.JSXMemberExpression {
  if (t.isThisExpression(expr)) return t.jsxIdentifier("this");
  if (t.isIdentifier(expr)) return facts.carryOver(expr, t.jsxIdentifier(expr.name));
  if (t.isMemberExpression(expr) && !expr.computed && t.isIdentifier(expr.property)) {
    return t.jsxMemberExpression(toJSXName(facts, expr.object as t.Expression), t.jsxIdentifier(expr.property.name));
  }
  throw new Error(`stepwise: a JSX element cannot be named by ${expr.type}`);
}

const own = (name: string) => t.memberExpression(t.thisExpression(), t.identifier(name));

/** The source function's `this`: `this.thisArg`, or `this.thisArg()` where it is read lazily. */
function sourceThis(cx: RewriteContext): t.Expression {
  return cx.lazyThis ? t.callExpression(own("thisArg"), []) : own("thisArg");
}

function isField(cx: RewriteContext, node: t.Node | null | undefined): boolean {
  const storage = cx.facts.binding(node)?.storage;
  return storage === "field" || storage === "boxed";
}

/** Rewrites a list of statements of one state in place. */
export function rewriteStatements(statements: t.Statement[], cx: RewriteContext): t.Statement[] {
  return statements.flatMap((statement) => rewriteStatement(statement, false, cx));
}

function rewriteStatement(statement: t.Statement, foreign: boolean, cx: RewriteContext): t.Statement[] {
  const record = cx.facts.get(statement);
  const evaluation = record?.annexBEvaluation;
  if (evaluation) return [annexBAssignment(evaluation, foreign, cx)];
  const annex = t.isFunctionDeclaration(statement) ? record?.annexB : undefined;
  if (annex && !annex.positioned) {
    // In a block kept as written the declaration stands where it is evaluated: the copy follows it.
    annex.positioned = true;
    return [...rewriteStatement(statement, foreign, cx), annexBAssignment(annex, foreign, cx)];
  }
  const reset = record?.resets;
  if (reset) {
    // A local keeps the engine's own TDZ; a field holds the marker until its declaration runs.
    return reset
      .filter((info) => info.storage !== "local")
      .map((info) => t.expressionStatement(t.assignmentExpression("=", fieldOf(info, foreign, cx), cx.uninitialized())));
  }
  if (t.isVariableDeclaration(statement)) {
    const declared = statement.declarations.flatMap((d) => Object.values(t.getBindingIdentifiers(d.id)));
    if (declared.some((id) => isField(cx, id))) {
      return statement.declarations.flatMap((declarator): t.Statement[] => {
        const names = Object.values(t.getBindingIdentifiers(declarator.id));
        // A declarator whose bindings all stay locals keeps its declaration (`const a = 1, b = await x`).
        if (!names.some((id) => isField(cx, id))) {
          return [t.variableDeclaration(statement.kind, [rewriteNode(declarator, foreign, cx) as t.VariableDeclarator])];
        }
        // A pattern binding locals and fields at once: the locals are declared first, then it assigns.
        const locals = names.filter((name) => !isField(cx, name)).map((name) => t.variableDeclarator(t.identifier(name.name)));
        const declareLocals: t.Statement[] = locals.length > 0 ? [t.variableDeclaration(statement.kind === "var" ? "var" : "let", locals)] : [];
        const target = rewriteNode(declarator.id, foreign, cx) as t.LVal;
        if (declarator.init) {
          const init = rewriteNode(declarator.init, foreign, cx) as t.Expression;
          const info = cx.facts.binding(declarator.id);
          if (info && isAnonymousFunction(declarator.init)) {
            // An anonymous function or class takes its name from the declaration: keep that name.
            if (info.name === info.sourceName) {
              return [
                t.variableDeclaration("const", [t.variableDeclarator(t.identifier(info.name), init)]),
                t.expressionStatement(t.assignmentExpression("=", target, t.identifier(info.name))),
              ];
            }
            const named = t.memberExpression(t.objectExpression([t.objectProperty(t.identifier(info.sourceName), init)]), t.identifier(info.sourceName));
            return [t.expressionStatement(t.assignmentExpression("=", target, named))];
          }
          return [...declareLocals, t.expressionStatement(t.assignmentExpression("=", target, init))];
        }
        // `let x;` gives a fresh `undefined` each time it runs; `var x;` does nothing where it stands.
        if (statement.kind === "var") return [];
        return [t.expressionStatement(t.assignmentExpression("=", target, t.identifier("undefined")))];
      });
    }
  }
  if (t.isFunctionDeclaration(statement) && statement.id && isField(cx, statement.id)) {
    const info = cx.facts.binding(statement.id)!;
    const fn = rewriteNode(t.functionExpression(null, statement.params, statement.body, statement.generator, statement.async), foreign, cx);
    // Keep the function's own name (the source's, if it was renamed) without tagging it as the field.
    (fn as t.FunctionExpression).id = t.identifier(info.sourceName);
    return [t.expressionStatement(t.assignmentExpression("=", fieldOf(info, foreign, cx), fn as t.Expression))];
  }
  if (t.isClassDeclaration(statement) && statement.id && isField(cx, statement.id)) {
    const info = cx.facts.binding(statement.id)!;
    // Inside its body the name is the class's own binding, set before static fields run: not the field.
    // The class keeps the source's name, also where the binding had to be renamed.
    walkAll(statement.body, (node) => {
      if (cx.facts.binding(node) !== info) return;
      cx.facts.set(node, "binding", undefined);
      if (t.isIdentifier(node) || t.isJSXIdentifier(node)) node.name = info.sourceName;
    });
    const cls = rewriteNode(t.classExpression(t.identifier(info.sourceName), statement.superClass, statement.body, statement.decorators), foreign, cx);
    return [t.expressionStatement(t.assignmentExpression("=", fieldOf(info, foreign, cx), cls as t.Expression))];
  }
  return [rewriteNode(statement, foreign, cx) as t.Statement];
}

function rewriteNode(node: t.Node, foreign: boolean, cx: RewriteContext): t.Node {
  const record = cx.facts.get(node);
  const info = record?.binding;
  if (info && info.storage !== "local") {
    // The field keeps the identifier's place in the source (metadata quotes it; source maps point at it).
    const field: t.Node = node.type === "JSXIdentifier" ? toJSXName(cx.facts, fieldOf(info, foreign, cx)) : fieldOf(info, foreign, cx);
    field.start = node.start;
    field.end = node.end;
    field.loc = node.loc;
    if (info.uninitialized && record.checkedRead) return checkInitialized(field as t.Expression, info, foreign, cx);
    if (info.uninitialized && record.checkedTarget && node.type === "Identifier") return checkedTarget(field as t.MemberExpression, info, foreign, cx);
    return field;
  }

  switch (node.type) {
    case "ThisExpression":
      return foreign || !record?.userThis ? node : sourceThis(cx);
    case "Identifier":
      if (!foreign && node.name === "arguments" && !info && record?.outerStable !== undefined) return own("arguments");
      return node;
    case "UnaryExpression":
      // Class code is strict: `delete name` (meaningful only in sloppy code) is spelled out.
      if (node.operator === "delete" && t.isMemberExpression(node.argument) && node.argument.object.type === "Super" && !foreign) {
        // The engine evaluates the key, then refuses: a ReferenceError.
        const refuse = t.callExpression(own("superDelete"), []);
        return node.argument.computed ? t.sequenceExpression([superKey(node.argument, foreign, cx), refuse]) : refuse;
      }
      if (node.operator === "delete" && t.isIdentifier(node.argument)) {
        const argument = cx.facts.get(node.argument);
        if (argument?.binding || argument?.outerStable === undefined) return t.booleanLiteral(false);
        return t.callExpression(t.memberExpression(t.identifier("Reflect"), t.identifier("deleteProperty")), [t.identifier("globalThis"), t.stringLiteral(node.argument.name)]);
      }
      break;
    case "MetaProperty":
      return !foreign && node.meta.name === "new" ? own("newTarget") : node;
    case "MemberExpression":
      if (node.object.type === "Super" && !foreign && record?.superTarget) {
        // A destructuring target: an object whose `value` setter writes through super.
        return t.memberExpression(t.callExpression(own("superTarget"), [superKey(node, foreign, cx)]), t.identifier("value"));
      }
      if (node.object.type === "Super" && !foreign) return t.callExpression(own("superGet"), [superKey(node, foreign, cx)]);
      node.object = rewriteNode(node.object, foreign, cx) as t.Expression;
      if (node.computed) node.property = rewriteNode(node.property, foreign, cx) as t.Expression;
      return node;
    case "CallExpression":
    case "OptionalCallExpression":
    case "TaggedTemplateExpression": {
      // A local called as a function must not become a method call on the machine: `(0, this.f)()`.
      const callee = node.type === "TaggedTemplateExpression" ? node.tag : node.callee;
      if (isField(cx, callee)) {
        const member = rewriteNode(callee, foreign, cx) as t.Expression;
        const detached = t.sequenceExpression([t.numericLiteral(0), member]);
        if (node.type === "TaggedTemplateExpression") node.tag = detached;
        else node.callee = detached;
        rewriteChildren(node, foreign, cx, node.type === "TaggedTemplateExpression" ? ["quasi"] : ["arguments"]);
        return node;
      }
      const superCallee = node.type === "TaggedTemplateExpression" ? node.tag : node.callee;
      if (node.type !== "CallExpression" && t.isMemberExpression(superCallee) && superCallee.object.type === "Super" && !foreign) {
        // `super.m?.()` and super.tag`...` call the method with this function's `this`.
        const method = t.callExpression(own("superGet"), [superKey(superCallee, foreign, cx)]);
        if (node.type === "TaggedTemplateExpression") {
          node.tag = t.callExpression(t.memberExpression(method, t.identifier("bind")), [sourceThis(cx)]);
          rewriteChildren(node, foreign, cx, ["quasi"]);
          return node;
        }
        const args = node.arguments.map((arg) => rewriteNode(arg, foreign, cx) as t.Expression);
        return t.optionalCallExpression(t.optionalMemberExpression(method, t.identifier("call"), false, node.optional), [sourceThis(cx), ...args], false);
      }
      if (node.type !== "CallExpression") break;
      if (node.callee.type === "Super" && !foreign) {
        const args = node.arguments.map((arg) => rewriteNode(arg, foreign, cx) as t.Expression);
        return t.callExpression(own("superCall"), args);
      }
      if (t.isMemberExpression(node.callee) && node.callee.object.type === "Super" && !foreign) {
        const method = t.callExpression(own("superGet"), [superKey(node.callee, foreign, cx)]);
        const args = node.arguments.map((arg) => rewriteNode(arg, foreign, cx) as t.Expression);
        return t.callExpression(t.memberExpression(method, t.identifier("call")), [sourceThis(cx), ...args]);
      }
      break;
    }
    case "UpdateExpression":
    case "AssignmentExpression": {
      const written = node.type === "UpdateExpression" ? node.argument : node.left;
      const writtenFacts = cx.facts.get(written);
      const writtenInfo = writtenFacts?.binding;
      if (writtenInfo && writtenInfo.uninitialized && writtenInfo.storage !== "local" && writtenFacts.checkedWrite) {
        return checkedWrite(node, writtenInfo, foreign, cx);
      }
      if (node.type === "UpdateExpression" && t.isMemberExpression(node.argument) && node.argument.object.type === "Super" && !foreign) {
        // `super.x++`: read through super, ToNumeric, write back through super.
        const args = [superKey(node.argument, foreign, cx), t.booleanLiteral(node.prefix), t.numericLiteral(node.operator === "++" ? 1 : -1)];
        return t.callExpression(own("superUpdate"), args);
      }
      // Assigning to a `const` that became a field must still throw.
      const target = node.type === "UpdateExpression" ? node.argument : node.left;
      const info = cx.facts.binding(target);
      if (info && info.kind === "local" && !cx.strict) {
        // Sloppy code: assigning to a function expression's own name does nothing but yield the value.
        const current = fieldOf(info, foreign, cx);
        if (node.type === "UpdateExpression") {
          return node.prefix ? t.binaryExpression("+", t.unaryExpression("+", current), t.numericLiteral(node.operator === "++" ? 1 : -1)) : t.unaryExpression("+", current);
        }
        const right = rewriteNode(node.right, foreign, cx) as t.Expression;
        if (node.operator === "=") return right;
        const operator = node.operator.slice(0, -1);
        return operator === "&&" || operator === "||" || operator === "??"
          ? t.logicalExpression(operator, current, right)
          : t.binaryExpression(operator as "+", current, right);
      }
      if (info && info.storage !== "local" && (info.kind === "const" || info.kind === "local")) {
        // What the assignment evaluates still runs (reading the old value, the right side); then it throws.
        const thrower = t.callExpression(t.memberExpression(foreign ? t.identifier(cx.machineAlias) : t.thisExpression(), t.identifier("assignConstant")), [t.stringLiteral(info.sourceName)]);
        if (foreign) cx.usedAlias = true;
        const current = () => fieldOf(info, foreign, cx);
        if (node.type === "UpdateExpression") return t.sequenceExpression([t.unaryExpression("+", current()), thrower]);
        const right = rewriteNode(node.right, foreign, cx) as t.Expression;
        if (node.operator === "=") return t.sequenceExpression([right, thrower]);
        const operator = node.operator.slice(0, -1);
        if (operator === "&&" || operator === "||" || operator === "??") {
          return t.logicalExpression(operator, current(), t.sequenceExpression([right, thrower]));
        }
        return t.sequenceExpression([t.binaryExpression(operator as "+", current(), right), thrower]);
      }
      if (node.type === "UpdateExpression") break;
      if (t.isMemberExpression(node.left) && node.left.object.type === "Super" && !foreign) {
        const right = rewriteNode(node.right, foreign, cx) as t.Expression;
        if (node.operator === "=") return t.callExpression(own("superSet"), [superKey(node.left, foreign, cx), right]);
        if (node.left.computed && !t.isLiteral(node.left.property)) {
          // The key is evaluated once and the right side after the read: the runtime reads, combines, writes.
          const args = [superKey(node.left, foreign, cx), t.stringLiteral(node.operator), t.arrowFunctionExpression([], right)];
          return t.callExpression(own("superAssign"), args);
        }
        // `super.x += v` reads through super and writes through super; `super.x ??= v` writes only if needed.
        const operator = node.operator.slice(0, -1);
        const current = t.callExpression(own("superGet"), [superKey(node.left, foreign, cx)]);
        if (operator === "&&" || operator === "||" || operator === "??") {
          return t.logicalExpression(operator, current, t.callExpression(own("superSet"), [superKey(node.left, foreign, cx), right]));
        }
        return t.callExpression(own("superSet"), [superKey(node.left, foreign, cx), t.binaryExpression(operator as "+", current, right)]);
      }
      break;
    }
    case "AssignmentPattern": {
      // `{ k = class {} }`: the default is named `k`, also when k becomes a field (`this.k = ...` would not name it).
      const target = cx.facts.binding(node.left);
      if (target && target.storage !== "local" && isAnonymousFunction(node.right)) {
        const name = t.identifier(target.sourceName);
        node.right = t.memberExpression(t.objectExpression([t.objectProperty(name, node.right)]), t.cloneNode(name));
      }
      break;
    }
    case "ObjectProperty":
      if (node.shorthand && isField(cx, node.value)) {
        node.shorthand = false;
        // `{ __proto__ }` defines an own property; `{ __proto__: v }` would set the prototype.
        if (t.isIdentifier(node.key, { name: "__proto__" })) {
          node.key = t.stringLiteral("__proto__");
          node.computed = true;
        }
      }
      if (node.computed) node.key = rewriteNode(node.key, foreign, cx) as t.Expression;
      node.value = rewriteNode(node.value, foreign, cx) as t.Expression;
      return node;
    case "ClassMethod":
    case "ClassPrivateMethod":
    case "ObjectMethod":
      if ("computed" in node && node.computed) node.key = rewriteNode(node.key, foreign, cx) as t.Expression;
      cx.closureDepth++;
      rewriteChildren(node, true, cx, ["params", "body"]);
      cx.closureDepth--;
      return node;
    case "ClassProperty":
    case "ClassPrivateProperty":
    case "ClassAccessorProperty":
      if ("computed" in node && node.computed) node.key = rewriteNode(node.key, foreign, cx) as t.Expression;
      cx.closureDepth++;
      if (node.value) node.value = rewriteNode(node.value, true, cx) as t.Expression;
      cx.closureDepth--;
      return node;
    case "StaticBlock":
      cx.closureDepth++;
      node.body = node.body.flatMap((statement) => rewriteStatement(statement, true, cx));
      cx.closureDepth--;
      return node;
    case "FunctionDeclaration":
    case "FunctionExpression":
    case "ArrowFunctionExpression":
      cx.closureDepth++;
      rewriteChildren(node, node.type === "ArrowFunctionExpression" ? foreign : true, cx, ["params", "body"]);
      cx.closureDepth--;
      return node;
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      if (node.type === "LabeledStatement") {
        const body = rewriteStatement(node.body, foreign, cx);
        node.body = body.length === 1 ? body[0] : t.blockStatement(body);
      }
      return node;
    case "ForStatement":
      if (t.isVariableDeclaration(node.init) && node.init.declarations.some((d) => Object.values(t.getBindingIdentifiers(d.id)).some((id) => isField(cx, id)))) {
        const assignments = node.init.declarations
          .filter((d) => d.init)
          .map((d) => t.assignmentExpression("=", rewriteNode(d.id, foreign, cx) as t.LVal, rewriteNode(d.init!, foreign, cx) as t.Expression));
        node.init = assignments.length === 0 ? null : assignments.length === 1 ? assignments[0] : t.sequenceExpression(assignments);
      }
      break;
    case "ForInStatement":
    case "ForOfStatement":
      if (t.isVariableDeclaration(node.left) && Object.values(t.getBindingIdentifiers(node.left.declarations[0].id)).some((id) => isField(cx, id))) {
        node.left = rewriteNode(node.left.declarations[0].id, foreign, cx) as t.LVal;
      }
      break;
    case "BlockStatement":
      node.body = node.body.flatMap((statement) => rewriteStatement(statement, foreign, cx));
      return node;
    case "SwitchCase":
      if (node.test) node.test = rewriteNode(node.test, foreign, cx) as t.Expression;
      node.consequent = node.consequent.flatMap((statement) => rewriteStatement(statement, foreign, cx));
      return node;
    case "Program":
      return node;
    default:
      break;
  }
  rewriteChildren(node, foreign, cx);
  return node;
}

/** `this.checkInitialized(this.x, "x")`: the value, or the engine's ReferenceError while x is uninitialized. */
function checkInitialized(field: t.Expression, info: BindingInfo, foreign: boolean, cx: RewriteContext): t.Expression {
  if (foreign) cx.usedAlias = true;
  const machine = foreign ? t.identifier(cx.machineAlias) : t.thisExpression();
  return t.callExpression(t.memberExpression(machine, t.identifier("checkInitialized")), [field, t.stringLiteral(info.sourceName)]);
}

/** `[x] = list` where x may still be uninitialized: a reference whose `value` setter checks, then assigns. */
function checkedTarget(field: t.MemberExpression, info: BindingInfo, foreign: boolean, cx: RewriteContext): t.Expression {
  if (foreign) cx.usedAlias = true;
  const machine = foreign ? t.identifier(cx.machineAlias) : t.thisExpression();
  const key = t.stringLiteral((field.property as t.Identifier).name);
  const reference = t.callExpression(t.memberExpression(machine, t.identifier("checkedTarget")), [field.object as t.Expression, key, t.stringLiteral(info.sourceName)]);
  return t.memberExpression(reference, t.identifier("value"));
}

/**
 * An assignment or update that may run before the declaration. A plain `x = v` evaluates v first and
 * then throws; `x += v` and `x++` read x first, so the read throws.
 */
function checkedWrite(node: t.AssignmentExpression | t.UpdateExpression, info: BindingInfo, foreign: boolean, cx: RewriteContext): t.Expression {
  const field = () => fieldOf(info, foreign, cx);
  const current = () => checkInitialized(field(), info, foreign, cx);
  if (foreign) cx.usedAlias = true;
  const machine = () => (foreign ? t.identifier(cx.machineAlias) : t.thisExpression());
  const right = node.type === "AssignmentExpression" ? (rewriteNode(node.right, foreign, cx) as t.Expression) : null;
  const assignable = () => t.callExpression(t.memberExpression(machine(), t.identifier("checkAssignable")), [field(), t.stringLiteral(info.sourceName), right!]);
  if (info.kind === "const") {
    // Once initialized, a constant still refuses the assignment.
    const thrower = t.callExpression(t.memberExpression(machine(), t.identifier("assignConstant")), [t.stringLiteral(info.sourceName)]);
    if (node.type === "UpdateExpression") return t.sequenceExpression([t.unaryExpression("+", current()), thrower]);
    if (node.operator === "=") return t.sequenceExpression([assignable(), thrower]);
    const operator = node.operator.slice(0, -1);
    if (operator === "&&" || operator === "||" || operator === "??") return t.logicalExpression(operator, current(), t.sequenceExpression([right!, thrower]));
    return t.sequenceExpression([t.binaryExpression(operator as "+", current(), right!), thrower]);
  }
  if (node.type === "UpdateExpression") return t.sequenceExpression([current(), t.updateExpression(node.operator, field(), node.prefix)]);
  if (node.operator === "=") return t.assignmentExpression("=", field(), assignable());
  const operator = node.operator.slice(0, -1);
  if (operator === "&&" || operator === "||" || operator === "??") return t.logicalExpression(operator, current(), t.assignmentExpression("=", field(), right!));
  return t.assignmentExpression("=", field(), t.binaryExpression(operator as "+", current(), right!));
}

function superKey(member: t.MemberExpression, foreign: boolean, cx: RewriteContext): t.Expression {
  if (member.computed) return rewriteNode(member.property, foreign, cx) as t.Expression;
  return t.stringLiteral((member.property as t.Identifier).name);
}

function rewriteChildren(node: t.Node, foreign: boolean, cx: RewriteContext, only?: string[]): void {
  for (const key of only ?? t.VISITOR_KEYS[node.type] ?? []) {
    const record = node as unknown as Record<string, unknown>;
    const child = record[key];
    if (isNonReferenceKey(node, key)) continue;
    if (Array.isArray(child)) {
      record[key] = child.flatMap((item) => {
        if (!item || typeof item !== "object") return [item];
        if (t.isStatement(item as t.Node) && (t.isBlockStatement(node) || t.isProgram(node) || t.isSwitchCase(node) || t.isStaticBlock(node))) {
          return rewriteStatement(item as t.Statement, foreign, cx);
        }
        return [rewriteNode(item as t.Node, foreign, cx)];
      });
    } else if (child && typeof child === "object") {
      if (t.isStatement(child as t.Node) && !t.isBlockStatement(child as t.Node) && t.isStatement(node)) {
        const replaced = rewriteStatement(child as t.Statement, foreign, cx);
        record[key] = replaced.length === 1 ? replaced[0] : t.blockStatement(replaced);
      } else {
        record[key] = rewriteNode(child as t.Node, foreign, cx);
      }
    }
  }
}

/** Keys that hold names, not references: `o.name`, `{ name: v }`, labels. */
function isNonReferenceKey(node: t.Node, key: string): boolean {
  if (key === "label") return true;
  if (key === "property" && (node.type === "MemberExpression" || node.type === "OptionalMemberExpression")) return !node.computed;
  if (key === "key" && "computed" in node) return !node.computed;
  if (key === "meta" || (key === "property" && node.type === "MetaProperty")) return true;
  if (key.startsWith("type") || key === "returnType" || key === "typeAnnotation" || key === "typeParameters") return true;
  return false;
}

/** An identifier that names a binding (a use, an assignment target or a declaration), not a property name. */
function isReference(path: NodePath<t.Identifier | t.JSXIdentifier>): boolean {
  if (!(path.isReferencedIdentifier() || (path as NodePath).isBindingIdentifier())) return false;
  return !inTypePosition(path);
}

const TYPE_EXPRESSIONS = new Set(["TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion", "TSInstantiationExpression"]);

/** Inside a TypeScript type (`x: Foo`, `Array<Foo>`): a name there is not a value reference. */
function inTypePosition(path: NodePath): boolean {
  for (let p: NodePath | null = path.parentPath; p; p = p.parentPath) {
    if (p.node.type.startsWith("TS") && !TYPE_EXPRESSIONS.has(p.node.type)) return true;
    if (p.isStatement() || p.isFunction()) return false;
  }
  return false;
}

/**
 * The binding an identifier refers to. Babel gives a catch clause's destructuring pattern a scope of its
 * own and then does not find the clause's bindings from inside it; look them up in the clause.
 */
function resolveBinding(path: NodePath<t.Identifier | t.JSXIdentifier>) {
  const scope = path.scope;
  if (t.isPattern(scope.block) && t.isCatchClause(scope.path.parent)) {
    return scope.parent.getOwnBinding(path.node.name) ?? scope.parent.getBinding(path.node.name);
  }
  return scope.getBinding(path.node.name);
}

/**
 * With defaults or patterns in its parameter list, a function's body gets an environment of its own: a
 * body `var p` beside a parameter `p` is another binding, which starts with the parameter's value, while
 * closures in the parameter list keep seeing the parameter. Babel's scope has one binding for both; here
 * the body's references move to a second binding (its own field), copied from the parameter on entry.
 */
function splitBodyVars(fn: NodePath<t.Function>, facts: FactsStore, analysis: FunctionAnalysis, infos: Map<object, BindingInfo>, fieldNames: Set<string>): void {
  if (fn.node.params.every((param) => t.isIdentifier(param)) || !t.isBlockStatement(fn.node.body)) return;
  const varNames = new Map<string, t.Identifier>();
  fn.get("body").traverse({
    Function(inner) {
      inner.skip();
    },
    VariableDeclaration(declaration) {
      if (declaration.node.kind !== "var") return;
      for (const id of Object.values(t.getBindingIdentifiers(declaration.node)) as t.Identifier[]) if (!varNames.has(id.name)) varNames.set(id.name, id);
    },
  });
  for (const [name, binding] of Object.entries(fn.scope.bindings)) {
    const param = infos.get(binding);
    const declared = varNames.get(name);
    if (!param || param.kind !== "param" || !declared) continue;
    let field = name;
    for (let n = 1; fieldNames.has(field); n++) field = `${name}_${n}`;
    fieldNames.add(field);
    const bodyVar: BindingInfo = { ...param, kind: "var", constant: false, group: [], states: new Set(), field, node: declared, uninitialized: false, namesItsValue: false };
    bodyVar.group.push(bodyVar);
    walkAll(fn.node.body, (node) => {
      if (facts.binding(node) === param) facts.set(node, "binding", bodyVar);
    });
    analysis.bindings.push(bodyVar);
    analysis.bodyVars.push([param, bodyVar]);
  }
}

/**
 * Annex B.3.3: in sloppy code a plain function declared in a block also gets a function-wide `var` of its
 * name (unless a `let`/`const`/`class` of that name stands between), `undefined` until the declaration is
 * reached, then the function. Machine classes are strict code, so the transform spells it out: a field,
 * which the source's references from outside the block (global ones, to Babel) now mean.
 */
function applyAnnexB(
  fn: NodePath<t.Function>,
  facts: FactsStore,
  wrappers: WeakSet<t.Node>,
  analysis: FunctionAnalysis,
  infos: Map<object, BindingInfo>,
  fieldNames: Set<string>,
): void {
  const created = new Map<string, BindingInfo>();
  const nameOf = (binding: Binding) => infos.get(binding)?.sourceName ?? binding.identifier.name;
  fn.get("body").traverse({
    Function(inner) {
      inner.skip();
      if (!inner.isFunctionDeclaration() || inner.node.async || inner.node.generator || wrappers.has(inner.node) || !inner.node.id) return;
      const list = inner.parentPath;
      if (!(list.isBlockStatement() && list.node !== fn.node.body) && !list.isSwitchCase()) return;
      const blockScope = list.isSwitchCase() ? list.parentPath.scope : list.scope;
      const blockBinding = blockScope.getOwnBinding(inner.node.id.name);
      const name = blockBinding ? nameOf(blockBinding) : inner.node.id.name;
      if (name === "arguments") return;
      // A lexical declaration of the name between the block and the function: no function-wide binding.
      for (let scope: Scope | undefined = blockScope.parent; scope; scope = scope === fn.scope ? undefined : scope.parent) {
        const lexical = Object.values(scope.bindings).some((b) => (b.kind === "let" || b.kind === "const") && nameOf(b) === name);
        if (lexical) return;
      }
      const existing = fn.scope.getOwnBinding(name);
      // (a parameter of that name keeps the function out of Annex B altogether)
      if (existing?.kind === "param") return;
      let outer = existing ? infos.get(existing) : created.get(name);
      if (!outer) {
        let field = name;
        for (let n = 1; fieldNames.has(field) || /^\$s?\d+$/.test(field); n++) field = `${name}_${n}`;
        fieldNames.add(field);
        outer = { name, sourceName: name, kind: "var", constant: false, reentrant: false, captured: false, group: [], states: new Set(), storage: "field", field, box: null, node: inner.node.id, uninitialized: false, namesItsValue: false, alwaysField: true };
        outer.group.push(outer);
        created.set(name, outer);
        analysis.bindings.push(outer);
      }
      facts.set(inner.node, "annexB", { outer, inner: blockBinding ? (infos.get(blockBinding) ?? null) : null, innerName: inner.node.id.name, positioned: false });
    },
  });
  if (created.size === 0) return;
  // The references that Babel resolves outside the function (or to nothing) are the new binding's.
  const retag = (path: NodePath<t.Identifier | t.JSXIdentifier>) => {
    const info = created.get(path.node.name);
    if (!info || !isReference(path)) return;
    const binding = resolveBinding(path);
    if (binding && (binding.scope === fn.scope || binding.scope.path.isDescendant(fn))) return;
    facts.set(path.node, "binding", info);
    facts.set(path.node, "outerStable", undefined);
    if (path.getFunctionParent() !== fn) info.captured = true;
  };
  fn.traverse({ Identifier: retag, JSXIdentifier: retag });
  for (const name of created.keys()) analysis.references.delete(name);
}

/** `var p` of the body starts as the parameter `p` (splitBodyVars): the statements that copy them. */
export function bodyVarCopies(analysis: FunctionAnalysis, facts: FactsStore): t.Statement[] {
  return analysis.bodyVars.map(([param, bodyVar]) => {
    const from = t.identifier(param.name);
    const to = t.identifier(bodyVar.name);
    facts.set(from, "binding", param);
    facts.set(to, "binding", bodyVar);
    return t.expressionStatement(t.assignmentExpression("=", to, from));
  });
}

/** Whether the function that gives this arrow its `this` is the constructor of a class with `extends`. */
function inDerivedConstructor(arrow: NodePath<t.Function>): boolean {
  const owner = arrow.findParent((p) => p.isFunction() && !p.isArrowFunctionExpression());
  if (!owner?.isClassMethod({ kind: "constructor" })) return false;
  const cls = owner.parentPath?.parentPath;
  return !!cls && (cls.isClassDeclaration() || cls.isClassExpression()) && cls.node.superClass != null;
}

/** An expression that takes its name from what it is assigned to (`const f = () => {}`). */
function isAnonymousFunction(node: t.Node): boolean {
  return t.isArrowFunctionExpression(node) || ((t.isFunctionExpression(node) || t.isClassExpression(node)) && !node.id);
}
