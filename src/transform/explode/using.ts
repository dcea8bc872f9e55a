// `using` and `await using` declarations, written out before the function is analyzed as what they mean:
// each scope that declares resources (a block, the function body, a loop iteration, a `for (using ...;;)`
// loop) holds a `DisposableResources` of the runtime (src/runtime/disposal.js), its statements run in a
// try whose catch records a throw and whose finally disposes of the resources, last first, awaiting what
// an `await using` asks for:
//
//     {                                          {
//       using file = open(name);                   const resources = new DisposableResources();
//       await using lock = acquire();              try {
//       return read(file, lock);         ->          const file = resources.use(open(name));
//     }                                              const lock = resources.useAsync(acquire());
//                                                    return read(file, lock);
//                                                  } catch (error) {
//                                                    resources.fail(error);
//                                                  } finally {
//                                                    while (resources.disposeNext()) {
//                                                      try {
//                                                        await resources.awaiting;
//                                                      } catch (error_2) {
//                                                        resources.fail(error_2);
//                                                      }
//                                                    }
//                                                    resources.complete();
//                                                  }
//                                                }
//
// From there on it is ordinary code: the try machinery (explode/statements.ts, the runtime's tries table)
// runs the finally when a return, break, continue or throw leaves the scope, across awaits and yields, and
// the awaits in the finally are the machine's own, so they take the engine's ticks. A scope with only
// `using` ends in `resources.dispose()`, which never awaits.
import type { NodePath } from "@babel/traverse";
import * as t from "../types.ts";
import { unsupported } from "../errors.ts";
import type { FileContext } from "../file-context.ts";
import { isAnonymousFunction } from "../names.ts";

type UsingKind = "using" | "await using";

function isUsing(node: t.Node | null | undefined): node is t.VariableDeclaration & { kind: UsingKind } {
  return t.isVariableDeclaration(node) && (node.kind === "using" || node.kind === "await using");
}

/** Rewrites every `using` and `await using` of `fn` itself (not of the functions inside it). */
export function lowerUsingDeclarations(fn: NodePath<t.Function>, file: FileContext): void {
  // (most functions have none: the file's walk says whether the source has any at all, and a plain walk of
  // the function's nodes whether it does, without making a path for each)
  if (!file.hasUsing) return;
  let any = false;
  t.traverseFast(fn.node, (node) => void (any ||= isUsing(node)));
  if (!any) return;
  const declarations: NodePath<t.VariableDeclaration>[] = [];
  fn.traverse({
    // (a class's static block is its own scope, run when the class is evaluated: its `using` stays native,
    // as one at the top of the program does)
    "Function|StaticBlock"(inner: NodePath) {
      inner.skip();
    },
    VariableDeclaration(path) {
      if (isUsing(path.node) && path.getFunctionParent() === fn) declarations.push(path);
    },
  });
  if (declarations.length === 0) return;

  // The scopes, each once. Each is rewritten in place, so an inner scope rewritten before or after its outer
  // one is moved, whole, into the outer try.
  const blocks = new Set<NodePath<t.BlockStatement>>();
  const loops: NodePath<t.ForStatement | t.ForOfStatement>[] = [];
  for (const path of declarations) {
    const parent = path.parentPath;
    if (parent.isBlockStatement()) blocks.add(parent);
    else if ((parent.isForOfStatement() && path.key === "left") || (parent.isForStatement() && path.key === "init")) loops.push(parent);
    else unsupported(`\`${path.node.kind}\` here`, path.node);
  }
  // A loop first: `for (using x of xs) { using y = ... }` turns its body into a block of its own.
  for (const loop of loops) {
    if (loop.isForOfStatement()) lowerForOf(loop, file);
    else lowerForStatement(loop as NodePath<t.ForStatement>, file);
  }
  for (const block of blocks) lowerBlock(block.node, file);
  fn.scope.crawl();
}

/** `{ ...statements }` -> `{ const resources = ...; try { ...statements } catch ... finally ... }` */
function lowerBlock(block: t.BlockStatement, file: FileContext): void {
  const resources = file.uniqueName("resources");
  const hasAsync = useDeclarations(block.body, resources);
  block.body = scopeStatements(block.body, resources, hasAsync, file, block);
}

/** `for (using x of xs) body` -> `for (const x of xs) { const resources = ...; try { resources.use(x); body } ... }` */
function lowerForOf(loop: NodePath<t.ForOfStatement>, file: FileContext): void {
  const head = loop.node.left as t.VariableDeclaration;
  const kind = head.kind as UsingKind;
  const resources = file.uniqueName("resources");
  const id = head.declarations[0].id as t.Identifier;
  head.kind = "const";
  const use = t.expressionStatement(addResource(resources, kind, t.identifier(id.name)));
  const body = t.blockStatement(scopeStatements([use, loop.node.body], resources, kind === "await using", file, loop.node.body));
  loop.node.body = body;
}

/**
 * `L: for (using x = a; test; update) body` -> `{ const resources = ...; try { const x = resources.use(a);
 * L: for (; test; update) body } ... }`: the resources live as long as the loop (a `using` binding is
 * constant, so iterations share it).
 */
function lowerForStatement(loop: NodePath<t.ForStatement>, file: FileContext): void {
  let statement: NodePath<t.Statement> = loop;
  while (statement.parentPath?.isLabeledStatement()) statement = statement.parentPath;
  const head = loop.node.init as t.VariableDeclaration;
  loop.node.init = null;
  const resources = file.uniqueName("resources");
  const statements: t.Statement[] = [head, statement.node];
  const hasAsync = useDeclarations(statements, resources);
  const block = t.blockStatement(scopeStatements(statements, resources, hasAsync, file, loop.node));
  block.loc = statement.node.loc;
  statement.replaceWith(block);
}

/**
 * Turns the scope's own `using` declarations into constants added to `resources`; whether one is `await
 * using`. `using x = v` becomes `const x = resources.use(v)`; when `v` awaits or yields,
 * `const x = v; resources.use(x);` (so that the machine need not keep `resources.use` across the suspension),
 * and so when `v` is an anonymous function or class, which the binding names (as an argument it would
 * have no name).
 */
function useDeclarations(statements: t.Statement[], resources: string): boolean {
  let hasAsync = false;
  for (let i = 0; i < statements.length; i++) {
    const statement = statements[i];
    if (!isUsing(statement)) continue;
    const kind: UsingKind = statement.kind;
    if (kind === "await using") hasAsync = true;
    const replacement: t.Statement[] = [];
    for (const declarator of statement.declarations) {
      const value = declarator.init ?? t.identifier("undefined");
      const declaration = t.variableDeclaration("const", [declarator]);
      declaration.loc = declarator.loc;
      if (suspends(value) || isAnonymousFunction(value)) {
        declarator.init = value;
        replacement.push(declaration, t.expressionStatement(addResource(resources, kind, t.identifier((declarator.id as t.Identifier).name))));
      } else {
        declarator.init = addResource(resources, kind, value);
        replacement.push(declaration);
      }
    }
    if (replacement.length === 1) (replacement[0] as t.VariableDeclaration).loc = statement.loc;
    statements.splice(i, 1, ...replacement);
    i += replacement.length - 1;
  }
  return hasAsync;
}

/** Whether an expression holds an await or a yield of its own (not of a function inside it). */
function suspends(node: t.Node): boolean {
  let found = false;
  const visit = (current: t.Node) => {
    if (found) return;
    if (t.isAwaitExpression(current) || t.isYieldExpression(current)) {
      found = true;
      return;
    }
    if (t.isFunction(current)) return;
    for (const key of t.VISITOR_KEYS[current.type] ?? []) {
      const child = (current as unknown as Record<string, t.Node | t.Node[] | null>)[key];
      if (Array.isArray(child)) child.forEach((c) => c && visit(c));
      else if (child) visit(child);
    }
  };
  visit(node);
  return found;
}

function addResource(resources: string, kind: UsingKind, value: t.Expression): t.CallExpression {
  const call = t.callExpression(member(resources, kind === "await using" ? "useAsync" : "use"), [value]);
  call.loc = value.loc;
  return call;
}

function member(object: string, property: string): t.MemberExpression {
  return t.memberExpression(t.identifier(object), t.identifier(property));
}

/** The statements of a scope with resources: its DisposableResources, then the statements in the try. */
function scopeStatements(body: t.Statement[], resources: string, hasAsync: boolean, file: FileContext, at: t.Node): t.Statement[] {
  const create = t.variableDeclaration("const", [
    t.variableDeclarator(t.identifier(resources), t.newExpression(t.identifier(file.runtimeName("DisposableResources")), [])),
  ]);
  const error = file.uniqueName("error");
  const handler = t.catchClause(t.identifier(error), t.blockStatement([t.expressionStatement(t.callExpression(member(resources, "fail"), [t.identifier(error)]))]));
  let finalizer: t.Statement[];
  if (hasAsync) {
    const failed = file.uniqueName("error");
    const awaitOne = t.tryStatement(
      t.blockStatement([t.expressionStatement(t.awaitExpression(member(resources, "awaiting")))]),
      t.catchClause(t.identifier(failed), t.blockStatement([t.expressionStatement(t.callExpression(member(resources, "fail"), [t.identifier(failed)]))])),
    );
    finalizer = [
      t.whileStatement(t.callExpression(member(resources, "disposeNext"), []), t.blockStatement([awaitOne])),
      t.expressionStatement(t.callExpression(member(resources, "complete"), [])),
    ];
  } else {
    finalizer = [t.expressionStatement(t.callExpression(member(resources, "dispose"), []))];
  }
  const attempt = t.tryStatement(t.blockStatement(body), handler, t.blockStatement(finalizer));
  attempt.loc = at.loc;
  create.loc = at.loc;
  return [create, attempt];
}
