// TypeScript `enum` declarations of a lowered function, written out before the function is analyzed as a
// declaration the lowering knows:
//
//     enum E { A = x, B }      ->      let E = (() => { enum E { A = x, B } return E; })();
//
// Babel's TypeScript preset compiles an enum where it is, once the lowering is done, and only where its
// parent is a block, an export or the program: inside a machine an enum of the body would sit in a `case`
// of `resume` (the preset stops there: "Unexpected enum parent"). And the lowering's analysis, like Babel's
// scopes, counts no enum as a binding, so a body's enum read after an await was lost with its state. The
// arrow keeps the enum where the preset compiles it (a block), with the values and the scope it had (the
// arrow runs where the declaration was, seeing what it saw), and `let E` is an ordinary binding of the body
// (a field where it lives across a suspension), declared as the preset declares an enum in a block (`let`).
//
// A `const enum` becomes a plain enum (which it is to Babel unless `optimizeConstEnums` inlines its members):
// inlined inside the arrow, it would leave `return E` naming nothing. A `declare enum` is a type only and
// stays. A second declaration of the same name in the same block (a merged enum, whose members may name
// the first one's) has no such shape: it is refused.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import { unsupported } from "../errors.ts";
import type { FileContext } from "../file-context.ts";

/** Rewrites every runtime `enum` of `fn` itself (not of the functions inside it); true if there was one. */
export function lowerEnumDeclarations(fn: NodePath<t.Function>, file: Pick<FileContext, "code" | "basename" | "uniqueName">): boolean {
  if (!/\.[cm]?tsx?$/.test(file.basename) || !file.code.includes("enum")) return false;
  const found: { declaration: t.TSEnumDeclaration; parent: t.Node }[] = [];
  // (the function's own: a function inside keeps its enums in its own block, which the preset compiles)
  const stack: [t.Node, t.Node][] = [];
  const visit = (node: t.Node, parent: t.Node) => {
    if (node.type === "TSEnumDeclaration") {
      if (!node.declare) found.push({ declaration: node, parent });
      return;
    }
    if (node !== fn.node && (t.isFunction(node) || node.type === "StaticBlock" || node.type === "ClassProperty" || node.type === "ClassPrivateProperty")) {
      // (a computed key of a method is evaluated outside the method: an enum cannot be written there anyway)
      return;
    }
    stack.push([node, parent]);
  };
  visit(fn.node, fn.parent);
  while (stack.length > 0) {
    const [node] = stack.pop()!;
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
      if (Array.isArray(child)) for (const item of child) item && typeof item.type === "string" && visit(item, node);
      else if (child && typeof child.type === "string") visit(child, node);
    }
  }
  if (found.length === 0) return false;
  const seen = new Map<t.Node, Set<string>>();
  for (const { declaration, parent } of found) {
    // (where the preset would refuse it natively too, it is left for the preset to say so)
    if (parent.type !== "BlockStatement") continue;
    const name = declaration.id.name;
    const names = seen.get(parent) ?? new Set<string>();
    seen.set(parent, names);
    if (names.has(name)) unsupported(`a second declaration of \`enum ${name}\` in the same block of an async function or generator (a merged enum)`, declaration);
    names.add(name);
    // (a declaration of a block it is in: it is one statement of the list)
    const list = parent.body;
    const index = list.indexOf(declaration as unknown as t.Statement);
    if (index < 0) continue;
    // (named apart: the lowering's analysis, as Babel's scopes, sees no binding in an enum, and would read the
    // arrow's `return E` as the `let E` around it; so do the enum's own members that name it)
    const own = file.uniqueName(`${name}_enum`);
    const inner: t.TSEnumDeclaration = { ...declaration, id: { ...declaration.id, name: own }, const: false, leadingComments: null, trailingComments: null, innerComments: null };
    // (Babel 8 keeps the members in a body, `TSEnumBody`)
    const members = (inner as { body?: { members: t.TSEnumMember[] } }).body?.members ?? inner.members;
    for (const member of members) {
      if (!member.initializer) continue;
      // (TypeScript, as Babel's preset, sets the members in a function of their own, where the function's
      // await or yield cannot be: the preset writes it into that function)
      const suspension = suspensionIn(member.initializer);
      if (suspension) unsupported(`\`${suspension.type === "YieldExpression" ? "yield" : "await"}\` in the value of an enum member`, suspension);
      renameReferences(member.initializer, name, own);
    }
    const arrow = t.arrowFunctionExpression([], t.blockStatement([inner as unknown as t.Statement, t.returnStatement(t.identifier(own))]));
    const declarator = t.variableDeclarator(t.identifier(name), t.callExpression(arrow, []));
    const replacement = t.variableDeclaration("let", [declarator]);
    for (const node of [replacement, declarator, declarator.id, declarator.init!, arrow, arrow.body]) node.loc = declaration.loc;
    t.inheritsComments(replacement, declaration);
    list[index] = replacement;
  }
  fn.scope.crawl();
  return true;
}

/** Renames the identifiers of `expression` that read `name` (not property names, nor what a function inside declares). */
function renameReferences(expression: t.Node, name: string, to: string): void {
  const stack: [t.Node, t.Node | null][] = [[expression, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!;
    if (node.type === "Identifier") {
      if (node.name === name && (parent === null || t.isReferenced(node, parent))) node.name = to;
      continue;
    }
    // (a function or class inside that declares the name again keeps it: too rare in an enum's member to follow)
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
      if (Array.isArray(child)) for (const item of child) item && typeof item.type === "string" && stack.push([item, node]);
      else if (child && typeof child.type === "string") stack.push([child, node]);
    }
  }
}

/** An `await` or `yield` of the function around `node` in it (not one of a function inside it), or null. */
function suspensionIn(node: t.Node): t.Node | null {
  if (node.type === "AwaitExpression" || node.type === "YieldExpression") return node;
  if (t.isFunction(node)) return null;
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
    for (const item of Array.isArray(child) ? child : [child]) {
      const found = item && typeof item.type === "string" ? suspensionIn(item) : null;
      if (found) return found;
    }
  }
  return null;
}
