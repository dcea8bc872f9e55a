// How V8 words the TypeError of a `yield*` whose operand is not iterable, which depends on the source around
// the yield*: V8 renders the message with its CallPrinter (src/ast/prettyprinter.cc), which walks the failing
// function's syntax tree to the node at the error's position and prints from there on. For most operand shapes
// (`o.items`, `f()`, `a ?? b`, ...) that node is the yield* itself: the printer prints `yield* `, the operand as
// one `(intermediate value)`, and then keeps printing everything its walk meets afterwards, up to the end of
// the function (a later statement is one more `(intermediate value)`, a later operand of an operator its text):
// `yield* (intermediate value)(intermediate value) is not iterable` for a yield* in a try statement with a catch
// clause. For an optional call (`o?.m()`) the node is the call, printed as its callee; for the other shapes (a
// name, a literal, `c ? a : b`, `a || b`, `o?.x`, `this`) it finds none, and V8 describes the value.
//
// The file's walk records each yield* with the nodes around it, before any function is lowered (a lowered inner
// function changes the nodes after it), and this module says, from them, what the runtime's `delegate` needs to
// word the message: nothing, the callee's text, or the printed text (a number where it is only a count of
// `(intermediate value)`: the usual case, and the shortest in the output).
import * as t from "../types.ts";

const IV = "(intermediate value)";

/** What `delegate`/`delegateAsync` take as their 4th argument for each yield* of the file (absent: none). */
export type YieldStarQuote = number | string;

/**
 * The quote of a yield* (`path`: the nodes from its function down to the YieldExpression), or undefined where
 * V8 finds no source text to print.
 */
export function yieldStarQuote(path: readonly t.Node[], async: boolean): YieldStarQuote | undefined {
  const yieldStar = path[path.length - 1] as t.YieldExpression;
  const operand = unwrap(yieldStar.argument!);
  if (operand.type === "OptionalCallExpression") {
    // (found at the call: no iterator error yet, so calls in the callee print as `(...)`)
    const printer = new Printer(false);
    const text = printer.print(operand.callee, true);
    return text === "" ? IV : text;
  }
  if (!printsAtYieldStar(operand)) return undefined;
  // (found at a yield*: an iterator error in a generator, which prints a call's callee alone, `f`; an async
  // iterator error in an async generator, which prints `f(...)`, and the callee of a `new` as a value)
  const printer = new Printer(!async);
  let text = "yield* " + IV;
  for (let i = path.length - 2; i >= 0; i--) {
    if (t.isFunction(path[i])) break;
    text += printer.after(path[i], path[i + 1], path[i - 1]);
  }
  const rest = text.slice("yield* ".length);
  if (rest.split(IV).join("") === "") return rest.length / IV.length;
  return text;
}

/** Whether V8's error position for this operand is the yield*'s (measured on Node 20 and 24). */
function printsAtYieldStar(operand: t.Node): boolean {
  // (V8's parser folds arithmetic on number literals, `-3`, `1 + 2`, `!0`, into a literal)
  if (foldedLiteral(operand) !== null) return false;
  switch (operand.type) {
    case "MemberExpression":
    case "CallExpression":
    case "NewExpression":
    case "TaggedTemplateExpression":
    case "SequenceExpression":
    case "AssignmentExpression":
    case "UpdateExpression":
    case "YieldExpression":
    case "AwaitExpression":
    case "BinaryExpression":
      return true;
    case "LogicalExpression":
      return operand.operator === "??";
    case "UnaryExpression":
      return operand.operator === "-" || operand.operator === "+" || operand.operator === "~";
    default:
      return false;
  }
}

function unwrap(node: t.Node): t.Node {
  while (node.type === "ParenthesizedExpression" || node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression" || node.type === "TSNonNullExpression" || node.type === "TSTypeAssertion" || node.type === "TypeCastExpression") {
    node = node.expression;
  }
  return node;
}

/** V8's CallPrinter once it has found the node: what it prints of the nodes it meets afterwards. */
class Printer {
  /** @param iteratorError whether the printer found a (sync) iterator error: `is_iterator_error_` */
  constructor(private readonly iteratorError: boolean) {}

  /** Find(node) with print=false: the node is not visited, one `(intermediate value)`. */
  private skip(): string {
    return IV;
  }

  /**
   * Find(node, true): the node's text, or `(intermediate value)` where it prints nothing. `inChain`: the node
   * is a link of an optional chain being printed (the chain as a whole is one node to V8, which it does not
   * print: `(intermediate value)`).
   */
  print(node: t.Node, inChain = false): string {
    const text = this.visit(node, inChain);
    return text === "" ? IV : text;
  }

  /** What the printer prints of `parent` after its child `child` (the one holding the yield*). */
  after(parent: t.Node, child: t.Node, grandparent: t.Node | undefined): string {
    switch (parent.type) {
      case "BlockStatement":
      case "Program":
      case "StaticBlock":
        return this.statements(parent.body, parent.body.indexOf(child as t.Statement) + 1);
      case "SwitchCase":
        // (the clause's test, then its statements)
        return this.statements(parent.consequent, child === parent.test ? 0 : parent.consequent.indexOf(child as t.Statement) + 1);
      case "SwitchStatement": {
        let text = "";
        for (let at = child === parent.discriminant ? 0 : parent.cases.indexOf(child as t.SwitchCase) + 1; at < parent.cases.length; at++) {
          if (parent.cases[at].test) text += this.skip();
          text += this.statements(parent.cases[at].consequent, 0);
        }
        return text;
      }
      case "VariableDeclaration":
        return this.declarators(parent.declarations.slice(parent.declarations.indexOf(child as t.VariableDeclarator) + 1), parent.kind);
      case "IfStatement":
        if (child === parent.test) return this.skip() + (parent.alternate ? this.skip() : "");
        return child === parent.consequent && parent.alternate ? this.skip() : "";
      case "WhileStatement":
        return child === parent.test ? this.skip() : "";
      case "DoWhileStatement":
        return child === parent.body ? this.skip() : "";
      case "ForStatement": {
        if (parent.init?.type === "VariableDeclaration" && parent.init.kind !== "var") {
          // V8 declares the loop's `let`/`const` in a block before the loop, `{ let i = 0; for (; ...) }`; and
          // where the loop holds a function, it copies them per iteration: the body is then followed by one
          // more statement of its own (and the declarations by four)
          const copies = containsFunction(parent.test) || containsFunction(parent.update) || containsFunction(parent.body);
          if (child === parent.init) return this.skip().repeat(copies ? 4 : 1);
          if (child === parent.body) return copies ? this.skip() : "";
        }
        const order = [parent.init, parent.test, parent.update, parent.body].filter((part) => part != null);
        return this.skip().repeat(order.length - 1 - order.indexOf(child as never));
      }
      case "ForInStatement":
      case "ForOfStatement":
        return this.skip().repeat(child === parent.left ? 2 : child === parent.right ? 1 : 0);
      case "TryStatement":
        if (child === parent.block) return (parent.handler ? this.skip() : "") + (parent.finalizer ? this.skip() : "");
        return child === parent.handler && parent.finalizer ? this.skip() : "";
      case "WithStatement":
        return child === parent.object ? this.skip() : "";
      case "CallExpression":
      case "OptionalCallExpression":
        if (child === parent.callee) return this.iteratorError ? "" : "(...)";
        return this.skip().repeat(parent.arguments.length - 1 - parent.arguments.indexOf(child as never));
      case "NewExpression":
        if (child === parent.callee) return "";
        return this.skip().repeat(parent.arguments.length - 1 - parent.arguments.indexOf(child as never));
      case "TaggedTemplateExpression":
        return child === parent.tag && !this.iteratorError ? "(...)" : "";
      case "TemplateLiteral": {
        const rest = parent.expressions.slice(parent.expressions.indexOf(child as never) + 1);
        // (a tagged template's substitutions are the arguments of a call: not printed)
        if (grandparent?.type === "TaggedTemplateExpression") return this.skip().repeat(rest.length);
        return rest.map((expression) => this.print(expression)).join("");
      }
      case "MemberExpression":
      case "OptionalMemberExpression":
        if (child === parent.object) return this.property(parent);
        return "]";
      case "BinaryExpression":
      case "LogicalExpression": {
        // (V8 makes one n-ary operation of a chain of the same operator: `a + b + c` prints one pair of parentheses)
        const inChain = grandparent !== undefined && (grandparent.type === "BinaryExpression" || grandparent.type === "LogicalExpression") && grandparent.operator === parent.operator && grandparent.left === parent && isNary(parent.operator);
        const close = inChain ? "" : ")";
        if (child === parent.left) return ` ${parent.operator} ${this.print(parent.right)}${close}`;
        return close;
      }
      case "SequenceExpression": {
        const rest = parent.expressions.slice(parent.expressions.indexOf(child as never) + 1);
        return rest.map((expression) => ` , ${this.print(expression)}`).join("") + ")";
      }
      case "ConditionalExpression":
        return this.skip().repeat(child === parent.test ? 2 : child === parent.consequent ? 1 : 0);
      case "AssignmentExpression":
        return child === parent.left ? this.skip() : "";
      case "UnaryExpression":
        return ")";
      case "UpdateExpression":
        return (parent.prefix ? "" : parent.operator) + ")";
      case "SpreadElement":
        return ")";
      case "ArrayExpression": {
        let text = "";
        for (let i = parent.elements.indexOf(child as never) + 1; i < parent.elements.length; i++) {
          const element = parent.elements[i];
          text += "," + (element ? this.print(element) : IV);
        }
        return text + "]";
      }
      case "ObjectExpression": {
        const at = parent.properties.indexOf(child as never);
        return this.skip().repeat(parent.properties.length - 1 - at) + "}";
      }
      default:
        return "";
    }
  }

  /** FindStatements from `from` on: each statement V8 keeps in the list is one `(intermediate value)`. */
  private statements(list: t.Statement[], from: number): string {
    let text = "";
    for (let i = from; i < list.length; i++) {
      const statement = list[i];
      // (function declarations are hoisted out of the list; `var x;` and `;` leave nothing in it)
      // (a declaration is one block of its initializations, even with none: `var x;`)
      if (statement.type === "FunctionDeclaration" || statement.type === "EmptyStatement" || erased(statement)) continue;
      text += this.skip();
    }
    return text;
  }

  /** A declaration: a statement for each declarator that initializes (a `let` without a value too). */
  private declarators(list: t.VariableDeclarator[], kind: string): string {
    return this.skip().repeat(list.filter((declarator) => declarator.init != null || kind !== "var").length);
  }

  private property(node: t.MemberExpression | t.OptionalMemberExpression): string {
    const optional = node.type === "OptionalMemberExpression" && node.optional;
    const key = node.property;
    if (!node.computed && key.type === "Identifier") return (optional ? "?" : "") + "." + key.name;
    if (node.computed && key.type === "StringLiteral") return (optional ? "?" : "") + "." + key.value;
    if (key.type === "PrivateName") return (optional ? "?" : "") + ".#" + key.id.name;
    return (optional ? "?." : "") + "[" + this.print(key) + "]";
  }

  /** Visit(node): what the printer prints of a node it visits once found. */
  private visit(node: t.Node, inChain: boolean): string {
    const folded = foldedLiteral(node);
    if (folded !== null) return folded;
    if ((node.type === "OptionalMemberExpression" || node.type === "OptionalCallExpression") && (!inChain || node.extra?.parenthesized)) return IV;
    switch (node.type) {
      case "ParenthesizedExpression":
      case "TSAsExpression":
      case "TSSatisfiesExpression":
      case "TSNonNullExpression":
      case "TSTypeAssertion":
      case "TypeCastExpression":
        return this.visit(node.expression, false);
      case "Identifier":
        return node.name;
      case "StringLiteral":
        return `"${node.value}"`;
      case "NumericLiteral":
      case "BooleanLiteral":
        return String(node.value);
      case "NullLiteral":
        return "null";
      case "RegExpLiteral":
        return `/${node.pattern}/${[..."gimuy"].filter((flag) => node.flags.includes(flag)).join("")}`;
      case "TemplateLiteral":
        if (node.expressions.length === 0) return `"${node.quasis[0].value.cooked ?? ""}"`;
        return node.expressions.map((expression) => this.print(expression)).join("");
      case "ThisExpression":
        return "this";
      case "Super":
        return "";
      case "MemberExpression":
      case "OptionalMemberExpression":
        return this.print(node.object, true) + this.property(node);
      case "CallExpression":
      case "OptionalCallExpression":
        return this.print(node.callee, true) + (this.iteratorError ? "" : "(...)");
      case "NewExpression":
        return this.iteratorError ? this.print(node.callee) : IV;
      case "TaggedTemplateExpression":
        return this.print(node.tag) + (this.iteratorError ? "" : "(...)");
      case "UnaryExpression":
        return `(${node.operator}${node.operator === "delete" || node.operator === "typeof" || node.operator === "void" ? " " : ""}${this.print(node.argument)})`;
      case "UpdateExpression":
        return `(${node.prefix ? node.operator : ""}${this.print(node.argument)}${node.prefix ? "" : node.operator})`;
      case "BinaryExpression":
      case "LogicalExpression": {
        const operands: t.Node[] = [node.right];
        let left: t.Node = node.left;
        while (isNary(node.operator) && (left.type === "BinaryExpression" || left.type === "LogicalExpression") && left.operator === node.operator && !left.extra?.parenthesized) {
          operands.unshift(left.right);
          left = left.left;
        }
        operands.unshift(left);
        return "(" + operands.map((operand) => this.print(operand)).join(` ${node.operator} `) + ")";
      }
      case "SequenceExpression":
        return "(" + node.expressions.map((expression) => this.print(expression)).join(" , ") + ")";
      case "ConditionalExpression":
        return IV + IV + IV;
      case "AssignmentExpression":
        return IV + IV;
      case "AwaitExpression":
      case "YieldExpression":
        return IV;
      case "SpreadElement":
        return `(...${this.print(node.argument)})`;
      case "ArrayExpression":
        return "[" + node.elements.map((element) => (element ? this.print(element) : IV)).join(",") + "]";
      case "ObjectExpression":
        return "{" + IV.repeat(node.properties.length) + "}";
      case "ArrowFunctionExpression":
        return node.body.type === "BlockStatement" ? this.statements(node.body.body, 0) : IV;
      case "FunctionExpression":
        return this.statements(node.body.body, 0);
      default:
        return "";
    }
  }
}

/** Operators V8 parses as one n-ary operation when repeated (not comparisons). */
function isNary(operator: string): boolean {
  return !["==", "!=", "===", "!==", "<", ">", "<=", ">=", "in", "instanceof"].includes(operator);
}


/**
 * The literal V8's parser makes of a sign, `!` or arithmetic on number literals (`-3`, `1 + 2`, `!0`), as the
 * printer prints it; null for anything else.
 */
function foldedLiteral(node: t.Node): string | null {
  const value = folded(node);
  return value === null ? null : String(value);
}

function folded(node: t.Node): number | boolean | null {
  node = unwrap(node);
  switch (node.type) {
    case "NumericLiteral":
      return node.value;
    case "UnaryExpression": {
      if (node.operator === "!") {
        const argument = unwrap(node.argument);
        if (argument.type === "NumericLiteral" || argument.type === "BooleanLiteral" || argument.type === "StringLiteral" || argument.type === "NullLiteral") return !("value" in argument ? argument.value : null);
        return null;
      }
      const value = folded(node.argument);
      if (typeof value !== "number") return null;
      return node.operator === "-" ? -value : node.operator === "+" ? value : node.operator === "~" ? ~value : null;
    }
    case "BinaryExpression": {
      const left = folded(node.left);
      const right = folded(node.right);
      if (typeof left !== "number" || typeof right !== "number") return null;
      switch (node.operator) {
        case "+": return left + right;
        case "-": return left - right;
        case "*": return left * right;
        case "/": return left / right;
        case "%": return left % right;
        case "**": return left ** right;
        case "|": return left | right;
        case "&": return left & right;
        case "^": return left ^ right;
        case "<<": return left << right;
        case ">>": return left >> right;
        case ">>>": return left >>> right;
        default: return null;
      }
    }
    default:
      return null;
  }
}

/** Whether a function (or class) is written inside `node` (V8 then copies a loop's `let` per iteration). */
function containsFunction(node: t.Node | null | undefined): boolean {
  if (!node) return false;
  if (t.isFunction(node) || t.isClass(node)) return true;
  for (const key of t.VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
    if (Array.isArray(child)) {
      if (child.some((item) => item && containsFunction(item))) return true;
    } else if (child && typeof child.type === "string" && containsFunction(child)) return true;
  }
  return false;
}

/** A TypeScript statement that leaves no code for V8 (a type, an interface, a `declare`). */
function erased(statement: t.Statement): boolean {
  if ("declare" in statement && statement.declare) return true;
  if (!statement.type.startsWith("TS")) return false;
  return statement.type !== "TSEnumDeclaration" && statement.type !== "TSModuleDeclaration" && statement.type !== "TSImportEqualsDeclaration";
}
