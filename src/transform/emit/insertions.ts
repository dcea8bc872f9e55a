// Statements the lowering adds to statement lists (machine classes, and what holds or names them), and the
// elements it puts in front of a class's own (a method's machine class kept in the class, the static block
// that links a method to its kind), inserted in batches. Inserting through Babel's paths one statement at a
// time renumbers the list's later paths and makes the traversal re-find them, each time: a file of N
// functions, or a class of N async methods, took time in N². Instead each list collects what goes into it
// and is rebuilt once, when the lowered function around it is about to be analyzed (which must see the new
// classes as bindings), or at the end of the file. Functions are lowered innermost first, so the lists
// inside a function are complete by the time that function is lowered.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";

/** What a class body holds. */
export type ClassElement = t.ClassBody["body"][number];

interface PendingList {
  /** The node that owns the list (a Program, block, switch case, static block or class body), as a path. */
  owner: NodePath;
  listKey: string;
  /** Statements for the top of the list (after its imports), in order. */
  top: t.Statement[];
  /** Statements for right before a statement of the list, in order. */
  before: Map<t.Node, t.Statement[]>;
  /** Statements of the list that move to its top, after `top`: declarations the language hoists. */
  hoisted: t.Statement[];
  /**
   * A class body's: the elements each lowered function in it puts in front of the class's own, by function,
   * in the order they were lowered (the source's: its methods are siblings), which is the order they go in.
   * All of them go before the class's own elements (static elements run in order: a method's link must run
   * before any static element that could call the method); among themselves, none observes another.
   */
  front: Map<t.Node, ClassElement[]> | null;
}

export class Insertions {
  private readonly pending: PendingList[] = [];
  private readonly lists = new Map<unknown, PendingList>();

  /** Where the recorded lists stand now: `flush(mark)` later flushes those recorded after this point. */
  mark(): number {
    return this.pending.length;
  }

  /** `node` goes at the top of the list `owner[listKey]` (after what went there before it). */
  atTop(owner: NodePath, listKey: string, node: t.Statement): void {
    this.listOf(owner, listKey).top.push(node);
  }

  /** `node` goes at the top of the list `owner[listKey]`, right before `next` if `next` is going there too. */
  atTopBefore(owner: NodePath, listKey: string, node: t.Statement, next: t.Statement): void {
    const top = this.listOf(owner, listKey).top;
    const index = top.indexOf(next);
    top.splice(index < 0 ? 0 : index, 0, node);
  }

  /**
   * `statement`, already in its list, moves to the top of the list (after what goes there): the `var` a
   * lowered function declaration became, initialized where the declaration was.
   */
  hoist(statement: NodePath): void {
    this.listOf(statement.parentPath!, statement.listKey!).hoisted.push(statement.node as t.Statement);
  }

  /** `node` goes right before `statement` (after what went there before it). */
  before(statement: NodePath, node: t.Statement): void {
    const list = this.listOf(statement.parentPath!, statement.listKey!);
    const nodes = list.before.get(statement.node);
    if (nodes) nodes.push(node);
    else list.before.set(statement.node, [node]);
  }

  /**
   * The elements the lowered function `fn` puts in front of the elements of the class whose body is `body`:
   * a list to put them into, in their order.
   */
  classFront(body: NodePath<t.ClassBody>, fn: t.Node): ClassElement[] {
    const front = (this.listOf(body, "body").front ??= new Map());
    let elements = front.get(fn);
    if (!elements) front.set(fn, (elements = []));
    return elements;
  }

  /**
   * Rebuilds the lists recorded since `mark`, each once, except the program's own list: no function's
   * analysis needs it, and rebuilding it while the file is being traversed would make the traversal re-find
   * every later statement. It waits for `flushAll`, at the end.
   */
  flush(mark: number): void {
    const flushed = this.pending.splice(mark);
    for (const list of flushed) {
      if (list.owner.isProgram()) this.pending.push(list);
      else this.rebuild(list, true);
    }
  }

  /**
   * Rebuilds every list still waiting, at the end of the file. `lastPass`: nothing reads paths after this, so
   * none are made for the new statements (rebuild).
   */
  flushAll(lastPass: boolean): void {
    for (const list of this.pending.splice(0)) this.rebuild(list, !lastPass);
  }

  private rebuild(list: PendingList, makePaths: boolean): void {
    this.lists.delete((list.owner.node as unknown as Record<string, unknown>)[list.listKey]);
    rebuild(list, makePaths);
  }

  private listOf(owner: NodePath, listKey: string): PendingList {
    const container = (owner.node as unknown as Record<string, unknown>)[listKey];
    let list = this.lists.get(container);
    if (!list) {
      list = { owner, listKey, top: [], before: new Map(), hoisted: [], front: null };
      this.lists.set(container, list);
      this.pending.push(list);
    }
    return list;
  }
}

function rebuild({ owner, listKey, top: inserted, before, hoisted, front }: PendingList, makePaths: boolean): void {
  if (front !== null) return rebuildClassBody(owner as NodePath<t.ClassBody>, front, makePaths);
  const statements = (owner.node as unknown as Record<string, t.Statement[]>)[listKey];
  const moved = new Set<t.Node>(hoisted);
  const top = [...inserted, ...hoisted];
  const rebuilt: t.Statement[] = [];
  const add = (nodes: t.Statement[]) => {
    for (const node of nodes) rebuilt.push(node);
  };
  let topPlaced = top.length === 0;
  for (const statement of statements) {
    if (!topPlaced && !t.isImportDeclaration(statement)) {
      if (rebuilt.length === 0 && owner.isProgram() && statement.leadingComments?.length && top[0] !== statement) {
        // The file's header comment stays at the top of the file.
        top[0].leadingComments = [...statement.leadingComments, ...(top[0].leadingComments ?? [])];
        statement.leadingComments = [];
      }
      add(top);
      topPlaced = true;
    }
    const nodes = before.get(statement);
    if (nodes) add(nodes);
    if (!moved.has(statement)) rebuilt.push(statement);
  }
  if (!topPlaced) add(top);
  // The same array, refilled: the paths of the list's statements hold on to it.
  statements.length = 0;
  for (const statement of rebuilt) statements.push(statement);
  // Paths for the list's statements, as an insertion through paths makes them: a new class declaration's path
  // gets a scope of its own, which registers the class as a binding of the list's scope, where the analysis
  // of the function around it looks for bindings. (Existing paths only get their new positions.) Not for the
  // program's list, rebuilt last: no analysis follows, and making those paths crawls every class at the top
  // (the whole output, once more); a traversal that goes on after the plugin (other plugins) makes them
  // itself, as it reaches them. Nor for a list rebuilt at the end of a last pass (one in a plain function
  // with no async function or generator around it): no one reads them.
  // A new `let` (what holds a machine class or a method's key) is registered by hand: no path registers it.
  if (owner.isProgram() || !makePaths) return;
  const added = new Set<t.Node>([...inserted, ...[...before.values()].flat()]);
  for (const path of owner.get(listKey) as NodePath[]) {
    if (path.isVariableDeclaration() && added.has(path.node)) path.scope.registerDeclaration(path);
  }
}

/**
 * A class body with what its lowered functions put in front of its elements, the last lowered first.
 * `makePaths`: paths and scopes for the new elements, as inserting them through paths made them (the analysis
 * of a lowered function around the class walks them with Babel's scopes).
 */
function rebuildClassBody(body: NodePath<t.ClassBody>, front: Map<t.Node, ClassElement[]>, makePaths: boolean): void {
  const elements = body.node.body;
  const rebuilt = [...front.values()].flat().concat(elements);
  // (the same array, refilled: the paths of the class's elements hold on to it)
  elements.length = 0;
  for (const element of rebuilt) elements.push(element);
  if (makePaths) body.get("body");
}
