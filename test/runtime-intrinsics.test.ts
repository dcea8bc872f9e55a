// The runtime and the event loop reach built-ins only through what src/runtime/intrinsics.js captured at
// load: code that runs at call time must not iterate with the iterator protocol (for-of, spread, array
// patterns), call array/promise/function methods that user code may replace, or read mutable globals
// (Object.*, Reflect.*, Promise.*, Symbol.*, Math.*, ...). Load-time code (top-level statements, class
// bodies' computed keys) may. Then the behaviour: a loop-mode program runs with those built-ins patched.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "@babel/parser";
import { traverse, types as t, type NodePath } from "@babel/core";
import { afterAll, describe, expect, it } from "vitest";
import { loopCode } from "./loop/support.ts";

const root = join(import.meta.dirname, "..", "src");

/** Methods of arrays, promises and functions that user code can replace on their prototypes. */
const METHODS = new Set([
  "push", "pop", "shift", "unshift", "splice", "slice", "concat", "map", "filter", "forEach", "find", "findIndex",
  "some", "every", "reduce", "join", "sort", "reverse", "then", "catch", "finally", "call", "apply", "bind",
]);
/** Globals whose members user code can replace. */
const GLOBALS = new Set(["Object", "Reflect", "Array", "Promise", "Symbol", "Math", "JSON", "Number", "String", "Boolean", "Set", "Map"]);
/** Globals that must not be called or constructed at call time (their captured copies are). */
const CONSTRUCTORS = new Set(["Promise", "Set", "Map", "TypeError", "RangeError", "ReferenceError", "String", "Boolean", "Number", "Object"]);

function violations(file: string): string[] {
  const code = readFileSync(file, "utf8");
  const ast = parse(code, { sourceType: "module" });
  const found: string[] = [];
  const where = (path: NodePath) => `${file.slice(root.length + 1)}:${path.node.loc?.start.line}`;
  /** Inside a function (runs at call time), not a class field initializer evaluated per instance? Both count. */
  const atCallTime = (path: NodePath) => !!path.getFunctionParent();
  traverse(ast, {
    ForOfStatement(path) {
      // (a loop over an object of the runtime's own whose iteration methods are all own, said so in a comment)
      if (path.node.leadingComments?.some((comment) => comment.value.includes("own iterable:"))) return;
      if (atCallTime(path)) found.push(`${where(path)} for-of`);
    },
    SpreadElement(path) {
      if (atCallTime(path) && !t.isObjectExpression(path.parent)) found.push(`${where(path)} spread`);
    },
    ArrayPattern(path) {
      if (atCallTime(path)) found.push(`${where(path)} array pattern`);
    },
    CallExpression(path) {
      if (!atCallTime(path)) return;
      const callee = path.node.callee;
      if (t.isMemberExpression(callee) && !callee.computed && t.isIdentifier(callee.property) && METHODS.has(callee.property.name)) {
        // Calls on the loop's own objects with such names are fine (a task's `then`, the timer heap's
        // push/pop), and so is Node's Buffer.concat.
        const object = callee.object;
        const own =
          t.isThisExpression(object) ||
          (t.isIdentifier(object) && /^(task|future|timers|Buffer)$/.test(object.name)) ||
          (t.isMemberExpression(object) && t.isThisExpression(object.object) && t.isPrivateName(object.property) && object.property.id.name === "timers");
        if (!own) found.push(`${where(path)} .${callee.property.name}()`);
      }
      if (t.isIdentifier(callee) && CONSTRUCTORS.has(callee.name) && !path.scope.hasBinding(callee.name)) found.push(`${where(path)} ${callee.name}()`);
    },
    NewExpression(path) {
      const callee = path.node.callee;
      if (atCallTime(path) && t.isIdentifier(callee) && CONSTRUCTORS.has(callee.name) && !path.scope.hasBinding(callee.name)) found.push(`${where(path)} new ${callee.name}`);
    },
    MemberExpression(path) {
      const object = path.node.object;
      if (atCallTime(path) && t.isIdentifier(object) && GLOBALS.has(object.name) && !path.scope.hasBinding(object.name)) {
        found.push(`${where(path)} ${object.name}.${t.isIdentifier(path.node.property) ? path.node.property.name : "[...]"}`);
      }
    },
    ClassDeclaration(path) {
      const node = path.node;
      const hasConstructor = node.body.body.some((member) => t.isClassMethod(member) && member.kind === "constructor");
      if (node.superClass && !hasConstructor) found.push(`${where(path)} class ${node.id?.name} has a default constructor (it spreads its arguments)`);
    },
  });
  return found;
}

describe("the runtime and the loop use captured built-ins", () => {
  for (const dir of ["runtime", "loop"]) {
    for (const name of readdirSync(join(root, dir)).filter((n) => n.endsWith(".js") && n !== "intrinsics.js")) {
      it(`${dir}/${name}`, () => {
        expect(violations(join(root, dir, name))).toEqual([]);
      });
    }
  }
});

const work = mkdtempSync(join(tmpdir(), "stepwise-intrinsics-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the event loop with built-ins patched by user code", () => {
  it("runs tasks, gather, queues, locks, task groups, timeouts, wait, asCompleted and barriers as without the patches", () => {
    const program = String.raw`
      import { run, sleep, gather, createTask, Queue, PriorityQueue, Lock, Event, Barrier, taskGroup, timeout, wait, asCompleted } from "stepwise/loop";
      const counts = {};
      const stepwise = ${JSON.stringify([join(root, "loop"), join(root, "runtime")])};
      let busy = false;
      // A patched method counts the calls made from the loop's or the runtime's own frames (Node's
      // internals and this program may call them as they like).
      const count = (name) => {
        if (busy) return;
        busy = true;
        const frames = String(new Error().stack).split("\n").slice(3, 4).join("");
        busy = false;
        if (frames.includes(stepwise[0]) || frames.includes(stepwise[1])) counts[name] = (counts[name] || 0) + 1;
      };
      const saved = [];
      function patch(owner, key, label) {
        const original = owner[key];
        saved[saved.length] = [owner, key, original];
        owner[key] = function () { count(label); return Reflect.apply(original, this, arguments); };
      }
      for (const key of ["push", "pop", "shift", "splice", "slice", "map", "filter", "indexOf", "join", "find", "every", "some"]) patch(Array.prototype, key, key);
      patch(Array.prototype, Symbol.iterator, "Array iterator");
      patch(Promise.prototype, "then", "then");
      patch(Function.prototype, "call", "call");
      patch(Function.prototype, "apply", "apply");
      patch(Set.prototype, "add", "Set add");
      patch(Set.prototype, "delete", "Set delete");
      patch(Set.prototype, Symbol.iterator, "Set iterator");
      patch(Map.prototype, "set", "Map set");
      patch(Map.prototype, "get", "Map get");
      patch(Object, "getPrototypeOf", "getPrototypeOf");
      patch(Math, "max", "Math.max");
      async function worker(q, lock, id) {
        // (50 ms apart, not 1: a task 3 that started over 2 ms before task 1, on a busy machine, woke first)
        await sleep(id * 50);
        await lock.acquire();
        try { await q.put(id * 10); } finally { lock.release(); }
        return id;
      }
      async function main() {
        const q = new Queue();
        const lock = new Lock();
        const ready = new Event();
        const results = await gather(worker(q, lock, 1), worker(q, lock, 2), createTask(worker(q, lock, 3)));
        const seen = [];
        while (!q.empty()) seen[seen.length] = q.getNowait();
        let grouped = 0;
        await taskGroup(async (group) => {
          group.createTask((async () => { await sleep(1); grouped++; })());
          group.createTask((async () => { await sleep(2); grouped++; })());
        });
        let timedOut = "no";
        try { await timeout(1, ready.wait()); } catch (e) { timedOut = e.name; }
        const waited = await wait(new Set([createTask(worker(q, lock, 4))]), { timeout: 1000 });
        let completed = "";
        for (const next of asCompleted([sleep(40, "b"), sleep(1, "a")])) completed += await next;
        const barrier = new Barrier(2);
        const indexes = await gather(barrier.wait(), barrier.wait());
        const pq = new PriorityQueue();
        pq.putNowait([2, "y"]); pq.putNowait([1, "x"]); pq.putNowait([1, "w"]);
        const ordered = pq.getNowait()[1] + pq.getNowait()[1] + pq.getNowait()[1];
        return results.join(",") + " | " + seen.join(",") + " | " + grouped + " | " + timedOut + " | " + waited[0].size + " " + completed + " " + indexes.join(",") + " " + ordered;
      }
      run(main).then((value) => {
        for (let i = saved.length - 1; i >= 0; i--) saved[i][0][saved[i][1]] = saved[i][2];
        console.log(value);
        console.log(JSON.stringify(counts));
      }, (error) => {
        for (let i = saved.length - 1; i >= 0; i--) saved[i][0][saved[i][1]] = saved[i][2];
        console.log("failed", error);
      });
    `;
    const file = join(work, "patched-loop.mjs");
    writeFileSync(file, loopCode(program, "patched-loop.mjs"));
    const stdout = execFileSync(process.execPath, [file], { encoding: "utf8" });
    const [value, counts] = stdout.trim().split("\n");
    expect(value).toBe("1,2,3 | 10,20,30 | 2 | TimeoutError | 1 ab 0,1 wxy");
    // What the program itself does (results.join, seen.join) uses no patched method; the loop uses none.
    expect(JSON.parse(counts)).toEqual({});
  });
});
