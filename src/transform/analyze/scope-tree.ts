// The scopes of a file and their bindings, read off the nodes in one walk: the facts Babel's crawl
// (@babel/traverse's `Scope#crawl`, run when @babel/core makes its `File`) gives the lowering, without a
// path per node. Where the crawl records a path, this records its node.
//
// It is a port of the crawl's rules, checked against it (test/scope-tree.test.ts: every scope, binding,
// kind, declaration, reference, constant violation and global of every fixture and of real code from
// node_modules must be the crawl's), so that the lowering can read its bindings here instead of on Babel's scopes: the
// crawl costs about 4 µs per node, most of the transform's time that is not parsing, lowering or printing
// (docs/architecture.md, "What the transform's targets need"). JavaScript only: TypeScript's declarations
// and types are the crawl's business (a type annotation is skipped here as there).
//
// The rules, as the crawl applies them (its `collectorVisitor`, `registerDeclaration`, `registerBinding`):
// - a scope is made by every Scopable node but a function's or catch clause's body block, and by a
//   function's or catch clause's pattern parameter; a node's scope is its parent's (its grandparent's for a
//   method's key or decorators and a switch's discriminant), a scope's parent the nearest scope above it;
// - `var` (and a `var` head of a for loop) binds in the nearest function (a static block counts) or the
//   program; `let`, `const`, `using`, classes and function declarations in the nearest block parent
//   around the declaration (a function declaration's or class's own scope not counted); imports in the
//   program; parameters and a function expression's or class expression's own name in its own scope; a
//   catch clause's parameter in the clause; a class's scope shares the binding of its declared name;
// - a name declared again in the same scope is a constant violation of the first binding (the
//   declaration's node); a `var` or function declaration evaluated in a loop is one of its own;
// - references and constant violations are resolved once the walk is done, from the scope they are in:
//   assignments first (a name they assign that nothing binds is a global), then references, then updates,
//   `delete`s and for-in/of heads; an exported declaration references its names during the walk (the crawl
//   on its way out of the export, the walk as it enters the declaration: they find the same bindings).
//
// The same walk reads what FileContext needs of the whole file (`FileFacts`: every name, the lowerable nodes,
// the assignments of globals, the direct `eval`s, which functions read their own `arguments`, the quotes of
// the `yield*`s, the calls `for await` iterates) and marks the scopes inside the functions the transform
// lowers: in transform()'s own pass Babel's crawl sees none of the file (narrow-crawl.ts `hideAllButLowered`),
// the lowered functions get their scopes from this tree (tree-scopes.ts), and the lookups outside them read
// it (outer-bindings.ts).
import * as t from "../types.ts";
import { yieldStarQuote, type YieldStarQuote } from "./yield-star-quotes.ts";

export type BindingKind = "var" | "let" | "const" | "hoisted" | "param" | "local" | "module" | "unknown";

/** One binding: a name as one scope declares it. */
export interface BindingFacts {
  name: string;
  kind: BindingKind;
  /** The identifier that declares it (the first one, where several do). */
  identifier: t.Identifier;
  /** The node Babel's binding has as its path: the declarator, function, class, parameter, specifier, catch clause. */
  declaration: t.Node;
  scope: ScopeFacts;
  /** No constant violation. */
  constant: boolean;
  /**
   * What refers to it, in the crawl's order: the export declarations that export it (referenced on the
   * walk's way), then the identifiers (and JSX names) that read it, in the order of the walk.
   */
  references: t.Node[];
  /** The parent of each of `references`, in the same order (an export declaration's: the node around it). */
  referenceParents: t.Node[];
  /** Assignments, updates, `delete`s, for-in/of statements, declarations again: what may change it. */
  violations: t.Node[];
  /** A function declaration's (kind "hoisted"): the node around it and the node around that (none above the program). */
  declarationParent?: t.Node;
  declarationGrandparent?: t.Node;
}

/** One scope: the node that makes it, the scope around it and its own bindings. */
export interface ScopeFacts {
  node: t.Node;
  parent: ScopeFacts | null;
  bindings: Map<string, BindingFacts>;
  /** The node is an async function or generator (one the transform lowers) or inside one. */
  lowered: boolean;
}

export interface ScopeTree {
  program: ScopeFacts;
  /** The scope each scope-making node makes. */
  scopeOf: Map<t.Node, ScopeFacts>;
  /** Names read or assigned that no scope binds, each with the last identifier seen (the crawl's `globals`). */
  globals: Map<string, t.Node>;
  /** What the walk also reads off the way, for FileContext (file-context.ts) and the hiding (narrow-crawl.ts). */
  file: FileFacts;
}

/** Facts of the whole file besides its scopes, read by the same walk. */
export interface FileFacts {
  /** Every identifier's name (property names too). */
  names: Set<string>;
  /** The async functions and generators, and every node around one. */
  lowerable: Set<t.Node>;
  hasWith: boolean;
  /** A `using` or `await using` declaration. */
  hasUsing: boolean;
  /** Names an assignment or update changes that no scope binds where it is. */
  assignedGlobals: Set<string>;
  /** Each function around a direct `eval` (one no binding named `eval` hides), with the first such call in it. */
  evalCalls: Map<t.Node, t.CallExpression>;
  /** The functions (but arrows) whose own `arguments` is read: a reference to it that no binding takes. */
  readsArguments: Set<t.Node>;
  /** How V8 words a non-iterable at each `yield*` (analyze/yield-star-quotes.ts; none where it finds no text). */
  yieldStarQuotes: Map<t.Node, YieldStarQuote>;
  /** The operands of `for await` that call a name, each with the loop's scope. */
  forAwaitCalls: [t.CallExpression, ScopeFacts][];
}

/**
 * Assignments, references or other constant violations found on the way, each with the scope it is in (and,
 * for references, its parent): resolved once the walk is done. Lists side by side rather than an object for
 * each: there is one for most identifiers of a file.
 */
class Found {
  readonly nodes: t.Node[] = [];
  readonly scopes: ScopeFacts[] = [];
  readonly parents: t.Node[] = [];

  add(node: t.Node, scope: ScopeFacts, parent?: t.Node): void {
    this.nodes.push(node);
    this.scopes.push(scope);
    if (parent !== undefined) this.parents.push(parent);
  }
}

/** Reads the scopes of a program and their bindings (see the header for the rules). */
export function buildScopeTree(program: t.Program): ScopeTree {
  return new Walk(program).tree;
}

class Walk {
  readonly tree: ScopeTree;
  // The nodes from the program down to the one being visited (index: depth), each with its key in its parent
  // (a list's name for its items: what the walk asks of keys is never an index), what its type is and its
  // scope (path.scope: its own where its scope's node is it).
  private readonly nodes: t.Node[] = [];
  private readonly keys: string[] = [];
  private readonly types: TypeFacts[] = [];
  private readonly scopes: ScopeFacts[] = [];
  /**
   * How many of those entries are the path of the node being entered (the arrays are not shrunk: entries past
   * it are stale; an identifier the walk does off the path does not set it).
   */
  private depth = 0;
  private readonly assignments = new Found();
  private readonly references = new Found();
  private readonly violations = new Found();
  /** Calls of `eval` by that name, each with the functions around it, innermost first. */
  private readonly evalCalls: { call: t.CallExpression; scope: ScopeFacts; functions: t.Node[] }[] = [];

  constructor(program: t.Program) {
    const scope: ScopeFacts = { node: program, parent: null, bindings: new Map(), lowered: false };
    const file: FileFacts = {
      names: new Set(), lowerable: new Set(), hasWith: false, hasUsing: false, assignedGlobals: new Set(), evalCalls: new Map(), readsArguments: new Set(),
      yieldStarQuotes: new Map(), forAwaitCalls: [],
    };
    this.tree = { program: scope, scopeOf: new Map([[program, scope]]), globals: new Map(), file };
    this.walk(program, scope);
    for (let i = 0; i < this.assignments.nodes.length; i++) {
      const node = this.assignments.nodes[i];
      const scope = this.assignments.scopes[i];
      for (const id of assignedIdentifiers(node)) {
        const binding = getBinding(scope, id.name);
        if (binding) reassign(binding, node);
        else {
          this.tree.globals.set(id.name, id);
          file.assignedGlobals.add(id.name);
        }
      }
    }
    const { nodes, scopes, parents } = this.references;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      const scope = scopes[i];
      const name = (node as t.Identifier | t.JSXIdentifier).name;
      const binding = getBinding(scope, name);
      if (binding) reference(binding, node, parents[i]);
      else {
        this.tree.globals.set(name, node);
        // (a reference's name is the name of its binding, in since the binding was made, or of a global)
        if (node.type === "Identifier") file.names.add(name);
        if (name === "arguments") {
          const fn = argumentsOwner(scope);
          if (fn) file.readsArguments.add(fn);
        }
      }
    }
    for (let i = 0; i < this.violations.nodes.length; i++) {
      const node = this.violations.nodes[i];
      const changed = registerViolation(this.violations.scopes[i], node);
      if (node.type === "UpdateExpression" && node.argument.type === "Identifier" && !changed) file.assignedGlobals.add(node.argument.name);
    }
    for (const { call, scope, functions } of this.evalCalls) {
      if (getBinding(scope, "eval")) continue;
      for (const fn of functions) if (!file.evalCalls.has(fn)) file.evalCalls.set(fn, call);
    }
  }

  /**
   * Every node below the program once, in the crawl's order (Babel's visitor keys), with a stack of its own
   * rather than the call stack: code nested as deep as Node runs must not overflow it.
   */
  private walk(program: t.Program, programScope: ScopeFacts): void {
    const { nodes, keys, types, scopes } = this;
    // Nodes still to visit, each with its key in its parent and its depth (the path is cut back to it).
    const pending: t.Node[] = [];
    const pendingKeys: string[] = [];
    const pendingDepths: number[] = [];
    const push = (node: t.Node, visitorKeys: readonly string[], depth: number) => {
      // (last child first: the stack gives them back in order)
      for (let k = visitorKeys.length - 1; k >= 0; k--) {
        const key = visitorKeys[k];
        const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
        if (!child) continue;
        if (Array.isArray(child)) {
          for (let i = child.length - 1; i >= 0; i--) {
            const item = child[i];
            if (item) pending.push(item), pendingKeys.push(key), pendingDepths.push(depth);
          }
        } else if (typeof child.type === "string") {
          pending.push(child), pendingKeys.push(key), pendingDepths.push(depth);
        }
      }
    };
    nodes[0] = program, keys[0] = "", types[0] = typeFacts("Program"), scopes[0] = programScope;
    push(program, types[0].visitorKeys, 1);
    while (pending.length > 0) {
      const node = pending.pop()!;
      const key = pendingKeys.pop()!;
      const depth = pendingDepths.pop()!;
      const type = node.type;
      // (a type annotation's names are types: the crawl skips them)
      if (type === "TSTypeAnnotation") continue;
      const parent = nodes[depth - 1];
      const parentFacts = types[depth - 1];
      // (a method's key and decorators are outside its scope: their scope and scope's parent are the method's parent's)
      const outsideMethod = (key === "key" || key === "decorators") && parentFacts.method;
      // (an identifier without a type or decorators, two nodes in five, makes no scope and has no children: done
      // now, off the path)
      if (type === "Identifier" && (node as t.Identifier).typeAnnotation == null && (node as t.Identifier).decorators == null) {
        this.identifier(node as t.Identifier, parent, nodes[depth - 2], this.inheritedScope(depth, parent, key, outsideMethod));
        continue;
      }
      const facts = typeFacts(type);
      // (what a placeholder makes depends on the node it stands for)
      const own = type === "Placeholder" ? t.isScope(node, parent) : parentFacts.hasParams ? facts.scopeAsParam : facts.scope;
      let scope: ScopeFacts;
      if (own) {
        // (the nearest scope above it, past the method for a method's key or decorators)
        const parentScope = this.nearestScope(outsideMethod ? depth - 2 : depth - 1);
        scope = { node, parent: parentScope, bindings: new Map(), lowered: parentScope.lowered || isLowered(node) };
        this.tree.scopeOf.set(node, scope);
      } else {
        scope = this.inheritedScope(depth, parent, key, outsideMethod);
      }
      nodes[depth] = node, keys[depth] = key, types[depth] = facts, scopes[depth] = scope;
      this.depth = depth + 1;
      if (facts.entered) this.enter(node, parent, scope, own);
      // An exported declaration references the names it declares. The crawl does so on its way out of the
      // export, but what the declaration binds is bound as it is entered, and nothing inside it binds a name in
      // the export's scope: its names find the same bindings now.
      if (key === "declaration" && (parent.type === "ExportNamedDeclaration" || parent.type === "ExportDefaultDeclaration")) {
        this.exportReferences(parent, nodes[depth - 2], scopes[depth - 1]);
      }
      push(node, facts.visitorKeys, depth + 1);
    }
  }

  /** path.scope of a node that makes none: its parent's, or its grandparent's outside a method and for a switch's discriminant. */
  private inheritedScope(depth: number, parent: t.Node, key: string, outsideMethod: boolean): ScopeFacts {
    const grand = outsideMethod || (key === "discriminant" && parent.type === "SwitchStatement");
    return this.scopes[grand && depth >= 2 ? depth - 2 : depth - 1];
  }

  /** The scope of the nearest node at or above depth `index` that makes one. */
  private nearestScope(index: number): ScopeFacts {
    for (let i = index; i > 0; i--) if (this.scopes[i].node === this.nodes[i]) return this.scopes[i];
    return this.scopes[0];
  }

  /** The crawl's visitor, on the way in. */
  private enter(node: t.Node, parent: t.Node, scope: ScopeFacts, own: boolean): void {
    switch (node.type) {
      case "ForStatement":
        if (node.init && isVar(node.init)) this.registerBinding(functionParent(scope), "var", node.init);
        return;
      case "ForInStatement":
      case "ForOfStatement":
        if (node.type === "ForOfStatement" && node.await && node.right.type === "CallExpression" && node.right.callee.type === "Identifier") {
          this.tree.file.forAwaitCalls.push([node.right, scope]);
        }
        if (t.isPattern(node.left) || node.left.type === "Identifier") this.violations.add(node, scope);
        else if (isVar(node.left)) this.registerBinding(functionParent(scope), "var", node.left);
        return;
      case "VariableDeclaration":
        if (node.kind === "using" || node.kind === "await using") this.tree.file.hasUsing = true;
        if (isVar(node)) this.registerDeclaration(functionParent(scope), node);
        else this.registerDeclaration(blockParent(scope), node);
        return;
      case "FunctionDeclaration":
      case "ClassDeclaration":
        // (its own scope does not count)
        this.registerDeclaration(blockParent(own ? scope.parent! : scope), node);
        if (node.type === "ClassDeclaration" && node.id) {
          const binding = getBinding(scope.parent!, node.id.name);
          if (binding) scope.bindings.set(node.id.name, binding);
        }
        break;
      case "ImportDeclaration":
        this.registerDeclaration(blockParent(scope), node);
        return;
      case "Identifier":
        // (one with a type or decorators: the walk does the others without the path)
        this.identifier(node, parent, this.nodes[this.depth - 3], scope);
        return;
      case "JSXIdentifier":
        if ((parent.type === "JSXMemberExpression" || !/^[a-z]/.test(node.name)) && t.isReferenced(node, parent, this.nodes[this.depth - 3])) {
          this.references.add(node, scope, parent);
        }
        return;
      case "CallExpression":
        if (node.callee.type === "Identifier" && node.callee.name === "eval") {
          const functions: t.Node[] = [];
          for (let i = this.depth - 2; i >= 0; i--) if (t.isFunction(this.nodes[i])) functions.push(this.nodes[i]);
          this.evalCalls.push({ call: node, scope, functions });
        }
        return;
      case "WithStatement":
        this.tree.file.hasWith = true;
        return;
      case "YieldExpression": {
        if (!node.delegate) return;
        // (the quote reads the nodes from the yield*'s function down to it)
        let fn = this.depth - 2;
        while (fn > 0 && !t.isFunction(this.nodes[fn])) fn--;
        const quote = yieldStarQuote(this.nodes.slice(fn, this.depth), (this.nodes[fn] as t.Function).async ?? false);
        if (quote !== undefined) this.tree.file.yieldStarQuotes.set(node, quote);
        return;
      }
      case "AssignmentExpression":
        this.assignments.add(node, scope);
        return;
      case "UpdateExpression":
        this.violations.add(node, scope);
        return;
      case "UnaryExpression":
        if (node.operator === "delete") this.violations.add(node, scope);
        return;
      case "CatchClause":
        this.registerBinding(scope, "let", node);
        return;
      case "ClassExpression":
        if (node.id && !notLocal(node.id)) this.registerBinding(scope, "local", node.id, node);
        return;
    }
    if (t.isFunction(node)) {
      if (isLowered(node)) {
        const { lowerable } = this.tree.file;
        for (let i = this.depth - 1; i >= 0 && !lowerable.has(this.nodes[i]); i--) lowerable.add(this.nodes[i]);
      }
      for (const param of node.params) this.registerBinding(scope, "param", param);
      if (node.type === "FunctionExpression" && node.id && !notLocal(node.id)) this.registerBinding(scope, "local", node.id, node);
    }
  }

  /** An identifier: a reference, or a name that is none. */
  private identifier(node: t.Identifier, parent: t.Node, grandparent: t.Node, scope: ScopeFacts): void {
    // (a reference's name goes in once it is resolved: a binding's or a global's, fewer than its references)
    if (t.isReferenced(node, parent, grandparent)) this.references.add(node, scope, parent);
    else this.tree.file.names.add(node.name);
  }

  /** `registerDeclaration`: what a declaration binds, in `scope`. */
  private registerDeclaration(scope: ScopeFacts, node: t.Node): void {
    if (node.type === "FunctionDeclaration") {
      if (node.id) this.registerBinding(scope, "hoisted", node.id, node);
    } else if (node.type === "VariableDeclaration") {
      const kind = node.kind === "using" || node.kind === "await using" ? "const" : node.kind;
      for (const declarator of node.declarations) this.registerBinding(scope, kind, declarator);
    } else if (node.type === "ClassDeclaration") {
      if (!node.declare) this.registerBinding(scope, "let", node);
    } else if (node.type === "ImportDeclaration") {
      const types = node.importKind === "type" || node.importKind === "typeof";
      for (const specifier of node.specifiers) {
        const type = types || (specifier.type === "ImportSpecifier" && (specifier.importKind === "type" || specifier.importKind === "typeof"));
        this.registerBinding(scope, type ? "unknown" : "module", specifier);
      }
    }
  }

  /** `registerBinding`: the names `node` binds, each a binding of `scope` whose declaration is `declaration`. */
  private registerBinding(scope: ScopeFacts, kind: BindingKind, node: t.Node, declaration: t.Node = node): void {
    if (node.type === "VariableDeclaration") {
      for (const declarator of node.declarations) this.registerBinding(scope, kind, declarator);
      return;
    }
    // (the one identifier of the common shapes without getOuterBindingIdentifiers' object of lists)
    const single = node.type === "Identifier" ? node : node.type === "VariableDeclarator" && node.id.type === "Identifier" ? node.id : node.type === "CatchClause" && node.param?.type === "Identifier" ? node.param : null;
    if (single !== null) return this.bindIdentifier(scope, kind, single, declaration);
    const ids = t.getOuterBindingIdentifiers(node, true) as Record<string, t.Identifier[]>;
    for (const name in ids) for (const id of ids[name]) this.bindIdentifier(scope, kind, id, declaration);
  }

  /** One identifier of `registerBinding`: a new binding of `scope`, or the same name's declared again. */
  private bindIdentifier(scope: ScopeFacts, kind: BindingKind, id: t.Identifier, declaration: t.Node): void {
    const name = id.name;
    const local = scope.bindings.get(name);
    if (local) {
      if (local.identifier !== id) reassign(local, declaration);
      return;
    }
    // (a function declaration is registered as it is visited: the path's last node)
    const visited = kind === "hoisted" && this.nodes[this.depth - 1] === declaration;
    const binding: BindingFacts = {
      name,
      kind,
      identifier: id,
      declaration,
      scope,
      constant: true,
      // (most bindings have few references, many have none: the lists are made by the first)
      references: NONE,
      referenceParents: NONE,
      violations: NONE,
      declarationParent: visited ? this.nodes[this.depth - 2] : undefined,
      declarationGrandparent: visited && this.depth >= 3 ? this.nodes[this.depth - 3] : undefined,
    };
    if ((kind === "var" || kind === "hoisted") && this.initInLoop(declaration)) reassign(binding, declaration);
    if (kind === "module" && declaration.type !== "ImportNamespaceSpecifier" && (this.nodes[this.depth - 1] as t.ImportDeclaration).phase !== "source") {
      binding.constant = false;
    }
    scope.bindings.set(name, binding);
    this.tree.file.names.add(name);
  }

  /**
   * Babel's `isInitInLoop`: a `var` with an initializer or a function declaration that a loop's body (or
   * a for-in/of head) evaluates again, inside the same function.
   */
  private initInLoop(declaration: t.Node): boolean {
    const { nodes, keys } = this;
    // The declaration is the node being visited, or a declarator of it, or of the head of the loop being
    // visited (a for statement's `var` init or a for-in/of's `var` left).
    let index = this.depth - 1;
    let key: string;
    const top = nodes[index];
    if (top === declaration) {
      key = keys[index];
      index--;
    } else if (top.type === "VariableDeclaration") {
      key = "declarations";
    } else {
      // (the declarator's declaration is no function, loop or for-in/of: its key in the loop is what counts)
      key = top.type === "ForStatement" ? "init" : "left";
    }
    const evaluated = declaration.type !== "VariableDeclarator" || declaration.init != null;
    for (; index >= 0; index--) {
      const parent = nodes[index];
      if (t.isFunctionParent(parent)) return false;
      if ((key === "left" && t.isForXStatement(parent)) || (evaluated && key === "body" && t.isLoop(parent))) return true;
      key = keys[index];
    }
    return false;
  }

  /** An exported declaration references the names it declares (see the walk for when). */
  private exportReferences(node: t.ExportDefaultDeclaration | t.ExportNamedDeclaration, parent: t.Node, scope: ScopeFacts): void {
    const declaration = node.declaration;
    if (!declaration) return;
    if (declaration.type === "ClassDeclaration" || declaration.type === "FunctionDeclaration") {
      const binding = declaration.id ? getBinding(scope, declaration.id.name) : undefined;
      if (binding) reference(binding, node, parent);
    } else if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations) {
        for (const name in t.getBindingIdentifiers(declarator)) {
          const binding = getBinding(scope, name);
          if (binding) reference(binding, node, parent);
        }
      }
    }
  }
}

/** What the walk asks of every node of a type: read off @babel/types once per type, not per node. */
interface TypeFacts {
  /** Babel's visitor keys: the children, in the crawl's order. */
  visitorKeys: readonly string[];
  /** `t.isScope` of a node of the type, and of one whose parent has parameters (a function's body makes no scope, its pattern parameter does). */
  scope: boolean;
  scopeAsParam: boolean;
  /** A function or catch clause. */
  hasParams: boolean;
  method: boolean;
  /** The crawl's visitor does something on entering it: the walk calls `enter` for these only (most nodes are none). */
  entered: boolean;
}

/** The types `enter` has a case for (besides functions, which it handles after the switch): keep with its cases. */
const ENTERED = new Set(["Identifier", "ForStatement", "ForInStatement", "ForOfStatement", "VariableDeclaration", "FunctionDeclaration", "ClassDeclaration", "ImportDeclaration", "JSXIdentifier", "CallExpression", "WithStatement", "YieldExpression", "AssignmentExpression", "UpdateExpression", "UnaryExpression", "CatchClause", "ClassExpression"]);

const TYPE_FACTS = new Map<string, TypeFacts>();

function typeFacts(type: string): TypeFacts {
  let facts = TYPE_FACTS.get(type);
  if (facts === undefined) {
    const node = { type } as t.Node;
    facts = {
      visitorKeys: t.VISITOR_KEYS[type] ?? [],
      scope: t.isScope(node, { type: "Program" } as t.Node),
      scopeAsParam: t.isScope(node, { type: "CatchClause" } as t.Node),
      hasParams: t.isFunction(node) || type === "CatchClause",
      method: t.isMethod(node),
      entered: ENTERED.has(type) || t.isFunction(node),
    };
    TYPE_FACTS.set(type, facts);
  }
  return facts;
}

/** Babel's mark on a function's or class's own name that its body must not see as a local binding. */
const NOT_LOCAL_BINDING = Symbol.for("should not be considered a local binding");

function notLocal(id: t.Identifier): boolean {
  return (id as unknown as Record<symbol, unknown>)[NOT_LOCAL_BINDING] === true;
}

function isVar(node: t.Node): boolean {
  return node.type === "VariableDeclaration" && node.kind === "var";
}

function functionParent(scope: ScopeFacts): ScopeFacts {
  for (let s: ScopeFacts | null = scope; s; s = s.parent) if (t.isFunctionParent(s.node)) return s;
  return programOf(scope);
}

function blockParent(scope: ScopeFacts): ScopeFacts {
  for (let s: ScopeFacts | null = scope; s; s = s.parent) if (t.isBlockParent(s.node)) return s;
  return programOf(scope);
}

function programOf(scope: ScopeFacts): ScopeFacts {
  let s = scope;
  while (s.parent) s = s.parent;
  return s;
}

/**
 * The binding a name has in `scope` (Babel's `getBinding`): its own or the nearest around it, but a
 * pattern parameter's default sees only parameters (and the function's own name) of its function, and
 * `arguments` no further than the nearest function but an arrow.
 */
export function getBinding(scope: ScopeFacts, name: string): BindingFacts | undefined {
  let previous: t.Node | null = null;
  for (let s: ScopeFacts | null = scope; s; s = s.parent) {
    const binding = s.bindings.get(name);
    if (binding) {
      if (!(previous && t.isPattern(previous) && binding.kind !== "param" && binding.kind !== "local")) return binding;
    } else if (name === "arguments" && t.isFunction(s.node) && s.node.type !== "ArrowFunctionExpression") {
      return undefined;
    }
    previous = s.node;
  }
  return undefined;
}

/** The lists of a binding without references or violations (shared: each binding makes its own with its first). */
const NONE: t.Node[] = [];

function reassign(binding: BindingFacts, node: t.Node): void {
  binding.constant = false;
  if (binding.violations === NONE) binding.violations = [node];
  else if (!binding.violations.includes(node)) binding.violations.push(node);
}

function reference(binding: BindingFacts, node: t.Node, parent: t.Node): void {
  // (Babel's crawl checks for the path already there, which only its crawling again could add: the walk
  // comes to every node once)
  if (binding.references === NONE) {
    binding.references = [node];
    binding.referenceParents = [parent];
  } else {
    binding.references.push(node);
    binding.referenceParents.push(parent);
  }
}

/** Registers what `node` may change on the bindings of the names it assigns; whether it has any. */
function registerViolation(scope: ScopeFacts, node: t.Node): boolean {
  let any = false;
  for (const id of assignedIdentifiers(node)) {
    const binding = getBinding(scope, id.name);
    if (binding) reassign(binding, node), (any = true);
  }
  return any;
}

const NO_IDENTIFIERS: t.Identifier[] = [];

/**
 * The identifiers an assignment, update, `delete` or for-in/of head assigns: `t.getAssignmentIdentifiers`,
 * without its object of names for a target that is a name or a member (most are).
 */
function assignedIdentifiers(node: t.Node): t.Identifier[] {
  const target =
    node.type === "AssignmentExpression" || node.type === "ForInStatement" || node.type === "ForOfStatement"
      ? node.left
      : node.type === "UpdateExpression" || (node.type === "UnaryExpression" && node.operator === "delete")
        ? node.argument
        : null;
  if (target?.type === "Identifier") return [target];
  if (target?.type === "MemberExpression") return NO_IDENTIFIERS;
  // (in the order of the object's names, each with the last identifier that assigns it)
  return Object.values(t.getAssignmentIdentifiers(node));
}

/** An async function or generator: a function the transform lowers. */
export function isLowered(node: t.Node): boolean {
  return t.isFunction(node) && (node.async === true || node.generator === true);
}

/** The function (not an arrow) whose own `arguments` a reference in `scope` reads, if any. */
function argumentsOwner(scope: ScopeFacts): t.Node | null {
  for (let s: ScopeFacts | null = scope; s; s = s.parent) if (t.isFunction(s.node) && s.node.type !== "ArrowFunctionExpression") return s.node;
  return null;
}
