// The explorer in a real headless Chromium (Debian's package at /usr/bin/chromium, driven by
// playwright-core; no browser download). Pages are written by the real bin; screenshots for review go to
// test-output/explore/ (not committed).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root, stepwise } from "../cli/helpers.ts";

const CHROMIUM = process.env.STEPWISE_CHROMIUM ?? "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
// CI installs Chromium (.ci/run): there, a missing browser is a failure, not a skip.
if (!present && process.env.CI) throw new Error(`no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium package)`);

const out = join(root, "test-output", "explore");

describe.skipIf(!present)("the explorer in Chromium", () => {
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    for (const [file, page, mode] of [
      ["examples/question.js", "question.html", "promise"],
      ["examples/loop/question.js", "loop-question.html", "loop"],
      ["examples/loop/cancel.js", "loop-cancel.html", "loop"],
    ]) {
      const result = stepwise(["explore", "--mode", mode, file, "-o", join(out, page)], { cwd: root });
      expect(result.code, result.stderr).toBe(0);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** A page that reports every console error and uncaught exception into `problems`. */
  async function open(name: string, options: { width?: number; height?: number; scheme?: "light" | "dark" } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 }, colorScheme: options.scheme ?? "light" });
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${name}: console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${name}: ${error.message}`));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:")) problems.push(`${name}: fetched ${request.url()}`);
    });
    await page.goto(pathToFileURL(join(out, name)).href);
    await page.waitForSelector("body[data-step]");
    return page;
  }

  /**
   * The playground for review: the page as it shows, and the explorer's frame, whose content Chromium's
   * full-page capture leaves out (it came out blank).
   */
  async function screenshotPlayground(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(out, `${name}-1280.png`) });
    await page.locator("#explorer").screenshot({ path: join(out, `${name}-explorer-1280.png`) });
  }

  /** Writes `out/NAME.js` and explores it into `out/NAME.html` with the real bin (its result: what it printed). */
  function explored(name: string, source: string): ReturnType<typeof stepwise> {
    writeFileSync(join(out, `${name}.js`), source);
    const result = stepwise(["explore", join(out, `${name}.js`), "-o", join(out, `${name}.html`)], { cwd: out });
    expect(result.code, result.stderr).toBe(0);
    return result;
  }

  const what = (page: Page) => page.locator("#now .what").textContent();
  const sourceLine = (page: Page) => page.locator("#source .hl-first").getAttribute("data-n");
  const classLine = (page: Page) => page.locator("#class .hl-first").textContent();
  const node = (page: Page) => page.locator("#graph g.node.hl").getAttribute("data-state");

  it("steps through examples/question.js: the state is highlighted in all three panes, the two coroutines take turns", async () => {
    const page = await open("question.html");
    expect(await what(page)).toBe("main: the program's first run");
    await page.keyboard.press("ArrowRight");
    expect(await what(page)).toBe("coro#1 starts in state 0");
    expect(await sourceLine(page)).toBe("5");
    expect((await classLine(page))?.trim()).toBe("// question.js:5");
    expect(await node(page)).toBe("0");
    await page.screenshot({ path: join(out, "question-1280.png"), fullPage: true });

    // Forward through the whole run with the button: who runs at each step.
    const seen = [await what(page)];
    while (!(await page.locator("#next").isDisabled())) {
      await page.locator("#next").click();
      seen.push(await what(page));
    }
    expect(seen).toEqual([
      "coro#1 starts in state 0",
      "coro#1 awaits sleep(0), then state 1",
      "coro#2 starts in state 0",
      "coro#2 awaits sleep(0), then state 1",
      "macrotask 1: timer (Timeout)",
      "microtask 1 of macrotask 1 (PROMISE)",
      "coro#1 resumes in state 1",
      "coro#1 returns undefined",
      "macrotask 2: timer (Timeout)",
      "microtask 1 of macrotask 2 (PROMISE)",
      "coro#2 resumes in state 1",
      "coro#2 returns undefined",
    ]);
    // The last step: coro#2 in state 1, line 7, its case 1.
    expect(await sourceLine(page)).toBe("7");
    expect((await classLine(page))?.trim()).toBe("// question.js:7");
    expect(await node(page)).toBe("1");

    // Back one step with the arrow key, then jump with the timeline and the graph.
    await page.keyboard.press("ArrowLeft");
    expect(await what(page)).toBe("coro#2 resumes in state 1");
    await page.keyboard.press("Home");
    expect(await page.locator("body").getAttribute("data-step")).toBe("1");
    const box = (await page.locator("#timeline").boundingBox())!;
    // Step 3 (coro#1's first await): the third column after the 150-pixel lane labels, 40 pixels each.
    await page.mouse.click(box.x + 150 + 2 * 40 + 20, box.y + 60);
    expect(await what(page)).toBe("coro#1 awaits sleep(0), then state 1");
    expect(await page.locator("#now").textContent()).toContain("resumesstep 8: state 1 with undefined (macrotask 1, microtask 1)");
    // The edge it leaves by is highlighted in the graph too.
    expect(await page.locator("#graph g.edge.hl title").allTextContents()).toEqual(["f0_s0->f0_s1"]);
    await page.locator('#graph g.node[data-state="1"]').click();
    expect(await what(page)).toBe("coro#1 resumes in state 1");
    expect(await node(page)).toBe("1");
    await page.close();
  });

  it("loop mode: the ready queue, the tasks and their stacks at chosen steps", async () => {
    const page = await open("loop-question.html");
    const goTo = async (text: string) => {
      await page.keyboard.press("Home");
      for (let i = 0; i < 60 && (await what(page)) !== text; i++) await page.keyboard.press("ArrowRight");
      expect(await what(page)).toBe(text);
    };
    const queue = () => page.locator("#ready-queue li").allTextContents();
    const next = () => page.locator("#next-queue li").allTextContents();
    // Before the first iteration: the first step of main's task is on the queue, queued outside the loop.
    await goTo("loop: queued: Task-1 step");
    expect(await next()).toEqual(["Task-1 step: main#1 state 0, first step"]);
    // Main creates two tasks: their first steps enter the queue for the next iteration, as they are queued.
    await goTo("loop: queued: Task-2 step");
    expect(await next()).toEqual(["Task-2 step: coro#2 state 0, first step ← Task-1"]);
    await goTo("loop: Task-2: Coro resumes in state 0 (first step)");
    expect(await queue()).toEqual(["Task-2 step: coro#2 state 0, first step ← running", "Task-3 step: coro#3 state 0, first step"]);
    expect(await next()).toEqual(["(nothing yet)"]);
    expect(await page.locator("#tasks li").allTextContents()).toEqual(["Task-1: waiting on Task-2stack: main#1@1", "Task-2: running", "Task-3: created, first step queued"]);
    await goTo("coro#3 awaits sleep(0), then state 1");
    expect(await page.locator("#ready-queue li.running").textContent()).toBe("Task-3 step: coro#3 state 0, first step ← running");
    expect(await page.locator("#ready-queue li.done").allTextContents()).toEqual(["Task-2 step: coro#2 state 0, first step"]);
    // sleep(0) has queued Task-2's next step; Task-3's comes once its step is over.
    expect(await next()).toEqual(["Task-2 step: coro#2 state 1, woken by sleep(0) ← Task-2"]);
    await goTo("loop: Task-3: Coro resumes in state 1 (woken by sleep(0))");
    expect(await queue()).toEqual(["Task-2 step: coro#2 state 1, woken by sleep(0)", "Task-3 step: coro#3 state 1, woken by sleep(0) ← running"]);
    expect(await next()).toEqual(["Task-1 wakeup: main#1 state 1, woken by Task-2 ← Task-2"]);
    expect(await page.locator("#tasks li").allTextContents()).toEqual(["Task-1: waiting on Task-2stack: main#1@1", "Task-2: done (result)", "Task-3: runningstack: coro#3@1"]);
    expect(await sourceLine(page)).toBe("11");
    // A box of the loop panel keeps keyboard focus and its scroll position as → steps (the panel is
    // redrawn at each step); ↓ scrolls it and does not step.
    const tasks = page.locator('#loop [aria-label="Tasks"]');
    await tasks.evaluate((box) => {
      box.style.maxHeight = "40px";
      box.scrollTop = 10;
    });
    await tasks.focus();
    const step = Number(await page.locator("body").getAttribute("data-step"));
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowDown");
    expect(Number(await page.locator("body").getAttribute("data-step"))).toBe(step + 2);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Tasks");
    expect(await tasks.evaluate((box) => box.scrollTop)).toBeGreaterThanOrEqual(10);
    await tasks.evaluate((box) => box.style.removeProperty("max-height"));
    await page.screenshot({ path: join(out, "loop-question-1280.png"), fullPage: true });
    await page.close();
  });

  it("loop mode: the timer heap as the trace scheduled, fired and cancelled its timers (one never fires)", async () => {
    const page = await open("loop-cancel.html");
    const goTo = async (text: string) => {
      await page.keyboard.press("Home");
      for (let i = 0; i < 80 && (await what(page)) !== text; i++) await page.keyboard.press("ArrowRight");
      expect(await what(page)).toBe(text);
    };
    const timers = () => page.locator("#timers li").allTextContents();
    // main's await of the timeout coroutine does not wait: the coroutine runs inline, in the same task.
    await goTo("main#1 awaits timeout(10, slow()) (runs it inline, no wait), then state 1");
    expect(await page.locator("#legend").textContent()).toContain("await, no wait");
    await goTo("loop: timer 1 scheduled for 10 ms (in 10 ms): expireTimeout");
    expect(await timers()).toEqual(["timer 1 due 10 ms (in 10 ms): expireTimeout ← Task-1"]);
    // slow's sleep(1000): a second timer, which will never fire; the heap lists both, soonest first.
    await goTo("slow#3 awaits sleep(1000), then state 1");
    expect(await timers()).toEqual(["timer 1 due 10 ms (in 10 ms): expireTimeout ← Task-1", "timer 2 due 1000 ms (in 1000 ms): settleSleep ← Task-1"]);
    // The clock jumps to 10 ms: timer 1 moves to the ready queue and runs; timer 2 is still pending.
    await goTo("loop: callback expireTimeout");
    expect(await page.locator("#ready-queue li").allTextContents()).toEqual(["timer 1: expireTimeout ← running"]);
    expect(await timers()).toEqual(["timer 2 due 1000 ms (in 990 ms): settleSleep ← Task-1"]);
    // The timeout cancels the task, which cancels the sleep's future, which cancels its timer.
    await goTo("loop: timer 2 cancelled (was due at 1000 ms): settleSleep");
    expect(await timers()).toEqual(["(empty)"]);
    expect(await page.locator("#loop").textContent()).toContain("cancelled: timer 2 (due 1000 ms): settleSleep, by timer 1");
    expect(await page.locator("#next-queue li").allTextContents()).toEqual(["(nothing yet)"]);
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("#next-queue li").allTextContents()).toEqual(["Task-1 wakeup: slow#3 state 1, woken by Future-1 (sleep 1000 ms), cancelled ← timer 1"]);
    await page.screenshot({ path: join(out, "loop-cancel-1280.png"), fullPage: true });
    await page.close();
  });

  it("reads at phone width and in the dark colour scheme", async () => {
    const phone = await open("question.html", { width: 390, height: 844 });
    await phone.keyboard.press("ArrowRight");
    // Nothing wider than the screen but the code, the graph and the timeline, which scroll themselves.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.screenshot({ path: join(out, "question-phone.png"), fullPage: true });
    await phone.close();
    const dark = await open("loop-question.html", { scheme: "dark" });
    for (let i = 0; i < 12; i++) await dark.keyboard.press("ArrowRight");
    expect(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(20, 23, 28)");
    await dark.screenshot({ path: join(out, "loop-question-dark.png"), fullPage: true });
    await dark.close();
  });

  it("the controls work from the keyboard alone", async () => {
    const page = await open("question.html");
    // At the first step "first" and "back" are disabled: the first stop is "forward".
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("next");
    await page.keyboard.press("Enter");
    expect(await page.locator("body").getAttribute("data-step")).toBe("2");
    // (a fraction goes to the nearest step, and stepping goes on from there)
    await page.locator("#stepno").fill("6.6");
    await page.locator("#stepno").press("Enter");
    expect(await what(page)).toBe("microtask 1 of macrotask 1 (PROMISE)");
    expect(await page.locator("#stepno").inputValue()).toBe("7");
    await page.locator('#graph g.node[data-state="0"]').focus();
    await page.keyboard.press("Enter");
    // No step after this one enters state 0: the search wraps around to the first.
    expect(await what(page)).toBe("coro#1 starts in state 0");
    // A code pane with focus scrolls with the arrow and paging keys, as any page would: they do not step.
    const step = await page.locator("body").getAttribute("data-step");
    const pane = page.locator("#class");
    await pane.focus();
    for (const key of ["End", "ArrowLeft", "Home", "ArrowRight", "PageDown", "ArrowDown"]) await page.keyboard.press(key);
    expect(await page.locator("body").getAttribute("data-step")).toBe(step);
    await expect.poll(() => pane.evaluate((pre) => pre.scrollTop)).toBeGreaterThan(0);
    // The timeline with focus steps again.
    await page.locator("#timeline").focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.locator("body").getAttribute("data-step")).toBe(String(Number(step) + 1));
    await page.close();
  });


  it("counts lines as the engine does (a lone \\r, U+2028) and colours strings holding // and comments that span lines", async () => {
    // Lines end in a lone \r; line 2 holds a U+2028 inside a string, which ends a line as well.
    explored("breaks", 'const url = "http://example.com/*";\r/* a comment\r   over two lines */ const s = "a\u2028b";\rasync function f() {\r  await null;\r  console.log(url, s.length);\r}\rf();\r');
    const page = await open("breaks.html");
    await page.keyboard.press("ArrowRight");
    expect(await what(page)).toBe("f#1 starts in state 0");
    expect(await sourceLine(page)).toBe("6");
    expect(await page.locator("#source .hl-first").textContent()).toBe("  await null;");
    await page.keyboard.press("End");
    expect(await what(page)).toBe("f#1 returns undefined");
    expect(await page.locator("#source .hl-first").textContent()).toBe("  console.log(url, s.length);");
    // The URL is a string, not a comment; the comment's second line is a comment, and `const` after it code.
    expect(await page.locator('#source .ln[data-n="1"] .cm').count()).toBe(0);
    expect(await page.locator('#source .ln[data-n="3"] .cm').textContent()).toBe("   over two lines */");
    expect(await page.locator('#source .ln[data-n="3"] .kw').textContent()).toBe("const");
    await page.close();
  });
  it("colours a regular expression literal as no comment, string nor keyword, and a division as code", async () => {
    explored("regex", 'const quote = /"/g, slashes = /\\/\\//, klass = /[/]/; let a = 4, b = 2;\nconst half = a / 2; let re = typeof /"/; let c = b / 2; const d = c++ / 2; let e;\nasync function f() {\n  return (await a) / b;\n}\nf();\n');
    const page = await open("regex.html");
    // Line 1: the quote in /"/ opens no string and // in /\/\// starts no comment, so `let` is a keyword.
    expect(await page.locator('#source .ln[data-n="1"] .cm').count()).toBe(0);
    expect(await page.locator('#source .ln[data-n="1"] .kw').allTextContents()).toEqual(["const", "let"]);
    // Line 2: `a / 2`, `b / 2` and `c++ / 2` divide (read as a regular expression, each would hide the
    // keyword after it), and after `typeof` a `/` starts one (read as a division, its quote would).
    expect(await page.locator('#source .ln[data-n="2"] .kw').allTextContents()).toEqual(["const", "let", "let", "const", "let"]);
    expect(await page.locator('#source .ln[data-n="4"] .kw').allTextContents()).toEqual(["return", "await"]);
    await page.close();
  });
  it("shows the states a step ran in: the path dashed in the graph, listed in the step's details; a state clicked goes to a step that ran in it", async () => {
    explored("states", 'async function f(items) {\n  let total = 0;\n  for (const item of items) {\n    try {\n      if (item < 0) throw new Error("negative");\n      total += await item;\n    } catch {\n      total -= 1;\n    } finally {\n      total *= 2;\n    }\n  }\n  return total;\n}\nf([1, -1, 2]).then(console.log);\n');
    const page = await open("states.html");
    const ranIn = () => page.locator("#now dt", { hasText: "ran in states" }).locator("xpath=following-sibling::dd[1]").textContent();
    const passed = () => page.locator("#graph g.node.passed").evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-state")));
    while ((await what(page)) !== "f#1 awaits item, then state 3") await page.keyboard.press("ArrowRight");
    // The first step falls from state 0 into 1 (the loop's test) and 2 (the try block), and awaits there.
    expect(await ranIn()).toBe("0 → 1 → 2");
    expect(await node(page)).toBe("2");
    expect(await passed()).toEqual(["0", "1"]);
    expect(await sourceLine(page)).toBe("5");
    expect(await page.locator("#graph g.edge.passed").count()).toBe(2);
    expect(await page.locator("#graph g.edge.hl").count()).toBe(1);
    // State 4, the catch block, is never where a step starts: clicking it goes to the step that ran through it.
    await page.locator('#graph g.node[data-state="4"]').click();
    expect(await what(page)).toBe("f#1 awaits item, then state 3");
    expect(await ranIn()).toBe("3 → 5 → 1 → 2 → 4 → 5 → 1 → 2");
    expect((await passed()).sort()).toEqual(["1", "2", "3", "4", "5"]);
    // The next step resumes in state 3, which the last one ran through: highlighted, nothing dashed.
    while ((await what(page)) !== "f#1 resumes in state 3") await page.keyboard.press("ArrowRight");
    expect(await node(page)).toBe("3");
    expect(await passed()).toEqual([]);
    await page.close();
  });
  it("bolds the line a state is at, also where its span starts before it (a loop's update)", async () => {
    explored("bold", "async function f() {\n  let acc = 0;\n  for (let i = 0; i < 2; i++) {\n    await null;\n    acc += i;\n  }\n}\nf();\n");
    const page = await open("bold.html");
    while ((await what(page)) !== "f#1 resumes in state 2") await page.keyboard.press("ArrowRight");
    // (state 2 runs `acc += i`, then the loop's `i++` and test: its span is lines 3-5, its line 5)
    expect(await page.locator("#source .hl").evaluateAll((lines) => lines.map((line) => line.getAttribute("data-n")))).toEqual(["3", "4", "5"]);
    expect(await sourceLine(page)).toBe("5");
    await page.close();
  });
  it("says that a call resumes with an exception thrown in", async () => {
    explored("thrown", 'async function f() {\n  try {\n    await Promise.reject(new Error("no"));\n  } catch {}\n}\nf();\n');
    const page = await open("thrown.html");
    while (!(await what(page))!.startsWith("f#1 awaits")) await page.keyboard.press("ArrowRight");
    expect(await page.locator("#now").textContent()).toMatch(/resumesstep \d+: state 1, Error: no thrown in \(/);
    await page.close();
  });
  it("fits the window: with 20 calls at 1280x800 (and at 600 px high) the timeline takes the height left, the current lane in view", async () => {
    explored("twenty", "const sleep = (ms) => new Promise((r) => setTimeout(r, ms));\nasync function worker(i) { await sleep(i); await null; return i; }\nasync function main() { const all = []; for (let i = 0; i < 20; i++) all.push(worker(i)); console.log((await Promise.all(all)).length); }\nmain();\n");
    for (const height of [800, 600]) {
      const page = await open("twenty.html", { height });
      for (let i = 0; i < 30; i++) await page.keyboard.press("ArrowRight");
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBe(height);
      const lane = await page.locator("#timeline").boundingBox();
      expect(lane!.y + lane!.height).toBeLessThanOrEqual(height);
      await page.close();
    }
  });
  it("a run with no steps says so: step 0 of 0, nothing to move to, no step highlighted", async () => {
    const result = stepwise(["explore", "-e", "console.log(1)", "-o", join(out, "none.html")], { cwd: out });
    expect(result.code, result.stderr).toBe(0);
    const page = await open("none.html");
    expect(await page.locator("#stepno").inputValue()).toBe("0");
    expect(await page.locator("#stepno").isDisabled()).toBe(true);
    expect(await page.locator("#count").textContent()).toBe("of 0");
    expect(await what(page)).toBe("Nothing to step through: no async function or generator ran.");
    await page.close();
  });
  it("loop mode: a step's details leave out what the loop left empty, and a line for a machine of no file shown keeps its place", async () => {
    explored("elsewhere", 'import { run, sleep, timeout } from "stepwise/loop";\nasync function main() {\n  await sleep(1);\n  await timeout(50, sleep(2));\n  await sleep(1);\n}\nrun(main);\n');
    const page = await open("elsewhere.html");
    const steps = Number((await page.locator("#count").textContent())!.slice(3));
    const tops = new Set<number>();
    let shown = 0;
    for (let step = 1; step <= steps; step++) {
      expect(await page.locator("#now").textContent()).not.toMatch(/causenull/);
      if (await page.locator("#elsewhere").evaluate((line) => getComputedStyle(line).visibility === "visible")) shown++;
      tops.add((await page.locator("#source").boundingBox())!.y);
      await page.keyboard.press("ArrowRight");
    }
    // (the timeout is a machine of the loop's own: its steps say so, and the panes stay where they are)
    expect(shown).toBeGreaterThan(0);
    expect([...tops]).toHaveLength(1);
    await page.close();
  });
  it("one call's graph per function, tabs, cut values, a state with no line, a long name, a run killed in a step", async () => {
    const long = "loadTheSettingsOfTheWholeApplicationFromEveryPlaceTheyCouldPossiblyBeFound";
    explored("corners", [
      "const f = (fn) => fn(), g = (fn) => fn();",
      `async function ${long}() {`,
      "\tawait null;",
      "}",
      "async function main() {",
      "  await Promise.all([f(async () => { await null; return 1; }), g(async () => { await null; await null; return 2; })]);",
      "  try {",
      '    await Promise.reject(new Error(`the disk is full: ${"x".repeat(100)}`));',
      "  } catch {}",
      `    await ${long}();`,
      '  process.kill(process.pid, "SIGKILL");',
      "}",
      "main();",
      "",
    ].join("\n"));
    const page = await open("corners.html");
    const goTo = async (text: string) => {
      for (let i = 0; i < 40 && (await what(page)) !== text; i++) await page.keyboard.press("ArrowRight");
      expect(await what(page)).toBe(text);
    };
    const className = () => page.locator("#class-name").textContent();
    const states = () => page.locator("#graph g.node[data-state]").count();
    // Two arrow functions on one line: each call gets its own function's class and graph.
    await goTo("anonymous#2 starts in state 0");
    expect([await className(), await states()]).toEqual(["class Anonymous", 2]);
    await goTo("anonymous#3 starts in state 0");
    expect([await className(), await states()]).toEqual(["class Anonymous_2", 3]);
    // A tab is 4 columns: line 3's await (after a tab) lines up with line 10's (after 4 spaces).
    const left = (line: number) => page.locator(`#source .ln[data-n="${line}"] .kw`).first().evaluate((kw) => kw.getBoundingClientRect().left);
    expect(await left(3)).toBeCloseTo(await left(10), 0);
    // A value cut at 80 characters ends with "…"; its full text is the tooltip.
    await goTo("main#1 resumes in state 3 with an exception thrown in");
    const thrown = page.locator("#now dt", { hasText: "thrown in" }).locator("xpath=following-sibling::dd[1]");
    const message = `Error: the disk is full: ${"x".repeat(100)}`;
    expect(await thrown.textContent()).toBe(`${message.slice(0, 79)}…`);
    expect(await thrown.getAttribute("title")).toBe(message);
    // A state with no source line (all that is left after the last await) highlights no line, and says so.
    await goTo(`${long}#4 resumes in state 1`);
    expect(await page.locator("#source .hl").count()).toBe(0);
    expect(await page.locator("#no-line").textContent()).toBe("state 1 has no source line");
    // A long name is cut in the graph (whole in the tooltip), which keeps its scale.
    const svg = page.locator("#graph svg");
    expect(Number.parseFloat((await svg.getAttribute("width"))!)).toBeLessThan(320);
    expect(await page.locator("#graph g.cluster text").first().textContent()).toBe("async function loadTheSettingsOfThe…");
    expect(await page.locator("#graph g.cluster a").getAttribute("xlink:title")).toBe(`async function ${long}\ncorners.js:2`);
    // The program is killed in main's last step: its box is drawn, open past the last step, and a click there selects it.
    await page.keyboard.press("End");
    expect(await what(page)).toBe("main#1 resumes in state 6");
    expect(await page.locator("#no-line").isHidden()).toBe(true);
    expect(await page.locator("#now").textContent()).toContain("endsnever: the program was killed during this step");
    expect(await page.locator("#legend").textContent()).toContain("unfinished");
    await page.keyboard.press("Home");
    const tail = await page.evaluate(() => {
      const timeline = document.getElementById("timeline")!;
      timeline.scrollLeft = timeline.scrollWidth;
      const n = Number(document.getElementById("count")!.textContent!.replace("of ", ""));
      return { x: 150 + n * 40 - timeline.scrollLeft + 12, y: 28 + 12 };
    });
    await page.evaluate(() => new Promise(requestAnimationFrame));
    const pixel = await page.evaluate(({ x, y }) => [...document.querySelector("canvas")!.getContext("2d")!.getImageData(x, y, 1, 1).data], tail);
    expect(pixel.slice(0, 3)).not.toEqual([255, 255, 255]);
    const box = (await page.locator("#timeline").boundingBox())!;
    await page.mouse.click(box.x + tail.x, box.y + tail.y);
    expect(await what(page)).toBe("main#1 resumes in state 6");
    await page.screenshot({ path: join(out, "corners-1280.png") });
    await page.close();
  });
  it("a trace of about 100,000 events and a function of 600 states stay usable: the page loads and steps without freezing", async () => {
    // 12,000 calls of a function that awaits twice, and the call that awaits them all, then 600 times more.
    const result = explored("big", `async function tick(i) {\n  await null;\n  await null;\n  return i;\n}\nasync function main() {\n  const all = [];\n  for (let i = 0; i < 12000; i++) all.push(tick(i));\n  await Promise.all(all);\n${Array.from({ length: 600 }, (_, i) => `  await ${i};\n`).join("")}}\nmain();\n`);
    const events = Number(/(\d+) events/.exec(result.stderr)![1]);
    expect(events).toBeGreaterThan(90_000);
    const started = performance.now();
    const page = await open("big.html");
    const loaded = performance.now() - started;
    const timed = async (key: string) => {
      const at = performance.now();
      await page.keyboard.press(key);
      await page.evaluate(() => new Promise(requestAnimationFrame));
      return performance.now() - at;
    };
    const end = await timed("End");
    // main's last state, at the bottom of its graph of 600 states: in view in all three panes, and of the
    // graph only what is near the view is in the document.
    expect(await what(page)).toBe("main#1 returns undefined");
    const inView = (pane: string, selector: string) =>
      page.evaluate(
        ([pane, selector]) => {
          const outer = document.getElementById(pane)!.getBoundingClientRect();
          const inner = document.querySelector(`#${pane} ${selector}`)!.getBoundingClientRect();
          return inner.height > 0 && inner.top >= outer.top && inner.bottom <= outer.bottom;
        },
        [pane, selector],
      );
    expect([await inView("class", ".hl-first"), await inView("graph", "g.node.hl")]).toEqual([true, true]);
    expect(await page.locator("#graph g.node.hl").getAttribute("data-state")).toBe("601");
    expect(await page.locator("#graph g.node").count()).toBeLessThan(60);
    const back = await timed("ArrowLeft");
    for (let i = 0; i < 4 && (await what(page)) !== "main#1 awaits 599, then state 601"; i++) await page.keyboard.press("ArrowLeft");
    expect(await page.locator("#source .hl-first").getAttribute("data-n")).toBe("609");
    expect([await inView("source", ".hl-first"), await inView("class", ".hl-first"), await inView("graph", "g.node.hl")]).toEqual([true, true, true]);
    const times = { loaded, end, back, home: await timed("Home"), forward: await timed("PageDown") };
    expect(await page.locator("body").getAttribute("data-step")).toBe("51");
    expect(await page.locator("#count").textContent()).toBe(`of ${events - 2}`);
    // Generous bounds (a shared, busy machine); in practice about 1 s to load and 50 ms a step.
    expect(times.loaded, JSON.stringify(times)).toBeLessThan(15_000);
    for (const key of ["end", "back", "home", "forward"] as const) expect(times[key], JSON.stringify(times)).toBeLessThan(2_000);
    // The timeline is one canvas, whatever the length of the trace.
    expect(await page.evaluate(() => document.querySelectorAll("#timeline *").length)).toBe(2);
    await page.screenshot({ path: join(out, "big-1280.png") });
    await page.close();
  }, 120_000);

  it("the playground: typed code is transformed as one types, and Run records a trace to step through", async () => {
    const page = await openPlayground("playground");
    // examples/question.js is preloaded, with its class and graph.
    expect(await page.locator("#editor").inputValue()).toContain('coro("a");');
    expect(await page.locator("#class").textContent()).toContain("class Coro extends AsyncMachine");
    expect(await page.locator("#graph g.node").count()).toBeGreaterThan(1);

    await page.locator("#editor").fill(
      'function* count(n) {\n  for (let i = 0; i < n; i++) yield i;\n}\nasync function total() {\n  let sum = 0;\n  for (const i of count(3)) sum += await i;\n  console.log("sum", sum);\n}\ntotal();\n',
    );
    await page.waitForFunction(() => document.getElementById("class")!.textContent!.includes("class Count extends GeneratorMachine"));
    expect(await page.locator("#status").textContent()).toMatch(/^2 machines, \d+ states$/);
    await page.locator("#run").click();
    await page.waitForSelector("body[data-ran]");
    expect(await page.locator("#output").textContent()).toBe("sum 3");
    const explorer = page.frameLocator("#explorer");
    await explorer.locator("body[data-step]").waitFor();
    // (the trace was recorded in the page, not by a node)
    expect(await explorer.locator("#meta").textContent()).toMatch(/ · in the browser$/);
    await explorer.locator("#next").click();
    expect(await explorer.locator("#now .what").textContent()).toBe("total#1 starts in state 0");
    await explorer.locator("#next").click();
    expect(await explorer.locator("#now .what").textContent()).toBe("count#2 starts in state 0");
    await screenshotPlayground(page, "playground");

    // Loop mode: the loop's example runs on the event loop in the sandbox, with the loop's own events.
    await page.locator("#example").selectOption("loop/question.js");
    expect(await page.locator("#mode").inputValue()).toBe("loop");
    await page.waitForFunction(() => document.getElementById("class")!.textContent!.includes('require("@stepwise/runtime/loop")'));
    await page.locator("#run").click();
    await page.waitForSelector('body[data-ran="2"]');
    expect(await page.locator("#output").textContent()).toBe("before a\nbefore b\nafter a\nafter b");
    await explorer.locator('body[data-step="1"]').waitFor();
    for (let i = 0; i < 40 && (await explorer.locator("#now .what").textContent()) !== "loop: Task-2: Coro resumes in state 1 (woken by sleep(0))"; i++) await explorer.locator("#next").click();
    expect(await explorer.locator("#ready-queue li").allTextContents()).toEqual(["Task-2 step: coro#2 state 1, woken by sleep(0) ← running", "Task-3 step: coro#3 state 1, woken by sleep(0)"]);
    await screenshotPlayground(page, "playground-loop");

    // A syntax error is shown, and Run waits for code that compiles.
    await page.locator("#editor").fill("async function broken( {");
    await page.waitForFunction(() => document.getElementById("status")!.className === "error");
    expect(await page.locator("#status").textContent()).toMatch(/^playground\.js:\d+:\d+: syntax error/);
    expect(await page.locator("#run").isDisabled()).toBe(true);
    // The class and the graph still shown are said to be of the last code that compiled; the output and
    // the explorer, of a run of other code.
    expect(await page.locator("#class-stale").textContent()).toBe("of the last code that compiled");
    expect(await page.locator("#graph-stale").textContent()).toBe("of the last code that compiled");
    expect(await page.locator("#class.stale, #graph.stale").count()).toBe(2);
    expect(await page.locator("#run-note").textContent()).toBe("The output and the explorer below are from a run of earlier code: Run to update.");
    await page.locator("#editor").fill("async function mended() {}\n");
    await page.waitForFunction(() => document.getElementById("status")!.className === "");
    expect([await page.locator("#class-stale").isHidden(), await page.locator("#graph-stale").isHidden(), await page.locator(".play .stale").count()]).toEqual([true, true, 0]);
    expect(await page.locator("#class").textContent()).toContain("class Mended");
    expect(await page.locator("#run-note").isVisible()).toBe(true);
    await page.close();
  }, 60_000);

  /** The playground's page (built once by these tests), reporting console errors, uncaught exceptions and requests into `problems`. */
  let playgroundBuilt = false;
  async function openPlayground(name: string): Promise<Page> {
    if (!playgroundBuilt) {
      const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build-playground.ts"], { cwd: root, encoding: "utf8" });
      expect(build.status, build.stderr).toBe(0);
      playgroundBuilt = true;
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${name}: console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${name}: ${error.message}`));
    // (the sandbox's worker is loaded from a blob: URL, which is no network)
    page.on("request", (request) => {
      if (!/^(file|about|blob):/.test(request.url())) problems.push(`${name}: fetched ${request.url()}`);
    });
    await page.goto(pathToFileURL(join(root, "playground", "index.html")).href);
    await page.waitForSelector("body[data-ready]");
    return page;
  }
  /** Types `code` (when given), waits for its class, clicks Run and waits for the run's end: the status and the output. */
  async function runInPlayground(page: Page, code?: string, timeout = 20_000): Promise<{ status: string; output: string }> {
    if (code !== undefined) {
      await page.locator("#editor").fill(code);
      // (the class, and the mode, follow the text after a pause in typing)
      await page.waitForTimeout(400);
    }
    const ran = Number((await page.locator("body").getAttribute("data-ran")) ?? 0);
    await page.locator("#run").click();
    await page.waitForSelector(`body[data-ran="${ran + 1}"]`, { timeout });
    return { status: (await page.locator("#status").textContent())!, output: (await page.locator("#output").textContent())! };
  }

  it("the playground: a program that never ends is stopped at the time limit, keeps what it printed and recorded, and leaves the page working", async () => {
    const page = await openPlayground("playground-runaway");
    const explorer = page.frameLocator("#explorer");
    // A first run, whose explorer stays usable while the next program loops.
    expect((await runInPlayground(page)).status).toBe("ran: 11 steps: step through them below");
    await explorer.locator('body[data-step="1"]').waitFor();
    await page.locator("#editor").fill('console.log("hi");\nasync function spin() {\n  while (true) {}\n}\nspin();\n');
    await page.waitForTimeout(400);
    const started = Date.now();
    await page.locator("#run").click();
    await page.waitForTimeout(1500);
    expect(await page.locator("#status").textContent()).toBe("running… (stopped if not done in 10 s)");
    expect(await page.locator("#run-note").textContent()).toBe("The output and the explorer below are from the previous run (running…).");
    await explorer.locator("#next").click({ timeout: 2000 });
    expect(await explorer.locator("body").getAttribute("data-step")).toBe("2");
    expect(Date.now() - started).toBeLessThan(9000);
    await page.waitForSelector('body[data-ran="2"]', { timeout: 20_000 });
    // What it printed and the steps it took until then, as `stepwise explore` shows a killed program.
    expect(await page.locator("#status").textContent()).toBe("stopped after 10 s (the program did not finish); 2 steps recorded until then: step through them below");
    expect(await page.locator("#status").getAttribute("class")).toBe("error");
    expect(await page.locator("#output").textContent()).toBe("hi\nstopped after 10 s (the program did not finish)");
    expect(await page.locator("#run-note").isHidden()).toBe(true);
    await explorer.locator('body[data-step="1"]').waitFor();
    expect(await explorer.locator("#count").textContent()).toBe("of 2");
    await explorer.locator("#last").click();
    expect(await explorer.locator("#now .what").textContent()).toBe("spin#1 starts in state 0");
    expect(await explorer.locator("#now").textContent()).toContain("never: the program was killed during this step");
    // The next Run works, and its explorer answers.
    const next = await runInPlayground(page, 'async function total() {\n  console.log("sum", (await 1) + (await 2));\n}\ntotal();\n');
    expect(next).toEqual({ status: "ran: 7 steps: step through them below", output: "sum 3" });
    await explorer.locator('body[data-step="1"]').waitFor();
    await explorer.locator("#next").click();
    expect(await explorer.locator("#now .what").textContent()).toBe("total#1 starts in state 0");
    await page.close();
  }, 60_000);

  it("the playground: a program that awaits without end is stopped at 50,000 events, with what it printed and its trace", async () => {
    const page = await openPlayground("playground-endless");
    const { status, output } = await runInPlayground(page, 'console.log("hi"); async function spin(){ while(true){ await null; } } spin();');
    const steps = /^stopped at 50,000 events \(the program did not finish\); ([\d,]+) steps recorded until then: step through them below$/.exec(status);
    expect(steps, status).not.toBeNull();
    expect(output).toBe("hi\nstopped at 50,000 events (the program did not finish)");
    const explorer = page.frameLocator("#explorer");
    await explorer.locator("body[data-step]").waitFor({ timeout: 20_000 });
    expect(await explorer.locator("#count").textContent()).toBe(`of ${steps![1].replace(/,/g, "")}`);
    await explorer.locator("#next").click();
    expect(await explorer.locator("#now .what").textContent()).toBe("spin#1 starts in state 0");
    await page.close();
  }, 60_000);

  it("the playground: every example runs in its own mode without an error, printing what `stepwise run` prints, and the status counts the explorer's steps", async () => {
    const page = await openPlayground("playground-examples");
    const explorer = page.frameLocator("#explorer");
    const names = await page.locator("#example option").allTextContents();
    expect(names).toContain("cleanup.js");
    for (const name of names) {
      await page.locator("#example").selectOption(name);
      await page.waitForFunction(() => !document.getElementById("run")!.hasAttribute("disabled"));
      await page.waitForTimeout(400);
      expect(await page.locator("#mode").inputValue(), name).toBe(name.startsWith("loop/") ? "loop" : "promise");
      const { status, output } = await runInPlayground(page);
      expect(status, name).toMatch(/^ran: \d+ steps: step through them below$/);
      expect(await page.locator("#status").getAttribute("class"), name).toBe("");
      // (the sandbox prints an object as JSON, Node as util.inspect does: those lines are left out)
      const cli = stepwise(["run", join("examples", name)], { cwd: root });
      expect(cli.code, cli.stderr).toBe(0);
      const plain = (text: string) => text.trim().split("\n").filter((line) => !line.startsWith("{"));
      expect(plain(output), name).toEqual(plain(cli.stdout));
      expect(output.split("\n").length, name).toBe(cli.stdout.trim().split("\n").length);
      await explorer.locator('body[data-step="1"]').waitFor();
      expect(await explorer.locator("#count").textContent(), name).toBe(`of ${/^ran: (\d+) steps/.exec(status)![1]}`);
    }
    await page.close();
  }, 90_000);

  it("the playground: a program that imports stepwise/loop runs in loop mode unless one chooses otherwise, and errors are shown whole", async () => {
    const page = await openPlayground("playground-loop-mode");
    const message = "LoopError: stepwise: no running event loop (sleep needs one: call it from a task, inside run())";
    const loopProgram = 'import { sleep } from "stepwise/loop";\n\nconsole.log("start");\nawait sleep(1);\n';
    await page.locator("#editor").fill(loopProgram);
    await expect.poll(() => page.locator("#mode").inputValue()).toBe("loop");
    let result = await runInPlayground(page);
    expect(result).toEqual({ status: `ran: 0 steps (Uncaught ${message})`, output: `start\nUncaught ${message}` });
    expect(await page.locator("#status").getAttribute("class")).toBe("error");
    // Chosen by hand, promise mode stays as the code changes (its imports do not).
    await page.locator("#mode").selectOption("promise");
    result = await runInPlayground(page, `${loopProgram}console.log("never");\n`);
    expect(await page.locator("#mode").inputValue()).toBe("promise");
    expect(result).toEqual({ status: `ran: 0 steps (Uncaught ${message})`, output: `start\nUncaught ${message}` });
    // Code that no longer imports the loop goes back to promise mode (loop chosen by hand before it or not).
    await page.locator("#mode").selectOption("loop");
    result = await runInPlayground(page, 'async function f() {\n  throw new Error(`the disk is full: ${"x".repeat(100)}`);\n}\nf();\n');
    expect(await page.locator("#mode").inputValue()).toBe("promise");
    const rejection = `Unhandled rejection: Error: the disk is full: ${"x".repeat(100)}`;
    expect(result).toEqual({ status: `ran: 3 steps (${rejection}): step through them below`, output: rejection });
    await page.close();
  }, 60_000);

  it("the playground: the program runs with no network and no same origin (the sandbox's worker has its iframe's policy)", async () => {
    const page = await openPlayground("playground-isolation");
    const { output } = await runInPlayground(
      page,
      'fetch("http://127.0.0.1:9/").then(() => console.log("fetched"), (error) => console.log("fetch:", error.message));\n' +
        'try { importScripts("http://127.0.0.1:9/x.js"); } catch { console.log("importScripts: refused"); }\n' +
        "console.log(self.origin, typeof document);\n",
    );
    expect(output.split("\n").sort()).toEqual(["fetch: Failed to fetch", "importScripts: refused", "null undefined"]);
    await page.close();
  }, 60_000);

  it("no console errors, no network requests", () => {
    expect(problems).toEqual([]);
  });
});
