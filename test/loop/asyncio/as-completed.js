// asCompleted: results in the order the work completes, counted in loop iterations (a ticker counts
// them); coroutines become tasks, a future already done comes first, each given once; an error is thrown
// by its own await and the rest go on. With a timeout, the awaits not resolved by then throw
// TimeoutError, one each, and nothing is cancelled. Nothing to wait for yields nothing; a future alone is
// refused when the iteration starts.
import { run, sleep, createTask, asCompleted, getRunningLoop, TimeoutError } from "stepwise/loop";
let it = 0;
async function ticker() { while (it < 60) { await sleep(0); it++; } }
const log = (...a) => console.log(it, ...a);
class KeyError extends Error { constructor(m) { super(m); this.name = "KeyError"; } }
async function child(n, k, fail = false) {
  for (let i = 0; i < k; i++) await sleep(0);
  if (fail) throw new KeyError(n);
  return n;
}
async function main() {
  const loop = getRunningLoop();
  const tk = createTask(ticker());
  await sleep(0);
  log("start");
  const a = createTask(child("a", 5));
  const ready = loop.createFuture(); ready.setResult("ready");
  const later = loop.createFuture();
  loop.callSoon((v) => later.setResult(v), "later");
  let count = 0;
  for (const next of asCompleted([a, child("b", 2), a, ready, child("c", 8), later])) {
    count++;
    log("got", await next);
  }
  log("awaitables handed out:", count);
  for (const next of asCompleted([child("d", 3), child("e", 1, true), child("f", 5)])) {
    try { log("got", await next); } catch (error) { if (error instanceof KeyError) log("raised KeyError", `'${error.message}'`); else throw error; }
  }
  log("nothing to wait for:", JSON.stringify([...asCompleted([])]));
  try {
    for (const next of asCompleted(a)) {}
  } catch (error) { if (error instanceof TypeError) log("a future alone: TypeError"); else throw error; }
  await tk;
  async function slow(n, ms) { await sleep(ms); return n; }
  const r = createTask(slow("r", 300));
  for (const next of asCompleted([slow("q", 10), r, slow("s", 400)], { timeout: 100 })) {
    try { console.log("got", await next); } catch (error) { if (error instanceof TimeoutError) console.log("TimeoutError"); else throw error; }
  }
  console.log("r cancelled:", r.cancelled() ? "True" : "False", "then r:", await r);
}
run(main);
