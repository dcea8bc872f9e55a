// @ts-nocheck -- browser code, shipped into the page as written (see page.ts).
// The explorer's script: steps through a recorded trace and keeps the source, the generated class, the
// state graph, the details and the timeline in step. No network access, no dependencies.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("stepwise-data").textContent);
  const events = data.events;
  const loopMode = data.mode === "loop";
  const $ = (id) => document.getElementById(id);

  // ---- The steps: the events one can stand on -------------------------------------------------------
  /** Indices into `events`. */
  const steps = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type === "enter" || e.type === "leave") steps.push(i);
    else if (!loopMode && (e.type === "macrotask" || e.type === "microtask")) steps.push(i);
    else if (loopMode && e.type === "loop" && e.event !== "suspend") steps.push(i);
  }
  const n = steps.length;

  // Lanes: one per call, in order of first appearance; in loop mode each call knows its task.
  const laneOf = new Map();
  const lanes = [];
  const callTask = new Map();
  {
    let stepTask = null;
    for (const e of events) {
      if (e.type === "loop") {
        if (e.event === "step") stepTask = e.detail.task;
        else if (e.event === "suspend" || e.event === "done" || e.event === "iteration") stepTask = null;
      } else if (e.type === "enter") {
        if (!laneOf.has(e.call)) {
          laneOf.set(e.call, lanes.length);
          lanes.push(e.call);
        }
        if (stepTask !== null && !callTask.has(e.call)) callTask.set(e.call, stepTask);
      }
    }
  }
  const callName = (call) => {
    const e = firstEnter.get(call);
    return `${e ? e.function : "?"}#${call}`;
  };
  const firstEnter = new Map();
  for (const e of events) if (e.type === "enter" && !firstEnter.has(e.call)) firstEnter.set(e.call, e);

  /** Loop mode: whether the task went on at once after the await at `index` (the loop's next word is a `step`, not a `suspend`). */
  function wentOn(index) {
    for (let k = index + 1; k < events.length; k++) {
      const other = events[k];
      if (other.type === "enter" || other.type === "leave") return false;
      if (other.type === "loop" && (other.event === "step" || other.event === "suspend")) return other.event === "step";
    }
    return false;
  }

  // Per step: the call in focus and the state to highlight (carried over boundary events), bars and waits.
  const focusCall = new Int32Array(n).fill(-1);
  const focusState = new Int32Array(n).fill(-1);
  const bars = []; // { lane, start, end, signal, state }
  /** Steps the trace ends in (an enter with no leave: the program was killed, or exited, during it): { lane, start, state }. */
  const openBars = [];
  const waits = []; // { lane, start, end }
  const marks = []; // { col, kind: "macro" | "micro" | "iter", label }
  const enterCol = new Map();
  const leaveCol = new Map();
  const nextEnterOfCall = new Int32Array(n).fill(-1);
  const nextEnter = new Int32Array(n).fill(-1);
  /** At a leave: the state its step entered in (-1 when the trace has no enter for it). */
  const stepEntered = new Int32Array(n).fill(-1);
  {
    let call = -1;
    let state = -1;
    for (let col = 0; col < n; col++) {
      const e = events[steps[col]];
      if (e.type === "enter") {
        call = e.call;
        state = e.state;
        enterCol.set(e.call, col);
        if (leaveCol.has(e.call)) {
          const from = leaveCol.get(e.call);
          waits.push({ lane: laneOf.get(e.call), start: from, end: col });
          nextEnterOfCall[from] = col;
          leaveCol.delete(e.call);
        }
      } else if (e.type === "leave") {
        call = e.call;
        const start = enterCol.has(e.call) ? enterCol.get(e.call) : col;
        const entered = events[steps[start]];
        state = entered.type === "enter" ? entered.state : e.state;
        bars.push({ lane: laneOf.get(e.call), start, end: col, signal: e.signal === "await" && loopMode && wentOn(steps[col]) ? "inline" : e.signal, state });
        if (entered.type === "enter") stepEntered[col] = entered.state;
        // (the step leaves from the last state it ran in)
        if (e.through) state = e.through[e.through.length - 1];
        enterCol.delete(e.call);
        if (e.state >= 0) leaveCol.set(e.call, col);
      } else if (e.type === "macrotask") {
        marks.push({ col, kind: "macro", label: e.macrotask === 0 ? "main" : `macrotask ${e.macrotask}: ${e.source}` });
      } else if (e.type === "microtask") {
        marks.push({ col, kind: "micro", label: `µ${e.microtask}` });
      } else if (e.type === "loop" && e.event === "iteration") {
        marks.push({ col, kind: "iter", label: `iteration ${e.detail.iteration}` });
      } else if (e.type === "loop" && (e.event === "step" || e.event === "done")) {
        // the task's call: its most recent one
        for (let k = col + 1; k < n && k < col + 4; k++) {
          const next = events[steps[k]];
          if (next.type === "enter" && callTask.get(next.call) === e.detail.task) {
            call = next.call;
            state = next.state;
            break;
          }
        }
      }
      focusCall[col] = call;
      focusState[col] = state;
    }
    // Still suspended at the end: the wait runs to the end of the timeline.
    for (const [c, from] of leaveCol) waits.push({ lane: laneOf.get(c), start: from, end: n });
    // Still running at the end: the step never ended (kept apart from `bars`, whose longest bounds what a draw looks back over).
    for (const [c, from] of enterCol) openBars.push({ lane: laneOf.get(c), start: from, state: events[steps[from]].state });
    let next = -1;
    for (let col = n - 1; col >= 0; col--) {
      nextEnter[col] = next;
      if (events[steps[col]].type === "enter") next = col;
    }
    bars.sort((a, b) => a.start - b.start);
    waits.sort((a, b) => a.start - b.start);
  }
  const maxBar = bars.reduce((max, bar) => Math.max(max, bar.end - bar.start), 0);
  const maxWait = waits.reduce((max, wait) => Math.max(max, wait.end - wait.start), 0);
  const markAt = new Map(marks.map((mark) => [mark.col, mark]));

  // ---- Code panes -----------------------------------------------------------------------------------
  const KEYWORDS = /\b(async|await|yield|function|return|class|extends|super|case|switch|const|let|var|if|else|for|of|in|while|do|break|continue|new|this|try|catch|finally|throw|import|from|export|default)\b/g;
  // (quotes too: a value's full text goes in a title attribute)
  const escapeHtml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  // Lines as the engine counts them (and Babel's positions, which the trace's line numbers are): a lone
  // `\r`, U+2028 and U+2029 end a line too.
  const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;
  /**
   * The text's lines as HTML: comments in italics, keywords coloured outside strings and comments. One
   * scan of the whole text, so that a string holding `//` is no comment and a comment or template literal
   * that spans lines stays one, and a regular expression literal is no comment, string nor keyword (`/"/`,
   * `/\/\//`): a `/` starts one where an operand is expected, as the parser decides.
   */
  function colourLines(text) {
    const lines = [];
    let line = "";
    let mode = "code"; // code, line comment, block comment, regular expression, or the quote of the string or template it is in
    let inClass = false; // in a regular expression's character class, where `/` does not end it
    let run = "";
    const flush = () => {
      if (run === "") return;
      line += mode === "code" ? escapeHtml(run).replace(KEYWORDS, '<span class="kw">$1</span>') : mode === "//" || mode === "/*" ? `<span class="cm">${escapeHtml(run)}</span>` : escapeHtml(run);
      run = "";
    };
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (ch === "\n" || ch === "\r" || ch === "\u2028" || ch === "\u2029") {
        // A line break ends a line comment, and a quoted string unless a backslash continues it.
        const continued = run.endsWith("\\") && (mode === '"' || mode === "'");
        flush();
        lines.push(line);
        line = "";
        if (ch === "\r" && text[i + 1] === "\n") i++;
        if (mode === "//" || mode === "re" || ((mode === '"' || mode === "'") && !continued)) mode = "code";
        continue;
      }
      if (mode === "code") {
        if (ch === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) {
          flush();
          mode = text[i + 1] === "/" ? "//" : "/*";
          run = ch + text[++i];
          continue;
        }
        if (ch === '"' || ch === "'" || ch === "`" || (ch === "/" && operandExpected(text, i))) {
          flush();
          mode = ch === "/" ? "re" : ch;
          inClass = false;
        }
        run += ch;
      } else if (mode === "re") {
        // A backslash escapes what follows; `/` outside a character class ends it (its flags are code).
        run += ch;
        if (ch === "\\" && i + 1 < text.length && !LINE_BREAK.test(text[i + 1])) run += text[++i];
        else if (ch === "[") inClass = true;
        else if (ch === "]") inClass = false;
        else if (ch === "/" && !inClass) {
          flush();
          mode = "code";
        }
      } else if (mode === "/*") {
        run += ch;
        if (ch === "*" && text[i + 1] === "/") {
          run += text[++i];
          flush();
          mode = "code";
        }
      } else if (mode === "//") {
        run += ch;
      } else {
        // In a string or template: a backslash escapes what follows (a line break too), the quote ends it.
        run += ch;
        if (ch === "\\" && i + 1 < text.length && !LINE_BREAK.test(text[i + 1])) run += text[++i];
        else if (ch === mode) {
          flush();
          mode = "code";
        }
      }
    }
    flush();
    lines.push(line);
    return lines;
  }
  // Words after which an operand comes (so a `/` starts a regular expression, not a division).
  const BEFORE_OPERAND = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);
  /** Whether the `/` at `i` (not a comment's) starts a regular expression: what precedes it is no operand's end. */
  function operandExpected(text, i) {
    let j = i - 1;
    while (j >= 0 && /\s/.test(text[j])) j--;
    if (j < 0) return true;
    const ch = text[j];
    if (/[\w$\u0080-\uffff]/.test(ch)) {
      let start = j;
      while (start > 0 && /[\w$\u0080-\uffff]/.test(text[start - 1])) start--;
      return BEFORE_OPERAND.has(text.slice(start, j + 1)) && text[start - 1] !== ".";
    }
    // `)`, `]` and a string's or template's end close an operand, as do `++` and `--` after one
    if (ch === ")" || ch === "]" || ch === '"' || ch === "'" || ch === "`") return false;
    if ((ch === "+" || ch === "-") && text[j - 1] === ch) return false;
    return true;
  }
  /**
   * Lines in blocks of CHUNK, each block laid out only when near the view (`content-visibility: auto`,
   * as tall as its lines until then): the class of a function of 600 states is thousands of lines.
   */
  const CHUNK = 100;
  function fillCode(pre, text) {
    const lines = colourLines(text);
    const html = [];
    for (let from = 0; from < lines.length; from += CHUNK) {
      const to = Math.min(lines.length, from + CHUNK);
      html.push(`<span class="chunk" style="contain-intrinsic-size: auto ${(to - from) * 1.5}em">`);
      for (let i = from; i < to; i++) html.push(`<span class="ln" data-n="${i + 1}">${lines[i] || " "}</span>`);
      html.push("</span>");
    }
    pre.innerHTML = html.join("");
    return Array.from(pre.getElementsByClassName("ln"));
  }
  const panes = { source: { pre: $("source"), file: -1, lines: [], marked: [] }, class: { pre: $("class"), file: -1, lines: [], marked: [], classMarked: [] } };
  /** Highlights lines from..to, `bold` (default: the first) in bold: where the state is. */
  function mark(pane, from, to, scroll, bold = from) {
    for (const el of pane.marked) el.classList.remove("hl", "hl-first");
    pane.marked = [];
    if (from == null) return;
    const first = bold >= from && bold <= to ? bold : from;
    for (let line = from; line <= to && line <= pane.lines.length; line++) {
      const el = pane.lines[line - 1];
      el.classList.add("hl");
      if (line === first) el.classList.add("hl-first");
      pane.marked.push(el);
    }
    if (scroll && pane.marked.length) scrollIntoPane(pane.pre, pane.marked[0], pane.marked[pane.marked.length - 1]);
  }
  function scrollIntoPane(container, first, last) {
    // (from their boxes: a line's offsetTop counts from its block of lines, which contains its layout)
    const origin = container.getBoundingClientRect().top - container.scrollTop;
    const top = first.getBoundingClientRect().top - origin;
    const bottom = last.getBoundingClientRect().bottom - origin;
    if (top < container.scrollTop || bottom > container.scrollTop + container.clientHeight) {
      container.scrollTop = Math.max(0, top - Math.max(20, (container.clientHeight - (bottom - top)) / 3));
    }
  }

  // ---- Function selection and the graph -------------------------------------------------------------
  const fnSelect = $("fn");
  const fnList = [];
  data.files.forEach((file, f) =>
    file.functions.forEach((fn, i) => {
      fnList.push([f, i]);
      const option = document.createElement("option");
      option.value = `${f}:${i}`;
      option.textContent = `${fn.name} (${file.path}:${fn.line})`;
      fnSelect.append(option);
    }),
  );
  if (fnList.length === 0) {
    const option = document.createElement("option");
    option.textContent = "no async functions or generators";
    fnSelect.append(option);
    fnSelect.disabled = true;
  }
  let shownFn = null; // [file, fn]
  const graph = stepwiseGraph($("graph"), (state) => jumpToState(state));
  function showFunction(f, i) {
    if (shownFn && shownFn[0] === f && shownFn[1] === i) return;
    shownFn = [f, i];
    fnSelect.value = `${f}:${i}`;
    const file = data.files[f];
    const fn = file.functions[i];
    if (panes.source.file !== f) {
      panes.source.lines = fillCode(panes.source.pre, file.source);
      panes.class.lines = fillCode(panes.class.pre, file.code);
      panes.source.file = panes.class.file = f;
      panes.source.marked = [];
      panes.class.marked = [];
      panes.class.classMarked = [];
      $("source-name").textContent = file.path;
    }
    for (const el of panes.class.classMarked) el.classList.remove("in-class");
    panes.class.classMarked = [];
    if (fn.classLines) {
      for (let line = fn.classLines.start; line <= fn.classLines.end; line++) {
        const el = panes.class.lines[line - 1];
        if (el) {
          el.classList.add("in-class");
          panes.class.classMarked.push(el);
        }
      }
    }
    $("class-name").textContent = `class ${fn.className}`;
    graph.show(fn);
  }
  fnSelect.addEventListener("change", () => {
    const [f, i] = fnSelect.value.split(":").map(Number);
    showFunction(f, i);
    highlight(-1, false);
  });
  function highlight(state, scroll) {
    const [f, i] = shownFn ?? [-1, -1];
    const fn = f >= 0 ? data.files[f].functions[i] : null;
    const info = fn && state >= 0 ? fn.states.find((s) => s.index === state) : null;
    // (a state's span may start before its line: a loop's next state begins at its update, `i++`)
    if (info && info.span) mark(panes.source, info.span.start.line, info.span.end.line, scroll, info.line ?? info.span.start.line);
    else if (info && info.line != null) mark(panes.source, info.line, info.line, scroll);
    else mark(panes.source, null);
    // A state made of no code of the source (what is left of a function after its last await, a finally's
    // way out) has no line: none is highlighted (the function's header would say it is there), and the
    // pane says so.
    const lineless = $("no-line");
    lineless.hidden = !(info && !info.span && info.line == null);
    if (!lineless.hidden) lineless.textContent = `state ${state} has no source line`;
    const range = fn && state >= 0 ? fn.cases[state] : null;
    if (range) mark(panes.class, range.start, range.end, scroll);
    else if (fn && fn.classLines && scroll) mark(panes.class, fn.classLines.start, fn.classLines.start, scroll);
    else mark(panes.class, null);
    graph.highlight(state, scroll);
  }
  /**
   * The next step (after the current one, wrapping) of the function shown that runs in `state`: one that
   * enters it, or the end of one that ran through it (where its path is drawn).
   */
  function jumpToState(state) {
    if (!shownFn) return;
    let cut = false;
    for (let k = 1; k <= n; k++) {
      const col = (current + k) % n;
      const e = events[steps[col]];
      const at = e.type === "enter" || e.type === "leave" ? data.calls[e.call] : undefined;
      if (!at || at[0] !== shownFn[0] || at[1] !== shownFn[1]) continue;
      if (e.type === "enter" ? e.state === state : e.through?.includes(state)) return go(col);
      if (e.type === "leave" && e.throughMore) cut = true;
    }
    highlight(state, true);
    $("now").querySelector(".what").textContent = cut
      ? `No step runs in state ${state} among the states this trace lists (a long step lists its first 999 and its last)`
      : `No step runs in state ${state} in this trace`;
  }

  // ---- The details of the current step (client-details.js) -----------------------------------------
  const { describe, renderNow } = stepwiseStepDetails({ data, events, steps, loopMode, callTask, callName, escapeHtml, nextEnter, nextEnterOfCall, stepEntered, unfinished: new Set(openBars.map((bar) => bar.start)), $ });

  // ---- Loop mode: the loop's picture at the current step (client-loop.js) ----------------------------
  function renderLoop(col) {
    stepwiseRenderLoop({ steps, events, callTask, escapeHtml, callName, $ }, col);
  }

  // ---- The timeline: a canvas that draws only what is in view ---------------------------------------
  const LABEL_W = window.innerWidth < 600 ? 96 : 150;
  const HEAD_H = 28;
  const LANE_H = 24;
  const colW = n < 120 ? 40 : n < 2000 ? 18 : 10;
  const timeline = $("timeline");
  const spacer = $("spacer");
  const canvas = $("canvas");
  const ctx = canvas.getContext("2d");
  /** How far a step the trace ends in reaches past the last step (within the 40 pixels left after it). */
  const OPEN_TAIL = 30;
  spacer.style.width = `${LABEL_W + n * colW + 40}px`;
  spacer.style.height = `${HEAD_H + lanes.length * LANE_H + 8}px`;
  timeline.setAttribute("aria-valuemax", String(Math.max(1, n)));
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  let colors = {};
  const readColors = () => {
    colors = { bg: css("--bg"), fg: css("--fg"), muted: css("--muted"), line: css("--line"), alt: css("--lane-alt"), panel: css("--panel"), hl: css("--hl"), edge: css("--hl-edge"), await: css("--await"), inline: css("--inline"), yield: css("--yield"), ret: css("--ret"), throw: css("--throw"), run: css("--run"), open: css("--open") };
  };
  readColors();
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
    readColors();
    draw();
  });
  const fillOf = (signal) => (signal === "await" ? colors.await : signal === "inline" ? colors.inline : signal === "yield" || signal === "yield*" ? colors.yield : signal === "return" ? colors.ret : signal === "throw" ? colors.throw : colors.run);
  const legend = [
    ["await", "--await"],
    ["yield", "--yield"],
    ["return", "--ret"],
    ["throw", "--throw"],
  ];
  if (loopMode) legend.splice(1, 0, ["await, no wait", "--inline"]);
  if (openBars.length) legend.push(["unfinished (the run ended in it)", "--open"]);
  $("legend").innerHTML =
    legend.map(([name, v]) => `<span><i style="background: var(${v})"></i>${name}</span>`).join("") +
    `<span>${loopMode ? "solid line: loop iteration" : "solid line: macrotask · dashed: microtask"}</span>`;

  function firstIndex(list, col) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start < col) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  let drawPending = false;
  function draw() {
    drawPending = false;
    const dpr = window.devicePixelRatio || 1;
    const w = timeline.clientWidth;
    const h = timeline.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    }
    const sl = timeline.scrollLeft;
    const st = timeline.scrollTop;
    canvas.style.left = `${sl}px`;
    canvas.style.top = `${st}px`;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, w, h);
    const x = (col) => LABEL_W + col * colW - sl;
    const y = (lane) => HEAD_H + lane * LANE_H - st;
    const c0 = Math.max(0, Math.floor((sl - 0) / colW) - 1);
    const c1 = Math.min(n, Math.ceil((sl + w - LABEL_W) / colW) + 1);
    const l0 = Math.max(0, Math.floor(st / LANE_H));
    const l1 = Math.min(lanes.length, Math.ceil((st + h - HEAD_H) / LANE_H) + 1);
    for (let lane = l0; lane < l1; lane++) {
      if (lane % 2) {
        ctx.fillStyle = colors.alt;
        ctx.fillRect(LABEL_W, y(lane), w, LANE_H);
      }
    }
    // current step (none in a run with no steps)
    if (n > 0) {
      ctx.fillStyle = colors.hl;
      ctx.fillRect(x(current), HEAD_H, colW, h);
    }
    // boundaries
    ctx.font = "11px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (let col = c0; col < c1; col++) {
      const mark = markAt.get(col);
      if (!mark) continue;
      ctx.strokeStyle = mark.kind === "micro" ? colors.muted : colors.fg;
      ctx.setLineDash(mark.kind === "micro" ? [3, 3] : []);
      ctx.lineWidth = mark.kind === "micro" ? 1 : 1.5;
      ctx.beginPath();
      ctx.moveTo(x(col) + 0.5, mark.kind === "micro" ? HEAD_H - 8 : 4);
      ctx.lineTo(x(col) + 0.5, h);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    // waits (a call suspended), then bars (a call running)
    ctx.strokeStyle = colors.muted;
    ctx.setLineDash([2, 4]);
    for (let k = firstIndex(waits, c0 - maxWait); k < waits.length && waits[k].start <= c1; k++) {
      const wait = waits[k];
      if (wait.end < c0 || wait.lane < l0 || wait.lane >= l1) continue;
      const yy = y(wait.lane) + LANE_H / 2 + 0.5;
      ctx.beginPath();
      ctx.moveTo(x(wait.start) + colW, yy);
      ctx.lineTo(x(wait.end), yy);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    for (let k = firstIndex(bars, c0 - maxBar); k < bars.length && bars[k].start <= c1; k++) {
      const bar = bars[k];
      if (bar.end < c0 || bar.lane < l0 || bar.lane >= l1) continue;
      const bx = x(bar.start) + 2;
      const bw = (bar.end - bar.start + 1) * colW - 4;
      ctx.fillStyle = fillOf(bar.signal);
      ctx.fillRect(bx, y(bar.lane) + 4, bw, LANE_H - 8);
      if (bw > 34) {
        ctx.fillStyle = "#1d232b";
        ctx.fillText(`s${bar.state} ${bar.signal}`.slice(0, Math.floor(bw / 6.5)), bx + 4, y(bar.lane) + LANE_H / 2);
      }
    }
    // A step the trace ends in: pale, outlined with dashes, and open at its end (it never left its state).
    for (const bar of openBars) {
      if (bar.lane < l0 || bar.lane >= l1) continue;
      const bx = x(bar.start) + 2;
      const right = x(n) + OPEN_TAIL;
      const by = y(bar.lane) + 4;
      const bh = LANE_H - 8;
      ctx.fillStyle = colors.open;
      ctx.fillRect(bx, by, right - bx, bh);
      ctx.strokeStyle = colors.fg;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(right, by + 0.5);
      ctx.lineTo(bx + 0.5, by + 0.5);
      ctx.lineTo(bx + 0.5, by + bh - 0.5);
      ctx.lineTo(right, by + bh - 0.5);
      ctx.stroke();
      ctx.setLineDash([]);
      if (right - bx > 34) {
        ctx.fillStyle = "#1d232b";
        ctx.fillText(`s${bar.state} unfinished`.slice(0, Math.floor((right - bx) / 6.5)), bx + 4, y(bar.lane) + LANE_H / 2);
      }
    }
    // a dot for steps that are not a machine's (boundaries, loop events), on the focus lane or the head
    // head: labels of boundaries
    ctx.fillStyle = colors.panel;
    ctx.fillRect(0, 0, w, HEAD_H);
    ctx.strokeStyle = colors.line;
    ctx.beginPath();
    ctx.moveTo(0, HEAD_H - 0.5);
    ctx.lineTo(w, HEAD_H - 0.5);
    ctx.stroke();
    let lastLabel = -Infinity;
    ctx.fillStyle = colors.fg;
    for (let col = c0; col < c1; col++) {
      const mark = markAt.get(col);
      if (!mark || mark.kind === "micro") continue;
      const lx = x(col) + 3;
      if (lx < lastLabel + 8 || lx < LABEL_W) continue;
      ctx.fillText(mark.label, lx, 10);
      lastLabel = lx + ctx.measureText(mark.label).width;
    }
    if (colW >= 18) {
      ctx.fillStyle = colors.muted;
      for (let col = c0; col < c1; col++) {
        const mark = markAt.get(col);
        if (mark && mark.kind === "micro" && x(col) > LABEL_W) ctx.fillText(mark.label, x(col) + 3, 21);
      }
    }
    // current step marker in the head
    ctx.fillStyle = colors.edge;
    ctx.fillRect(x(current), HEAD_H - 4, colW, 4);
    // lane labels
    ctx.fillStyle = colors.panel;
    ctx.fillRect(0, HEAD_H, LABEL_W, h);
    ctx.strokeStyle = colors.line;
    ctx.beginPath();
    ctx.moveTo(LABEL_W - 0.5, 0);
    ctx.lineTo(LABEL_W - 0.5, h);
    ctx.stroke();
    for (let lane = l0; lane < l1; lane++) {
      const call = lanes[lane];
      ctx.fillStyle = call === focusCall[current] ? colors.fg : colors.muted;
      ctx.font = call === focusCall[current] ? "bold 12px system-ui, sans-serif" : "12px system-ui, sans-serif";
      const task = callTask.get(call);
      let label = `${callName(call)}${task ? ` · ${task}` : ""}`;
      while (label.length > 3 && ctx.measureText(label).width > LABEL_W - 14) label = `${label.slice(0, -2)}…`;
      ctx.fillText(label, 8, y(lane) + LANE_H / 2);
    }
    ctx.fillStyle = colors.panel;
    ctx.fillRect(0, 0, LABEL_W, HEAD_H);
    ctx.fillStyle = colors.muted;
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillText(`${lanes.length} call${lanes.length === 1 ? "" : "s"}, ${n} steps`, 8, 14);
  }
  /** As tall as its lanes, up to a third of the window (then it scrolls). */
  function sizeTimeline() {
    const wanted = HEAD_H + lanes.length * LANE_H + 8 + (timeline.offsetHeight - timeline.clientHeight || 16);
    timeline.style.height = `${Math.max(110, Math.min(wanted, Math.max(170, window.innerHeight * 0.32)))}px`;
  }
  sizeTimeline();
  const requestDraw = () => {
    if (!drawPending) {
      drawPending = true;
      requestAnimationFrame(draw);
    }
  };
  timeline.addEventListener("scroll", requestDraw, { passive: true });
  window.addEventListener("resize", () => {
    sizeTimeline();
    requestDraw();
  });
  timeline.addEventListener("click", (event) => {
    const rect = timeline.getBoundingClientRect();
    const px = event.clientX - rect.left + timeline.scrollLeft - LABEL_W;
    const py = event.clientY - rect.top;
    if (py < HEAD_H) return;
    if (px < 0) {
      // a lane's label: the call's first step
      const lane = Math.floor((py - HEAD_H + timeline.scrollTop) / LANE_H);
      const call = lanes[lane];
      if (call !== undefined) {
        const first = steps.findIndex((index) => events[index].type === "enter" && events[index].call === call);
        if (first >= 0) go(first);
      }
      return;
    }
    const col = Math.floor(px / colW);
    const lane = Math.floor((py - HEAD_H + timeline.scrollTop) / LANE_H);
    const step = stepAt(lane, col);
    if (step >= 0) go(step);
  });
  /**
   * The step a click at `col` in `lane` goes to: the one in that column, but on a box of the lane's call that
   * spans other calls' steps (or, for a step the trace ends in, runs on past the last step) the step the
   * box starts at. -1: none.
   */
  function stepAt(lane, col) {
    const call = lanes[lane];
    const own = col >= 0 && col < n && events[steps[col]].call === call;
    if (call !== undefined && !own) {
      for (const bar of openBars) if (bar.lane === lane && col >= bar.start && col <= n + OPEN_TAIL / colW) return bar.start;
      for (let k = firstIndex(bars, col - maxBar); k < bars.length && bars[k].start <= col; k++) if (bars[k].lane === lane && bars[k].end >= col) return bars[k].start;
    }
    return col >= 0 && col < n ? col : -1;
  }
  timeline.addEventListener("mousemove", (event) => {
    const rect = timeline.getBoundingClientRect();
    const px = event.clientX - rect.left + timeline.scrollLeft - LABEL_W;
    const step = stepAt(Math.floor((event.clientY - rect.top - HEAD_H + timeline.scrollTop) / LANE_H), Math.floor(px / colW));
    canvas.title = px >= 0 && step >= 0 ? `step ${step + 1}: ${describe(events[steps[step]])}` : "click a call to go to its first step";
  });
  function scrollTimelineTo(col) {
    const left = LABEL_W + col * colW;
    const view = timeline.clientWidth;
    if (left - LABEL_W < timeline.scrollLeft || left + colW > timeline.scrollLeft + view) timeline.scrollLeft = Math.max(0, left - LABEL_W - (view - LABEL_W) / 2);
    const call = focusCall[col];
    if (call >= 0) {
      const top = laneOf.get(call) * LANE_H;
      const viewH = timeline.clientHeight - HEAD_H;
      if (top < timeline.scrollTop || top + LANE_H > timeline.scrollTop + viewH) timeline.scrollTop = Math.max(0, top - viewH / 2);
    }
  }

  // ---- Stepping -------------------------------------------------------------------------------------
  let current = 0;
  const stepInput = $("stepno");
  stepInput.max = String(Math.max(1, n));
  $("count").textContent = `of ${n}`;
  const start = events.find((e) => e.type === "start");
  $("meta").textContent = `${data.mode} mode · ${lanes.length} call${lanes.length === 1 ? "" : "s"} · ${events.length} events${data.exitCode == null ? "" : ` · exit code ${data.exitCode}`}${start ? ` · ${/^v\d/.test(start.node) ? `node ${start.node}` : `in the ${start.node}`}` : ""}`;
  // Whether some step runs a machine of no file shown (then a line says so at that step).
  const anyElsewhere = focusCall.some((call) => call >= 0 && !data.calls[call]);
  function go(col) {
    if (n === 0) return;
    // (a step typed in the field may be a fraction, or nothing a number reads: the nearest step, or this one)
    current = Math.max(0, Math.min(n - 1, Number.isFinite(col) ? Math.round(col) : current));
    const call = focusCall[current];
    const at = call >= 0 ? data.calls[call] : undefined;
    if (at) showFunction(at[0], at[1]);
    else if (!shownFn && fnList.length) showFunction(fnList[0][0], fnList[0][1]);
    highlight(at ? focusState[current] : -1, !!at);
    // Leaving a state: the edge it leaves by (to the state it continues in, or to the end), and the states
    // and edges the step ran through before it, dashed.
    const e = events[steps[current]];
    if (at && e.type === "leave") {
      const to = e.state >= 0 ? `s${e.state}` : e.signal === "return" ? "end" : null;
      const path = e.through ? [stepEntered[current], ...e.through] : [];
      const passed = new Set();
      for (let k = 0; k + 1 < path.length; k++) passed.add(`s${path[k]}->s${path[k + 1]}`);
      graph.markStep(`s${focusState[current]}->${to}`, passed, path.slice(0, -1));
    } else {
      graph.markStep(null, [], []);
    }
    // (in a trace with such steps the line keeps its place, shown or not: the panes below do not jump as one steps)
    const elsewhere = $("elsewhere");
    elsewhere.hidden = !anyElsewhere;
    elsewhere.style.visibility = call >= 0 && !at ? "visible" : "hidden";
    if (call >= 0 && !at) elsewhere.textContent = `${callName(call)} is not in these files (a machine of stepwise's own library, or of a file that was not transformed): the panes show the last function in focus.`;
    else if (elsewhere.textContent === "") elsewhere.textContent = "\u00a0";
    renderNow(current);
    if (loopMode) renderLoop(current);
    stepInput.value = String(current + 1);
    $("prev").disabled = $("first").disabled = current === 0;
    $("next").disabled = $("last").disabled = current === n - 1;
    timeline.setAttribute("aria-valuenow", String(current + 1));
    timeline.setAttribute("aria-valuetext", `step ${current + 1}: ${describe(events[steps[current]])}`);
    document.body.dataset.step = String(current + 1);
    scrollTimelineTo(current);
    requestDraw();
    try {
      history.replaceState(null, "", `#step=${current + 1}`);
    } catch {
      // a sandboxed frame (the playground) may not touch its URL
    }
  }
  $("first").addEventListener("click", () => go(0));
  $("prev").addEventListener("click", () => go(current - 1));
  $("next").addEventListener("click", () => go(current + 1));
  $("last").addEventListener("click", () => go(n - 1));
  stepInput.addEventListener("change", () => go(Number(stepInput.value) - 1));
  /**
   * Whether the element with focus keeps `key` for itself: a field edits with it, and a pane that scrolls
   * scrolls with it, as it would on any page. The code panes scroll both ways, so every arrow and paging key
   * is theirs; the step's details and the loop panel scroll only up and down (their text wraps), so ← and →
   * still step there.
   */
  function keptByFocus(target, key) {
    if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) return true;
    if (!(target instanceof Element)) return false;
    if (target.closest(".code")) return true;
    if (target.closest("#now, #loop")) return key !== "ArrowLeft" && key !== "ArrowRight";
    return false;
  }
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (keptByFocus(target, event.key)) return;
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, PageDown: 50, PageUp: -50 };
    if (event.key in moves) {
      if ((event.key === "ArrowUp" || event.key === "ArrowDown") && target !== timeline) return;
      event.preventDefault();
      go(current + moves[event.key]);
    } else if (event.key === "Home") {
      event.preventDefault();
      go(0);
    } else if (event.key === "End") {
      event.preventDefault();
      go(n - 1);
    }
  });

  if (n === 0) {
    $("now").innerHTML = `<p class="what">Nothing to step through: no async function or generator ran.</p>`;
    if (fnList.length) showFunction(fnList[0][0], fnList[0][1]);
    else if (data.files.length) {
      panes.source.lines = fillCode(panes.source.pre, data.files[0].source);
      panes.class.lines = fillCode(panes.class.pre, data.files[0].code);
    }
    for (const id of ["first", "prev", "next", "last", "stepno"]) $(id).disabled = true;
    stepInput.value = "0";
    document.body.dataset.step = "0";
    draw();
  } else {
    const fromHash = /^#step=(\d+)$/.exec(location.hash);
    go(fromHash ? Number(fromHash[1]) - 1 : 0);
  }
})();
