// The temporal dead zone of lifted bindings.
//
// A `let`, `const` or `class` kept as a local of one state keeps the engine's TDZ for free. One lifted
// into a field (`this.x`) would read `undefined` before its declaration runs. So wherever an access *may*
// come before the declaration (it stands earlier in the scope, in another case of a switch, or inside a
// function that can run before the declaration: a hoisted function declaration, a closure created
// earlier), the field holds the runtime's UNINITIALIZED marker from the scope's entry until the
// declaration runs, and that access is checked: `this.checkInitialized(this.x, "x")`. Accesses that
// can only come after the declaration, the common case, stay plain `this.x`. Parameters are the same:
// bound one by one in state 0, a default may read a later one (`(a = b, b) => ...`).
import type { Binding, NodePath, Scope } from "@babel/traverse";
import * as t from "../types.ts";
import type { FactsStore } from "../facts.ts";

/**
 * An inner function was lowered before its outer one: code that now sits in its machine class runs
 * when the function runs, so for the outer analysis it counts as created where the function is.
 * Returns that position, which the file keeps for the outer lowering (FileContext.createdAt).
 */
export function creationPoint(fn: NodePath<t.Function>): number | null {
  return (fn.isFunctionDeclaration() ? hoistedTo(fn) : fn.node.start) ?? null;
}

/**
 * The bindings of these scopes that need the marker: for each, its checked accesses are recorded.
 * Only scopes entered by a statement the transform explodes are considered: blocks, switches, catch
 * clauses, loop heads (`for (let x of x)` reads x in its own TDZ), and the function's own scope.
 */
export function findUninitializedAccesses(scopes: Scope[], fn: NodePath<t.Function>, facts: FactsStore, createdAt: WeakMap<t.Node, number>): Set<Binding> {
  const found = new Set<Binding>();
  for (const scope of scopes) {
    const block = scope.block;
    const entered = t.isBlockStatement(block) || t.isSwitchStatement(block) || t.isCatchClause(block) || t.isForStatement(block) || t.isForXStatement(block);
    if (block !== fn.node && !entered) continue;
    for (const name in scope.bindings) {
      const binding = scope.bindings[name];
      // (a catch clause's parameter is bound on entry, before the body runs; parameters are bound one by
      // one, so a default can reach a later one)
      const lexical = (binding.kind === "let" || binding.kind === "const") && !binding.path.isCatchClause();
      const parameter = binding.kind === "param" && block === fn.node && !fn.node.params.every((param) => t.isIdentifier(param));
      if (!lexical && !parameter) continue;
      if (binding.path.node.end === null || binding.path.node.end === undefined) continue;
      let needed = false;
      for (const reference of binding.referencePaths) {
        if (!reference.isIdentifier() || !mayPrecede(reference, binding, createdAt)) continue;
        // (`for (x of list)` writes x: a target, below)
        if (reference.parentPath?.isForXStatement() && reference.key === "left") continue;
        facts.set(reference.node, reference.parentPath?.isUpdateExpression() ? "checkedWrite" : "checkedRead", true);
        needed = true;
      }
      for (const violation of binding.constantViolations) {
        if (!mayPrecede(violation, binding, createdAt)) continue;
        const target = violation.isAssignmentExpression() ? violation.node.left : violation.isUpdateExpression() ? violation.node.argument : null;
        if (t.isIdentifier(target)) {
          facts.set(target, "checkedWrite", true);
          needed = true;
          continue;
        }
        // A destructuring target (or a for-in/of target) the pattern assigns later.
        const pattern = violation.isAssignmentExpression() ? violation.node.left : violation.isForXStatement() ? violation.node.left : null;
        if (!pattern || t.isVariableDeclaration(pattern)) continue;
        const ids = (t.getBindingIdentifiers(pattern, true) as Record<string, t.Identifier | t.Identifier[]>)[binding.identifier.name];
        for (const id of ([] as t.Identifier[]).concat(ids ?? [])) {
          facts.set(id, "checkedTarget", true);
          needed = true;
        }
      }
      if (needed) found.add(binding);
    }
  }
  return found;
}

/** Can this access run before the binding's declaration has? */
function mayPrecede(access: NodePath, binding: Binding, createdAt: WeakMap<t.Node, number>): boolean {
  const declaration = binding.path;
  const scopeBlock = binding.scope.block;
  // Inside the class itself, its name is the class's own inner binding.
  if (declaration.isClassDeclaration() && access.isDescendant(declaration)) return false;
  // Where the access effectively happens: its own position, or where the outermost function around it
  // (below the binding's scope) is created.
  let point = access.node.start ?? -1;
  for (let path = access.parentPath; path && path.node !== scopeBlock; path = path.parentPath) {
    // (lower-function.ts gives a creation point to a machine class's body and a sloppy `resume` alone: no
    // lookup for other nodes)
    const node = path.node;
    const created = node.type === "ClassBody" || node.type === "FunctionExpression" ? createdAt.get(node) : undefined;
    if (created !== undefined) point = created;
    else if (path.isFunctionDeclaration()) point = hoistedTo(path) ?? -1;
    else if (path.isFunction()) point = path.node.start ?? -1;
  }
  if (point < 0) return true;
  // `for (let x of x)`: the iterated expression is evaluated in the TDZ of the loop's own bindings.
  if (t.isForXStatement(scopeBlock) && within(access.node, scopeBlock.right)) return true;
  // A switch is one scope, but its cases are entered by jumping: another case may run first.
  if (t.isSwitchStatement(scopeBlock) && caseOf(access, scopeBlock) !== caseOf(declaration, scopeBlock)) return true;
  return point < declaration.node.end!;
}

function within(node: t.Node, outer: t.Node): boolean {
  return node.start != null && outer.start != null && node.start >= outer.start && node.end! <= outer.end!;
}

/** A function declaration exists from the start of the block it is declared in. */
function hoistedTo(fn: NodePath): number | null {
  let parent = fn.parentPath;
  if (parent?.isSwitchCase()) parent = parent.parentPath;
  return parent?.node.start ?? null;
}

function caseOf(path: NodePath, switchNode: t.SwitchStatement): t.Node | null {
  for (let p: NodePath | null = path; p; p = p.parentPath) if (p.parentPath?.node === switchNode) return p.node;
  return null;
}
