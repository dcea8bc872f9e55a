// A script (a browser <script>, vm.runInThisContext) shares its top level with every other script of the
// realm: each `class`, `const` and `let` there is a global lexical name that other scripts see (and one they
// may not declare again), each `var` a property of the global object. What the transform puts at a
// module's or CommonJS module's top level (the runtime, the machine classes) is private to it; in a
// script, it goes into one function whose result, an object of the names the rest of the script reads,
// is the script's only new global: `var $stepwise_<hash>` (docs/lowering.md, "Scripts").
//
// Only a script with the runtime inlined is enclosed: the runtime cannot be imported or required by a
// script, so any other mode (and a .cjs or .cts file) means a module, whose output stays as it is.
import * as t from "../types.ts";
import type { FileContext } from "../file-context.ts";

/**
 * The namespace's name: one per script, the same every time the same file is built the same way (a hash
 * of its name, its source and the options), unique in the file. A `var`, not a `const`: running a script
 * twice is valid natively unless it declares lexical names itself, and must stay so.
 */
export function namespaceName(file: FileContext, filename: string, source: string, options: object): string {
  return file.uniqueName(`$stepwise_${fnv1a(`${filename}\0${source}\0${JSON.stringify(options)}`)}`);
}

/**
 * FNV-1a (32 bits) of the text's UTF-16 code units, as 8 hex digits. Not node:crypto: the transform also
 * runs in the browser (the explorer's playground); a page's few scripts do not need a stronger hash.
 */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * Moves the runtime `header` and the machine classes at the program's top level (with the sloppy `resume`
 * installed after one, and the `let`s that hold what a class's or literal's evaluation makes: their values
 * become properties of the namespace) into
 * `var name = (() => { ...; return { names }; })();`, and makes every reference to them elsewhere in the
 * program a property of it. Generated names are unique in the file (FileContext.uniqueName), so any
 * reference by one of these names is to the generated declaration.
 */
export function encloseScript(program: t.Program, header: t.Statement, machineClasses: Set<string>, holders: WeakSet<t.Node>, name: string): void {
  const enclosed: t.Statement[] = [header];
  /** Declared names that move, and whether each holds a machine assigned later (a `let` holder). */
  const declared = new Map<string, "value" | "holder">();
  for (const id of Object.values(t.getBindingIdentifiers(header))) declared.set(id.name, "value");
  const kept: t.Statement[] = [];
  /** The source's comments on the statements that move (a class inherits its function's): they stay in place. */
  let comments: t.Comment[] = [];
  for (const statement of program.body) {
    const moves = generatedStatement(statement, machineClasses, holders);
    if (moves === null) {
      if (comments.length > 0) statement.leadingComments = [...comments, ...(statement.leadingComments ?? [])];
      comments = [];
      kept.push(statement);
      continue;
    }
    if (statement.leadingComments?.some((comment) => comment.start != null)) {
      comments.push(...statement.leadingComments.filter((comment) => comment.start != null));
      statement.leadingComments = statement.leadingComments.filter((comment) => comment.start == null);
    }
    if (moves.kind === "holder") declared.set(moves.name, "holder");
    else {
      if (moves.kind === "class") declared.set(moves.name, "value");
      enclosed.push(statement);
    }
  }
  const used = new Set<string>();
  for (const statement of kept) replaceReferences(statement, declared, name, used);
  // (a holder is a property of the namespace for the moved code too, which has no `let` of it)
  const holderNames = new Map([...declared].filter(([, kind]) => kind === "holder"));
  if (holderNames.size > 0) for (const statement of enclosed.slice(1)) replaceReferences(statement, holderNames, name, used);
  const returned = [...declared].filter(([local]) => used.has(local)).map(([local, kind]) =>
    kind === "holder" ? t.objectProperty(t.identifier(local), t.identifier("undefined")) : t.objectProperty(t.identifier(local), t.identifier(local), false, true),
  );
  const factory = t.arrowFunctionExpression([], t.blockStatement([...enclosed, t.returnStatement(t.objectExpression(returned))]));
  const namespace = t.variableDeclaration("var", [t.variableDeclarator(t.identifier(name), t.callExpression(factory, []))]);
  t.addComment(namespace, "leading", " this script's runtime and machine classes, reached through its one global name", true);
  if (comments.length > 0) t.addComments(namespace, "trailing", comments);
  program.body = [namespace, ...kept];
}

type Generated = { kind: "class" | "resume" | "holder"; name: string };

/**
 * A top-level statement the transform made: a machine class, its sloppy `resume`, or a `let` holding what
 * a class or literal's evaluation makes (an anonymous class's machine, a computed key, a method's function).
 */
function generatedStatement(statement: t.Statement, machineClasses: Set<string>, holders: WeakSet<t.Node>): Generated | null {
  if (t.isClassDeclaration(statement) && statement.id && machineClasses.has(statement.id.name)) return { kind: "class", name: statement.id.name };
  if (holders.has(statement)) return { kind: "holder", name: ((statement as t.VariableDeclaration).declarations[0].id as t.Identifier).name };
  // `C.prototype.resume = function (sent) { ... }` (emit/machine-class.ts)
  if (t.isExpressionStatement(statement) && t.isAssignmentExpression(statement.expression, { operator: "=" })) {
    const target = statement.expression.left;
    if (t.isMemberExpression(target) && t.isIdentifier(target.property, { name: "resume" }) && t.isMemberExpression(target.object) && t.isIdentifier(target.object.object)) {
      const owner = target.object.object.name;
      if (machineClasses.has(owner) && t.isIdentifier(target.object.property, { name: "prototype" })) return { kind: "resume", name: owner };
    }
  }
  return null;
}

/** Every reference below `root` to a name of `names` becomes `namespace.name` (iterative: any depth). */
function replaceReferences(root: t.Node, names: Map<string, unknown>, namespace: string, used: Set<string>): void {
  // [node, parent, grandparent, key in parent, index in that list or -1]
  const stack: [t.Node, t.Node | null, t.Node | null, string, number][] = [[root, null, null, "", -1]];
  while (stack.length > 0) {
    const [node, parent, grandparent, key, index] = stack.pop()!;
    if (node.type === "Identifier") {
      // (an assignment's target too: a `let` holder's machine is stored by its class's static block)
      const target = key === "left" && parent?.type === "AssignmentExpression";
      if (parent && names.has(node.name) && (target || t.isReferenced(node, parent, grandparent ?? undefined))) {
        used.add(node.name);
        const member = t.memberExpression(t.identifier(namespace), t.identifier(node.name));
        const slot = (parent as unknown as Record<string, t.Node | t.Node[]>)[key];
        if (index >= 0) (slot as t.Node[])[index] = member;
        else (parent as unknown as Record<string, t.Node>)[key] = member;
      }
      continue;
    }
    for (const childKey of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[childKey];
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = 0; i < child.length; i++) if (child[i]) stack.push([child[i]!, node, parent, childKey, i]);
      } else if (typeof child.type === "string") stack.push([child, node, parent, childKey, -1]);
    }
  }
}
