// What printing stepwise's output of the scaling files costs at the least, beside the floor of bench/scale.ts
// (Babel's parse + generate of the input): Babel's generator beside a bare printer of the same nodes (no
// source map, no positions, no parentheses rules, no comment placement: only the node types this output has,
// each one way), both printing the same parsed tree, alternately, seven times (the median). If the bare
// printer is not much faster, no printer of stepwise's own moves the scaling bench's `bound` column
// (bench/scale.ts): only a smaller output does (docs/architecture.md, "What the transform's targets need").
//
//   npx tsx bench/print-floor.ts [functions, default 4000: about 1 MB of input]
import { parse } from "@babel/parser";
import generateModule from "@babel/generator";
import type * as t from "@babel/types";
import { transform } from "../src/transform/index.ts";
import { median } from "./stats.ts";
import { unit } from "./scale.ts";

const generate = ((generateModule as unknown as { default?: unknown }).default ?? generateModule) as (ast: t.Node, options: object, code: string) => { code: string };

/** Prints the node types of the scaling files' output, and nothing else (an unknown type throws). */
class BarePrinter {
  private text = "";
  private indent = "";

  program(program: t.Program): string {
    program.body.forEach((statement, i) => {
      if (i > 0) this.text += "\n";
      this.statement(statement);
    });
    return this.text;
  }

  private newline(): void {
    this.text += "\n" + this.indent;
  }

  private comments(node: t.Node): void {
    for (const comment of node.leadingComments ?? []) {
      this.text += comment.type === "CommentLine" ? `//${comment.value}` : `/*${comment.value}*/`;
      this.newline();
    }
  }

  private nested(print: () => void): void {
    const outer = this.indent;
    this.indent += "  ";
    print();
    this.indent = outer;
  }

  private list(items: readonly (t.Node | null)[]): void {
    items.forEach((item, i) => {
      if (i > 0) this.text += ", ";
      this.expression(item!);
    });
  }

  private block(block: t.BlockStatement): void {
    this.text += "{";
    if (block.body.length > 0) {
      this.nested(() => block.body.forEach((statement) => (this.newline(), this.statement(statement))));
      this.newline();
    }
    this.text += "}";
  }

  private statement(node: t.Statement): void {
    this.comments(node);
    switch (node.type) {
      case "ExpressionStatement":
        this.expression(node.expression);
        this.text += ";";
        return;
      case "ReturnStatement":
        this.text += "return";
        if (node.argument) (this.text += " "), this.expression(node.argument);
        this.text += ";";
        return;
      case "ContinueStatement":
        this.text += node.label ? `continue ${node.label.name};` : "continue;";
        return;
      case "BlockStatement":
        return this.block(node);
      case "IfStatement":
        if (node.alternate) throw new Error("the bare printer has no `else`");
        this.text += "if (";
        this.expression(node.test);
        this.text += ") ";
        this.statement(node.consequent);
        return;
      case "VariableDeclaration":
        this.text += node.kind + " ";
        node.declarations.forEach((declarator, i) => {
          if (i > 0) this.text += ", ";
          this.expression(declarator.id);
          if (declarator.init) (this.text += " = "), this.expression(declarator.init);
        });
        this.text += ";";
        return;
      case "LabeledStatement":
        this.text += `${node.label.name}: `;
        return this.statement(node.body);
      case "ForStatement":
        this.text += "for (;;) ";
        return this.statement(node.body);
      case "SwitchStatement":
        this.text += "switch (";
        this.expression(node.discriminant);
        this.text += ") {";
        this.nested(() => {
          for (const switchCase of node.cases) {
            this.newline();
            this.comments(switchCase);
            this.text += "case ";
            this.expression(switchCase.test!);
            this.text += ":";
            this.nested(() => switchCase.consequent.forEach((statement) => (this.newline(), this.statement(statement))));
          }
        });
        this.newline();
        this.text += "}";
        return;
      case "ClassDeclaration":
        this.text += `class ${node.id!.name}`;
        if (node.superClass) (this.text += " extends "), this.expression(node.superClass);
        this.text += " {";
        this.nested(() => node.body.body.forEach((member) => (this.newline(), this.comments(member), this.member(member as t.ClassMethod | t.ClassProperty))));
        this.newline();
        this.text += "}";
        return;
      case "FunctionDeclaration":
        this.text += `function ${node.id!.name}(`;
        this.list(node.params);
        this.text += ") ";
        return this.block(node.body);
      default:
        throw new Error(`the bare printer has no ${node.type}`);
    }
  }

  private member(node: t.ClassMethod | t.ClassProperty | t.ObjectMethod): void {
    if ("static" in node && node.static) this.text += "static ";
    this.expression(node.key);
    if (node.type === "ClassProperty") {
      if (node.value) (this.text += " = "), this.expression(node.value);
      this.text += ";";
      return;
    }
    this.text += "(";
    this.list(node.params);
    this.text += ") ";
    this.block(node.body);
  }

  private expression(node: t.Node): void {
    switch (node.type) {
      case "Identifier":
        this.text += node.name;
        return;
      case "ThisExpression":
        this.text += "this";
        return;
      case "Super":
        this.text += "super";
        return;
      case "NumericLiteral":
        this.text += String(node.value);
        return;
      case "StringLiteral":
        this.text += JSON.stringify(node.value);
        return;
      case "MemberExpression":
        this.expression(node.object);
        if (node.computed) (this.text += "["), this.expression(node.property), (this.text += "]");
        else (this.text += "."), this.expression(node.property);
        return;
      case "NewExpression":
      case "CallExpression":
        if (node.type === "NewExpression") this.text += "new ";
        this.expression(node.callee);
        this.text += "(";
        this.list(node.arguments);
        this.text += ")";
        return;
      case "AssignmentExpression":
      case "BinaryExpression":
        this.expression(node.left);
        this.text += ` ${node.operator} `;
        this.expression(node.right);
        return;
      case "UnaryExpression":
        this.text += node.operator;
        return this.expression(node.argument);
      case "ArrayExpression":
        this.text += "[";
        this.list(node.elements);
        this.text += "]";
        return;
      case "ObjectExpression":
        this.text += "{";
        this.nested(() => node.properties.forEach((property, i) => ((this.text += i > 0 ? "," : ""), this.newline(), this.member(property as t.ObjectMethod))));
        this.newline();
        this.text += "}";
        return;
      case "ObjectPattern":
        this.text += "{ ";
        this.list(node.properties.map((property) => (property as t.ObjectProperty).key));
        this.text += " }";
        return;
      default:
        throw new Error(`the bare printer has no ${node.type}`);
    }
  }
}

const functions = Number(process.argv[2] ?? 4000);
const input = Array.from({ length: functions }, (_, i) => unit(i)).join("");
const output = transform(input, { filename: "scale.js" }).code;
const floor: number[] = [];
const babel: number[] = [];
const bare: number[] = [];
let sameTokens = true;
for (let round = 0; round < 7; round++) {
  // (the floor of bench/scale.ts: Babel's parse + generate of the input)
  let started = performance.now();
  generate(parse(input, { sourceType: "unambiguous" }), {}, input);
  floor.push(performance.now() - started);
  // (each printer gets a tree of its own, parsed untimed)
  let tree = parse(output, { sourceType: "unambiguous" });
  started = performance.now();
  const printed = generate(tree, { comments: true }, output).code;
  babel.push(performance.now() - started);
  tree = parse(output, { sourceType: "unambiguous" });
  started = performance.now();
  const barePrinted = new BarePrinter().program(tree.program);
  bare.push(performance.now() - started);
  sameTokens &&= printed.replace(/\s+/g, "") === barePrinted.replace(/\s+/g, "");
}
console.log(
  `${(input.length / 1024).toFixed(0)} KB in, ${(output.length / 1024).toFixed(0)} KB out; printing the output: Babel's generator ${median(babel).toFixed(0)} ms, ` +
    `a bare printer ${median(bare).toFixed(0)} ms (${sameTokens ? "the same text but for whitespace" : "THE TEXTS DIFFER"}); ` +
    `Babel's parse + generate of the input ${median(floor).toFixed(0)} ms (medians of 7)`,
);
