// The bindings of a lowered function: which they are, what they are called, and what each identifier
// refers to.
//
// Every identifier that refers to a binding of the function (its parameters, and the declarations of every
// scope whose statements get flattened into states) is tagged with that binding in the function's facts.
// Block-scoped bindings that would clash once their blocks are gone are renamed apart. After explosion
// emit/storage.ts decides, from the states that use each binding, whether it stays a local or becomes a
// field of the machine; emit/rewrite.ts then rewrites the references (and `this`, `arguments`,
// `new.target`, `super`) to what the machine holds.
import type { NodePath, Scope, Visitor } from "@babel/traverse";
import * as t from "../types.ts";
import type { BindingInfo, FactsStore, FunctionAnalysis } from "../facts.ts";
import type { FileContext } from "../file-context.ts";
import { applyAnnexB } from "./annex-b.ts";
import { splitBodyVars } from "./body-vars.ts";
import type { SloppyByNodes } from "./sloppy.ts";
import { isFieldInitializer, isReference, isReferenceNode, referenceOf, resolveBinding, shorthandOf, type Reference } from "./references.ts";
import type { BindingLookup } from "./outer-bindings.ts";
import { blockOf, declarationOf, declaredInFunctionBody, forEachBinding, isTreeBinding, ownBinding, ownNames, referencesOf, renameOwn, scopeNodeOf, violationsOf, type AnyBinding, type AnyScope } from "./scope-view.ts";
import type { ScopeTree } from "./scope-tree.ts";
import { mustExplode } from "./suspends.ts";
import { walkBelow, type Ancestry, type WalkStep } from "./node-walk.ts";
import { findUninitializedAccesses, outerMayBeUninitialized, placeOfUse } from "./tdz.ts";
import { FieldNames } from "./field-names.ts";
import type { Ancestors } from "./ancestors.ts";

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
 * identifier that refers to one of the function's bindings. `sloppy`: the walk of analyze/sloppy.ts a sloppy
 * function is given (null: a strict function, as lowerFunction found once).
 */
export function analyzeBindings(fn: NodePath<t.Function>, facts: FactsStore, file: FileContext, reservedNames: ReadonlySet<string>, sloppy: SloppyByNodes | null): FunctionAnalysis {
  const { assignedGlobals } = file;
  // One walk over the function collects what every step below reads: the flattened scopes, the identifiers
  // that name a binding, the declarators, the block function declarations (Annex B). Each step then loops
  // over its list instead of walking the function again (renaming changes names, never which nodes there are).
  // (only sloppy code has `with`, and only a file whose source has one)
  let hasWith = false;
  if (file.hasWith && sloppy !== null) t.traverseFast(fn.node.body, (node) => void (node.type === "WithStatement" && (hasWith = true)));
  // (a function read from the tree has no scopes of Babel's below it until it meets what only they tell:
  // then it is given them, and read again)
  let found: Survey | null = null;
  if (file.fromTree.has(fn.node)) {
    found = surveyByNodes(fn, facts, file.lookup.tree, sloppy !== null);
    if (found === null) file.giveScopes(fn);
  }
  const tree = found !== null ? file.lookup.tree : null;
  const { scopes, reentrant, references, declarators, blockFunctions, functionRanges, usesPrivateNames } = found ?? ((!hasWith && surveyByNodes(fn, facts, null, false)) || survey(fn, facts));
  const ownScope = scopes[0];

  // Names referenced in the function that resolve to something else than a flattened binding.
  // (loops over `bindings` with `for...in` here and below: this runs for every function, and the arrays of
  // Object.values and Object.entries were most of what the analysis allocated)
  const flattenedBindings = new Set<AnyBinding>();
  for (const scope of scopes) forEachBinding(scope, (_name, binding) => flattenedBindings.add(binding));
  const foreignNames = new Set<string>();
  // Bindings of what is around the function, below the program (what a class at the top of the program
  // could not see), by name, with the references to them; null: one that cannot be passed in by value.
  const around = new Map<string, { binding: AnyBinding; references: t.Node[] } | null>();
  // The binding each reference resolves to (null: none), kept for the tagging below unless a rename
  // comes in between.
  const resolved: (AnyBinding | null | undefined)[] = new Array(references.length);
  const { lookup } = file;
  const ownName = fn.isFunctionDeclaration() ? fn.node.id : undefined;
  for (let i = 0; i < references.length; i++) {
    const reference = references[i];
    // (a declaration's own name is not something its body refers to)
    if (ownName && reference.node === ownName) continue;
    const binding = resolveBinding(reference, lookup);
    resolved[i] = binding ?? null;
    if (binding && flattenedBindings.has(binding)) continue;
    const name = reference.node.name;
    foreignNames.add(name);
    // (a name Babel does not resolve counts if the file declares it anywhere: a catch clause's pattern, or a
    // declaration the lowering has just rewritten; a binding of the scope tree's is outside every lowered
    // function unless its scope is marked lowered, inside this one: read from the tree, this function is
    // inside no other)
    const ownClass = binding !== undefined && readsOwnClassName(binding, fn);
    const isAround = binding
      ? ownClass || (isTreeBinding(binding) ? !binding.scope.lowered && binding.scope.node.type !== "Program" : !binding.scope.path.isProgram() && binding.scope.path !== fn && !binding.scope.path.isDescendant(fn))
      : file.declaredNames.has(name);
    if (!isAround) continue;
    const known = around.get(name);
    if (known === null) continue;
    if (!binding || !(ownClass || passableByValue(binding, name, fn, file)) || (known && known.binding !== binding)) around.set(name, null);
    else if (known) known.references.push(reference.node);
    else around.set(name, { binding, references: [reference.node] });
    // (should it be passed in, a field: inside a `with`, looked up on the object first)
    if (hasWith && crossesWith(reference.path!, fn.node)) facts.set(reference.node, "throughWith", true);
  }

  const sourceNames = new Map<string, string>();
  const seen = new Set<string>();
  let renamedAny = false;
  // (the references of each binding, made at the first rename: a function of many blocks of one name,
  // `catch (e)` after `catch (e)`, renames as many bindings, each of which looked at every reference)
  let referencesOf: Map<AnyBinding, number[]> | null = null;
  // (for the new names: every name used in the function, read at the first rename, and where each name's
  // numbering has got to in this function)
  let namesInFunction: Set<string> | null = null;
  const renameNumbers = new Map<string, number>();
  // (TypeScript's types are no references to the survey, but Babel's renamer renames a name in them: `typeof x`)
  const byNodes = !/\.[cm]?tsx?$/.test(file.basename);
  // Parameters (and a function expression's own name) always live in fields, `this.n`: a block's `n`
  // can keep its name beside them, so that its TDZ error and the output read as the source.
  forEachBinding(ownScope, (name, binding) => {
    if (binding.kind !== "param" && binding.kind !== "local") seen.add(name);
  });
  for (let i = 1; i < scopes.length; i++) {
    const scope = scopes[i];
    // (the names first: renaming one changes the scope's bindings)
    for (const name of ownNames(scope)) {
      if (seen.has(name) || foreignNames.has(name)) {
        const fresh = file.renamedName(name, (candidate) => seen.has(candidate) || (namesInFunction ??= identifierNames(fn.node)).has(candidate), renameNumbers);
        // Babel renames one target per name in a pattern: `[n = 1, n] = list` keeps the second `n`.
        const binding = ownBinding(scope, name);
        const targets = (binding ? violationsOf(binding) : []).flatMap((violation) => {
          const found = (t.getBindingIdentifiers(violation, true) as Record<string, t.Identifier | t.Identifier[]>)[name];
          return found ? ([] as t.Identifier[]).concat(found) : [];
        });
        if (binding && byNodes) renameByReferences(scope, binding, name, fresh, references, (referencesOf ??= indexByBinding(resolved)).get(binding) ?? []);
        else (scope as Scope).rename(name, fresh);
        renamedAny = true;
        for (const target of targets) if (target.name === name) target.name = fresh;
        sourceNames.set(fresh, name);
        seen.add(fresh);
      } else {
        seen.add(name);
      }
    }
  }

  const infos = new Map<object, BindingInfo>();
  const fieldNames = new FieldNames(reservedNames);
  // A function expression's own name that a `var` of its body declares again is that var (undefined until assigned).
  const ownNameVar = fn.node.type === "FunctionExpression" && fn.node.id ? declaredByVar(fn.node.body, fn.node.id.name) : false;
  for (let i = 0; i < scopes.length; i++) {
    forEachBinding(scopes[i], (name, binding) => {
      if (name === "this") return; // a TypeScript `this` parameter only types `this`
      const field = fieldNames.claim(name);
      const declared = declarationOf(binding).type;
      const kind = binding.kind === "local" && ownNameVar ? "var" : binding.kind;
      const info: BindingInfo = {
        name,
        sourceName: sourceNames.get(name) ?? name,
        kind,
        constant: binding.constant,
        reentrant: reentrant[i],
        captured: false,
        group: [],
        states: new Set(),
        storage: "field",
        field,
        box: null,
        node: binding.identifier,
        uninitialized: false,
        namesItsValue: declared === "FunctionDeclaration" || declared === "ClassDeclaration",
      };
      info.group.push(info);
      infos.set(binding, info);
      if (kind === "const" || kind === "local") markConstantTargets(binding, name, facts);
    });
  }

  const analysis: FunctionAnalysis = {
    bindings: [...infos.values()],
    usesThis: false,
    usesArguments: false,
    usesNewTarget: false,
    usesSuperGet: false,
    usesSuperSet: false,
    usesPrivateNames,
    lazyThis: fn.isArrowFunctionExpression() && inDerivedConstructor(fn, file.ancestors),
    usesSuperCall: false,
    references: foreignNames,
    captures: new Set(around.keys()),
    hoistable: false,
    bodyVars: [],
    argumentsVar: null,
    mappedArguments: null,
  };

  // (per outer binding: whether this function may read it uninitialized, tdz.ts)
  const uninitializedOuter = new Map<AnyBinding, boolean>();
  const mayBeUninitialized = (binding: AnyBinding) => {
    let may = uninitializedOuter.get(binding);
    if (may === undefined) uninitializedOuter.set(binding, (may = outerMayBeUninitialized(fn.node, binding)));
    return may;
  };
  for (let i = 0; i < references.length; i++) {
    const reference = references[i];
    const known = renamedAny ? undefined : resolved[i];
    const binding = known === undefined ? resolveBinding(reference, lookup) : (known ?? undefined);
    const info = binding && infos.get(binding);
    if (info) {
      facts.set(reference.node, "binding", info);
      if (reference.nested) info.captured = true;
      if (hasWith && crossesWith(reference.path!, scopeNodeOf(binding!))) facts.set(reference.node, "throughWith", true);
    } else if (binding) {
      facts.set(reference.node, "outerStable", binding.constant && !mayBeUninitialized(binding));
    } else {
      facts.set(reference.node, "outerStable", !assignedGlobals.has(reference.node.name) && reference.node.name !== "arguments");
    }
  }

  splitBodyVars(fn, ownScope, facts, analysis, infos, fieldNames);
  if (sloppy !== null) applyAnnexB(fn, facts, file.wrappers, analysis, infos, fieldNames, blockFunctions(), references, lookup);
  for (const name of around.keys()) if (!analysis.captures.has(name)) around.delete(name);

  // A function that captures nothing of what is around it, or only values that cannot change (passed in by
  // the wrapper), gets its class at the top of the program (emit/placement.ts).
  analysis.hoistable = [...around.values()].every((capture) => capture !== null) && canLiveAtTop(fn, analysis, file);
  if (analysis.hoistable) {
    for (const [name, capture] of around) {
      const field = fieldNames.claim(name);
      const info: BindingInfo = {
        name, sourceName: name, kind: "capture", constant: true, reentrant: false, captured: false, group: [], states: new Set(),
        storage: "field", field, box: null, node: capture!.binding.identifier, uninitialized: false, namesItsValue: false, alwaysField: true,
      };
      info.group.push(info);
      analysis.bindings.push(info);
      for (const reference of capture!.references) {
        if (facts.binding(reference)) continue;
        facts.set(reference, "binding", info);
        facts.set(reference, "outerStable", undefined);
      }
    }
  }

  // Lexical bindings some access may reach before their declaration start each scope entry uninitialized.
  for (const binding of findUninitializedAccesses(scopes, fn, facts, file.createdAt, functionRanges)) {
    const info = infos.get(binding)!;
    info.uninitialized = true;
    (facts.of(scopeNodeOf(binding)).uninitializedOnEntry ??= []).push(info);
  }

  // Scopes entered again by a loop whose bindings a closure captures get a box per entry.
  for (let i = 1; i < scopes.length; i++) {
    const scope = scopes[i];
    let captured: BindingInfo[] | null = null;
    forEachBinding(scope, (_name, binding) => {
      const info = infos.get(binding)!;
      if (info.reentrant && info.captured) (captured ??= []).push(info);
    });
    if (captured === null) continue;
    // Box names are unique in the file: a nested machine's `const $s1 = this.$s1` must not hide an outer box.
    const box = file.newBoxName();
    facts.set(blockOf(scope), "box", box);
    for (const info of captured as BindingInfo[]) {
      info.storage = "boxed";
      info.box = box;
    }
  }

  // Bindings declared by one pattern are stored together (a declaration is all fields or all locals).
  for (const node of declarators) {
    const id = node.type === "VariableDeclarator" ? node.id : node.param;
    // (a name alone binds one: no group)
    if (!id || id.type === "Identifier") continue;
    const ids = t.getBindingIdentifiers(id);
    let group: BindingInfo[] | null = null;
    for (const name in ids) {
      const info = facts.binding(ids[name]);
      if (info !== undefined) (group ??= []).push(info);
    }
    if (group !== null && group.length > 1) for (const info of group) info.group = group;
  }

  // this / arguments / new.target / super as the function itself sees them (arrows see through).
  const own: OwnState = { facts, analysis, lookup, fn: fn.node };
  if (!ownUsesByNodes(fn, own, sloppy, tree)) {
    // (An arrow's expression body is itself something the function sees, `async () => this`: an arrow's
    // walk starts at its own children, its parameters and body. Another function's body is a block, and
    // its key, if any, is evaluated outside it.)
    if (fn.isArrowFunctionExpression()) fn.traverse(OWN_VISITOR, own);
    else {
      (fn.get("body") as NodePath).traverse(OWN_VISITOR, own);
      for (const param of fn.get("params")) (param as NodePath).traverse(OWN_VISITOR, own);
    }
  }
  if (sloppy !== null && !fn.isArrowFunctionExpression()) {
    // Sloppy code may declare `var arguments`: the binding the function's arguments object is in, which is
    // its value until something is assigned to it (a function or a parameter of that name would replace it).
    const declared = ownBinding(ownScope, "arguments");
    const info = declared && infos.get(declared);
    if (info && info.kind === "var") {
      analysis.usesArguments = true;
      analysis.argumentsVar = info;
    }
    mapArguments(fn, ownScope, analysis, infos, file);
  }
  return analysis;
}

/** Whether a `var` of the function body (not of a function inside it) declares `name`. */
function declaredByVar(body: t.Node, name: string): boolean {
  let found = false;
  t.traverseFast(body, (node) => {
    if (found || t.isFunction(node)) return t.traverseFast.skip;
    if (node.type === "VariableDeclaration" && node.kind === "var" && name in t.getBindingIdentifiers(node)) found = true;
  });
  return found;
}

/** `this` in a JSX element's name (`<this.Comp />`): the function's `this`, as a `this` expression is. */
function isJSXThis(node: t.JSXIdentifier, parent: t.Node | null | undefined): boolean {
  return node.name === "this" && parent?.type === "JSXMemberExpression" && parent.object === node;
}

/** The name of every identifier in the function (JSX's too: `<Item_1 />` names a binding). */
function identifierNames(fn: t.Function): Set<string> {
  const names = new Set<string>();
  t.traverseFast(fn, (node) => {
    if (node.type === "Identifier" || node.type === "JSXIdentifier") names.add(node.name);
  });
  return names;
}

/** The positions in `resolved` of each binding's references. */
function indexByBinding(resolved: readonly (AnyBinding | null | undefined)[]): Map<AnyBinding, number[]> {
  const index = new Map<AnyBinding, number[]>();
  for (let i = 0; i < resolved.length; i++) {
    const binding = resolved[i];
    if (!binding) continue;
    const list = index.get(binding);
    if (list) list.push(i);
    else index.set(binding, [i]);
  }
  return index;
}

/**
 * scope.rename(name, fresh) for a binding of a flattened scope, from the survey's references instead of
 * Babel's walk with paths of the scope's whole block, once per renamed name (most of what renaming cost):
 * every identifier that refers to the binding (as resolved before any rename, `ofBinding`: their positions
 * in `references`, indexByBinding's; Babel's renamer renames a name where the scopes resolve it to the
 * binding) takes the new name, and a shorthand property of one is written out (`{ x: x_1 }`), as Babel's
 * renamer does.
 */
function renameByReferences(scope: AnyScope, binding: AnyBinding, name: string, fresh: string, references: Reference[], ofBinding: readonly number[]): void {
  for (const i of ofBinding) {
    const reference = references[i];
    reference.node.name = fresh;
    const property = reference.shorthand;
    if (property !== null) {
      property.shorthand = false;
      if (property.extra?.shorthand) property.extra.shorthand = false;
    }
  }
  renameOwn(scope, binding, name, fresh);
}

interface OwnState {
  facts: FactsStore;
  analysis: FunctionAnalysis;
  lookup: BindingLookup;
  fn: t.Function;
}

/**
 * Whether `arguments` at `scope` is the function's own: the implicit one (no binding), or, in an arrow, a
 * sloppy `var arguments` of a function around it, which is that function's arguments object until assigned
 * (passed in as the implicit one is: the arrow's machine, in a class method, would read the method's own).
 */
function ownArguments(lookup: BindingLookup, scope: AnyScope, fn: t.Function): boolean {
  const binding = lookup.binding(scope, "arguments");
  if (!binding) return true;
  if (fn.type !== "ArrowFunctionExpression" || binding.kind !== "var") return false;
  const home = scopeNodeOf(binding);
  return home !== fn && (home.start == null || fn.start == null || home.start < fn.start || home.end! > fn.end!);
}

/** What the function itself sees of this / arguments / new.target / super (arrows see through); made once (see SURVEY_VISITOR). */
const OWN_VISITOR: Visitor<OwnState> = {
  Function(inner, state) {
    if (inner.isArrowFunctionExpression()) return;
    // An object method's computed key is evaluated by the function around it.
    if (inner.isObjectMethod() && inner.node.computed) (inner.get("key") as NodePath).traverse(OWN_VISITOR, state);
    inner.skip();
  },
  ClassBody(inner, state) {
    // Computed keys are evaluated outside the class's own functions.
    for (const member of inner.get("body")) {
      if ("computed" in member.node && member.node.computed) (member.get("key") as NodePath).traverse(OWN_VISITOR, state);
    }
    inner.skip();
  },
  ThisExpression(inner, { facts, analysis }) {
    facts.set(inner.node, "userThis", true);
    analysis.usesThis = true;
  },
  JSXIdentifier(inner, { facts, analysis }) {
    if (!isJSXThis(inner.node, inner.parent)) return;
    facts.set(inner.node, "userThis", true);
    analysis.usesThis = true;
  },
  Identifier(inner, { analysis, lookup, fn }) {
    if (inner.node.name === "arguments" && inner.isReferencedIdentifier() && ownArguments(lookup, inner.scope, fn)) analysis.usesArguments = true;
  },
  MetaProperty(inner, { analysis }) {
    if (inner.node.meta.name === "new") analysis.usesNewTarget = true;
  },
  Super(inner, { facts, analysis }) {
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
};

/**
 * OWN_VISITOR's walk, over the nodes (analyze/node-walk.ts) rather than paths; false where only the walk with
 * paths can tell (a computed key it walks apart, or a scope Babel has not made), which then runs again from
 * the start (what this one set, it sets the same). The same walk makes `sloppy`'s (analyze/sloppy.ts), if
 * given: one walk of the function for both, each skipping (and stopping) on its own.
 */
function ownUsesByNodes(fn: NodePath<t.Function>, { facts, analysis, lookup }: OwnState, sloppy: SloppyByNodes | null, tree: ScopeTree | null): boolean {
  let decided = true;
  const visit = (node: t.Node, at: Ancestry): WalkStep => {
    switch (node.type) {
      case "ThisExpression":
        facts.set(node, "userThis", true);
        analysis.usesThis = true;
        return;
      case "JSXIdentifier":
        if (!isJSXThis(node, at.parent)) return;
        facts.set(node, "userThis", true);
        analysis.usesThis = true;
        return;
      case "Identifier": {
        if (node.name !== "arguments" || !t.isReferenced(node, at.parent, at.grandparent ?? undefined)) return;
        const scope = at.scope();
        if (!scope) {
          decided = false;
          return "stop";
        }
        if (ownArguments(lookup, scope, fn.node)) analysis.usesArguments = true;
        return;
      }
      case "MetaProperty":
        if (node.meta.name === "new") analysis.usesNewTarget = true;
        return;
      case "ClassBody":
        if (node.body.some((member) => "computed" in member && member.computed)) {
          decided = false;
          return "stop";
        }
        return "skip";
      case "Super": {
        const parent = at.parent;
        if (t.isCallExpression(parent)) {
          analysis.usesSuperCall = true;
          return;
        }
        const grand = at.grandparent;
        if (t.isUnaryExpression(grand, { operator: "delete" })) return;
        analysis.usesSuperGet = true;
        analysis.usesThis = true;
        if (t.isAssignmentExpression(grand, { left: parent }) || t.isUpdateExpression(grand)) analysis.usesSuperSet = true;
        const inPattern =
          t.isArrayPattern(grand) || t.isRestElement(grand) || t.isAssignmentPattern(grand, { left: parent }) ||
          (t.isObjectProperty(grand, { value: parent }) && t.isObjectPattern(at.ancestor(3))) ||
          ((t.isForOfStatement(grand) || t.isForInStatement(grand)) && grand.left === parent);
        if (inPattern) {
          analysis.usesSuperSet = true;
          facts.set(parent, "superTarget", true);
        }
        return;
      }
    }
    if (!t.isFunction(node) || node.type === "ArrowFunctionExpression") return;
    if (node.type === "ObjectMethod" && node.computed) {
      decided = false;
      return "stop";
    }
    return "skip";
  };
  // (own: below each parameter, not those nodes themselves, and the body with what is below it: an arrow's
  // expression body is itself something it sees, `async () => this`; sloppy: everything below the
  // function. Each is out of a subtree it skipped once the walk is back at that subtree's depth.)
  let ownOn = true;
  let ownSkipFrom = Infinity;
  let sloppyOn = sloppy !== null;
  let sloppySkipFrom = Infinity;
  walkBelow(fn, (node, at) => {
    const depth = at.nodes.length;
    if (depth <= ownSkipFrom) ownSkipFrom = Infinity;
    if (depth <= sloppySkipFrom) sloppySkipFrom = Infinity;
    if (ownOn && ownSkipFrom === Infinity && (depth > 1 || at.key === "body")) {
      const step = visit(node, at);
      if (step === "stop") {
        ownOn = false;
        // (only a stop that left it undecided: the walk with paths then runs again from the start)
        decided = false;
      } else if (step === "skip") ownSkipFrom = depth;
    } else if (depth === 1 && at.key !== "body" && at.key !== "params") {
      ownSkipFrom = depth;
    }
    if (sloppyOn && sloppySkipFrom === Infinity) {
      const step = sloppy!.visit(node, at);
      if (step === "stop") sloppyOn = false;
      else if (step === "skip") sloppySkipFrom = depth;
    }
    if (!ownOn && !sloppyOn) return "stop";
    if ((!ownOn || ownSkipFrom !== Infinity) && (!sloppyOn || sloppySkipFrom !== Infinity)) return "skip";
  }, tree);
  return decided;
}

/**
 * Sloppy code maps `arguments` to a plain parameter list: writing `a` changes `arguments[0]` and back, for
 * the arguments the call passed. The wrapper has the same parameters and so the same mapped `arguments`:
 * the machine keeps no copy of its own but reads and writes the wrapper's parameters, through accessors
 * the wrapper passes in a box (emit/machine-class.ts). (Called for a sloppy function.)
 */
function mapArguments(fn: NodePath<t.Function>, ownScope: AnyScope, analysis: FunctionAnalysis, infos: Map<object, BindingInfo>, file: FileContext): void {
  if (!analysis.usesArguments || fn.isArrowFunctionExpression()) return;
  const params = fn.node.params.filter((param) => !(t.isIdentifier(param) && param.name === "this"));
  if (params.length === 0 || !params.every((param) => t.isIdentifier(param))) return;
  // (a name twice, `f(a, a)`: the last is the body's, the one mapped; Lowering.parameters names the others apart)
  const names = new Set(params.map((param) => (param as t.Identifier).name));
  const box = file.newBoxName();
  analysis.mappedArguments = box;
  for (const name of names) {
    const info = infos.get(ownBinding(ownScope, name)!);
    if (!info) continue;
    // (`arguments[0] = v` changes it: never a stable operand)
    info.constant = false;
    info.storage = "boxed";
    info.box = box;
  }
}

/** A `with` statement's body stands between the reference and the scope of its binding. */
function crossesWith(path: NodePath, scopeBlock: t.Node): boolean {
  for (let child: NodePath = path; child.parentPath && child.node !== scopeBlock; child = child.parentPath) {
    if (child.parentPath.isWithStatement() && child.key === "body") return true;
  }
  return false;
}

/**
 * A sloppy function with a plain parameter list whose own `arguments` (mapped to its parameters) is used.
 * (The parts of it hidden from the crawl, `hidden`, are not entered: they have no scopes of Babel's, and
 * an `arguments` there is inside a function of their own, narrow-crawl.ts. Where Babel crawled only the
 * lowered functions, the scope tree has read it off the whole file. A method's computed key counts: the
 * function around the method evaluates it.) `pathOf` gives the function's path, asked for only where its
 * node and the tree leave the answer open: finding it is a walk up from the function that asks.
 */
function hasMappedArguments(node: t.Function, pathOf: () => NodePath<t.Function>, file: FileContext): boolean {
  if (node.type === "ArrowFunctionExpression" || !node.params.every((param) => t.isIdentifier(param))) return false;
  const tree = file.lookup.tree;
  if (tree && !tree.file.readsArguments.has(node)) return false;
  const fn = pathOf();
  if (file.strictness.isStrictFunction(fn)) return false;
  if (tree) return true;
  const hidden = file.hiddenFromCrawl;
  let uses = false;
  const readsArguments = (inner: NodePath) => inner.isIdentifier({ name: "arguments" }) && inner.isReferencedIdentifier() && !inner.scope.getBinding("arguments");
  const visitor: Visitor = {
    ...(hidden && {
      enter(inner: NodePath) {
        if (hidden.has(inner.node)) inner.skip();
      },
    }),
    Function(inner) {
      if (inner.isArrowFunctionExpression()) return;
      // (a method's computed key is evaluated by the function around the method)
      if ((inner.isObjectMethod() || inner.isClassMethod()) && inner.node.computed) {
        const key = inner.get("key") as NodePath;
        if (readsArguments(key)) uses = true;
        else key.traverse(visitor);
      }
      inner.skip();
    },
    Identifier(inner) {
      if (!readsArguments(inner)) return;
      uses = true;
      inner.stop();
    },
  };
  fn.traverse(visitor);
  return uses;
}

interface Survey {
  /** The function's scope, then every scope whose code is flattened into states, in source order. */
  scopes: AnyScope[];
  /** For each of `scopes`, whether it is entered again by a loop around it (the function's own: no). */
  reentrant: boolean[];
  /** Identifiers (JSX names too: `<Comp />`) that name a binding, in source order, nested functions included. */
  references: Reference[];
  /** Declarators and catch clauses, whose bindings are stored together. */
  declarators: (t.VariableDeclarator | t.CatchClause)[];
  /** Function declarations outside any nested function (for Annex B; their paths made when asked for). */
  blockFunctions: () => NodePath<t.FunctionDeclaration>[];
  /** Where the outermost functions inside it are: start and end of each, in order (only read from the tree). */
  functionRanges: number[];
  usesPrivateNames: boolean;
}

interface SurveyState {
  fn: NodePath<t.Function>;
  facts: FactsStore;
  found: Survey;
  blockFunctions: NodePath<t.FunctionDeclaration>[];
  /** Functions, and classes, entered below the function. */
  functions: number;
  classes: number;
}

function surveyReference(path: NodePath<t.Identifier | t.JSXIdentifier>, state: SurveyState): void {
  if (isReference(path)) state.found.references.push(referenceOf(path, state.fn));
}

/**
 * survey's visitor, made once: Babel prepares ("explodes") a visitor object the first time it walks with
 * it, which for a fresh object per function cost as much as a third of the walk itself.
 */
const SURVEY_VISITOR: Visitor<SurveyState> = {
  Identifier: surveyReference,
  JSXIdentifier: surveyReference,
  PrivateName(_path, state) {
    state.found.usesPrivateNames = true;
  },
  Scopable(path, state) {
    if (path.isFunction() || path.isClass() || state.functions + state.classes > 0) return;
    if (path.scope.block === path.node && path.scope !== state.fn.scope && isFlattened(path.scope, state.fn, state.facts)) {
      state.found.scopes.push(path.scope);
      state.found.reentrant.push(isInLoop(path.scope.path, state.fn));
    }
  },
  Function: {
    enter(path, state) {
      if (state.functions === 0 && path.isFunctionDeclaration()) state.blockFunctions.push(path);
      state.functions++;
    },
    exit(_path, state) {
      state.functions--;
    },
  },
  Class: {
    enter(_path, state) {
      state.classes++;
    },
    exit(_path, state) {
      state.classes--;
    },
  },
  VariableDeclarator(path, state) {
    state.found.declarators.push(path.node);
  },
  CatchClause(path, state) {
    state.found.declarators.push(path.node);
  },
};

/** The one walk over the function (see analyzeBindings), with paths. */
function survey(fn: NodePath<t.Function>, facts: FactsStore): Survey {
  const blockFunctions: NodePath<t.FunctionDeclaration>[] = [];
  const found: Survey = { scopes: [fn.scope], reentrant: [false], references: [], declarators: [], blockFunctions: () => blockFunctions, functionRanges: [], usesPrivateNames: false };
  fn.traverse(SURVEY_VISITOR, { fn, facts, found, blockFunctions, functions: 0, classes: 0 });
  return found;
}

/**
 * survey's walk over the nodes (analyze/node-walk.ts), finding the same in the same order, without a path
 * and a traversal context per node: most of what the analysis of a function cost. Null where only the walk
 * with paths can tell: a scope Babel has not made, or made for a node since moved (node-walk.ts
 * `ownScope`: a function of rewritten returns, a literal an inner method's link wrapped); nodes the
 * transform made are read as any other, their scopes being those of the scopes around them or made with
 * them (a wrapper's, emit/wrapper.ts; what replaced it, emit/function-objects.ts `scopeReplacement`; an
 * inserted class's, emit/insertions.ts). `tree`: the function is read from this tree, whose scopes the
 * walk gives; `sloppy` then says it is sloppy code, whose functions declared in blocks only Babel's scopes
 * tell about (annex-b.ts): null for one.
 */
function surveyByNodes(fn: NodePath<t.Function>, facts: FactsStore, tree: ScopeTree | null, sloppy: boolean): Survey | null {
  // Where the walk is: the depth of the outermost function, and class, entered below the lowered function.
  let functionDepth = Infinity;
  let classDepth = Infinity;
  // The computed key (or decorators) of that function, evaluated where the function is defined: the depth of
  // the key, and of the outermost function inside it (a reference is nested as Babel's getFunctionParent
  // tells, which passes over a function from its key).
  let keyDepth = Infinity;
  let keyFunctionDepth = Infinity;
  // (and of the outermost loop: a scope inside one is entered again, isInLoop)
  let loopDepth = Infinity;
  // (and of the outermost instance field's initializer outside a nested function: what it names is captured)
  let fieldDepth = Infinity;
  let decided = true;
  const declarations: { nodes: t.Node[]; keys: string[]; node: t.Node; key: string }[] = [];
  const ownScope = tree === null ? fn.scope : tree.scopeOf.get(fn.node);
  if (ownScope === undefined) return null;
  // (read from the tree, the function has only declarations in its body: those in blocks made it stop)
  const blockFunctions = tree === null ? () => declarations.map((declaration) => pathBelow(fn, declaration) as NodePath<t.FunctionDeclaration>) : () => [];
  const found: Survey = { scopes: [ownScope], reentrant: [false], references: [], declarators: [], blockFunctions, functionRanges: [], usesPrivateNames: false };
  const flattenedAbove: FlattenedAbove = { node: [], flattened: [] };
  const outsideTypes = new Map<t.Node, boolean>();
  const visit = (node: t.Node, at: Ancestry): WalkStep => {
    const depth = at.nodes.length;
    if (depth <= functionDepth) functionDepth = Infinity;
    if (depth <= classDepth) classDepth = Infinity;
    if (depth <= keyDepth) keyDepth = Infinity;
    if (depth <= keyFunctionDepth) keyFunctionDepth = Infinity;
    if (depth <= loopDepth) loopDepth = Infinity;
    if (depth <= fieldDepth) fieldDepth = Infinity;
    if (loopDepth === Infinity && t.isLoop(node)) loopDepth = depth;
    if (functionDepth === Infinity && fieldDepth === Infinity && isFieldInitializer(at.key, at.parent)) fieldDepth = depth;
    if (depth === functionDepth + 1 && (at.key === "key" || at.key === "decorators")) keyDepth = depth;
    else if (keyDepth !== Infinity && keyFunctionDepth === Infinity && t.isFunction(node)) keyFunctionDepth = depth;
    switch (node.type) {
      case "Identifier":
      case "JSXIdentifier": {
        if (!isReferenceNode(node, at.nodes, at.grandparent, outsideTypes)) return;
        const scope = at.scope();
        if (!scope) return "stop";
        found.references.push({
          node,
          scope,
          namesDeclaration: at.key === "id" && at.parent.type === "FunctionDeclaration",
          nested: (functionDepth !== Infinity && (keyDepth === Infinity || keyFunctionDepth !== Infinity)) || fieldDepth !== Infinity,
          shorthand: shorthandOf(node, at.parent, at.grandparent),
        });
        return;
      }
      case "PrivateName":
        found.usesPrivateNames = true;
        return;
      case "VariableDeclarator":
        found.declarators.push(node);
        return;
      case "CatchClause":
        found.declarators.push(node);
    }
    if (t.isFunction(node)) {
      if (functionDepth === Infinity) {
        if (node.type === "FunctionDeclaration") {
          if (sloppy && at.parent !== fn.node.body) {
            decided = false;
            return "stop";
          }
          declarations.push({ nodes: at.nodes.slice(), keys: at.keys.slice(), node, key: at.key });
        }
        functionDepth = depth;
        found.functionRanges.push(node.start!, node.end!);
      }
    } else if (t.isClass(node)) {
      if (classDepth === Infinity) classDepth = depth;
    } else if (functionDepth === Infinity && classDepth === Infinity && t.isScopable(node) && t.isScope(node, at.parent)) {
      const scope = at.ownScope(node, at.parent);
      if (!scope) return "stop";
      if (scope !== ownScope && flattenedAt(node, at, facts, flattenedAbove)) {
        found.scopes.push(scope);
        found.reentrant.push(loopDepth !== Infinity);
      }
    }
  };
  if (walkBelow(fn, visit, tree).missingScope) decided = false;
  return decided ? found : null;
}

/**
 * isFlattened for the scope of `node`, where the walk below the function is at it (`at`: its ancestors, the
 * function first): the node and each node above it up to the function's child is exploded where it is a
 * statement. What holds for the ancestors is kept (`known`) for the next scope below them: a scope at depth
 * d asked again about the d nodes above it, which made deeply nested blocks quadratic.
 */
function flattenedAt(node: t.Node, at: Ancestry, facts: FactsStore, known: FlattenedAbove): boolean {
  const nodes = at.nodes;
  const { node: keptFor, flattened } = known;
  // (the deepest ancestor whose answer is kept: a node kept at its depth has the same nodes above it)
  let depth = nodes.length - 1;
  while (depth >= 1 && keptFor[depth] !== nodes[depth]) depth--;
  let above = depth < 1 ? true : flattened[depth];
  for (let i = depth + 1; i < nodes.length; i++) {
    above &&= explodedWhereItIs(nodes[i], nodes[i - 1], facts);
    keptFor[i] = nodes[i];
    flattened[i] = above;
  }
  return above && explodedWhereItIs(node, nodes[nodes.length - 1], facts);
}

/** For flattenedAt: by depth below the function, the ancestor an answer was kept for, and whether it and every node above it are flattened. */
interface FlattenedAbove {
  node: t.Node[];
  flattened: boolean[];
}

/** Whether a node below `parent` lets the scopes inside it be flattened: exploded where it is a statement (a catch clause and a switch case are their statement's). */
function explodedWhereItIs(inner: t.Node, parent: t.Node, facts: FactsStore): boolean {
  if (inner.type === "CatchClause" || inner.type === "SwitchCase") return true;
  return !isStatementIn(inner, parent) || mustExplode(facts, inner);
}

/** NodePath#isStatement: a statement, but a declaration that is a for loop's head. */
function isStatementIn(node: t.Node, parent: t.Node): boolean {
  if (!t.isStatement(node)) return false;
  if (node.type !== "VariableDeclaration") return true;
  return !((t.isForXStatement(parent) && parent.left === node) || (parent.type === "ForStatement" && parent.init === node));
}

/** The path of a node the walk below `fn` visited (`nodes`, `keys`: its ancestry then), made as Babel's walk would. */
function pathBelow(fn: NodePath, { nodes, keys, node, key }: { nodes: t.Node[]; keys: string[]; node: t.Node; key: string }): NodePath {
  let path = fn;
  const chain = [...nodes.slice(1), node];
  const chainKeys = [...keys.slice(1), key];
  for (let i = 0; i < chain.length; i++) {
    const value = (path.node as unknown as Record<string, unknown>)[chainKeys[i]];
    path = (Array.isArray(value) ? path.get(`${chainKeys[i]}.${value.indexOf(chain[i])}`) : path.get(chainKeys[i])) as NodePath;
  }
  return path;
}

/**
 * The names a pattern or a for-in/of head assigns to a binding that refuses assignment (a `const`, a
 * function expression's own name): once the binding lives in a field, the rewrite makes each a reference
 * that refuses the value (emit/rewrite.ts). A plain `x = v` and `x++` are refused where they are rewritten.
 */
function markConstantTargets(binding: AnyBinding, name: string, facts: FactsStore): void {
  for (const node of violationsOf(binding)) {
    const pattern = node.type === "AssignmentExpression" && node.left.type !== "Identifier" ? node.left : t.isForXStatement(node) && !t.isVariableDeclaration(node.left) ? node.left : null;
    if (pattern === null) continue;
    const ids = (t.getBindingIdentifiers(pattern, true) as Record<string, t.Identifier | t.Identifier[]>)[name];
    for (const id of ([] as t.Identifier[]).concat(ids ?? [])) facts.set(id, "constantTarget", true);
  }
}

function isInLoop(path: NodePath, fn: NodePath): boolean {
  for (let p: NodePath | null = path; p && p !== fn; p = p.parentPath) {
    if (p.isLoop()) return true;
  }
  return false;
}

/** Whether the function that gives this arrow its `this` is the constructor of a class with `extends`. */
function inDerivedConstructor(arrow: NodePath<t.Function>, ancestors: Ancestors): boolean {
  const owner = ancestors.thisFunction(arrow);
  if (!owner?.isClassMethod({ kind: "constructor" })) return false;
  const cls = owner.parentPath?.parentPath;
  return !!cls && (cls.isClassDeclaration() || cls.isClassExpression()) && cls.node.superClass != null;
}

/**
 * Whether a binding of what is around the function can be passed to its machine by value, when the
 * wrapper is called: it never changes, and it is initialized by the time the function can be called (a
 * parameter or declaration that ends before the function starts, or for a function declaration, which
 * exists from the start of its block, before the first place that refers to it; in no switch case, with
 * no hoisted function declaration in between that could run earlier; or a function declaration of a
 * function body).
 */
function passableByValue(binding: AnyBinding, name: string, fn: NodePath<t.Function>, file: FileContext): boolean {
  if (!binding.constant) return false;
  const home = scopeNodeOf(binding);
  // (sloppy code's block function of the same name assigns it when its declaration is reached: Annex B)
  if (binding.kind === "hoisted" && declaresBlockFunction(home, name)) return false;
  // (`arguments[0] = v` changes a parameter of sloppy code that is never assigned by name; the function
  // that declares it is around this one)
  if (binding.kind === "param" && t.isFunction(home) && hasMappedArguments(home, () => fn.findParent((path) => path.node === home) as NodePath<t.Function>, file)) return false;
  // (a hoisted one lowered already: its `var` is the first statement of the same list)
  if (binding.kind === "hoisted" || (!isTreeBinding(binding) && file.declaredAtTop.has(binding.path.node))) return declaredInFunctionBody(binding, file.declaredAtTop);
  if (binding.kind !== "param" && binding.kind !== "const" && binding.kind !== "let") return false;
  const end = (isTreeBinding(binding) ? binding.declaration : binding.path.node).end;
  const callable = fn.isFunctionDeclaration() ? firstCall(fn, file) : fn.node.start;
  if (end == null || callable == null || end > callable || t.isSwitchStatement(home)) return false;
  for (let path: NodePath | null = fn.parentPath; path && path.node !== home; path = path.parentPath) {
    if (path.isFunctionDeclaration()) return false;
  }
  return true;
}

/**
 * Whether the binding is the name of a class that `fn` is nested in (in a method, a field's value or a
 * static block, below a member of the class), so that the name is the class's inner binding: one no
 * assignment changes, holding the class before any of those runs, while the name outside may be
 * reassigned, or still uninitialized while the class's static blocks run (`class C { static { (async () =>
 * C)() } }`). So it is around the function even for a class at the top of the program, and passed in by
 * value. (Not for a member itself, whose machine a class of a name it reads keeps in its body,
 * emit/placement.ts; nor from a computed key of a member, evaluated before the inner binding is set.)
 */
function readsOwnClassName(binding: AnyBinding, fn: NodePath<t.Function>): boolean {
  const declaration = declarationOf(binding);
  if (!t.isClass(declaration)) return false;
  let from: t.Node = fn.node;
  let child: t.Node | null = null;
  for (let path: NodePath | null = fn.parentPath; path; path = path.parentPath) {
    if (path.node === declaration.body) {
      const member = child as (t.Node & { computed?: boolean; key?: t.Node }) | null;
      return member !== null && !(member.computed && member.key === from);
    }
    if (path.node === declaration) return false;
    if (child !== null) from = child;
    child = path.node;
  }
  return false;
}

/**
 * Whether a plain function of that name is declared in a block (or a switch case) of the function `home`,
 * outside functions inside it: in sloppy code (Annex B) it assigns the function-wide binding of its name
 * when its declaration is reached. (Also counted in strict code, and where a `let` between keeps the
 * declaration to its block: the capture is then read where it is used, which is right either way.)
 */
function declaresBlockFunction(home: t.Node, name: string): boolean {
  if (!t.isFunction(home) || home.body.type !== "BlockStatement") return false;
  let names = blockFunctionNames.get(home);
  if (names === undefined) {
    // (once per function: each reference to a capture asks)
    const found = new Set<string>();
    const top = new Set<t.Node>(home.body.body);
    t.traverseFast(home.body, (node) => {
      if (node.type !== "FunctionDeclaration") return t.isFunction(node) ? t.traverseFast.skip : undefined;
      if (node.id && !node.async && !node.generator && !top.has(node)) found.add(node.id.name);
      return t.traverseFast.skip;
    });
    blockFunctionNames.set(home, (names = found));
  }
  return names.has(name);
}
/** declaresBlockFunction's names, by function (a set of strings: nothing that keeps the function's tree). */
const blockFunctionNames = new WeakMap<t.Node, Set<string>>();

/**
 * The first place a function declaration can be called from: the earliest of the references to it outside
 * its own body, each where it is (or, inside a function, where the outermost function around it is made:
 * a function declaration at the start of its block). A reference the walk down from the binding's scope by
 * positions does not reach is in code the lowering has moved already (a function lowered before this one,
 * now in its machine class): for it the declaration counts as made where it is written, as if not hoisted.
 * Null where the function has no binding to read references from.
 */
function firstCall(fn: NodePath<t.FunctionDeclaration>, file: FileContext): number | null {
  const name = fn.node.id?.name;
  const own = name && fn.scope.parent ? file.lookup.binding(fn.scope.parent, name) : undefined;
  if (!own || fn.node.start == null) return null;
  const from = scopeNodeOf(own);
  let first = Infinity;
  for (const { node } of referencesOf(own)) {
    // (its own calls come after a first one)
    if (node.start != null && node.start >= fn.node.start && node.end! <= fn.node.end!) continue;
    first = Math.min(first, placeOfUse(node, from) ?? fn.node.start);
  }
  return first;
}

/**
 * A generator declaration's objects inherit from its own `prototype`: with its class shared, the wrapper
 * passes itself, by the name of its binding, which must then never change (nor be hidden by a parameter).
 * A sloppy block's declaration (the lowering makes it a `let`) keeps its class beside it.
 */
function passesItselfByName(fn: NodePath<t.FunctionDeclaration>, file: FileContext): boolean {
  const lookup = file.lookup;
  const name = fn.node.id?.name;
  const list = fn.parentPath;
  if (!name || !list.isBlockStatement() || !fn.scope.parent || !lookup.binding(fn.scope.parent, name)?.constant) return false;
  if (fn.node.params.some((param) => name in t.getBindingIdentifiers(param))) return false;
  return list.parentPath.isFunction() || file.strictness.isInStrictMode(list);
}

/**
 * The rest of what a class at the top of the program needs: nothing around the function can bind names at
 * run time (`with`, a direct `eval`); not a method using private names; a generator declaration only if
 * it can pass itself by name.
 */
function canLiveAtTop(fn: NodePath<t.Function>, analysis: FunctionAnalysis, file: FileContext): boolean {
  if (analysis.usesPrivateNames) return false;
  if (fn.node.generator && fn.isFunctionDeclaration() && !passesItselfByName(fn, file)) return false;
  // (a walk up to the program, made only in a file with a `with` or a name `eval`)
  if (!file.hasWith && !file.allNames.has("eval")) return true;
  for (let path: NodePath | null = fn.parentPath; path; path = path.parentPath) {
    if (path.isWithStatement() || (path.isFunction() && file.evalCalls.has(path.node))) return false;
  }
  return true;
}
