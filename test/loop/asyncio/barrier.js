// Barrier, counted in loop iterations (a ticker counts them): rounds of three, each task with its
// arrival index, the last to arrive not waiting; a task that comes back for the next round while the last
// one drains waits until it has drained; abort breaks the waits and every later one until reset; reset
// while tasks wait sends them away with BrokenBarrierError; a waiter cancelled while the barrier fills
// leaves its place (and its index) to the next arrival; one cancelled while it drains throws
// CancelledError all the same, and the barrier fills again once it has left. (RangeError for ValueError.)
import { run, sleep, createTask, gather, Barrier, BrokenBarrierError, CancelledError } from "stepwise/loop";
let it = 0;
async function ticker() { while (it < 80) { await sleep(0); it++; } }
const log = (...a) => console.log(it, ...a);
const py = (v) => (v === true ? "True" : v === false ? "False" : String(v));
async function main() {
  const tk = createTask(ticker());
  await sleep(0);
  const b = new Barrier(3);
  log("parties", b.parties, "n_waiting", b.nWaiting, "broken", py(b.broken));
  async function party(barrier, name, rounds, delay) {
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < delay; i++) await sleep(0);
      const index = await barrier.wait();
      log(name, "round", r, "index", index, "n_waiting", barrier.nWaiting);
    }
  }
  await gather(party(b, "A", 2, 1), party(b, "B", 2, 2), party(b, "C", 2, 3));
  log("rounds done, n_waiting", b.nWaiting);
  // A comes back at once while B drains.
  const b2 = new Barrier(2);
  async function again(name) {
    log(name, "index", await b2.wait());
    log(name, "again: index", await b2.wait(), "n_waiting", b2.nWaiting);
  }
  const t = createTask(again("A"));
  await sleep(0);
  log("B index", await b2.wait(), "n_waiting", b2.nWaiting);
  log("B again (A has not left): index", await b2.wait());
  await t;
  // abort
  const b3 = new Barrier(3);
  async function broken(name) {
    try { await b3.wait(); } catch (error) { if (error instanceof BrokenBarrierError) log(name, "BrokenBarrierError, broken", py(b3.broken)); else throw error; }
  }
  let ts = [..."AB"].map((n) => createTask(broken(n)));
  await sleep(0);
  log("n_waiting", b3.nWaiting, "abort");
  await b3.abort();
  log("n_waiting after abort", b3.nWaiting);
  await gather(...ts);
  try { await b3.wait(); } catch (error) { if (error instanceof BrokenBarrierError) log("wait on a broken barrier: BrokenBarrierError"); else throw error; }
  await b3.reset();
  log("reset: broken", py(b3.broken), "n_waiting", b3.nWaiting);
  // reset while waiting
  ts = [..."CD"].map((n) => createTask(broken(n)));
  await sleep(0);
  log("n_waiting", b3.nWaiting, "reset");
  const late = createTask(party(b3, "E", 1, 0));
  await b3.reset();
  log("n_waiting after reset", b3.nWaiting, "broken", py(b3.broken));
  await gather(...ts);
  log("E came while resetting, now n_waiting", b3.nWaiting);
  late.cancel();
  try { await late; } catch (error) { if (error instanceof CancelledError) log("E cancelled, n_waiting", b3.nWaiting); else throw error; }
  // a waiter cancelled while filling
  const b4 = new Barrier(3);
  async function member(name) {
    try { log(name, "index", await b4.wait()); } catch (error) { if (error instanceof CancelledError) log(name, "cancelled, n_waiting", b4.nWaiting); throw error; }
  }
  const [p, q] = [createTask(member("P")), createTask(member("Q"))];
  await sleep(0);
  p.cancel();
  await sleep(0);
  log("after P left: n_waiting", b4.nWaiting);
  const [r, s] = [createTask(member("R")), createTask(member("S"))];
  await gather(q, r, s);
  // a waiter cancelled while draining
  const b5 = new Barrier(2);
  async function drained(name) {
    try { log(name, "index", await b5.wait()); } catch (error) { if (error instanceof CancelledError) log(name, "cancelled while draining, n_waiting", b5.nWaiting); throw error; }
  }
  const x = createTask(drained("X"));
  await sleep(0);
  const next = createTask(drained("Z"));
  log("Y index", await b5.wait());
  x.cancel();
  await sleep(0);
  log("Z came while draining: n_waiting", b5.nWaiting);
  try { await x; } catch (error) { if (error instanceof CancelledError) log("X cancelled: n_waiting", b5.nWaiting); else throw error; }
  log("W index", await b5.wait());
  await next;
  try { new Barrier(0); } catch (error) { if (error instanceof RangeError) log("Barrier(0): ValueError"); else throw error; }
  await tk;
}
run(main);
