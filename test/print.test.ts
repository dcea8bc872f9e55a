// transform() prints what the lowering left as it was (the code around the lowered functions) as written
// (src/transform/print.ts): the same program as Babel's printing of the whole file (the Babel plugin's route),
// with the user's layout and comments kept, re-indented to where the printed code puts it, a `;` where
// automatic semicolon insertion ended a statement, and a source map that points each word at its source.
import { describe, expect, it } from "vitest";
import { transformSync } from "@babel/core";
import { parse } from "@babel/parser";
import generateModule from "@babel/generator";
import { TraceMap, eachMapping } from "@jridgewell/trace-mapping";
import stepwisePlugin from "../src/transform/plugin.ts";
import { parsingOf, transform } from "../src/transform/index.ts";

const generate = ((generateModule as unknown as { default?: unknown }).default ?? generateModule) as typeof import("@babel/generator").default;

/** The program as Babel prints it (formatting aside, comments kept). */
function normalized(code: string, filename: string): string {
  const { sourceType, parserOpts } = parsingOf(filename);
  return generate(parse(code, { sourceType, ...parserOpts }), { comments: true }).code;
}

/** The Babel plugin's output: the same lowering, the whole file printed by Babel. */
function throughBabel(code: string, filename: string): string {
  const { sourceType, parserOpts } = parsingOf(filename);
  return transformSync(code, { filename, babelrc: false, configFile: false, sourceType, parserOpts, plugins: [stepwisePlugin] })!.code!;
}

const UMD = `// A UMD module, indented by four, semicolons left to ASI
(function (root, factory) {
    'use strict'
    var x = 1
    var f = function () {
        return \`multi
    line \${x}\`
    }
    /* block
     * comment */
    const obj = {
        a: 1,
        load: async function (u) {
            return await fetch(u)
        },
        b: - -x, // trailing
        c: 1..toString(),
        d: x
    }
    class C {
        y = 2;
        async m() { await 1 }
        n() {
            return this.y
        }
    }
    foo(async () => 1, bar /* inner */)
    ;[1, 2].forEach(g)
    if (x) x = 2
    label: for (;;) break label
    do x++; while (x < 3)
    return obj
})(this, function () {});
`;

const INPUTS: Record<string, string> = {
  "umd.js": UMD,
  "crlf.js": "var a = 1\r\nfunction g() {\r\n\treturn a\r\n}\r\nasync function f() {\r\n\tawait g()\r\n}\r\n",
  "nothing.js": "// nothing to lower\nconst  spaced   =  1 ;\nfunction plain( a ,b ){ return a+b }\n",
  "types.ts": `import type { T } from "./t";
const load: (id: string) => Promise<T> = async (id) => ({ id } as T);
export function keep(text: string, count?: number): string[] {
    return [text]
}
export class K {
    private n?: number
    async run(x: number = 1): Promise<void> { await load(String(x)) }
}
`,
  "operators.js": `const n = 5
const m = - -n, p = + +n, q = a / /re/.source.length
export const o = { get [n]() { return 1 }, async *gen() { yield n } }
export default async function () { return n }
`,
};

describe("printing as written", () => {
  for (const [filename, code] of Object.entries(INPUTS)) {
    it(`${filename}: the same program as Babel's printing of the whole file`, () => {
      expect(normalized(transform(code, { filename }).code, filename)).toBe(normalized(throughBabel(code, filename), filename));
    });
  }

  it("keeps the source's text of what is not lowered, re-indented", () => {
    const { code } = transform(UMD, { filename: "umd.js" });
    // (a line that starts inside a template literal is part of its value: not re-indented)
    expect(code).toContain("  var f = function () {\n      return `multi\n    line ${x}`\n  };");
    expect(code).toContain("  /* block\n   * comment */");
    expect(code).toContain("  class C {");
    expect(code).toContain("    n() {\n        return this.y\n    }");
    expect(code).toContain("  if (x) x = 2;\n  label: for (;;) break label;\n  do x++; while (x < 3);");
    expect(code).toContain("b: - -x,");
    expect(code).toContain("c: 1..toString(),");
    expect(code).toContain(", bar /* inner */)");
  });

  it("leaves out of a state an empty statement, a loop's or a label's empty body", () => {
    const code = "async function drain(src) {\n  for await (const _ of src);\n  for (const x of src) { await x; ; }\n  l: ;\n  await 0;\n}\n";
    const out = transform(code, { filename: "drain.js" }).code;
    expect(out.split("\n").filter((line) => line.trim() === ";")).toEqual([]);
    expect(out).toContain("const _ = this.$0.value;\n          this.state = 1;");
  });

  it("writes the states as straight as the source: into the next state, a jump where its statement is, a switch on its discriminant, an `if` kept", () => {
    const code = "async function f(items) {\n  for (const x of items) {\n    try { await x; break; } catch { await 1; }\n  }\n}\n";
    const out = transform(code, { filename: "f.js" }).code;
    // (the catch's last state goes on to the loop's head: the try's end, where it went on from before, only
    // jumped there and is left out, the try statement ending where the loop's finally block starts; the
    // `break` leaves the loop at once)
    expect(out).toMatch(/return this\.await\(1, (\d+)\);\n\s+case \1:\n\s+this\.state = 1;\n\s+continue dispatch;\n\s+case (\d+):\n\s+return closeIterator/);
    expect(out).toContain("static tries = [[1, -1, 6, 7], [2, 4, -1, 6]];");
    expect(out).not.toMatch(/\n\s+\{\n\s+this\.(state = \d+|jump\(\d+\));\n\s+continue dispatch;/);
    // (a jump kept inside a statement goes into its list of statements, not into a block of its own)
    const kept = transform("function* g(s) {\n  for (const c of s) {\n    if (c === \" \") { s.skip(); continue; }\n    yield c;\n  }\n}\n", { filename: "g.js" }).code;
    expect(kept).toMatch(/s\.skip\(\);\n\s+this\.state = \d+;\n\s+continue dispatch;\n\s+\}/);
    // (a switch whose tests do not await dispatches on its discriminant itself, with no temp, unless entering
    // its scope runs code first)
    const dispatched = transform("async function h(m) {\n  switch (m.type) {\n    case 1: await m; break;\n    default: m.x();\n  }\n}\n", { filename: "h.js" }).code;
    expect(dispatched).toContain("switch (this.m.type) {");
    // (an `if` whose body ends at its await is the source's `if`, not a jump over it: no dispatch loop left)
    const straight = transform("async function g(a) {\n  if (a) await a;\n  return 1;\n}\n", { filename: "g.js" }).code;
    expect(straight).toContain("case 0:\n        if (this.a) {\n          return this.await(this.a, 1);\n        }\n        this.state = 1;\n");
    expect(straight).not.toContain("dispatch");
  });

  it("keeps the source's comments on statements taken apart with the code they become, each once", () => {
    const code = `async function g(items) {
  let n = 0; // counter
  for (const item of items) {
    try {
      // the risky part
      n += await item; // add it
    } catch {
      // failed: count down
      n--;
    }
    if (item) {
      // skip the rest
      continue;
    }
  } // end for
  switch (n) {
    // the first case
    case 1: // case one
      await 1;
      break; // out
    default:
      // other
      await 2;
  }
  // done
  return n; // result
}
function* gen() {
  // first
  yield 1; // one
  // second
  yield 2;
}
`;
    const out = transform(code, { filename: "g.js" }).code;
    for (const comment of ["// counter", "// the risky part", "// add it", "// failed: count down", "// skip the rest", "// end for", "// the first case", "// case one", "// other", "// done", "// result", "// first", "// one\n", "// second"]) {
      expect(out.split(comment).length, comment).toBe(2);
    }
    // (a declaration whose local is a field: its assignment keeps the comment on its line)
    expect(out).toContain("this.n = 0; // counter\n");
    // (a comment before a case goes with its code, in the dispatch's clause)
    expect(out).toMatch(/case 1:\n\s+\/\/ the first case\n\s+\/\/ case one\n\s+return this\.await\(1, \d+\);/);
    // (before the first statement of what a statement became, and a comment on its last line after its last)
    expect(out).toMatch(/\/\/ the risky part\n\s+return this\.await\(this\.item, \d+\);/);
    expect(out).toMatch(/this\.n \+= sent; \/\/ add it\n/);
    expect(out).toMatch(/\/\/ skip the rest\n\s+this\.state = 1;\n\s+continue dispatch;/);
    expect(out).toMatch(/\/\/ done\n\s+return this\.return\(this\.n\); \/\/ result\n/);
    // (a comment on a line of its own after a statement goes with the next one, in its state)
    expect(out).toMatch(/return this\.yield\(1, 1\); \/\/ one\n\s+\/\/ g\.js:32\n\s+case 1:\n\s+\/\/ second\n\s+return this\.yield\(2, 2\);/);
    // (--no-comments-like printing drops them all, and the program is the same)
    expect(normalized(out, "g.js")).toBe(normalized(throughBabel(code, "g.js"), "g.js"));
  });

  it("leaves out states that only jump on, and writes a try's blocks without braces where they declare nothing", () => {
    const code = "async function f(items) {\n  for (const x of items) await x;\n  let i = 0;\n  while (i < 3) {\n    i++;\n    if (i === 2) await i;\n  }\n  try { await 1; } finally { done(); }\n}\n";
    const out = transform(code, { filename: "f.js" }).code;
    // (a loop's body that ends at its await resumes at the loop's head, the state of its test)
    expect(out).toMatch(/case (\d+):\n\s+\{\n\s+if \(!this\.\$0\.next\(\)\) \{\n(.*\n){4}\s+return this\.await\(x, \1\);/);
    expect(out).not.toMatch(/case \d+:\n\s+this\.state = \d+;\n\s+continue dispatch;/);
    // (an `if` whose body ends at its await, where the loop goes on after it, is the source's `if` too)
    expect(out).toMatch(/case (\d+):\n\s+if \(!\(this\.i < 3\)\) \{\n(.*\n){4}\s+if \(this\.i === 2\) \{\n\s+return this\.await\(this\.i, \1\);\n\s+\}\n\s+this\.state = \1;\n\s+continue dispatch;/);
    expect(out).toMatch(/case \d+:\n\s+done\(\);\n\s+return this\.finish\(\d+\);/);
    // (and one with an `else`: the way to it follows the `if`; the await resumes where the `if` ends)
    const branches = transform("async function e(a) {\n  if (a) await a;\n  else a = 1;\n  return a;\n}\n", { filename: "e.js" }).code;
    expect(branches).toContain("case 0:\n        if (this.a) {\n          return this.await(this.a, 2);\n        }\n        this.state = 1;\n      // e.js:3\n      case 1:\n");
    // (the test of a jump that leaves a loop or skips a branch says it the way it reads best: `x` for `!!x`,
    // `a === b` for `!(a !== b)`; a comparison stays negated, false both ways with NaN)
    const tests = transform("async function w(q, done) {\n  while (!done) await q;\n  while (q.x !== null) await q;\n  while (q.n < 3) await q;\n}\n", { filename: "w.js" }).code;
    expect(tests).toContain("if (this.done) {\n");
    expect(tests).toContain("if (this.q.x === null) {\n");
    expect(tests).toContain("if (!(this.q.n < 3)) {\n");
    // (a loop whose body is a try statement without finally starts it at its head: no state only passes on
    // into it; with a finally block, the head stays a state of its own, outside the try statement, which a
    // `continue` from inside it jumps to through the finally block)
    const retry = transform("async function r(t) {\n  let n = 0;\n  for (;;) {\n    try { return await t(); } catch { n++; }\n  }\n}\n", { filename: "r.js" }).code;
    expect(retry).toContain("static tries = [[1, 3, -1, 4]];");
    expect(retry).toContain("case 0:\n        this.n = 0;\n        this.state = 1;\n      // r.js:4\n      case 1:\n        return this.await((0, this.t)(), 2);\n");
    const kept = transform("async function k(t) {\n  let n = 0;\n  for (;;) {\n    try { await t(); } finally { n++; }\n  }\n}\n", { filename: "k.js" }).code;
    expect(kept).toContain("case 0:\n        this.n = 0;\n      case 1:\n        this.state = 2;\n      // k.js:4\n      case 2:\n        return this.await((0, this.t)(), 3);\n      case 3:\n        this.jump(1);\n");
    // (nothing completes that try statement, whose blocks all jump on through the finally block: it ends where
    // a next state would start, one past the last, with no state of its own that would only jump back)
    expect(kept).toContain("static tries = [[2, -1, 4, 5]];");
    expect(kept).toContain("case 4:\n        this.n++;\n        return this.finish(0);\n    }\n");
    // (a block that declares something keeps its scope: its state gets a block)
    const scoped = transform("async function g() {\n  try { await 1; } finally { let x = 1; done(x); }\n}\n", { filename: "g.js" }).code;
    expect(scoped).toMatch(/case \d+:\n\s+\{\n\s+let x = 1;\n\s+done\(x\);\n\s+\}\n\s+return this\.finish\(\d+\);/);
  });

  it("keeps a switch whose cases await as the source's: each case's code in its clause up to its first await", () => {
    const code = 'async function s(x, t) {\n  switch (x) {\n    case "a":\n    case "b":\n      await t(1);\n      break;\n    case "c": {\n      const y = 2;\n      log(y);\n    }\n    default:\n      log(await t(3));\n  }\n}\n';
    const out = transform(code, { filename: "s.js" }).code;
    // (clauses in a row that lead to one case fall into its clause; a case that declares keeps its block; the
    // code of a case falls into the next as the source's does; with a `default`, nothing follows the switch)
    expect(out).toContain(
      'case 0:\n        switch (this.x) {\n          case "a":\n          case "b":\n            return this.await((0, this.t)(1), 2);\n          case "c":\n            {\n              const y = 2;\n              log(y);\n            }\n          default:\n            return this.await((0, this.t)(3), 1);\n        }\n      // s.js:12\n      case 1:\n',
    );
    // (a case whose state something else leads to, a loop's head, stays a jump; without a `default`, what
    // matches no case jumps past the switch)
    const loop = transform("async function l(x, t) {\n  switch (x) {\n    case 1:\n      while (x) x = await t(x);\n  }\n}\n", { filename: "l.js" }).code;
    expect(loop).toContain("case 0:\n        switch (this.x) {\n          case 1:\n            this.state = 1;\n            continue dispatch;\n        }\n        this.state = 3;\n        continue dispatch;\n");
  });

  it("writes line ends as \\n, and a file with nothing to lower as it is", () => {
    expect(transform(INPUTS["crlf.js"], { filename: "crlf.js" }).code).not.toContain("\r");
    expect(transform(INPUTS["crlf.js"], { filename: "crlf.js" }).code).toContain("function g() {\n\treturn a\n}");
    expect(transform(INPUTS["nothing.js"], { filename: "nothing.js" }).code).toBe("// nothing to lower\nconst  spaced   =  1 ;\nfunction plain( a ,b ){ return a+b }");
  });

  it("copies the inlined runtime printed once: the text Babel prints, mapped to no place in the source", () => {
    // (after a directive: Babel's buffer marks a token with the source position last set, which was the
    // directive's for every token of the runtime when it was printed token by token)
    for (const [filename, module] of [
      ["inline.mjs", '"use strict";\nexport async function f(x) {\n  return (await x) + 1;\n}\n'],
      ["inline.cjs", '"use strict";\nexports.f = async function f(x) {\n  return (await x) + 1;\n};\n'],
      // (a script: the runtime inside the script's namespace, printed by Babel's printer, not copied)
      ["inline.js", "async function f(x) {\n  return (await x) + 1;\n}\nf(1);\n"],
    ]) {
      const babel = transformSync(module, { filename, babelrc: false, configFile: false, ...parsingOf(filename), sourceMaps: true, plugins: [[stepwisePlugin, { runtime: "inline" }]] })!;
      const first = transform(module, { filename, runtime: "inline", sourceMaps: true });
      const again = transform(module, { filename, runtime: "inline", sourceMaps: true });
      // (byte for byte Babel's printing of the whole file, the runtime too, the first time and from the copy)
      // (a script's namespace is named by a hash of its path, which Babel makes absolute)
      const namespace = (code: string) => code.replace(/\$stepwise_[\da-f]+/g, "$stepwise");
      expect(namespace(first.code)).toBe(namespace(babel.code!));
      expect(again).toEqual(first);
      for (const [{ code, map }, copied] of [[first, true], [babel, false]] as const) {
        const lines = code!.split("\n");
        // (the runtime's factory: `} = (() => {` to `})();` at the same indentation; for one async function, a few hundred lines)
        const start = lines.findIndex((line) => /^\s*} = \(\(\) => {$/.test(line));
        const end = lines.indexOf(`${/^\s*/.exec(lines[start])![0]}})();`);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end - start).toBeGreaterThan(200);
        const mapped = new Map<number, number>();
        eachMapping(new TraceMap(map as never), (mapping) => void (mapping.originalLine != null && mapped.set(mapping.generatedLine - 1, mapping.originalLine)));
        // The runtime's lines map nowhere, the function's do. (Babel's generator has no way to say "nowhere"
        // after a place: it carries on with the directive's, never with the runtime's own places.)
        const runtime = [...mapped].filter(([line]) => line > start && line < end);
        expect(runtime.filter(([, original]) => copied || original !== 1)).toEqual([]);
        expect([...mapped.keys()].some((line) => line > end)).toBe(true);
      }
    }
  });

  it("keeps a binding's type annotation once (its parent prints it)", () => {
    const { code } = transform(INPUTS["types.ts"], { filename: "types.ts" });
    expect(code).toContain("export function keep(text: string, count?: number): string[] {\n    return [text]\n}");
    expect(code).toContain("private n?: number;");
  });

  it("maps each word of what it copies to the same word in the source", () => {
    const { code, map } = transform(UMD, { filename: "umd.js", sourceMaps: true });
    const output = code.split("\n");
    const source = UMD.split("\n");
    const copied = new Set(["x", "f", "function", "return", "multi", "toString", "this", "y", "n", "forEach", "g", "label", "break", "do", "while"]);
    let checked = 0;
    eachMapping(new TraceMap(map as never), (mapping) => {
      if (mapping.originalLine == null) return;
      const word = /^[\w$]+/.exec(output[mapping.generatedLine - 1].slice(mapping.generatedColumn))?.[0];
      if (!word || !copied.has(word)) return;
      const original = /^[\w$]+/.exec(source[mapping.originalLine - 1].slice(mapping.originalColumn!))?.[0];
      // (a word of the printed code may be one of the copied words too: only copied lines are checked)
      if (!source.some((line) => line.trim() === output[mapping.generatedLine - 1].trim())) return;
      expect(original, `${word} at ${mapping.generatedLine}:${mapping.generatedColumn}`).toBe(word);
      checked++;
    });
    expect(checked).toBeGreaterThan(10);
  });
});

describe("the source map of the states", () => {
  // What a debugger stops at, and where V8's positions inside a state are taken back to: an error thrown by
  // the operand of a `return` (`return missing()`) V8 places at the call it is an argument of, `this.return(`.
  const SOURCE = `const before = 0;
async function f(a) {
  const first = await g(a);
  console.log(first);
  return h(first);
}
function* gen() {
  yield g(1);
}
const arrow = async () => g(2);
`;
  it("takes `this.await(`, `this.yield(`, `this.return(` and `case N:` to the await, yield or return they stand for", () => {
    const { code, map } = transform(SOURCE, { filename: "states.js", sourceMaps: true });
    const traced = new TraceMap(map as never);
    const output = code.split("\n");
    const source = SOURCE.split("\n");
    const found: string[] = [];
    eachMapping(traced, (mapping) => {
      if (mapping.originalLine == null) return;
      // (a case's place is on its number: the `case` keyword only carries on where the code before it ended)
      const line = output[mapping.generatedLine - 1];
      if (line.startsWith("case ", mapping.generatedColumn)) return;
      const onNumber = /^\d+:/.test(line.slice(mapping.generatedColumn)) && line.slice(0, mapping.generatedColumn).endsWith("case ");
      const generated = line.slice(mapping.generatedColumn - (onNumber ? "case ".length : 0));
      const words = /^(return this\.\w+\(|this\.\w+\(|case \d+:)/.exec(generated)?.[0];
      if (words) found.push(`${words} -> ${source[mapping.originalLine - 1].slice(mapping.originalColumn!).split(";")[0]}`);
    });
    expect(found).toEqual([
      "case 0: -> await g(a)",
      "return this.await( -> await g(a)",
      "case 1: -> first = await g(a)",
      "return this.return( -> return h(first)",
      "case 0: -> yield g(1)",
      "return this.yield( -> yield g(1)",
      // (the end of the body: after the last statement; its state has no statement of the source)
      "return this.return( -> ",
      "return this.return( -> g(2)",
    ]);
  });
});

describe("the source map of what is copied", () => {
  it("maps a call's `(` and a member's `[`, `]` and `.` on their own, where V8 places a failed call or read", () => {
    const source = "async function unused() {}\nconst handlers = {};\nhandlers[name]();\no[k][k].z?.y(1);\n";
    const { code, map } = transform(source, { filename: "copied.js", sourceMaps: true });
    const traced = new TraceMap(map as never);
    const output = code.split("\n");
    const marks = new Map<string, string>();
    eachMapping(traced, (mapping) => {
      if (mapping.originalLine == null) return;
      const char = output[mapping.generatedLine - 1][mapping.generatedColumn];
      if ("([].".includes(char)) marks.set(`${mapping.originalLine}:${mapping.originalColumn}`, char);
    });
    // (each at its own column of the source)
    expect([...marks].filter(([at]) => at.startsWith("3:") || at.startsWith("4:"))).toEqual([
      ["3:8", "["], ["3:13", "]"], ["3:14", "("],
      ["4:1", "["], ["4:3", "]"], ["4:4", "["], ["4:6", "]"], ["4:7", "."], ["4:10", "."], ["4:12", "("],
    ]);
  });
});
