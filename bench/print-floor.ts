// What printing stepwise's output of the scaling files costs at the least, beside the floor of bench/scale.ts
// (Babel's parse + generate of the input): Babel's generator beside a bare printer of the same nodes (no
// source map, no positions, no parentheses rules, no comment placement: only the node types this output has,
// each one way), once building a string and once writing bytes into a buffer (no string per piece for the
// collector), all printing the same parsed tree, alternately, seven times (the median). If the bare printers
// are not much faster, no printer of stepwise's own moves the scaling bench's `bound` column
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
      if (i > 0) this.write("\n");
      this.statement(statement);
    });
    return this.printed();
  }

  protected write(text: string): void {
    this.text += text;
  }

  protected printed(): string {
    return this.text;
  }

  private newline(): void {
    this.write("\n" + this.indent);
  }

  private comments(node: t.Node): void {
    for (const comment of node.leadingComments ?? []) {
      this.write(comment.type === "CommentLine" ? `//${comment.value}` : `/*${comment.value}*/`);
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
      if (i > 0) this.write(", ");
      this.expression(item!);
    });
  }

  private block(block: t.BlockStatement): void {
    this.write("{");
    if (block.body.length > 0) {
      this.nested(() => block.body.forEach((statement) => (this.newline(), this.statement(statement))));
      this.newline();
    }
    this.write("}");
  }

  private statement(node: t.Statement): void {
    this.comments(node);
    switch (node.type) {
      case "ExpressionStatement":
        this.expression(node.expression);
        this.write(";");
        return;
      case "ReturnStatement":
        this.write("return");
        if (node.argument) (this.write(" ")), this.expression(node.argument);
        this.write(";");
        return;
      case "ContinueStatement":
        this.write(node.label ? `continue ${node.label.name};` : "continue;");
        return;
      case "BlockStatement":
        return this.block(node);
      case "IfStatement":
        if (node.alternate) throw new Error("the bare printer has no `else`");
        this.write("if (");
        this.expression(node.test);
        this.write(") ");
        this.statement(node.consequent);
        return;
      case "VariableDeclaration":
        this.write(node.kind + " ");
        node.declarations.forEach((declarator, i) => {
          if (i > 0) this.write(", ");
          this.expression(declarator.id);
          if (declarator.init) (this.write(" = ")), this.expression(declarator.init);
        });
        this.write(";");
        return;
      case "LabeledStatement":
        this.write(`${node.label.name}: `);
        return this.statement(node.body);
      case "ForStatement":
        this.write("for (;;) ");
        return this.statement(node.body);
      case "SwitchStatement":
        this.write("switch (");
        this.expression(node.discriminant);
        this.write(") {");
        this.nested(() => {
          for (const switchCase of node.cases) {
            this.newline();
            this.comments(switchCase);
            this.write("case ");
            this.expression(switchCase.test!);
            this.write(":");
            this.nested(() => switchCase.consequent.forEach((statement) => (this.newline(), this.statement(statement))));
          }
        });
        this.newline();
        this.write("}");
        return;
      case "ClassDeclaration":
        this.write(`class ${node.id!.name}`);
        if (node.superClass) (this.write(" extends ")), this.expression(node.superClass);
        this.write(" {");
        this.nested(() => node.body.body.forEach((member) => (this.newline(), this.comments(member), this.member(member as t.ClassMethod | t.ClassProperty))));
        this.newline();
        this.write("}");
        return;
      case "FunctionDeclaration":
        this.write(`function ${node.id!.name}(`);
        this.list(node.params);
        this.write(") ");
        return this.block(node.body);
      default:
        throw new Error(`the bare printer has no ${node.type}`);
    }
  }

  private member(node: t.ClassMethod | t.ClassProperty | t.ObjectMethod): void {
    if ("static" in node && node.static) this.write("static ");
    this.expression(node.key);
    if (node.type === "ClassProperty") {
      if (node.value) (this.write(" = ")), this.expression(node.value);
      this.write(";");
      return;
    }
    this.write("(");
    this.list(node.params);
    this.write(") ");
    this.block(node.body);
  }

  private expression(node: t.Node): void {
    switch (node.type) {
      case "Identifier":
        this.write(node.name);
        return;
      case "ThisExpression":
        this.write("this");
        return;
      case "Super":
        this.write("super");
        return;
      case "NumericLiteral":
        this.write(String(node.value));
        return;
      case "StringLiteral":
        this.write(JSON.stringify(node.value));
        return;
      case "MemberExpression":
        this.expression(node.object);
        if (node.computed) (this.write("[")), this.expression(node.property), (this.write("]"));
        else (this.write(".")), this.expression(node.property);
        return;
      case "NewExpression":
      case "CallExpression":
        if (node.type === "NewExpression") this.write("new ");
        this.expression(node.callee);
        this.write("(");
        this.list(node.arguments);
        this.write(")");
        return;
      case "AssignmentExpression":
      case "BinaryExpression":
        this.expression(node.left);
        this.write(` ${node.operator} `);
        this.expression(node.right);
        return;
      case "UnaryExpression":
        this.write(node.operator);
        return this.expression(node.argument);
      case "ArrayExpression":
        this.write("[");
        this.list(node.elements);
        this.write("]");
        return;
      case "ObjectExpression":
        this.write("{");
        this.nested(() => node.properties.forEach((property, i) => ((this.write(i > 0 ? "," : "")), this.newline(), this.member(property as t.ObjectMethod))));
        this.newline();
        this.write("}");
        return;
      case "ObjectPattern":
        this.write("{ ");
        this.list(node.properties.map((property) => (property as t.ObjectProperty).key));
        this.write(" }");
        return;
      default:
        throw new Error(`the bare printer has no ${node.type}`);
    }
  }
}

/** The same printer writing UTF-8 bytes into one growing buffer, decoded once at the end. */
class BufferPrinter extends BarePrinter {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private length = 0;

  protected override write(text: string): void {
    // (at most three bytes per UTF-16 unit)
    if (this.length + 3 * text.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.length + 3 * text.length));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        at += bytes.write(text.slice(i), at, "utf8");
        break;
      }
      bytes[at++] = code;
    }
    this.length = at;
  }

  protected override printed(): string {
    return this.bytes.toString("utf8", 0, this.length);
  }
}

const functions = Number(process.argv[2] ?? 4000);
const input = Array.from({ length: functions }, (_, i) => unit(i)).join("");
const output = transform(input, { filename: "scale.js" }).code;
const floor: number[] = [];
const babel: number[] = [];
const bare: number[] = [];
const buffered: number[] = [];
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
  tree = parse(output, { sourceType: "unambiguous" });
  started = performance.now();
  const bufferPrinted = new BufferPrinter().program(tree.program);
  buffered.push(performance.now() - started);
  sameTokens &&= printed.replace(/\s+/g, "") === barePrinted.replace(/\s+/g, "") && bufferPrinted === barePrinted;
}
console.log(
  `${(input.length / 1024).toFixed(0)} KB in, ${(output.length / 1024).toFixed(0)} KB out; printing the output: Babel's generator ${median(babel).toFixed(0)} ms, ` +
    `a bare printer ${median(bare).toFixed(0)} ms, the same into a buffer ${median(buffered).toFixed(0)} ms (${sameTokens ? "the same text but for whitespace" : "THE TEXTS DIFFER"}); ` +
    `Babel's parse + generate of the input ${median(floor).toFixed(0)} ms (medians of 7)`,
);
