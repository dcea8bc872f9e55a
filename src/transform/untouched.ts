// What the lowering leaves as it was: the largest subtrees of a file with nothing to lower in them, outside
// every lowered function. print.ts copies them from the source instead of printing them. (Apart from print.ts,
// which extends @babel/generator's Printer through a path of the package that is not its API: the plugin
// imports this, and must load wherever Babel does.)
import * as t from "./types.ts";
import { forEachChild } from "./ast.ts";

/** The untouched parts of a file, each with whether it stands as a statement (or a class member, a directive). */
export type UntouchedParts = Map<t.Node, boolean>;

/** Nodes whose children under these keys are statements (class members, directives). */
function holdsStatements(parent: t.Node, key: string): boolean {
  if (key === "directives") return true;
  if (key === "body") return parent.type === "Program" || parent.type === "BlockStatement" || parent.type === "StaticBlock" || parent.type === "ClassBody" || parent.type === "TSModuleBlock" || (t.isStatement(parent) && !t.isClass(parent) && !t.isFunction(parent));
  return (key === "consequent" && (parent.type === "SwitchCase" || parent.type === "IfStatement")) || (key === "alternate" && parent.type === "IfStatement");
}

/**
 * The largest subtrees of the file that the lowering leaves as they are: the children of the nodes around
 * the functions it lowers (`lowerable`) that hold nothing to lower, and that are not inside such a function.
 * A function to lower is left to the printer whole (the lowering replaces it; one it keeps native, kept
 * whole, is printed too). Called before the lowering, which moves what is inside the functions.
 */
export function untouchedParts(program: t.Program, lowerable: ReadonlySet<t.Node>): UntouchedParts {
  const parts: UntouchedParts = new Map();
  const stack: t.Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    forEachChild(node, (child, key) => visit(child, holdsStatements(node, key)));
  }
  return parts;

  function visit(node: t.Node, statement: boolean): void {
    if (lowerable.has(node)) {
      if (!(t.isFunction(node) && (node.async || node.generator))) stack.push(node);
    } else if (copiable(node)) {
      parts.set(node, statement);
    } else {
      stack.push(node);
    }
  }
}

/**
 * A function the lowering keeps native after all, with nothing lowered in it or around it: copied as written
 * too (its `toString()` is the source's), where its text is what the printer would print.
 */
export function markUntouched(parts: UntouchedParts, node: t.Node, parent: t.Node, key: string): void {
  if (copiable(node)) parts.set(node, holdsStatements(parent, key));
}

/** Every statement of a file with nothing to lower. */
export function wholeFile(program: t.Program): UntouchedParts {
  return untouchedParts(program, new Set([program]));
}

/**
 * Whether the node's source text is what the printer would print for it: not where the parent prints part of
 * it (a binding's `?` and type annotation, which the parser counts in the binding's text), nor where
 * decorators stand before its start (`@dec export class`).
 */
function copiable(node: t.Node): boolean {
  if (typeof node.start !== "number" || typeof node.end !== "number") return false;
  const binding = node as { typeAnnotation?: unknown; optional?: boolean | null };
  if (binding.typeAnnotation || (binding.optional && (t.isIdentifier(node) || t.isPattern(node) || t.isRestElement(node)))) return false;
  const decorators = (node as { decorators?: t.Decorator[] | null }).decorators;
  return !decorators || decorators.every((decorator) => typeof decorator.start === "number" && decorator.start >= node.start!);
}

