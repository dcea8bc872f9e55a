// Where a machine class goes. It must see every name the function sees.
//
// A function that sees nothing of the functions (or blocks, classes) around it but values that cannot change
// (analyze/bindings.ts `hoistable`) gets its class at the top of the program, evaluated once: creating the
// function then costs what creating a closure costs (`items.map(async (x) => ...)` evaluates no class per
// call). The wrapper passes those values in, as it passes `this`, `arguments`, `super` and `new.target`.
//
// Any other function's class is declared in the function's own scope (a TypeScript namespace's block is
// one): before the statement that holds the function expression, or, for a function declaration, at the top
// of its statement list (the declaration is hoisted; its class must exist before any call). A method that
// uses private names (`this.#x`) or its class's own name needs its machine inside the class body: a static
// private field, or, in an anonymous class, a static block that stores the machine class in a `let`
// declared before the statement holding the class. Where no statement shares the function's scope (a loop head, a catch parameter, a default
// parameter value, a function declared in a switch case), the class is written inline, as a class
// expression evaluated at each call.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import { UnsupportedError } from "../errors.ts";
import type { FunctionAnalysis } from "../facts.ts";
import type { FileContext } from "../file-context.ts";
import type { Ancestors } from "../analyze/ancestors.ts";

// (a TypeScript namespace's block is a statement list of its own scope, which preset-typescript makes a function)
const STATEMENT_LISTS = new Set(["Program", "BlockStatement", "SwitchCase", "StaticBlock", "TSModuleBlock"]);

/** Inserts the class and returns the expression that names it at the function's position. */
export function placeMachineClass(
  fn: NodePath<t.Function>,
  decl: t.ClassDeclaration,
  analysis: Pick<FunctionAnalysis, "usesPrivateNames" | "references" | "hoistable">,
  file: FileContext,
  resume: t.ExpressionStatement | null = null,
): t.Expression {
  const { usesPrivateNames, references } = analysis;
  const className = decl.id!.name;
  // A sloppy `resume` (emit/machine-class.ts) is installed right after the class.
  const statements = resume ? [decl, resume] : [decl];
  const inline = () => {
    const expression = t.classExpression(decl.id, decl.superClass, decl.body);
    t.inheritsComments(expression, decl);
    if (!resume) return expression;
    // `(C => (C.prototype.resume = function (sent) {...}, C))(class C ...)`
    const install = (resume.expression as t.AssignmentExpression);
    const param = t.identifier(className);
    return t.callExpression(t.arrowFunctionExpression([param], t.sequenceExpression([install, t.identifier(className)])), [expression]);
  };
  // Where the class would go in the function's scope, unless it can live at the top of the program.
  const topLevel = analysis.hoistable;
  const hoisted = () => {
    for (const statement of statements) file.insertions.atTop(file.program, "body", statement);
    file.madeAtTop.add(className);
    return t.identifier(className);
  };
  if (fn.isFunctionDeclaration()) {
    const statement = fn.parentPath.isExportDeclaration() ? fn.parentPath : fn;
    // Hoisted to the whole switch, but only the matching case runs: nothing in it runs first.
    if (statement.parentPath?.isSwitchCase()) return topLevel ? hoisted() : inline();
    if (statement.parentPath && STATEMENT_LISTS.has(statement.parentPath.node.type) && statement.listKey) {
      if (topLevel && !statement.parentPath.isProgram()) return hoisted();
      for (const node of statements) file.insertions.atTop(statement.parentPath, statement.listKey, node);
      return t.identifier(className);
    }
  }

  let child: NodePath = fn;
  // (the child of `child` the walk came from)
  let from: NodePath | null = null;
  for (;;) {
    // (no step through an expression is a place for the class)
    const out = file.ancestors.outOfExpression(child);
    if (out !== child) from = null;
    child = out;
    const parent = child.parentPath;
    if (!parent) throw new UnsupportedError("an async function outside of any statement", fn.node);
    if (child.isStatement() && child.listKey && STATEMENT_LISTS.has(parent.node.type)) {
      if (topLevel && !parent.isProgram()) return hoisted();
      for (const statement of statements) file.insertions.before(child, statement);
      return t.identifier(className);
    }
    if (topLevel && (parent.isFunction() || parent.isCatchClause() || isLoopHead(parent, child) || (child.isStatement() && (parent.isLoop() || parent.isIfStatement())))) {
      return hoisted();
    }
    if (parent.isArrowFunctionExpression() && child.key === "body" && !child.isBlockStatement()) {
      const body = parent.node.body;
      if (t.isBlockStatement(body)) {
        // Already given a block by an earlier machine placed here: add this one before the `return`.
        body.body.splice(body.body.length - 1, 0, ...statements);
      } else {
        parent.node.body = t.blockStatement([...statements, t.returnStatement(child.node as t.Expression)]);
      }
      return t.identifier(className);
    }
    if (child.isStatement() && !parent.isLabeledStatement() && (parent.isLoop() || parent.isIfStatement() || parent.isWithStatement())) {
      const slot = parent.node as unknown as Record<string, t.Node>;
      const current = slot[child.key as string];
      if (t.isBlockStatement(current) && current !== child.node) {
        // Wrapped in a block by an earlier machine placed here: add this one to that block.
        current.body.splice(current.body.indexOf(child.node as t.Statement), 0, ...statements);
      } else {
        slot[child.key as string] = t.blockStatement([...statements, child.node as t.Statement]);
      }
      return t.identifier(className);
    }
    if ((parent.isFunction() && child.listKey === "params") || parent.isCatchClause() || isLoopHead(parent, child)) {
      return inline();
    }
    const ownName = parent.isClassBody() ? (parent.parentPath as NodePath<t.Class>).node.id?.name : undefined;
    // (a member's computed key is evaluated before the class exists: not a place its body can serve)
    const inKey = from?.key === "key" && (child.node as { computed?: boolean }).computed === true;
    if (parent.isClassBody() && !inKey && (usesPrivateNames || (ownName !== undefined && references.has(ownName)))) {
      const cls = parent.parentPath as NodePath<t.Class>;
      if (!cls.node.id) {
        // No name to reach a private field by: `let Machine;` before the statement, assigned by a static
        // block that runs first among the class's static elements, before any method can be called.
        const holder = t.variableDeclaration("let", [t.variableDeclarator(t.identifier(className))]);
        file.holders.add(holder);
        if (!insertBeforeOwnStatement(cls, holder, file)) {
          throw new UnsupportedError("a method using private names in an anonymous class that no statement of its own evaluates (in a loop's test or update, an instance field's initializer, a parameter's default value) is not supported", fn.node);
        }
        const block = t.staticBlock([t.expressionStatement(t.assignmentExpression("=", t.identifier(className), inline()))]);
        file.insertions.classFront(parent, fn.node).push(block);
        return t.identifier(className);
      }
      const field = t.classPrivateProperty(t.privateName(t.identifier(className)), t.classExpression(decl.id, decl.superClass, decl.body), null, true);
      t.inheritsComments(field, decl);
      file.insertions.classFront(parent, fn.node).push(field);
      return t.memberExpression(t.identifier(cls.node.id.name), t.privateName(t.identifier(className)));
    }
    from = child;
    child = parent;
  }
}

/**
 * Inserts a statement before the one that evaluates this expression, if the expression runs exactly once
 * each time that statement does (not in a loop's test or update, not in an instance field's initializer);
 * a loop's or an if's body that is a single statement is made a block for it.
 * The statement is then a place for what belongs to one evaluation of the expression (a `let`).
 */
export function insertBeforeOwnStatement(expression: NodePath, statement: t.Statement, file: FileContext): boolean {
  let child: NodePath = expression;
  for (;;) {
    const parent = child.parentPath;
    if (!parent) return false;
    if (child.isStatement() && child.listKey && STATEMENT_LISTS.has(parent.node.type)) {
      file.insertions.before(child, statement);
      return true;
    }
    if (parent.isArrowFunctionExpression() && child.key === "body" && !child.isBlockStatement()) {
      // An expression body becomes `{ return <body>; }` with the body's path moved into the `return` (so
      // what is later done through it, as wrapping an object literal in its link, lands there), and the
      // `return` is the statement to insert before.
      const arrow: NodePath<t.ArrowFunctionExpression> = parent;
      arrow.ensureBlock();
      // The walk goes on from the `return`'s argument as the block's paths give it: the path walked up from
      // may be one ensureBlock did not move (an earlier insertion here had made the block), whose parent is
      // still the arrow.
      const body = arrow.get("body") as NodePath<t.BlockStatement>;
      const index = body.node.body.findIndex((statement) => statement.type === "ReturnStatement" && statement.argument === child.node);
      if (index < 0) return false;
      child = body.get(`body.${index}.argument`) as NodePath;
      continue;
    }
    if (parent.isFunction() || parent.isCatchClause()) return false;
    if (parent.isLoop() && child.key !== "body" && !(parent.isForStatement() && child.key === "init") && !(parent.isForXStatement() && child.key === "right")) return false;
    if ((parent.isClassProperty() || parent.isClassPrivateProperty() || parent.isClassAccessorProperty()) && !parent.node.static && child.key === "value") return false;
    if (child.isStatement() && !parent.isLabeledStatement() && (parent.isLoop() || parent.isIfStatement() || parent.isWithStatement())) {
      // A statement that is a loop's body or an if's branch on its own gets a block (a `let` per iteration).
      const slot = parent.node as unknown as Record<string, t.Node>;
      const current = slot[child.key as string];
      // (wrapped in a block by an earlier insertion here: add to that block)
      if (t.isBlockStatement(current) && current !== child.node) current.body.splice(current.body.indexOf(child.node as t.Statement), 0, statement);
      else slot[child.key as string] = t.blockStatement([statement, child.node as t.Statement]);
      return true;
    }
    child = parent;
  }
}

/** The head of a loop (`for (let i = ...; ...; ...)`, `for (x of ...)`) has a scope no statement shares. */
function isLoopHead(parent: NodePath, child: NodePath): boolean {
  if (parent.isForStatement()) return child.key === "init" || child.key === "test" || child.key === "update";
  if (parent.isForInStatement() || parent.isForOfStatement()) return child.key === "left" || child.key === "right";
  return false;
}

/**
 * Whether this node runs at most once in the program's life: at the program's level (or in a static block),
 * not inside a function, a loop's body, test or update, or an instance field's initializer.
 */
export function evaluatedOnce(path: NodePath, ancestors: Ancestors): boolean {
  // (a step through an expression changes nothing)
  for (let child = ancestors.outOfExpression(path), parent = child.parentPath; parent; child = ancestors.outOfExpression(parent), parent = child.parentPath) {
    if (parent.isFunction()) return false;
    if (parent.isLoop() && !(parent.isForStatement() && child.key === "init") && !(parent.isForXStatement() && child.key === "right")) return false;
    if ((parent.isClassProperty() || parent.isClassPrivateProperty() || parent.isClassAccessorProperty()) && !parent.node.static && child.key === "value") return false;
  }
  return true;
}
