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
import type { Binding, NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import type { FactsStore } from "../facts.ts";
import type { BindingFacts } from "./scope-tree.ts";
import { nothingRunsBefore } from "./inert.ts";
import { blockOf, declarationOf, forEachBinding, isTreeBinding, scopeNodeOf, type AnyBinding, type AnyScope } from "./scope-view.ts";

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
 * `functionRanges`: where the outermost functions inside it are (start and end of each), for the scopes of
 * the tree's.
 */
export function findUninitializedAccesses(scopes: AnyScope[], fn: NodePath<t.Function>, facts: FactsStore, createdAt: WeakMap<t.Node, number>, functionRanges: readonly number[]): Set<AnyBinding> {
  const found = new Set<AnyBinding>();
  const ranges = sortedRanges(functionRanges);
  const patternParams = !fn.node.params.every((param) => t.isIdentifier(param));
  for (const scope of scopes) {
    const block = blockOf(scope);
    const entered = t.isBlockStatement(block) || t.isSwitchStatement(block) || t.isCatchClause(block) || t.isForStatement(block) || t.isForXStatement(block);
    if (block !== fn.node && !entered) continue;
    forEachBinding(scope, (_name, binding) => {
      // (a catch clause's parameter is bound on entry, before the body runs; parameters are bound one by
      // one, so a default can reach a later one)
      const declaration = declarationOf(binding);
      const lexical = (binding.kind === "let" || binding.kind === "const") && declaration.type !== "CatchClause";
      const parameter = binding.kind === "param" && block === fn.node && patternParams;
      if (!lexical && !parameter) return;
      if (declaration.end === null || declaration.end === undefined) return;
      // Where an access happens: off the tree's positions, or up Babel's paths (past the machine classes of
      // functions lowered already, which have none).
      const marked = isTreeBinding(binding)
        ? markAccesses(binding.identifier.name, binding.references, binding.referenceParents, binding.violations, (access) => mayPrecedeNode(access, binding, ranges), facts)
        : markAccesses(
            binding.identifier.name,
            binding.referencePaths.map((path) => path.node),
            binding.referencePaths.map((path) => path.parentPath!.node),
            binding.constantViolations.map((path) => path.node),
            (_access, index, violation) => mayPrecede(violation ? binding.constantViolations[index] : binding.referencePaths[index], binding, createdAt),
            facts,
          );
      if (marked) found.add(binding);
    });
  }
  return found;
}

/**
 * Marks the accesses of a binding (`name`) that may come before its declaration (`precedes`, given each
 * access, its index in its list and whether it is a violation): the reads and writes of its references
 * (`parents`: each one's parent), the targets of its violations. Whether any does.
 */
function markAccesses(
  name: string,
  references: readonly t.Node[],
  parents: readonly t.Node[],
  violations: readonly t.Node[],
  precedes: (access: t.Node, index: number, violation: boolean) => boolean,
  facts: FactsStore,
): boolean {
  let needed = false;
  for (let i = 0; i < references.length; i++) {
    const reference = references[i];
    const parent = parents[i];
    if (reference.type !== "Identifier" || !precedes(reference, i, false)) continue;
    // (`for (x of list)` writes x: a target, below)
    if (t.isForXStatement(parent) && parent.left === reference) continue;
    facts.set(reference, parent.type === "UpdateExpression" ? "checkedWrite" : "checkedRead", true);
    // (V8 places the error of `return x`, `throw x`, `yield x` and `await x` at the keyword, not at x)
    if ((parent.type === "ReturnStatement" || parent.type === "ThrowStatement" || parent.type === "YieldExpression" || parent.type === "AwaitExpression") && parent.argument === reference) facts.set(reference, "checkedAt", parent);
    needed = true;
  }
  for (let i = 0; i < violations.length; i++) {
    const violation = violations[i];
    if (!precedes(violation, i, true)) continue;
    const target = violation.type === "AssignmentExpression" ? violation.left : violation.type === "UpdateExpression" ? violation.argument : null;
    if (t.isIdentifier(target)) {
      facts.set(target, "checkedWrite", true);
      needed = true;
      continue;
    }
    // A destructuring target (or a for-in/of target) the pattern assigns later.
    const pattern = violation.type === "AssignmentExpression" ? violation.left : t.isForXStatement(violation) ? violation.left : null;
    if (!pattern || t.isVariableDeclaration(pattern)) continue;
    const ids = (t.getBindingIdentifiers(pattern, true) as Record<string, t.Identifier | t.Identifier[]>)[name];
    for (const id of ([] as t.Identifier[]).concat(ids ?? [])) {
      facts.set(id, "checkedTarget", true);
      needed = true;
    }
  }
  return needed;
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

/**
 * mayPrecede for a node of a function read from the tree, by positions: inside one of the functions in it
 * (`functionRanges`), where that function is made (placeOfUse), else where it is.
 */
function mayPrecedeNode(access: t.Node, binding: BindingFacts, functionRanges: readonly number[]): boolean {
  const declaration = binding.declaration;
  const scopeBlock = binding.scope.node;
  if (declaration.type === "ClassDeclaration" && within(access, declaration)) return false;
  const point = (inRanges(access, functionRanges) ? placeOfUse(access, scopeBlock) : access.start) ?? -1;
  return point < 0 || precedesAt(access, point, declaration, scopeBlock);
}

/**
 * Whether an access that happens at `point` (placeOfUse's) may come before the declaration: in a for-in/of
 * head's own expression, in another case of a switch, or earlier in the scope.
 */
function precedesAt(access: t.Node, point: number, declaration: t.Node, scopeBlock: t.Node): boolean {
  if (t.isForXStatement(scopeBlock) && within(access, scopeBlock.right)) return true;
  if (t.isSwitchStatement(scopeBlock) && childAround(access, scopeBlock) !== childAround(declaration, scopeBlock)) return true;
  return point < declaration.end!;
}

/**
 * Whether a lowered function may run while a `let`, `const` or class around it that it reads is still
 * uninitialized: where the outermost function around it (it, or one it is inside) below the binding's scope
 * is made may come before the declaration (mayPrecedeNode's rules, for the function as the access) and code
 * that runs in between may call it (inert.ts). Its reads of the binding then throw, and must throw where the
 * source reads it: before an await later in the same expression (explode's isStable), not after it.
 */
export function outerMayBeUninitialized(fn: t.Function, binding: AnyBinding): boolean {
  if (binding.kind !== "let" && binding.kind !== "const") return false;
  const declaration = declarationOf(binding);
  const scopeBlock = scopeNodeOf(binding);
  if (declaration.type === "CatchClause" || declaration.end == null) return false;
  if (declaration.type === "ClassDeclaration" && within(fn, declaration)) return false;
  const point = placeOfUse(fn, scopeBlock) ?? -1;
  // Made before the declaration (a hoisted function, most often), it runs before it only if something that
  // runs in between can call it (a for-in/of head or a switch is no scope nothingRunsBefore reads: it may).
  return point < 0 || (precedesAt(fn, point, declaration, scopeBlock) && !nothingRunsBefore(scopeBlock, declaration));
}

/** The ranges (start and end of each, apart from one another), by their starts. */
function sortedRanges(ranges: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < ranges.length; i += 2) pairs.push([ranges[i], ranges[i + 1]]);
  return pairs.sort((a, b) => a[0] - b[0]).flat();
}

/** Whether the node is inside one of the ranges (sortedRanges'): a binary search, a function of many closures being no rarity. */
function inRanges(node: t.Node, ranges: readonly number[]): boolean {
  const start = node.start!;
  const last = lastStartingBy(ranges.length / 2, (index) => ranges[2 * index], start)!;
  return last >= 0 && start < ranges[2 * last + 1];
}

/**
 * Of `count` things in order of their starts (`startOf`), by a binary search: the index of the last that
 * starts at or before `start` (-1: none); null where the search meets one whose start is unknown.
 */
function lastStartingBy(count: number, startOf: (index: number) => number | null | undefined, start: number): number | null {
  let low = 0;
  let high = count - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const at = startOf(middle);
    if (at == null) return null;
    if (at <= start) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** The child of a switch (its discriminant, or a case) that is or holds `node`. */
function childAround(node: t.Node, switchNode: t.SwitchStatement): t.Node | null {
  if (within(node, switchNode.discriminant)) return switchNode.discriminant;
  return switchNode.cases.find((item) => within(node, item)) ?? null;
}

/**
 * Where an access happens, walking down to it from `root` by positions: its own start, or where the
 * outermost function around it below `root` is created (a function declaration: at the start of the block
 * it is declared in, or of the switch around its case). Null if the walk does not reach it.
 */
export function placeOfUse(reference: t.Node, root: t.Node): number | null {
  const start = reference.start!;
  const end = reference.end!;
  let node = root;
  let parent: t.Node | null = null;
  let at: number | null = null;
  while (node !== reference) {
    // (the child that is the reference, or else the first that spans it: a shorthand property's key spans
    // its value)
    let next: t.Node | null = null;
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
      // (a list's items are apart in the source, in order: the one that may span the reference is found by
      // a binary search, not a look at each, in a body of thousands of statements)
      const items = Array.isArray(child) ? (child.length > 8 ? itemsAround(child, start) : child) : [child];
      for (const item of items) {
        if (item === reference) next = item;
        else if (next === null && item && typeof item.type === "string" && item.start != null && item.end != null && item.start <= start && end <= item.end) next = item;
      }
    }
    if (next === null) return null;
    if (at === null && t.isFunction(next)) {
      // (hoisted: from the start of its block, or of the switch around its case)
      const block = node.type === "SwitchCase" ? parent : node;
      at = next.type === "FunctionDeclaration" ? (block?.start ?? null) : next.start!;
      if (at === null) return null;
    }
    parent = node;
    node = next;
  }
  return at ?? start;
}

/**
 * Of a list of nodes of the source (in order, apart), the one that starts last at or before `start` (none:
 * an empty list); the whole list where the search meets an item with no position (a node the lowering made).
 */
function itemsAround(list: readonly (t.Node | null)[], start: number): readonly (t.Node | null)[] {
  const last = lastStartingBy(list.length, (index) => list[index]?.start, start);
  return last === null ? list : last < 0 ? [] : [list[last]];
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
