// The context shared by statement, expression and pattern explosion: the emitter, the function's facts,
// how to name the value an `await` produced, temps, which values are stable, the placeholders the rewriting
// resolves later, and the rewriting of `return`/`break`/`continue` inside statements kept as written.
// Statements, expressions and patterns explode each other through it (`cx.expression(...)`), so that
// their modules need not import each other in a circle.
import * as t from "../types.ts";
import { containsSuspend, mustExplode } from "../analyze/suspends.ts";
import type { BindingInfo, FactsStore } from "../facts.ts";
import type { Emitter } from "./emitter.ts";

/** A declaration's kind when a pattern declares (null: the pattern assigns). */
export type DeclarationKind = "var" | "let" | "const" | "using" | "await using" | null;

/** The three mutually recursive parts of explosion (statements.ts, expressions.ts, patterns.ts). */
export interface Explode {
  statement(cx: Exploder, statement: t.Statement, labels?: readonly string[]): void;
  expression(cx: Exploder, expression: t.Expression, ignoreResult?: boolean): t.Expression;
  pattern(cx: Exploder, pattern: t.LVal | t.PatternLike, value: t.Expression, kind: DeclarationKind): void;
}

export class Exploder {
  constructor(
    readonly em: Emitter,
    readonly facts: FactsStore,
    private readonly explode: Explode,
  ) {}

  statement(statement: t.Statement, labels?: readonly string[]): void {
    this.explode.statement(this, statement, labels);
  }

  /** The expression's value, its suspensions emitted as states (unchanged if it does not suspend). */
  expression(expression: t.Expression, ignoreResult = false): t.Expression {
    return this.explode.expression(this, expression, ignoreResult);
  }

  /** Binds `pattern` to the already evaluated `value`: declares with a `kind`, assigns without one. */
  pattern(pattern: t.LVal | t.PatternLike, value: t.Expression, kind: DeclarationKind): void {
    this.explode.pattern(this, pattern, value, kind);
  }

  /** Whether the node holds a suspension point of the function (analysis.ts). */
  suspends(node: t.Node | null | undefined): boolean {
    return containsSuspend(this.facts, node);
  }

  /** Whether the statement must be exploded into states (analysis.ts). */
  mustExplode(node: t.Node | null | undefined): boolean {
    return mustExplode(this.facts, node);
  }

  /** The value the last `await` produced: the `sent` parameter of `resume`. */
  sent(): t.Identifier {
    const id = t.identifier(this.em.sentName);
    this.facts.set(id, "sent", true);
    return id;
  }

  isSent(expr: t.Expression): boolean {
    return t.isIdentifier(expr) && this.facts.get(expr)?.sent === true;
  }

  /** A `this` of the source function, made by the transform (the rewriting makes it `this.thisArg`). */
  userThis(): t.ThisExpression {
    const node = t.thisExpression();
    this.facts.set(node, "userThis", true);
    return node;
  }

  /** A `super.x` target rebuilt by the transform (its key held in a temp) stays a target. */
  superTargetLike(original: t.Node, rebuilt: t.MemberExpression): t.MemberExpression {
    if (this.facts.get(original)?.superTarget) this.facts.set(rebuilt, "superTarget", true);
    return rebuilt;
  }

  /** Entering a scope: a placeholder for resetting its TDZ-checked bindings (the rewriting spells it out). */
  uninitializeOnEntry(scope: t.Node): t.Statement | null {
    const infos = this.facts.get(scope)?.uninitializedOnEntry;
    if (!infos) return null;
    const placeholder = t.expressionStatement(t.identifier("undefined"));
    this.facts.set(placeholder, "resets", infos);
    return placeholder;
  }

  /**
   * Where a block function declaration of sloppy code stands (it is hoisted to the block's start): a
   * placeholder for copying its value to the function-wide binding (Annex B), when the statement is reached.
   */
  annexBEvaluation(declaration: t.FunctionDeclaration): t.Statement | null {
    const annex = this.facts.get(declaration)?.annexB;
    if (!annex) return null;
    annex.positioned = true;
    const placeholder = t.expressionStatement(t.identifier("undefined"));
    this.facts.set(placeholder, "annexBEvaluation", annex);
    return placeholder;
  }

  /**
   * A local of the function whose read can wait, with no temp, until its value is used after the
   * suspensions in `later` (what runs in between): nothing else can change it while the machine waits. No
   * closure refers to it (an instance field's initializer counts as one; a function with a direct `eval`
   * is not lowered), it is not one of sloppy code's parameters mapped to `arguments` (boxed), nothing in
   * `later` assigns it, and its read has no effect of its own that must come first (a temporal dead zone
   * check, a lookup through `with`).
   */
  unchangedUntilUsed(value: t.Node, later: readonly (t.Node | null | undefined)[]): boolean {
    const binding = this.readCanWait(value);
    return binding !== null && !this.lastWrites(later).has(binding);
  }

  /**
   * unchangedUntilUsed for the `index`th of parts evaluated in order: `writes` gives what the parts write
   * (`lastWrites`, read once for all the parts, and only for a local).
   */
  unchangedAfter(value: t.Node, index: number, writes: () => LastWrites): boolean {
    const binding = this.readCanWait(value);
    return binding !== null && (writes().get(binding) ?? -1) <= index;
  }

  /** The bindings `nodes` write (unchangedUntilUsed), each with the index of the last node that writes it. */
  lastWrites(nodes: readonly (t.Node | null | undefined)[]): LastWrites {
    const writes: LastWrites = new Map();
    nodes.forEach((node, index) => {
      if (node != null) forEachWrite(node, this.facts, (binding) => writes.set(binding, index));
    });
    return writes;
  }

  /** The binding of a local whose read nothing but the code around it can change (unchangedUntilUsed), or null. */
  private readCanWait(value: t.Node): BindingInfo | null {
    if (value.type !== "Identifier") return null;
    const record = this.facts.get(value);
    const binding = record?.binding;
    if (!binding || binding.captured || binding.storage === "boxed" || record.checkedRead || record.throughWith) return null;
    return binding;
  }

  /** Evaluates `value` into a fresh temp now; the temp is read later. */
  keep(value: t.Expression): t.MemberExpression {
    const temp = this.em.temp();
    this.em.emitAssign(temp, value);
    return this.em.tempAgain(temp);
  }

  /** `keep`, unless the value cannot change before it is used. */
  hold(value: t.Expression): t.Expression {
    return this.isStable(value) ? value : this.keep(value);
  }

  /** A copy of an expression that is used twice, keeping what the binding analysis knows of its identifiers. */
  copy<T extends t.Node>(node: T): T {
    return this.facts.copy(node);
  }

  isStable(value: t.Node): boolean {
    switch (value.type) {
      case "NumericLiteral":
      case "StringLiteral":
      case "BooleanLiteral":
      case "NullLiteral":
      case "BigIntLiteral":
      case "ThisExpression":
      case "ArrowFunctionExpression":
      case "FunctionExpression":
        return true;
      case "Identifier":
        if (this.isSent(value)) return false;
        // A binding of the function that is never reassigned, or an outer one that cannot change meanwhile;
        // not a read that may come before the declaration, which throws where the source has it.
        const record = this.facts.get(value);
        if (record?.checkedRead) return false;
        return record?.binding ? record.binding.constant : (record?.outerStable ?? false);
      case "MemberExpression":
        // A temp: `this.$N` (the machine's, not the source's `this`) is written once and only read afterwards.
        return value.object.type === "ThisExpression" && !this.facts.get(value.object)?.userThis && t.isIdentifier(value.property) && value.property.name.startsWith("$");
      case "TemplateLiteral":
        return value.expressions.length === 0;
      case "UnaryExpression":
        // `-x` converts x (valueOf); only a negative literal is a constant.
        return value.operator === "-" ? t.isNumericLiteral(value.argument) || t.isBigIntLiteral(value.argument) : value.operator === "void" && this.isStable(value.argument);
      default:
        return false;
    }
  }

  /**
   * A statement without suspension points is emitted as written, except for what leaves it: `return`
   * becomes `return this.return(...)` (it may have to run `finally` blocks), and a `break`/`continue`
   * whose target lies outside the statement becomes a jump to that target's state.
   */
  keepAsWritten(statement: t.Statement): t.Statement {
    return this.rewriteLeaps(statement, null, 0, 0) as t.Statement;
  }

  /** `labels`: those of the labeled statements around `node` inside the statement (null: none, the usual case). */
  private rewriteLeaps(node: t.Node, labels: ReadonlySet<string> | null, loops: number, switches: number): t.Node {
    switch (node.type) {
      case "ReturnStatement": {
        const argument = node.argument ? [node.argument] : [];
        const statement = t.returnStatement(this.em.call("return", argument, node));
        statement.loc = node.loc;
        t.carryComments(node, statement);
        return statement;
      }
      case "BreakStatement":
      case "ContinueStatement": {
        const label = node.label?.name ?? null;
        const inside = label !== null ? labels !== null && labels.has(label) : node.type === "BreakStatement" ? loops + switches > 0 : loops > 0;
        if (inside) return node;
        const kind = node.type === "BreakStatement" ? "break" : "continue";
        const frame = this.em.findLeap(kind, label);
        if (!frame) throw new Error(`stepwise: no target for ${kind}${label ? " " + label : ""}`);
        const statements =
          kind === "break"
            ? this.em.jumpStatements(frame.breakTarget, frame.breakDepth)
            : this.em.jumpStatements(frame.continueTarget!, frame.continueDepth);
        // (the jump is the statement: a debugger stops at it, a coverage tool that instruments the output counts it)
        statements[0].loc = node.loc;
        t.carryComments(node, statements[0], statements[statements.length - 1]);
        return statements.length === 1 ? statements[0] : t.blockStatement(statements);
      }
      case "LabeledStatement": {
        const inner = new Set(labels ?? []);
        inner.add(node.label.name);
        node.body = this.rewriteLeaps(node.body, inner, loops, switches) as t.Statement;
        return node;
      }
      default:
        break;
    }
    if (t.isFunction(node) || t.isClass(node) || t.isExpression(node)) return node;
    const isLoop = t.isLoop(node);
    const isSwitch = node.type === "SwitchStatement";
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, unknown>)[key];
      // (counts, not a pair made per key: this runs for every statement kept as written)
      const innerLoops = isLoop && key === "body" ? loops + 1 : loops;
      const innerSwitches = isSwitch && key === "cases" ? switches + 1 : switches;
      if (Array.isArray(child)) {
        for (let i = 0; i < child.length; i++) {
          const item: unknown = child[i];
          if (!item || typeof item !== "object") continue;
          const rewritten = this.rewriteLeaps(item as t.Node, labels, innerLoops, innerSwitches);
          // (a jump in a list of statements goes into the list, not into a block of its own)
          if (rewritten.type === "BlockStatement" && rewritten !== item && isStatementList(node, key)) {
            child.splice(i, 1, ...rewritten.body);
            i += rewritten.body.length - 1;
          } else {
            child[i] = rewritten;
          }
        }
      } else if (child && typeof child === "object") {
        (node as unknown as Record<string, unknown>)[key] = this.rewriteLeaps(child as t.Node, labels, innerLoops, innerSwitches);
      }
    }
    return node;
  }
}

/** Whether `node[key]` is a list of statements (where a statement may stand for several). */
function isStatementList(node: t.Node, key: string): boolean {
  return (key === "body" && node.type === "BlockStatement") || (key === "consequent" && node.type === "SwitchCase");
}

/** Bindings of the function written by some nodes, each with the index of the last node that writes it. */
export type LastWrites = Map<BindingInfo, number>;

/** Each binding of the function that `root` writes: an assignment, update or for-in/of head naming it, a pattern or declaration that binds it. */
function forEachWrite(root: t.Node, facts: FactsStore, found: (binding: BindingInfo) => void): void {
  // (iterative: an operand may be nested as deep as Node runs)
  const pending: [node: t.Node, parent: t.Node | null, grandparent: t.Node | null][] = [[root, null, null]];
  while (pending.length > 0) {
    const [node, parent, grandparent] = pending.pop()!;
    if (node.type === "Identifier") {
      const binding = parent !== null ? facts.get(node)?.binding : undefined;
      if (binding && writes(node, parent!, grandparent)) found(binding);
      continue;
    }
    for (const key of t.VISITOR_KEYS[node.type] ?? []) {
      const child = (node as unknown as Record<string, t.Node | (t.Node | null)[] | null | undefined>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (item) pending.push([item, node, parent]);
      } else if (child && typeof child.type === "string") pending.push([child, node, parent]);
    }
  }
}

/** An identifier naming a binding where it may be written: not a plain read (a TypeScript or parenthesized target, `(x as T) = v`, counts). */
function writes(node: t.Identifier, parent: t.Node, grandparent: t.Node | null): boolean {
  if (parent.type === "UpdateExpression" || parent.type === "ParenthesizedExpression" || parent.type.startsWith("TS")) return true;
  if ((parent.type === "ForInStatement" || parent.type === "ForOfStatement") && parent.left === node) return true;
  return !t.isReferenced(node, parent, grandparent ?? undefined);
}
