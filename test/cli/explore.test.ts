import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseLines, matchCalls, parseTrace, tracedFiles, type ExploreFile } from "../../src/explore/data.ts";
import { annotateSvg } from "../../src/explore/graph-svg.ts";
import { renderDot } from "../../src/inspect/render.ts";
import { bin, node, remove, root, stepwise, workspace } from "./helpers.ts";

/** The data the page carries (its <script type="application/json">). */
function pageData(html: string) {
  const match = /<script type="application\/json" id="stepwise-data">([\s\S]*?)<\/script>/.exec(html);
  return JSON.parse(match![1]) as {
    schema: string;
    mode: string;
    exitCode: number;
    files: { path: string; source: string; code: string; functions: { name: string; svg: string; cases: Record<number, { start: number; end: number }> }[] }[];
    calls: Record<number, [number, number]>;
    events: { type: string }[];
  };
}

describe("stepwise explore", () => {
  let dir: string;
  beforeAll(() => {
    dir = workspace({ "main.mjs": "async function f() { await null; }\nf();\n", "broken.js": "async function f( {\n" });
  });
  afterAll(() => remove(dir));

  it("writes one self-contained page: source, generated class, state graphs and the trace", () => {
    // (the page's folder is made, as build -o makes its file's)
    const result = stepwise(["explore", "examples/question.js", "-o", join(dir, "new/q.html")], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("before a\nbefore b\nboth started\nafter a\nafter b\n");
    expect(result.stderr).toMatch(/^stepwise explore: 15 events of examples\/question\.js written to .*q\.html\n$/);
    const html = readFileSync(join(dir, "new/q.html"), "utf8");
    // Nothing is fetched: no external script, style, image or font.
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain("default-src 'none'");
    const data = pageData(html);
    expect(data).toMatchObject({ schema: "stepwise.explore/1", mode: "promise", exitCode: 0 });
    expect(data.files.map((file) => file.path)).toEqual(["examples/question.js"]);
    const [coro] = data.files[0].functions;
    expect(coro.name).toBe("coro");
    expect(coro.svg).toMatch(/^<svg/);
    expect(coro.svg).toContain("<title>f0_s1</title>");
    // Each node and edge says where it is (the page puts in only those near the view), and nothing else is left to parse.
    expect(coro.svg).toMatch(/<g id="node\d+" class="node" data-state="1" data-box="\d+ \d+ \d+ \d+">/);
    expect(coro.svg).toMatch(/<g id="edge\d+" class="edge" data-box="\d+ \d+ \d+ \d+">/);
    expect(coro.svg).not.toContain("<!--");
    // Each state's case in the class, from its `// file:line` comment.
    const code = data.files[0].code.split("\n");
    expect(code[coro.cases[0].start - 1].trim()).toBe("// question.js:5");
    expect(code[coro.cases[1].start - 1].trim()).toBe("// question.js:7");
    expect(code[coro.cases[1].end - 1].trim()).toBe("return this.return();");
    expect(data.calls).toEqual({ 1: [0, 0], 2: [0, 0] });
    expect(data.events.filter((event) => event.type === "enter")).toHaveLength(4);
  });

  it("a program killed by a signal no handler sees: its page has what it did and its exit code, as run --trace=html does", () => {
    const killed = 'async function f() {\n  await null;\n  console.log("before");\n  process.kill(process.pid, "SIGKILL");\n}\nf();\n';
    const ws = workspace({ "killed.js": killed });
    try {
      const explored = stepwise(["explore", "killed.js", "-o", "k.html"], { cwd: ws });
      expect(explored.code).toBe(0);
      expect(explored.stdout).toBe("before\n");
      expect(explored.stderr).toBe("stepwise explore: the program was killed (exit code 137); exploring what it did\nstepwise explore: 6 events of killed.js written to k.html\n");
      const data = pageData(readFileSync(join(ws, "k.html"), "utf8"));
      expect(data.exitCode).toBe(137);
      expect(data.events.filter((event) => event.type === "enter")).toHaveLength(2);
      const drawn = stepwise(["run", "--trace=html", "killed.js"], { cwd: ws });
      expect(drawn.code).toBe(137);
      expect(drawn.stderr).toBe("stepwise run: the program was killed (exit code 137); the trace so far written to stepwise-trace.html\n");
      expect(readFileSync(join(ws, "stepwise-trace.html"), "utf8")).toContain("f#1 resumes in state 1");
    } finally {
      remove(ws);
    }
  });

  it("explores a loop-mode program with the loop's own events", () => {
    const result = stepwise(["explore", "--mode", "loop", "examples/loop/question.js", "-o", join(dir, "l.html")], { cwd: root });
    expect(result.code).toBe(0);
    const data = pageData(readFileSync(join(dir, "l.html"), "utf8"));
    expect(data.mode).toBe("loop");
    expect(data.files[0].functions.map((fn) => fn.name)).toEqual(["coro", "main"]);
    expect(data.events.some((event) => event.type === "loop")).toBe(true);
  });

  it("maps states to cases in a class with nested switches and no line comments", () => {
    const code = ["class M extends X {", "  resume() {", "    switch (this.state) {", "      case 0:", "        switch (a) {", "          case 1:", "            b();", "        }", "        return this.await(c, 1);", "      case 1:", "        return this.return();", "    }", "  }", "}"].join("\n");
    const states = [0, 1].map((index) => ({ index, line: null, span: null, suspends: null, returns: false, region: null }));
    const { classLines, cases } = caseLines(code, { name: "m", kind: "async", className: "M", line: 1, states, edges: [], tries: [] });
    expect(classLines).toEqual({ start: 1, end: 14 });
    expect(cases).toEqual({ 0: { start: 4, end: 9 }, 1: { start: 10, end: 11 } });
  });

  it("reads a trace cut short, finds its files, and tells calls of functions with the same name apart", () => {
    const text = ['{"seq":0,"type":"start"}', '{"seq":1,"type":"enter","call":1,"function":"main","state":0,"at":"lib/a.js:3"}', '{"seq":2,"type":"enter","call":2,"function":"main","state":0,"at":"b.js:9"}', '{"seq":3,"type":"le'].join("\n");
    const events = parseTrace(text);
    expect(events.map((event) => event.seq)).toEqual([0, 1, 2]);
    expect(tracedFiles(events)).toEqual(["lib/a.js", "b.js"]);
    const fn = (line: number) => ({ name: "main", kind: "async" as const, className: "Main", line, states: [{ index: 0, line, span: null, suspends: null, returns: true, region: null }], edges: [], tries: [], svg: "", classLines: null, cases: {} });
    const files: ExploreFile[] = [
      { path: "b.js", source: "", code: "", functions: [fn(9)] },
      { path: "lib/a.js", source: "", code: "", functions: [fn(3)] },
    ];
    expect(matchCalls(files, events)).toEqual({ 1: [1, 0], 2: [0, 0] });
  });

  it("tells apart two anonymous functions on one line by their machine's class, and reads a trace without it by name and line", () => {
    const fn = (className: string) => ({ name: "anonymous", kind: "async" as const, className, line: 3, states: [{ index: 0, line: 3, span: null, suspends: null, returns: true, region: null }], edges: [], tries: [], svg: "", classLines: null, cases: {} });
    const files: ExploreFile[] = [{ path: "a.js", source: "", code: "", functions: [fn("Anonymous"), fn("Anonymous_2")] }];
    const enter = (call: number, machine?: string) => ({ seq: call, t: 0, type: "enter", call, function: "anonymous", state: 0, at: "a.js:3", first: true, ...(machine && { machine }) });
    expect(matchCalls(files, [enter(1, "Anonymous_2"), enter(2, "Anonymous"), enter(3, "Anonymous_2")])).toEqual({ 1: [0, 1], 2: [0, 0], 3: [0, 1] });
    // (an old trace, or a class the project's plugins renamed: the first of that name and line)
    expect(matchCalls(files, [enter(1), enter(2, "Renamed")])).toEqual({ 1: [0, 0], 2: [0, 0] });
  });

  it("cuts a long heading or operand in the graph's labels, whole in their tooltip (inspect's dot keeps them whole)", () => {
    const name = "x".repeat(60);
    const state = { index: 0, line: 2, span: null, suspends: { kind: "await" as const, operand: `load(${"a".repeat(50)})` }, returns: false, region: null };
    const doc = { schema: "stepwise.inspect/1" as const, file: "long.js", functions: [{ name, kind: "async" as const, className: "X", line: 1, states: [state], edges: [], tries: [] }] };
    const dot = renderDot(doc, { labelMost: 20 });
    expect(dot).toContain('label="async function xxxx…\\nlong.js:1";');
    expect(dot).toContain(`tooltip="async function ${name}\\nlong.js:1";`);
    expect(dot).toContain('[label="0 · line 2\\nawait load(aaaaaaaa…"');
    expect(dot).toContain(`tooltip="0 · line 2\\nawait load(${"a".repeat(50)})"];`);
    expect(renderDot(doc)).not.toContain("…");
  });

  it("writes each graph node's state and box in viewBox units, through a tooltip's nested group", () => {
    const svg = [
      '<?xml version="1.0"?>\n<svg width="100pt" height="200pt" viewBox="0.00 0.00 100.00 200.00">',
      '<g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 196)">',
      "<!-- f0_s3 -->",
      '<g id="node4" class="node">\n<title>f0_s3</title>\n<g id="a_node4"><a xlink:title="await x">',
      '<path fill="none" stroke="black" d="M10,-150C10,-150 60,-150 60,-120"/>',
      "</a>\n</g>\n</g>",
      '<g id="edge2" class="edge">\n<title>f0_s3&#45;&gt;f0_end</title>\n<ellipse cx="30" cy="-20" rx="5" ry="4"/>\n</g>',
      "</g>\n</svg>\n",
    ].join("\n");
    const annotated = annotateSvg(svg);
    expect(annotated.startsWith("<svg")).toBe(true);
    expect(annotated).not.toContain("<!--");
    expect(annotated).toContain('<g id="node4" class="node" data-state="3" data-box="14 46 64 76">');
    expect(annotated).toContain('<g id="edge2" class="edge" data-box="29 172 39 180">');
  });

  it("passes what follows the file to the program, as run does, but for -o and --serve", () => {
    const args = workspace({ "argv.js": 'async function main() {\n  await null;\n  console.log(JSON.stringify(process.argv.slice(2)));\n}\nmain();\n' });
    for (const [command, expected] of [
      [["explore", "argv.js", "-o", "a.html", "a", "b c", "--flag", "--mode", "loop"], '["a","b c","--flag","--mode","loop"]'],
      [["explore", "--mode", "promise", "argv.js", "x", "--", "-o", "y"], '["x","--","-o","y"]'],
    ] as [string[], string][]) {
      const result = stepwise(command, { cwd: args });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe(expected);
    }
    expect(readFileSync(join(args, "a.html"), "utf8")).toMatch(/^<!doctype html>/);
  });

  it("explores code given with -e or on stdin, as run -e and run - run it ([eval], [stdin]), with the program's arguments", () => {
    const code = "async function twice(x) {\n  await null;\n  return 2 * x;\n}\ntwice(21).then((v) => console.log(v, process.argv.slice(1)));\n";
    const evaluated = stepwise(["explore", "-e", code, "-o", "eval.html", "a", "b"], { cwd: dir });
    expect(evaluated).toMatchObject({ code: 0, stdout: "42 [ 'a', 'b' ]\n" });
    expect(evaluated.stderr).toMatch(/^stepwise explore: \d+ events of \[eval\] written to eval\.html\n$/);
    const page = readFileSync(join(dir, "eval.html"), "utf8");
    expect(page).toContain("<title>stepwise explore: [eval]</title>");
    expect(page).toContain("class Twice extends AsyncMachine");
    const piped = stepwise(["explore", "-", "-o", "stdin.html", "c"], { cwd: dir, input: code });
    expect(piped).toMatchObject({ code: 0, stdout: "42 [ '-', 'c' ]\n" });
    expect(readFileSync(join(dir, "stdin.html"), "utf8")).toContain("<title>stepwise explore: [stdin]</title>");
    // (an ES module by its syntax, with no file given: stdin)
    expect(stepwise(["explore", "-o", "module.html"], { cwd: dir, input: "const v = await Promise.resolve(1);\nconsole.log(v, import.meta.url.endsWith(\"[eval1]\"));\n" })).toMatchObject({ code: 0, stdout: "1 true\n" });
  });

  it("draws no graph for a function of more states than Graphviz lays out (2,500), and says so where it would be", () => {
    const awaits = Array.from({ length: 2600 }, (_, i) => `  await ${i};\n`).join("");
    const big = workspace({ "big.js": `async function big() {\n${awaits}}\nbig();\n` });
    const result = stepwise(["explore", "big.js", "-o", "big.html"], { cwd: big });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(big, "big.html"), "utf8")).toContain("2,601 states: more than a graph is drawn for (2,500).");
  });

  it("bad command lines and missing files get one clear line each", () => {
    const cases: [string[], number, string][] = [
      [["explore", "missing.js"], 3, "stepwise explore: no such file or directory: missing.js\n"],
      [["explore", "."], 3, "stepwise explore: is a directory: .\n"],
      [["explore", "--frob", "main.mjs"], 2, "stepwise explore: unknown option --frob (see stepwise explore --help)\n"],
      [["explore", "--mode", "fast", "main.mjs"], 2, 'stepwise explore: --mode must be "promise" or "loop", got "fast"\n'],
      [["explore", "-o"], 2, "stepwise explore: option --output needs a value (see stepwise explore --help)\n"],
      [["explore", "--serve", "-o", "x.html", "main.mjs"], 2, "stepwise explore: --serve and --output do not go together (the page is served, not written)\n"],
      // (checked before the program runs: nothing on stdout)
      [["explore", "main.mjs", "-o", "main.mjs/x.html"], 3, "stepwise explore: --output: not a directory: main.mjs\n"],
      [["explore", "main.mjs", "-o", "."], 3, "stepwise explore: --output: is a directory: .\n"],
      [["explore", "--config-file", "nope.json", "main.mjs"], 3, "stepwise explore: --config-file: no such file or directory: nope.json\n"],
      // (the page would replace the program; nor may run's trace)
      [["explore", "main.mjs", "-o", "main.mjs"], 2, "stepwise explore: --output: refusing to write over the program main.mjs\n"],
      [["run", "--trace=json", "--trace-file", "./main.mjs", "main.mjs"], 2, "stepwise run: --trace-file: refusing to write over the program ./main.mjs\n"],
    ];
    for (const [args, code, stderr] of cases) {
      const result = stepwise(args, { cwd: dir });
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code, stderr });
    }
    expect(readFileSync(join(dir, "main.mjs"), "utf8")).toBe("async function f() { await null; }\nf();\n");
    expect(stepwise(["explore", "--help"]).stdout).toMatch(/^Usage: stepwise explore/);
  });

  it("reads the project's Babel configuration, as run does, for the run and for the page", () => {
    const project = workspace({
      "define.cjs": 'module.exports = ({ types: t }) => ({ visitor: { Identifier(path) { if (path.node.name === "__WHO__") path.replaceWith(t.stringLiteral("babel config")); } } });\n',
      ".babelrc": '{ "plugins": ["./define.cjs"] }',
      "a.js": "async function f() {\n  await 1;\n  console.log(__WHO__);\n}\nf();\n",
    });
    try {
      const result = stepwise(["explore", "a.js", "-o", "a.html"], { cwd: project });
      expect(result).toMatchObject({ code: 0, stdout: "babel config\n" });
      expect(pageData(readFileSync(join(project, "a.html"), "utf8")).files[0].code).toContain('console.log("babel config")');
    } finally {
      remove(project);
    }
  });

  it("a syntax error in the program: file:line:col and a code frame, exit 1, nothing run", () => {
    const result = stepwise(["explore", "broken.js"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^broken\.js:\d+:\d+: syntax error: .*\n(.*\n)*> 2 \|/);
  });

  it.each(["SIGTERM", "SIGINT"] as const)("--serve serves the page on 127.0.0.1 until %s", async (signal) => {
    const child = spawn(node, [bin, "explore", "--serve", "main.mjs"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        stdout += chunk;
        const match = /serving on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.on("exit", (code) => reject(new Error(`exited ${code} before serving: ${stdout}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain('id="stepwise-data"');
    expect((await fetch(new URL("/elsewhere", url))).status).toBe(404);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill(signal);
    expect(await exited).toBe(0);
  });
});
