// `stepwise run`, through the real bin: programs, their imports, source maps, --trace in every format,
// and the error exits.
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NODE24 } from "../support/node24.ts";
import { bin, node as cliNode, NODES, remove, root, stepwise, workspace } from "./helpers.ts";

const dir = workspace({
  "main.mjs": `import { helper } from "./lib.ts";
import cjs from "./c.cjs";
async function main() {
  console.log("args", JSON.stringify(process.argv.slice(2)));
  console.log(await helper(2), await cjs.twice(4));
  await null;
  if (process.argv.includes("--fail")) throw new Error("boom");
  process.exitCode = 7;
}
main();
`,
  "lib.ts": "export async function helper(n: number): Promise<number> {\n  const v: number = await n;\n  return v * 10;\n}\n",
  "c.cjs": '"use strict";\nexports.twice = async function twice(x) { const y = await x; return y * 2; };\n',
  "bad.js": "async function g() {\n  await (1 +;\n}\n",
  // (strict code after a license header: what `run` adds to a file must not come before its "use strict")
  "strict.cjs": '/*\n * License\n */\n// header\n"use strict";\nconst plainThis = function () { return this; };\n(async () => { await null; console.log("this", plainThis()); })();\n',
  "strict.mjs": 'import "./strict.cjs";\n',
  "imports-bad.mjs": 'import "./bad.js";\n',
});
afterAll(() => remove(dir));

/** Runs the bin with stdout and stderr in one file, as a terminal would show them. */
function merged(args: string[], cwd = dir, node = cliNode): { code: number | null; output: string } {
  const file = join(dir, `.out-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const fd = openSync(file, "w");
  const result = spawnSync(node, [bin, ...args], { cwd, stdio: ["ignore", fd, fd], env: { ...process.env, NO_COLOR: "1" }, timeout: 60_000 });
  closeSync(fd);
  const output = readFileSync(file, "utf8");
  remove(file);
  return { code: result.status, output };
}

// A stand-in for React's automatic JSX runtime: elements print as markup.
const JSX_RUNTIME = `"use strict";
const render = (type, props) => {
  if (typeof type === "function") return type(props);
  const { children = [], ...attrs } = props;
  const kids = [].concat(children).join("");
  if (type === Fragment) return kids;
  const attributes = Object.entries(attrs).map(([k, v]) => \` \${k}="\${v}"\`).join("");
  return \`<\${type}\${attributes}>\${kids}</\${type}>\`;
};
const Fragment = Symbol.for("fragment");
exports.Fragment = Fragment;
exports.jsx = render;
exports.jsxs = render;
`;

const jsxDir = workspace({
  "node_modules/react/package.json": JSON.stringify({ name: "react", version: "0.0.0", main: "jsx-runtime.js", exports: { "./jsx-runtime": "./jsx-runtime.js" } }),
  "node_modules/react/jsx-runtime.js": JSX_RUNTIME,
  "app.jsx": `import { Card } from "./card.tsx";
async function title(name) {
  await null;
  return name.toUpperCase();
}
async function page() {
  return <main id="p"><>{await title("hello")}</><Card label={await title("card")} /></main>;
}
page().then((html) => console.log(html));
`,
  "card.tsx": `export function Card({ label }: { label: string }): string {
  return <section>{label}</section> as unknown as string;
}
`,
  "script.jsx": `/** @jsxRuntime classic */
/** @jsx h */
const h = (type, props, ...children) => type + "(" + children.join(",") + ")";
async function main() {
  console.log(<list>{await 1}{await 2}</list>);
}
main();
`,
  "broken.jsx": "async function f() {\n  return <div>{await x}</span>;\n}\n",
});
afterAll(() => remove(jsxDir));

describe("stepwise run: JSX", () => {
  it("runs .jsx and .tsx files, awaits inside JSX included, with the automatic runtime", () => {
    const result = stepwise(["run", "app.jsx"], { cwd: jsxDir });
    expect(result).toMatchObject({ code: 0, stdout: '<main id="p">HELLO<section>CARD</section></main>\n', stderr: "" });
  });

  // (a script an ES module loader starts: Node 22 ran its JSX untransformed when the hook gave its source)
  it.each(NODES)("honours the classic runtime pragma in a script (%s)", (_, on) => {
    const result = stepwise(["run", "script.jsx"], { cwd: jsxDir, node: on });
    expect(result).toMatchObject({ code: 0, stdout: "list(1,2)\n", stderr: "" });
  });

  it("a JSX syntax error names file:line:col", () => {
    const result = stepwise(["run", "broken.jsx"], { cwd: jsxDir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/broken\.jsx:2:\d+/);
  });
});

describe("stepwise run", () => {
  it("the program's process.argv0 is what started stepwise (node), as natively, not the full path", () => {
    const probe = workspace({ "argv0.js": "console.log(process.argv0, process.argv[0] === process.execPath);\n" });
    try {
      const options = { cwd: probe, encoding: "utf8" as const, argv0: "node", env: { ...process.env, NO_COLOR: "1" } };
      const native = spawnSync(cliNode, ["argv0.js"], options);
      expect(native.stdout).toBe("node true\n");
      const run = spawnSync(cliNode, [bin, "run", "argv0.js"], options);
      expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 0, stdout: native.stdout, stderr: "" });
    } finally {
      remove(probe);
    }
  });

  it("the bin runs as a program (npx stepwise in a fresh checkout executes the file itself)", () => {
    const result = spawnSync(bin, ["run", "examples/question.js"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toBe("before a\nbefore b\nboth started\nafter a\nafter b\n");
  });

  it("runs the motivating example, transformed, with its output", () => {
    const result = stepwise(["run", "examples/question.js"], { cwd: root });
    expect(result).toMatchObject({ code: 0, stdout: "before a\nbefore b\nboth started\nafter a\nafter b\n", stderr: "" });
  });

  it("transforms the files a program imports (TypeScript, CommonJS), passes its arguments, keeps its exit code", () => {
    const result = stepwise(["run", "main.mjs", "x", "--flag", "--", "--trace"], { cwd: dir });
    expect(result.stdout).toBe('args ["x","--flag","--","--trace"]\n20 8\n');
    expect(result.code).toBe(7);
  });

  it("gives the program the arguments node gives it: a `--` after the file too; `run -- file` passes a --trace on", () => {
    const argv = workspace({ "argv.js": "console.log(JSON.stringify(process.argv.slice(2)));\n" });
    for (const args of [["x", "--", "--z"], ["--", "a"], ["a", "--", "--", "b"]]) {
      const natively = spawnSync(cliNode, ["argv.js", ...args], { cwd: argv, encoding: "utf8" });
      expect(stepwise(["run", "argv.js", ...args], { cwd: argv })).toEqual({ code: 0, stdout: natively.stdout, stderr: "" });
    }
    expect(stepwise(["run", "--", "argv.js", "--trace", "x"], { cwd: argv })).toEqual({ code: 0, stdout: '["--trace","x"]\n', stderr: "" });
    remove(argv);
  });

  it("class fields of a .ts file are what Node 24 makes of them: `declare` ones go, the others are fields set to undefined", () => {
    const fields = workspace({
      "fields.ts": `class Base {
  x: number;
  declare y: string;
  declare static z: number;
  static q: number;
  w = 1;
  constructor() { (this as any).v = "set by Base"; console.log("base sees", Object.keys(this)); }
  async read(): Promise<string> { await null; return \`\${this.x} \${"y" in this} \${this.w}\`; }
}
class Derived extends Base {
  v!: string;
  declare w: number;
}
const derived = new Derived();
console.log("derived", Object.keys(derived), derived.v, "z" in Base, "q" in Base);
new Base().read().then((text) => console.log("read", text));
`,
    });
    const native = spawnSync(NODE24, ["fields.ts"], { cwd: fields, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "--disable-warning=ExperimentalWarning" } });
    expect(native.stderr).toBe("");
    expect(native.stdout).toBe("base sees [ 'x', 'w', 'v' ]\nderived [ 'x', 'w', 'v' ] undefined false true\nbase sees [ 'x', 'w', 'v' ]\nread undefined false 1\n");
    expect(stepwise(["run", "fields.ts"], { cwd: fields })).toEqual({ code: 0, stdout: native.stdout, stderr: "" });
    remove(fields);
  });

  it("keeps a file strict whose \"use strict\" comes after comments", () => {
    expect(spawnSync(cliNode, ["strict.cjs"], { cwd: dir, encoding: "utf8" }).stdout).toBe("this undefined\n");
    expect(stepwise(["run", "strict.cjs"], { cwd: dir })).toMatchObject({ code: 0, stdout: "this undefined\n", stderr: "" });
    expect(stepwise(["run", "strict.mjs", "--trace"], { cwd: dir }).stdout).toContain("this undefined\n");
  });

  it("stack traces point at the original lines (source maps)", () => {
    const result = stepwise(["run", "main.mjs", "--", "--fail"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Error: boom");
    expect(result.stderr).toMatch(/main\.mjs:7:\d+\)?\n/);
  });

  // (on Node 24 too, which prints a promise's async_hooks ids without brackets: the trace leaves them out)
  it.each([["the machine's node", process.execPath], ["Node 24", NODE24]])("--trace prints how the two coroutines take turns, interleaved with the program's output (%s)", (_, node) => {
    const { code, output } = merged(["run", "examples/question.js", "--trace"], root, node);
    expect(code).toBe(0);
    expect(output).toBe(`stepwise run: tracing examples/question.js (each ▶ is a machine resuming; lines without ┊ are the program's output)
┄┄ main: the program's first run ┄┄
┊ ▶ coro#1 starts in state 0 (examples/question.js:5)
before a
┊ ⏸ coro#1 awaits sleep(0) = Promise { <pending> }, then state 1
┊ ▶ coro#2 starts in state 0 (examples/question.js:5)
before b
┊ ⏸ coro#2 awaits sleep(0) = Promise { <pending> }, then state 1
both started
┄┄ macrotask 1: timer ┄┄
┊ · microtask 1
┊ ▶ coro#1 resumes in state 1 (examples/question.js:7) with undefined
after a
┊ ✓ coro#1 returns undefined
┄┄ macrotask 2: timer ┄┄
┊ · microtask 1
┊ ▶ coro#2 resumes in state 1 (examples/question.js:7) with undefined
after b
┊ ✓ coro#2 returns undefined
stepwise run: 4 steps of 2 calls in 3 macrotasks; exit code 0
`);
  });

  it("a main file without an extension (a #! script) is lowered and traced too, as Node loads it as JavaScript", () => {
    const bin = workspace({ "cli": '#!/usr/bin/env node\nasync function m() { await null; console.log("shebang ok"); }\nm();\n' });
    const result = stepwise(["run", "--trace", "cli"], { cwd: bin });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("shebang ok\n");
    expect(result.stderr).toContain("┊ ▶ m#1 starts in state 0 (cli:2)");
    expect(result.stderr).toContain("2 steps of 1 call");
  });

  it("--trace says which steps never left when the program ends inside them (an exit from an inline call: both)", () => {
    const ends = workspace({ "ends.js": "async function inner() { process.exit(4); }\nasync function outer() {\n  await null;\n  await inner();\n}\nouter();\n" });
    const result = stepwise(["run", "--trace", "ends.js"], { cwd: ends });
    expect(result.code).toBe(4);
    expect(result.stderr.split("\n").slice(-4)).toEqual([
      "┊ ■ inner#2 never leaves its step from state 0: the program ended",
      "┊ ■ outer#1 never leaves its step from state 1: the program ended",
      "stepwise run: 3 steps of 2 calls in 1 macrotask; exit code 4",
      "",
    ]);
    // (the picture draws them to its end, pale and dashed)
    expect(stepwise(["run", "--trace=svg", "--trace-file", "ends.svg", "ends.js"], { cwd: ends }).code).toBe(4);
    const picture = readFileSync(join(ends, "ends.svg"), "utf8");
    expect(picture.match(/<title>[^<]* never leaves its step: the program ended<\/title><rect [^>]*stroke-dasharray="3,3"/g)?.map((box) => /<title>(\S+)/.exec(box)![1])).toEqual(["outer#1:", "inner#2:"]);
  });

  it("a comment that mentions stepwise/loop does not make the program a loop-mode one (an import does)", () => {
    const commented = workspace({
      "main.js": '// To use the event loop instead: import { run } from "stepwise/loop";\n/* or require("stepwise/loop") */\nasync function main() {\n  await null;\n  console.log("main ran");\n}\nmain();\n',
    });
    expect(stepwise(["run", "main.js"], { cwd: commented })).toEqual({ code: 0, stdout: "main ran\n", stderr: "" });
  });

  it("--trace describes a proxy by its target and handler, running none of its traps (the program runs as natively)", () => {
    const traced = workspace({
      "proxy.js": 'let traps = 0;\nconst p = new Proxy({ a: 1 }, { getPrototypeOf() { traps++; throw new Error("trap"); }, get(t, k) { traps++; return t[k]; } });\nasync function main() { await p; return p; }\nmain().then(() => console.log("ok", traps), (e) => console.log("rejected:", e.message));\n',
    });
    const result = stepwise(["run", "--trace=json", "--trace-file", "trace.jsonl", "proxy.js"], { cwd: traced });
    expect(result).toEqual({ code: 0, stdout: spawnSync(cliNode, ["proxy.js"], { cwd: traced, encoding: "utf8" }).stdout, stderr: "" });
    expect(result.stdout).toBe("ok 2\n");
    const events = readFileSync(join(traced, "trace.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(events.filter((event) => event.type === "leave").map((event) => event.value)).toEqual(["Proxy [ [Object], [Object] ]", "Proxy [ [Object], [Object] ]"]);
  });

  it("--trace tells a generator's return(v) and throw(e) from a value sent in", () => {
    const traced = workspace({
      "gen.js": 'function* g() {\n  try {\n    yield 1;\n  } finally {\n    console.log("cleanup");\n  }\n}\nconst a = g();\na.next();\na.next("sent");\nconst b = g();\nb.next();\nb.return(5);\nconst c = g();\nc.next();\ntry { c.throw(new Error("boom")); } catch {}\n',
    });
    const result = stepwise(["run", "--trace", "gen.js"], { cwd: traced, env: { NO_COLOR: "1" } });
    expect(result.code).toBe(0);
    const resumes = result.stderr.split("\n").filter((line) => line.includes("resumes"));
    expect(resumes).toEqual([
      '┊ ▶ g#1 resumes in state 1 with "sent"',
      "┊ ▶ g#2 resumes in state 1 told to return 5",
      "┊ ▶ g#3 resumes in state 1 thrown Error: boom",
    ]);
    stepwise(["run", "--trace=json", "--trace-file", "trace.jsonl", "gen.js"], { cwd: traced });
    const events = readFileSync(join(traced, "trace.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(events.filter((event) => event.type === "enter" && !event.first).map(({ sent, thrown, returned }) => ({ sent, thrown, returned }))).toEqual([
      { sent: '"sent"', thrown: undefined, returned: undefined },
      { sent: "5", thrown: undefined, returned: true },
      { sent: "Error: boom", thrown: true, returned: undefined },
    ]);
  });

  it("--trace tells the states a step runs in: falling into the next state, jumping, a catch, a finally, a loop within the step", () => {
    const traced = workspace({
      "states.js": [
        "async function f(items) {",
        "  let total = 0;",
        "  for (const item of items) {",
        "    try {",
        '      if (item < 0) throw new Error("negative");',
        "      total += await item;",
        "    } catch {",
        "      total -= 1;",
        "    } finally {",
        "      total *= 2;",
        "    }",
        "  }",
        "  return total;",
        "}",
        "async function spin(n) {",
        "  let k = 0;",
        "  while (k < n) {",
        "    k++;",
        "    if (k < 0) await k;",
        "  }",
        "  await null;",
        "}",
        "f([1, -1, 2]).then(console.log);",
        "spin(2000);",
        "",
      ].join("\n"),
    });
    const result = stepwise(["run", "--trace", "states.js"], { cwd: traced, env: { NO_COLOR: "1" } });
    expect(result.code).toBe(0);
    expect(result.stderr.split("\n").filter((line) => /[⏸✓]/.test(line))).toEqual([
      "┊ ⏸ f#1 (states 0 → 1 → 2) awaits item = 1, then state 3",
      // (the loop's head is state 1, where the `if` that skips its await jumps back to)
      "┊ ⏸ spin#2 (states 0 → 1 → 1 → 1 → 1 → 1 → 1 → 1 → 1 → 1 → 1 → 1 → 1 → 1 → … 1988 more → 2) awaits null = null, then state 3",
      // (the second item throws in state 2: its catch block is state 4, the finally block state 5, from
      // which the jump that ran it goes on to the loop's head)
      "┊ ⏸ f#1 (states 3 → 5 → 1 → 2 → 4 → 5 → 1 → 2) awaits item = 2, then state 3",
      "┊ ✓ spin#2 returns undefined",
      "┊ ✓ f#1 (states 3 → 5 → 1 → 7) returns 8",
    ]);
    stepwise(["run", "--trace=json", "--trace-file", "trace.jsonl", "states.js"], { cwd: traced });
    const leaves = readFileSync(join(traced, "trace.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line)).filter((event) => event.type === "leave");
    expect(leaves.map(({ through, throughMore }) => [through?.length, through?.slice(0, 3), through?.at(-1), throughMore])).toEqual([
      [2, [1, 2], 2, undefined],
      // (at most 1,000 states: the first 999 and the last, the 1,002 between them counted)
      [1000, [1, 1, 1], 2, 1002],
      [7, [5, 1, 2], 2, undefined],
      [undefined, undefined, undefined, undefined],
      [3, [5, 1, 7], 7, undefined],
    ]);
  });

  it("--trace=json writes versioned JSON Lines events (to --trace-file)", () => {
    const result = stepwise(["run", "--trace=json", "--trace-file", join(dir, "trace.jsonl"), "main.mjs"], { cwd: dir });
    expect(result.code).toBe(7);
    const events = readFileSync(join(dir, "trace.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ seq: 0, type: "start", schema: "stepwise.trace/1", file: "main.mjs", args: [], mode: "promise" });
    expect(events.at(-1)).toMatchObject({ type: "exit", code: 7, calls: 3 });
    expect(events[1]).toMatchObject({ type: "macrotask", macrotask: 0, source: "main" });
    expect(events[2]).toMatchObject({ type: "enter", call: 1, function: "main", kind: "async", state: 0, at: "main.mjs:4", first: true, machine: "Main", macrotask: 0, microtask: 0 });
    // (the machine's class only on a call's first step)
    expect(events.filter((event) => event.type === "enter" && "machine" in event).length).toBe(3);
    const helperLeave = events.find((event) => event.type === "leave" && event.function === "helper" && event.signal === "await");
    expect(helperLeave).toMatchObject({ call: 2, state: 1, value: "2", at: "lib.ts:2" });
    expect(events.filter((event) => event.type === "leave" && event.signal === "return").map((event) => [event.function, event.value])).toEqual([
      ["helper", "20"],
      ["twice", "8"],
      ["main", "undefined"],
    ]);
    expect(events.some((event) => event.type === "microtask" && event.macrotask === 0)).toBe(true);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i));
  });

  it("--trace=svg and --trace=html draw one lane per call", () => {
    const svg = stepwise(["run", "examples/question.js", "--trace=svg", "--trace-file", join(dir, "q.svg")], { cwd: root });
    expect(svg.code).toBe(0);
    expect(svg.stderr).toMatch(/^stepwise run: trace written to .*q\.svg\n$/);
    const picture = readFileSync(join(dir, "q.svg"), "utf8");
    expect(picture).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(picture).toContain(">coro#1</text>");
    expect(picture).toContain(">coro#2</text>");
    expect(picture).toContain("macrotask 2: timer");
    const html = stepwise(["run", "--trace=html", "main.mjs"], { cwd: dir });
    expect(html.stderr).toBe("stepwise run: trace written to stepwise-trace.html\n");
    const page = readFileSync(join(dir, "stepwise-trace.html"), "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("<svg");
    expect(page).toContain("helper#2 starts in state 0 (lib.ts:2)");
  });

  it("a syntax error in the program or a file it imports: file:line:col, a code frame, exit 1", () => {
    for (const file of ["bad.js", "imports-bad.mjs"]) {
      const result = stepwise(["run", file], { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^bad\.js:2:13: syntax error: Unexpected token\n/);
      expect(result.stderr).toContain("> 2 |   await (1 +;");
    }
  });

  it("--mode loop runs async functions as event-loop coroutines", () => {
    const loopDir = workspace({ "demo.js": 'import { run, sleep, gather } from "stepwise/loop";\nasync function coro(name) { await sleep(0); return name; }\nasync function main() { return gather(coro("a"), coro("b")); }\nrun(main).then((names) => console.log(names.join(" ")));\n' }, true);
    try {
      const result = stepwise(["run", "--mode", "loop", "demo.js"], { cwd: loopDir });
      expect(result).toMatchObject({ code: 0, stdout: "a b\n" });
      // A program that imports stepwise/loop runs in loop mode without being told.
      expect(stepwise(["run", "demo.js"], { cwd: loopDir })).toMatchObject({ code: 0, stdout: "a b\n" });
      // --mode promise still means promise (the trace says so): the functions return promises, which run() and
      // gather take as awaitables (run() calls main once the loop is running).
      const told = stepwise(["run", "--mode", "promise", "--trace=json", "--trace-file", "t.jsonl", "demo.js"], { cwd: loopDir });
      expect(told).toMatchObject({ code: 0, stdout: "a b\n" });
      expect(JSON.parse(readFileSync(join(loopDir, "t.jsonl"), "utf8").split("\n")[0])).toMatchObject({ type: "start", mode: "promise" });
    } finally {
      remove(loopDir);
    }
  });

  it("--mode loop --trace shows the loop's iterations beside the machines' steps, and --trace=json carries them as loop events", () => {
    const example = join(root, "examples", "loop", "question.js");
    const text = stepwise(["run", "--mode", "loop", example, "--trace"], { cwd: root });
    expect(text.code).toBe(0);
    expect(text.stdout).toBe("before a\nbefore b\nafter a\nafter b\n");
    expect(text.stderr).toMatch(/\n⟳ loop iteration 1 at \d+(\.\d)? ms: 1 ready\n/);
    expect(text.stderr).toContain("┊ ⏸ main#1 awaits a = Task-2, then state 1: Task-1 waits\n");
    expect(text.stderr).toContain("┊ ⏸ coro#2 awaits sleep(0) = sleep(0): the next loop iteration, then state 1: Task-2 waits\n");
    expect(text.stderr).toContain("┊ loop: Task-2: done, returned\n");
    expect(text.stderr).toContain("┊ loop: loop closed\n");
    const json = stepwise(["run", "--mode", "loop", "--trace=json", example], { cwd: root });
    const events = json.stderr.trim().split("\n").map((line) => JSON.parse(line));
    const loopEvents = events.filter((event) => event.type === "loop");
    expect(loopEvents[0]).toMatchObject({ type: "loop", event: "task", text: "Task-1 created for coroutine Main", detail: { iteration: 0, task: "Task-1" } });
    expect(loopEvents.find((event) => event.event === "iteration")).toMatchObject({ type: "loop", event: "iteration", text: "iteration 1: 1 ready", detail: { iteration: 1, ready: 1 } });
    expect(loopEvents.map((event) => event.event)).toContain("step");
    expect(loopEvents.at(-1)).toMatchObject({ event: "close", text: "loop closed" });
  });

  it("bad command lines get one clear line each", () => {
    const cases: [string[], number, string][] = [
      [["run", "missing.js"], 3, "stepwise run: no such file or directory: missing.js\n"],
      [["run", "."], 3, "stepwise run: is a directory: .\n"],
      [["run", "--frob", "main.mjs"], 2, "stepwise run: unknown option --frob (see stepwise run --help)\n"],
      [["run", "main.mjs", "--trace=pdf"], 2, 'stepwise run: --trace must be "text", "json", "svg" or "html", got "pdf"\n'],
      [["run", "--trace-file", "x.json", "main.mjs"], 2, "stepwise run: --trace-file needs --trace\n"],
      [["run", "main.mjs", "--trace", "--trace-file"], 2, "stepwise run: option --trace-file needs a value (see stepwise run --help)\n"],
      [["run", "--mode", "fast", "main.mjs"], 2, 'stepwise run: --mode must be "promise" or "loop", got "fast"\n'],
    ];
    for (const [args, code, stderr] of cases) {
      const result = stepwise(args, { cwd: dir });
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code, stderr });
    }
    expect(stepwise(["run", "--help"]).stdout).toMatch(/^Usage: stepwise run/);
  });
});

describe("examples/", () => {
  it.each(["question.js", "generator.js", "cleanup.js"])("%s prints the same natively and through stepwise run", (name) => {
    const native = spawnSync(cliNode, [join("examples", name)], { cwd: root, encoding: "utf8" });
    const transformed = stepwise(["run", join("examples", name)], { cwd: root });
    expect(transformed.stdout).toBe(native.stdout);
    expect(transformed.code).toBe(native.status);
  });
});
