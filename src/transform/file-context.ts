// Per-file state of the transform: the source, the names already taken, the runtime names used.
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import { Insertions } from "./emit/insertions.ts";
import type { MachineInfo } from "./report/metadata.ts";

export class FileContext {
  readonly allNames = new Set<string>();
  /** Globals the file assigns to somewhere: their value can change while a machine waits. */
  readonly assignedGlobals = new Set<string>();
  /** Runtime export name -> local name in this file. */
  readonly runtimeNames = new Map<string, string>();
  readonly machines: MachineInfo[] = [];
  // What one function's lowering leaves for the lowering of the functions around it (every other fact
  // about nodes lives in the Lowering of one function: see facts.ts).
  /** What the lowering adds to statement lists, inserted in batches (emit/insertions.ts). */
  readonly insertions = new Insertions();
  /** Wrappers of lowered functions: plain function declarations now, but no Annex B functions. */
  readonly wrappers = new WeakSet<t.Node>();
  /** Every name the source declares somewhere (a reference Babel cannot resolve may still mean one). */
  readonly declaredNames = new Set<string>();
  /** Functions with a direct `eval` inside (at any depth), and that call: they stay native (plugin.ts). */
  readonly evalCalls = new WeakMap<t.Node, t.CallExpression>();
  /** What the transform has to say about the file without failing: one line each, with file:line:col. */
  readonly warnings: string[] = [];
  /** Machine class bodies of inner functions: the source position where the function is created (tdz.ts). */
  readonly createdAt = new WeakMap<t.Node, number>();
  /** The runtime export an async function's wrapper calls: the promise driver, or the loop's coroutine. */
  asyncDriver: "runAsync" | "coroutine" = "runAsync";

  constructor(
    readonly code: string,
    readonly basename: string,
    program: NodePath<t.Program>,
  ) {
    t.traverseFast(program.node, (node) => {
      if (t.isIdentifier(node)) this.allNames.add(node.name);
    });
    const assigned = this.assignedGlobals;
    const evalCalls = this.evalCalls;
    const declared = this.declaredNames;
    program.traverse({
      Scopable(path: NodePath) {
        for (const name of Object.keys(path.scope.bindings)) declared.add(name);
      },
      CallExpression(path: NodePath<t.CallExpression>) {
        if (!t.isIdentifier(path.node.callee, { name: "eval" }) || path.scope.getBinding("eval")) return;
        // A direct eval reads and writes the variables of every function around it.
        for (let fn = path.getFunctionParent(); fn; fn = fn.getFunctionParent()) if (!evalCalls.has(fn.node)) evalCalls.set(fn.node, path.node);
      },
      "AssignmentExpression|UpdateExpression"(path: NodePath) {
        const node = path.node as t.AssignmentExpression | t.UpdateExpression;
        const target = node.type === "AssignmentExpression" ? node.left : node.argument;
        for (const name of Object.keys(t.getBindingIdentifiers(target as t.Node))) {
          if (!path.scope.hasBinding(name)) assigned.add(name);
        }
      },
    });
  }

  private boxCount = 0;

  /** The next box name (`$s0`, `$s1`, ...), unique in the file. */
  newBoxName = (): string => `$s${this.boxCount++}`;

  /** A name not used anywhere in the file, based on `base`. */
  uniqueName(base: string): string {
    let candidate = base;
    for (let n = 2; this.allNames.has(candidate) || GLOBALS.has(candidate); n++) candidate = `${base}_${n}`;
    this.allNames.add(candidate);
    return candidate;
  }

  /** The source text of a node, on one line (for generated nodes: an identifier's name, or "…"). */
  sourceText(node: t.Node, max = 80): string {
    const text = node.start != null && node.end != null ? this.code.slice(node.start, node.end) : "";
    return (text || (t.isIdentifier(node) ? node.name : "…")).replace(/\s+/g, " ").slice(0, max);
  }

  runtimeName(exported: string): string {
    let local = this.runtimeNames.get(exported);
    if (!local) {
      local = this.uniqueName(exported);
      this.runtimeNames.set(exported, local);
    }
    return local;
  }
}

/** Global names a generated class must never shadow. */
const GLOBALS = new Set(Object.getOwnPropertyNames(globalThis).concat(["Promise", "Symbol", "Reflect", "Object", "Array", "Error", "TypeError"]));
