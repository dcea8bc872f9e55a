// @ts-nocheck -- browser code, shipped into the page as written, before client.js (see page.ts).
// The explorer's loop panel (loop mode): the event loop at the current step, rebuilt from the loop's trace
// events up to it: the ready queue of the current iteration, the timers, each task with its stack of
// machines, and the callbacks that came from the host. `view` is what client.js knows of the run.
// eslint-disable-next-line no-unused-vars
function stepwiseRenderLoop(view, col) {
  "use strict";
  const { steps, events, iterations, callTask, escapeHtml, callName, $ } = view;
  const upto = steps[col];
  let iteration = null;
  let iterNo = null;
  const tasks = new Map(); // name -> { status, awaiting, stack: [call] }
  const callState = new Map();
  const host = [];
  let stepTask = null;
  for (let k = 0; k <= upto; k++) {
    const e = events[k];
    if (e.type === "loop") {
      const d = e.detail;
      if (e.event === "iteration") {
        iterNo = d.iteration;
        iteration = iterations.get(d.iteration);
        stepTask = null;
      } else if (e.event === "step") {
        const task = tasks.get(d.task) ?? { status: "", awaiting: "", stack: [] };
        task.status = "running";
        task.awaiting = "";
        tasks.set(d.task, task);
        stepTask = d.task;
      } else if (e.event === "suspend") {
        const task = tasks.get(d.task) ?? { status: "", awaiting: "", stack: [] };
        task.status = "waiting";
        task.awaiting = d.awaiting;
        tasks.set(d.task, task);
        stepTask = null;
      } else if (e.event === "done") {
        const task = tasks.get(d.task) ?? { status: "", awaiting: "", stack: [] };
        task.status = `done (${d.outcome})`;
        task.awaiting = "";
        tasks.set(d.task, task);
        stepTask = null;
      } else if (e.event === "callback" && iteration && !iteration.timerLabels.includes(d.callback)) {
        host.push(`iteration ${iterNo}: ${d.callback}`);
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
    } else if (e.type === "macrotask" && e.source !== "immediate" && e.source !== "main") {
      host.push(`host ${e.source}${e.hook ? ` (${e.hook})` : ""}`);
    }
  }
  const parts = [];
  if (!iteration) {
    parts.push(`<div tabindex="0"><h3>Ready queue</h3><p class="note">The loop has not started yet.</p></div>`);
  } else {
    const running = iteration.entries.filter((entry) => entry.index <= upto).length - 1;
    // A long queue shows a window around the callback running.
    const from = Math.max(0, running - 5);
    const to = Math.min(iteration.entries.length, from + 40);
    const items = iteration.entries.slice(from, to).map((entry, j) => {
      const k = from + j;
      const cls = k < running ? "done" : k === running ? "running" : "";
      return `<li class="${cls}" value="${k + 1}">${escapeHtml(entry.label)}${k === running ? " ← running" : ""}</li>`;
    });
    if (from > 0) items.unshift(`<li class="done more" value="1">… ${from} earlier</li>`);
    if (to < iteration.entries.length) items.push(`<li class="more">… ${iteration.entries.length - to} more</li>`);
    const skipped = iteration.ready - iteration.entries.length;
    const following = iterations.get(iterNo + 1);
    parts.push(
      `<div tabindex="0"><h3>Ready queue · iteration ${iterNo}</h3><p class="note">clock ${iteration.time.toFixed(3)} ms; ${iteration.ready} callback${iteration.ready === 1 ? "" : "s"} taken at the start, in order</p>` +
        `<ol id="ready-queue">${items.join("") || "<li class=\"empty\">(empty)</li>"}</ol>` +
        (skipped > 0 ? `<p class="note">${skipped} cancelled (skipped)</p>` : "") +
        (following ? `<p class="note">queued for iteration ${iterNo + 1}: ${following.entries.map((entry) => escapeHtml(entry.label)).join("; ") || "(none)"}</p>` : "") +
        `</div>`,
    );
    const upcoming = [];
    for (const [number, later] of iterations) if (number >= iterNo) for (const timer of later.fired) if (timer.index > upto) upcoming.push({ ...timer, iteration: number });
    upcoming.sort((a, b) => a.when - b.when);
    parts.push(
      `<div tabindex="0"><h3>Timers</h3><p class="note">${iteration.timers} in the heap after iteration ${iterNo} took its due ones${iteration.fired.length ? ` (it took ${iteration.fired.length})` : ""}; soonest first, due times as they fired</p>` +
        `<ol id="timers">${upcoming
          .slice(0, iteration.timers)
          .map((timer) => `<li>due ${timer.when.toFixed(3)} ms (in ${(timer.when - iteration.time).toFixed(1)} ms): ${escapeHtml(timer.callback)}</li>`)
          .join("") || "<li class=\"empty\">(empty)</li>"}</ol></div>`,
    );
  }
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
  parts.push(`<div tabindex="0"><h3>Tasks</h3><ul id="tasks">${taskItems.join("") + hiddenTasks || "<li class=\"empty\">(none yet)</li>"}</ul></div>`);
  parts.push(`<div tabindex="0"><h3>Callbacks from the host and call_soon</h3><p class="note">I/O completions and other callbacks that are neither task steps nor timers, latest last</p><ul id="host">${host.slice(-6).map((line) => `<li>${escapeHtml(line)}</li>`).join("") || "<li class=\"empty\">(none so far)</li>"}</ul></div>`);
  const panel = $("loop");
  panel.innerHTML = parts.join("");
  // Keep the callback running in view when the queue is longer than the panel.
  const running = panel.querySelector("#ready-queue li.running");
  const box = running && running.closest("#loop > div");
  if (running && box) {
    const top = running.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (top < box.scrollTop || top + running.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
}
