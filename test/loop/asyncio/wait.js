// wait: FIRST_COMPLETED, FIRST_EXCEPTION and ALL_COMPLETED, counted in loop iterations (a ticker counts
// them): a completion reaches wait through a done callback, one iteration, and wakes the waiting task, one
// more; a future already done takes those two as well. A timeout returns what is done and cancels
// nothing; cancelling the waiting task leaves the futures running. A failure read by FIRST_EXCEPTION
// counts as retrieved; one wait only returned is reported as never retrieved. The arguments asyncio
// refuses: none, a bad returnWhen, a coroutine, a future alone (RangeError for ValueError).
import { run, sleep, createTask, wait, CancelledError, getRunningLoop, FIRST_COMPLETED, FIRST_EXCEPTION } from "stepwise/loop";
let it = 0;
async function ticker() { while (it < 100) { await sleep(0); it++; } }
const log = (...a) => console.log(it, ...a);
class KeyError extends Error { constructor(m) { super(m); this.name = "KeyError"; } }
async function child(n, k, fail = false) {
  for (let i = 0; i < k; i++) await sleep(0);
  if (fail) throw new KeyError(n);
  return n;
}
const spawn = (n, k, fail = false) => createTask(child(n, k, fail), { name: n });
const names = (fs) => [...fs].map((f) => f.name).sort().join(" ") || "-";
const py = (v) => (v === true ? "True" : v === false ? "False" : String(v));
async function main() {
  const loop = getRunningLoop();
  const tk = createTask(ticker());
  await sleep(0);
  log("start");
  const [a, b, c] = [spawn("a", 2), spawn("b", 4), spawn("c", 6)];
  let [done, pending] = await wait([a, b, c], { returnWhen: FIRST_COMPLETED });
  log("FIRST_COMPLETED done", names(done), "pending", names(pending));
  [done, pending] = await wait([b, c]);
  log("ALL_COMPLETED done", names(done), "pending", names(pending), "[" + [a, b, c].map((t) => `'${t.result()}'`).join(", ") + "]");
  const [d, e, f] = [spawn("d", 2), spawn("e", 3, true), spawn("f", 8)];
  [done, pending] = await wait([d, e, f], { returnWhen: FIRST_EXCEPTION });
  log("FIRST_EXCEPTION done", names(done), "pending", names(pending));
  [done, pending] = await wait([f], { returnWhen: FIRST_EXCEPTION });
  log("FIRST_EXCEPTION without a failure: done", names(done), "pending", names(pending));
  const [g, h] = [spawn("g", 1), spawn("h", 2, true)];
  [done, pending] = await wait([g, h]);
  log("ALL_COMPLETED with a failure: done", names(done), "h failed", h.exception().name);
  const u = spawn("u", 1, true);
  [done, pending] = await wait([u, spawn("v", 3)], { returnWhen: FIRST_COMPLETED });
  log("u done, its failure not read:", names(done));
  const w = spawn("w", 1, true);
  await wait([w, spawn("x", 3)], { returnWhen: FIRST_EXCEPTION });
  log("w failed, read by FIRST_EXCEPTION only");
  const ready = loop.createFuture(); ready.setResult(1);
  log("already done: before");
  [done, pending] = await wait([ready, ready]);
  log("already done: after", done.size, pending.size);
  const [k1, k2] = [spawn("k1", 2), spawn("k2", 100)];
  k2.cancel();
  [done, pending] = await wait([k1, k2], { returnWhen: FIRST_EXCEPTION });
  log("a cancelled task is no exception: done", names(done), "pending", names(pending));
  const [s1, s2] = [spawn("s1", 100), spawn("s2", 100)];
  const waiter = createTask(wait([s1, s2]));
  await sleep(0); await sleep(0);
  waiter.cancel();
  try { await waiter; } catch (error) { if (error instanceof CancelledError) log("waiter cancelled; s1 and s2 still running:", py(!s1.done()), py(!s2.done())); else throw error; }
  s1.cancel(); s2.cancel();
  await tk;
  async function slow(n, ms) { await sleep(ms); return n; }
  const [q, r] = [createTask(slow("q", 10), { name: "q" }), createTask(slow("r", 300), { name: "r" })];
  [done, pending] = await wait([q, r], { timeout: 100 });
  console.log("timeout: done", names(done), "pending", names(pending), "r cancelled:", py(r.cancelled()));
  [done, pending] = await wait([r], { timeout: 1000 });
  console.log("then r:", r.result());
  const kinds = { RangeError: "ValueError", TypeError: "TypeError" };
  for (const [what, call] of [
    ["nothing", () => wait([])],
    ["a bad return_when", () => wait([r], { returnWhen: "FIRST" })],
    ["a future alone", () => wait(r)],
  ]) {
    try { await call(); console.log(what, "allowed"); } catch (error) { if (error.name in kinds) console.log(what, "refused:", kinds[error.name]); else throw error; }
  }
  const coro = child("z", 0);
  try { await wait([coro]); console.log("a coroutine allowed"); } catch (error) { if (error instanceof TypeError) console.log("a coroutine refused:", error.name); else throw error; }
  coro.close();
}
run(main);
