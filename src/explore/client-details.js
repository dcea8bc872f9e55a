// @ts-nocheck -- browser code, shipped into the page as written, before client.js (see page.ts).
// The explorer's details of the current step: what happened, in words, the turn of the event loop it ran
// in, and the values it took or gave. `view` is what client.js knows of the run.
// eslint-disable-next-line no-unused-vars
function stepwiseStepDetails(view) {
  "use strict";
  const { data, events, steps, loopMode, callTask, callName, escapeHtml, nextEnter, nextEnterOfCall, stepEntered, unfinished, $ } = view;
  /** The states a step ran in, from the one it entered: `0 → 1 → 2` (a long one cut in the middle). */
  function pathOf(col, e) {
    const path = [stepEntered[col] >= 0 ? stepEntered[col] : "?", ...e.through];
    const left = path.length > 24 ? path.length - 21 : 0;
    const omitted = left + (e.throughMore ?? 0);
    const shown = left > 0 ? [...path.slice(0, 20), path[path.length - 1]] : path;
    if (omitted === 0) return shown.join(" → ");
    return `${shown.slice(0, -1).join(" → ")} → … ${omitted} more → ${shown[shown.length - 1]}`;
  }
  const text = (value) => (value === undefined ? "" : String(value));
  /** Whether the trace has the program's exit (a program killed by a signal it could not handle has none). */
  const exited = events.some((e) => e.type === "exit");
  /**
   * What happened at event `e`, in words. `full`: with the full text of a value the trace cut (`sentFull`,
   * `valueFull`: a description longer than 80 characters ends with "…"), for a tooltip.
   */
  function describe(e, full = false) {
    if (full) e = { ...e, sent: e.sentFull ?? e.sent, value: e.valueFull ?? e.value };
    switch (e.type) {
      case "macrotask":
        return e.macrotask === 0 ? "main: the program's first run" : `macrotask ${e.macrotask}: ${e.source}${e.hook ? ` (${e.hook})` : ""}`;
      case "microtask":
        return `microtask ${e.microtask} of macrotask ${e.macrotask}${e.hook ? ` (${e.hook})` : ""}`;
      case "enter":
        return e.first ? `${callName(e.call)} starts in state ${e.state}` : `${callName(e.call)} resumes in state ${e.state}${e.thrown ? " with an exception thrown in" : e.returned ? " told to return" : ""}`;
      case "leave":
        switch (e.signal) {
          case "await": {
            const how = loopMode ? noWait(e) : null;
            return `${callName(e.call)} awaits ${e.operand ?? e.value}${how ? ` (${how})` : ""}, then state ${e.state}`;
          }
          case "yield":
            return `${callName(e.call)} yields ${e.operand ?? e.value}, then state ${e.state}`;
          case "yield*":
            return `${callName(e.call)} delegates to ${e.operand ?? e.value}, then state ${e.state}`;
          case "return":
            return `${callName(e.call)} returns ${e.value}`;
          case "throw":
            return `${callName(e.call)} throws ${e.value}`;
          case "started":
            return `${callName(e.call)} bound its parameters and waits for next()`;
          default:
            return `${callName(e.call)} ${e.signal}`;
        }
      case "loop":
        return `loop: ${e.text}`;
      default:
        return e.type;
    }
  }
  /**
   * Loop mode: why an await did not wait, or null when the task really waited. The loop's next word after
   * the machine's await decides: `suspend` (it waits) or `step` (it goes on at once).
   */
  function noWait(e) {
    const at = events[e.seq] === e ? e.seq : events.indexOf(e);
    for (let k = at + 1; k < events.length; k++) {
      const other = events[k];
      if (other.type === "enter" || other.type === "leave") return null;
      if (other.type !== "loop" || (other.event !== "step" && other.event !== "suspend")) continue;
      if (other.event === "suspend") return null;
      const woke = String(other.detail.woke);
      return woke === "call" ? "runs it inline, no wait" : woke === "value" ? "not awaitable, no wait" : / already done$/.test(woke) ? "already done, no wait" : "no wait";
    }
    return null;
  }
  function turnOf(e) {
    if (loopMode) {
      let iteration = null;
      for (let k = events[e.seq] === e ? e.seq : events.indexOf(e); k >= 0; k--) {
        const other = events[k];
        if (other.type === "loop") {
          iteration = other.detail.iteration;
          break;
        }
      }
      return iteration == null ? "before the loop" : `loop iteration ${iteration}`;
    }
    if (e.macrotask === undefined) return "";
    // The playground cannot tell microtask jobs apart (browsers have no async_hooks).
    if (e.microtask === null) return e.macrotask === 0 ? "main" : `macrotask ${e.macrotask}`;
    return `${e.macrotask === 0 ? "main" : `macrotask ${e.macrotask}`}${e.microtask ? `, microtask ${e.microtask}` : ", its synchronous run"}`;
  }
  function renderNow(col) {
    const e = events[steps[col]];
    const rows = [];
    // (`whole`: the value's full text where the trace cut it, shown on hover)
    const add = (term, value, whole) => rows.push(`<dt>${escapeHtml(term)}</dt><dd${whole !== undefined && whole !== value ? ` title="${escapeHtml(whole)}"` : ""}>${escapeHtml(value)}</dd>`);
    const turn = turnOf(e);
    if (turn) add("turn", turn);
    if (e.type === "enter" || e.type === "leave") {
      if (callTask.has(e.call)) add("task", callTask.get(e.call));
      if (e.at) add(e.type === "enter" ? "at" : "then at", e.at);
      if (e.type === "leave" && e.through) add("ran in states", pathOf(col, e));
      if (e.type === "enter") {
        if (!e.first || e.sent !== undefined) add(e.thrown ? "thrown in" : e.returned ? "told to return" : "sent in", text(e.sent), e.sentFull);
        if (unfinished.has(col)) add("ends", exited ? "never: the program exited during this step" : "never: the program was killed during this step");
      } else if (e.signal === "await" || e.signal === "yield" || e.signal === "yield*") {
        add(e.signal === "await" ? "awaited" : e.signal === "yield" ? "yielded" : "delegated to", e.operand ? `${e.operand} = ${e.value}` : text(e.value), e.valueFull && (e.operand ? `${e.operand} = ${e.valueFull}` : e.valueFull));
        const back = nextEnterOfCall[col];
        if (back >= 0) {
          const r = events[steps[back]];
          const how = r.sent === undefined ? "" : r.thrown ? `, ${r.sent} thrown in` : r.returned ? `, told to return ${r.sent}` : ` with ${r.sent}`;
          add("resumes", `step ${back + 1}: state ${r.state}${how} (${turnOf(r)})`);
        } else {
          add("resumes", "never: still suspended when the program ended");
        }
      } else if (e.signal === "return" || e.signal === "throw") {
        add(e.signal === "return" ? "returned" : "threw", text(e.value), e.valueFull);
      }
    } else if (e.type === "loop") {
      // (a detail the loop left empty, as the cause of a callback queued by the host, is not shown)
      for (const [key, value] of Object.entries(e.detail)) if (key !== "iteration" && value != null) add(key, typeof value === "number" && !Number.isInteger(value) ? value.toFixed(1) : text(value));
    }
    const next = nextEnter[col];
    if (next >= 0) {
      const r = events[steps[next]];
      add("runs next", `${callName(r.call)} in state ${r.state} (step ${next + 1})`);
    } else {
      add("runs next", data.exitCode == null ? "nothing" : exited ? `nothing: the program exits with code ${data.exitCode}` : `nothing: the program was killed (exit code ${data.exitCode})`);
    }
    const what = describe(e);
    const whole = e.sentFull !== undefined || e.valueFull !== undefined ? describe(e, true) : what;
    $("now").innerHTML = `<p class="what"${whole !== what ? ` title="${escapeHtml(whole)}"` : ""}>${escapeHtml(what)}</p><dl>${rows.join("")}</dl>`;
  }
  return { describe, renderNow };
}
