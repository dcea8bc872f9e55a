// Walks up from a node, with the climb out of an expression kept.
//
// Most walks up from a function being lowered (where its class goes, whether it runs once, which
// function is around it) stop only at a function, a class, a statement or what holds statements. Inside an
// expression they take a step per level: a `.then(async ...)` chain's every link climbs the calls and
// members of the links before it, and the chain costs the square of its length. The climb out of an
// expression, through parents that are plain expressions, is kept for every node it passes; the next walk
// from under the same expression jumps to where the last one came out.
//
// A kept answer stays true while the lowering works: it replaces a node in place (the path stays, with its
// parent), or adds statements and blocks around statements (what the climb stops at, never inside it), and
// it lowers the innermost functions first, so no walk starts in code it has moved. Only in transform()'s own
// pass (FileContext.lastPass): inside @babel/core's pipeline other plugins may move an expression between
// two lowerings, and the climb is taken a step at a time. The same holds for the function that gives an
// arrow its `this`, kept for every arrow passed on the way to it.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";

export class Ancestors {
  /** For a node passed by a climb: the path it came out at. */
  private readonly exits = new WeakMap<t.Node, NodePath>();
  /** For an arrow passed by a walk up to the nearest function above it that is not an arrow: that function. */
  private readonly thisOwners = new WeakMap<t.Node, NodePath<t.Function> | null>();

  constructor(private readonly file: { readonly lastPass: boolean }) {}

  /**
   * The first path at or above `path` whose parent is not a plain expression (a function or a class is not
   * one): every parent between the two is one, and none of the walks up stops at one.
   */
  outOfExpression(path: NodePath): NodePath {
    if (!this.file.lastPass) return path;
    // (the nodes climbed whose exit is not known yet)
    const passed: t.Node[] = [];
    let at = path;
    for (;;) {
      const known = this.exits.get(at.node);
      if (known !== undefined) {
        at = known;
        break;
      }
      const parent = at.parentPath;
      if (parent === null || !isPlainExpression(parent.node)) break;
      passed.push(at.node);
      at = parent;
    }
    for (const node of passed) this.exits.set(node, at);
    return at;
  }

  /**
   * The nearest function above `path` that is not an arrow (Babel's `findParent` of one: a method's key
   * counts as inside the method), whose `this` an arrow there has; null: the program's. Kept for every arrow
   * passed: async callbacks nested in each other would each walk up through all the others.
   */
  thisFunction(path: NodePath): NodePath<t.Function> | null {
    const arrows: t.Node[] = [];
    let owner = this.functionAbove(path, false);
    while (owner?.isArrowFunctionExpression()) {
      const known = this.file.lastPass ? this.thisOwners.get(owner.node) : undefined;
      if (known !== undefined) {
        owner = known;
        break;
      }
      arrows.push(owner.node);
      owner = this.functionAbove(owner, false);
    }
    if (this.file.lastPass) for (const arrow of arrows) this.thisOwners.set(arrow, owner);
    return owner;
  }

  /** The function around `path` (Babel's `getFunctionParent`: a method's key and decorators are outside it), or null. */
  functionParent(path: NodePath): NodePath<t.Function> | null {
    return this.functionAbove(path, true);
  }

  /** The nearest function above `path`; `keysOutside`: not the method whose key or decorator `path` is in. */
  private functionAbove(path: NodePath, keysOutside: boolean): NodePath<t.Function> | null {
    for (let at = this.outOfExpression(path), parent = at.parentPath; parent; at = this.outOfExpression(parent), parent = at.parentPath) {
      if (parent.isFunction() && !(keysOutside && (at.key === "key" || at.listKey === "decorators"))) return parent;
    }
    return null;
  }
}

/** An expression that holds no scope of its own (neither a function nor a class): a walk up passes it. */
function isPlainExpression(node: t.Node): boolean {
  return t.isExpression(node) && !t.isFunction(node) && !t.isClass(node);
}
