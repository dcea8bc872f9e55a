// @ts-nocheck -- browser code, shipped into the page as written, before client.js (see page.ts).
// The explorer's loop panel (loop mode): the event loop at the current step, replayed from the loop's trace
// events up to it (schema: docs/how-it-works.md, "Tracing"). The ready queue is what `enqueue` and `host`
// events put on it and `timer` events moved to it; an iteration takes it whole, and `callback` and `step`
// events (which name their handle) run its entries in order. The timer heap is what `schedule` events put
// in it, less what `timer` (fired) and `cancel` events took out: a timer that never fires is listed as
// long as it is pending. `view` is what client.js knows of the run.
// eslint-disable-next-line no-unused-vars
function stepwiseRenderLoop(view, col) {
  "use strict";
  const { steps, events, callTask, escapeHtml, callName, $ } = view;
  const upto = steps[col];
  const info = stepwiseHandleInfo(events);
  const ms = (value) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  let iterNo = null;
  let clock = null;
  /** The entries the current iteration took: { handle, label, kind, cause }. */
  let batch = [];
  /** Entries queued since: they run in the next iteration. */
  let queue = [];
  /** Handle ids run in the current iteration (the last one is running, unless the iteration is over). */
  const ran = new Set();
  let runningHandle = null;
  let takingTimers = false;
  const timers = new Map(); // handle -> { timer, when, callback, cause }
  const cancelled = [];
  const tasks = new Map(); // name -> { status, awaiting, stack: [call] }
  const callState = new Map();
  const host = [];
  let stepTask = null;
  const taskOf = (name) => {
    let task = tasks.get(name);
    if (!task) {
      task = { status: "created", awaiting: "", stack: [] };
      tasks.set(name, task);
    }
    return task;
  };
  const entry = (d, kind) => ({ handle: d.handle, label: info.get(d.handle) ?? d.callback, kind, cause: d.cause ?? null });
  for (let k = 0; k <= upto; k++) {
    const e = events[k];
    if (e.type === "loop") {
      const d = e.detail;
      switch (e.event) {
        case "iteration":
          iterNo = d.iteration;
          clock = d.time;
          batch = queue;
          queue = [];
          ran.clear();
          runningHandle = null;
          takingTimers = true;
          stepTask = null;
          break;
        case "enqueue":
          queue.push(entry(d, "soon"));
          break;
        case "host":
          queue.push(entry(d, "host"));
          host.push({ iteration: iterNo, callback: d.callback });
          break;
        case "schedule":
          timers.set(d.handle, { timer: d.timer, when: d.when, callback: d.callback, cause: d.cause });
          break;
        case "cancel":
          timers.delete(d.handle);
          cancelled.push(`timer ${d.timer} (due ${ms(d.when)} ms): ${d.callback}${d.cause ? `, by ${d.cause}` : ""}`);
          break;
        case "timer": {
          timers.delete(d.handle);
          const fired = { handle: d.handle, label: `timer ${d.timer}: ${d.callback}`, kind: "timer", cause: null };
          if (takingTimers) batch.push(fired);
          else queue.push(fired);
          break;
        }
        case "callback":
          takingTimers = false;
          ran.add(d.handle);
          runningHandle = d.handle;
          break;
        case "step":
          takingTimers = false;
          if (d.handle) {
            ran.add(d.handle);
            runningHandle = d.handle;
          }
          taskOf(d.task).status = "running";
          taskOf(d.task).awaiting = "";
          stepTask = d.task;
          break;
        case "suspend":
          taskOf(d.task).status = "waiting";
          taskOf(d.task).awaiting = d.awaiting;
          stepTask = null;
          break;
        case "task":
          taskOf(d.task).status = "created, first step queued";
          break;
        case "done":
          taskOf(d.task).status = `done (${d.outcome})`;
          taskOf(d.task).awaiting = "";
          stepTask = null;
          break;
        case "wait":
        case "close":
          runningHandle = null;
          break;
        default:
          break;
      }
    } else if (e.type === "enter") {
      callState.set(e.call, e.state);
      const name = callTask.get(e.call) ?? stepTask;
      if (name && tasks.has(name) && !tasks.get(name).stack.includes(e.call)) tasks.get(name).stack.push(e.call);
    } else if (e.type === "leave") {
      callState.set(e.call, e.state);
      if (e.signal === "return" || e.signal === "throw") {
        const name = callTask.get(e.call);
        const task = name && tasks.get(name);
        if (task) task.stack = task.stack.filter((c) => c !== e.call);
      }
    }
  }
  const parts = [];
  const item = (entry, cls, suffix) =>
    `<li class="${cls}" data-handle="${entry.handle}">${escapeHtml(entry.label)}${entry.kind === "host" ? " (host event)" : ""}${suffix}</li>`;
  // The current iteration's batch: run ones struck out, the running one marked; a long one shows a window.
  let running = -1;
  batch.forEach((entry, k) => {
    if (entry.handle === runningHandle) running = k;
  });
  const from = Math.max(0, running - 5);
  const to = Math.min(batch.length, from + 40);
  const items = batch.slice(from, to).map((entry, j) => {
    const k = from + j;
    const cls = k === running ? "running" : ran.has(entry.handle) || k < running ? "done" : "";
    return item(entry, cls, k === running ? " ← running" : "").replace("<li ", `<li value="${k + 1}" `);
  });
  if (from > 0) items.unshift(`<li class="done more" value="1">… ${from} earlier</li>`);
  if (to < batch.length) items.push(`<li class="more">… ${batch.length - to} more</li>`);
  const next = queue.slice(0, 40).map((entry) => item(entry, "", entry.cause ? ` <span class="note">← ${escapeHtml(entry.cause)}</span>` : ""));
  if (queue.length > 40) next.push(`<li class="more">… ${queue.length - 40} more</li>`);
  parts.push(
    `<h3>Ready queue${iterNo === null ? "" : ` · iteration ${iterNo}`}</h3>` +
      (iterNo === null
        ? `<p class="note">The loop has not started yet.</p>`
        : `<p class="note">clock ${ms(clock)} ms; the ${batch.length} callback${batch.length === 1 ? "" : "s"} this iteration took when it began, in order</p>` +
          `<ol id="ready-queue">${items.join("") || "<li class=\"empty\">(empty)</li>"}</ol>`) +
      `<p class="note">queued for ${iterNo === null ? "the first iteration" : `iteration ${iterNo + 1}`}, in order (← who queued it):</p>` +
      `<ol id="next-queue">${next.join("") || "<li class=\"empty\">(nothing yet)</li>"}</ol>`,
  );
  const pending = [...timers.values()].sort((a, b) => a.when - b.when || a.timer - b.timer);
  parts.push(
    `<h3>Timers</h3><p class="note">the heap now: ${pending.length} pending, soonest first${clock === null ? "" : ` (clock ${ms(clock)} ms)`}</p>` +
      `<ol id="timers">${
        pending
          .slice(0, 40)
          .map((timer) => `<li>timer ${timer.timer} due ${ms(timer.when)} ms${clock === null ? "" : ` (in ${ms(timer.when - clock)} ms)`}: ${escapeHtml(timer.callback)}${timer.cause ? ` <span class="note">← ${escapeHtml(timer.cause)}</span>` : ""}</li>`)
          .join("") || "<li class=\"empty\">(empty)</li>"
      }</ol>` +
      (cancelled.length ? `<p class="note">cancelled: ${cancelled.slice(-3).map(escapeHtml).join("; ")}</p>` : ""),
  );
  // Many tasks: the unfinished ones (up to 40), and a count of the others.
  let shownTasks = [...tasks];
  let hiddenTasks = "";
  if (shownTasks.length > 30) {
    // the running task first: it is the one the current step is about
    const open = shownTasks.filter(([, task]) => task.status === "running").concat(shownTasks.filter(([, task]) => task.status !== "running" && !task.status.startsWith("done")));
    hiddenTasks = `<li class="done more">${shownTasks.length - open.length} done${open.length > 40 ? `, ${open.length - 40} more waiting` : ""}</li>`;
    shownTasks = open.slice(0, 40);
  }
  const taskItems = [...shownTasks].map(([name, task]) => {
    const stack = [...task.stack].reverse().map((call) => `${callName(call)}@${callState.get(call) ?? "?"}`).join(" ▸ ");
    return `<li class="${task.status === "running" ? "running" : task.status.startsWith("done") ? "done" : ""}">${escapeHtml(name)}: ${escapeHtml(task.status)}${task.awaiting ? ` on ${escapeHtml(task.awaiting)}` : ""}${stack ? `<br>stack: ${escapeHtml(stack)}` : ""}</li>`;
  });
  parts.push(`<h3>Tasks</h3><ul id="tasks">${taskItems.join("") + hiddenTasks || "<li class=\"empty\">(none yet)</li>"}</ul>`);
  parts.push(
    `<h3>Host events</h3><p class="note">I/O completions that entered the ready queue from the host, latest last</p><ul id="host">${
      host
        .slice(-6)
        .map((event) => `<li>${escapeHtml(`${event.iteration === null ? "before the loop" : `after iteration ${event.iteration}`}: ${event.callback}`)}</li>`)
        .join("") || "<li class=\"empty\">(none so far)</li>"
    }</ul>`,
  );
  const panel = $("loop");
  // The boxes stay, only their contents change: a box with keyboard focus keeps it across steps, and each
  // box keeps where it was scrolled to.
  if (panel.children.length !== parts.length) {
    panel.innerHTML = ["Ready queue", "Timers", "Tasks", "Host events"].map((name) => `<div tabindex="0" role="group" aria-label="${name}"></div>`).join("");
  }
  parts.forEach((html, k) => {
    panel.children[k].innerHTML = html;
  });
  // Keep the callback running in view when the queue is longer than the panel.
  const current = panel.querySelector("#ready-queue li.running");
  const box = current && current.closest("#loop > div");
  if (current && box) {
    const top = current.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (top < box.scrollTop || top + current.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
}

/**
 * What each handle of the ready queue does, read once from the whole trace: a task's step says which
 * machine it resumes in which state and why (`Task-2 step: Coro state 0, first step`); other callbacks
 * keep their names.
 */
const stepwiseHandleInfoCache = new WeakMap();
function stepwiseHandleInfo(events) {
  let info = stepwiseHandleInfoCache.get(events);
  if (info) return info;
  info = new Map();
  const labels = new Map();
  events.forEach((e, index) => {
    if (e.type !== "loop") return;
    const d = e.detail;
    if (e.event === "enqueue" || e.event === "host") labels.set(d.handle, d.callback);
    else if (e.event === "step" && d.handle && !info.has(d.handle)) {
      const woke = d.woke === "start" ? "first step" : d.woke === "cancel" ? "cancelled" : `woken by ${d.woke}`;
      // The call it resumes, as the rest of the page names it (`coro#2`): the step's next `enter`.
      let machine = d.machine;
      for (let k = index + 1; k < events.length && k < index + 8; k++) {
        if (events[k].type === "enter") {
          machine = `${events[k].function}#${events[k].call}`;
          break;
        }
        if (events[k].type === "leave" || (events[k].type === "loop" && events[k].event === "step")) break;
      }
      info.set(d.handle, `${labels.get(d.handle) ?? `${d.task} step`}: ${machine} state ${d.state}, ${woke}`);
    }
  });
  stepwiseHandleInfoCache.set(events, info);
  return info;
}
