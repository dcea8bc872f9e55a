// PriorityQueue and LifoQueue, counted in loop iterations (a ticker counts them): a heap hands out the
// smallest entry first, arrays compared element by element as Python compares tuples (priority, then
// name); entries a compare option orders only by priority come out of equal priorities in heapq's order,
// not the order they were put in; a LifoQueue hands out the newest first. Bounded queues make the
// producer wait; join waits for taskDone. An entry that cannot be compared with those in the heap is
// refused with TypeError.
import { run, sleep, createTask, gather, PriorityQueue, LifoQueue } from "stepwise/loop";
let it = 0;
async function ticker() { while (it < 60) { await sleep(0); it++; } }
const repr = (v) => (Array.isArray(v) ? (v.length === 2 ? "(" : "[") + v.map(repr).join(", ") + (v.length === 2 ? ")" : "]") : typeof v === "string" ? `'${v}'` : String(v));
const log = (...a) => console.log(it, ...a);
const list = (items) => "[" + items.map(repr).join(", ") + "]";
async function main() {
  const tk = createTask(ticker());
  await sleep(0);
  const q = new PriorityQueue();
  for (const entry of [[3, "c"], [1, "b"], [2, "z"], [1, "a"], [5, "e"], [2, "y"], [0, "first"]]) q.putNowait(entry);
  const drain = (queue) => { const out = []; while (!queue.empty()) out.push(queue.getNowait()); return out; };
  log("tuples:", list(drain(q)));
  for (const n of [5, 3.5, -1, 8, 3, 0]) q.putNowait(n);
  log("numbers:", list(drain(q)));
  for (const w of ["pear", "apple", "Zebra", "apples", ""]) q.putNowait(w);
  log("strings:", list(drain(q)));
  const jobs = new PriorityQueue(0, { compare: (a, b) => a.priority - b.priority });
  const job = (priority, name) => ({ priority, name });
  [2, 1, 2, 1, 1, 2, 0, 1, 2, 1].forEach((p, i) => jobs.putNowait(job(p, p + "abcdefghij"[i])));
  const order = [];
  while (!jobs.empty()) {
    order.push(jobs.getNowait().name);
    if (order.length === 3) for (const j of [job(1, "1k"), job(2, "2l")]) jobs.putNowait(j);
  }
  log("equal priorities:", list(order));
  q.putNowait([1, "a"]);
  try { q.putNowait([1, 2]); log("(1, 2) after (1, 'a'): allowed"); } catch (error) { if (error instanceof TypeError) log("(1, 2) after (1, 'a'): TypeError"); else throw error; }
  const bounded = new PriorityQueue(2);
  async function producer() {
    for (const entry of [[4, "d"], [2, "b"], [3, "c"], [1, "a"], [9, "end"]]) {
      await bounded.put(entry);
      log("put", repr(entry), "size", bounded.qsize());
    }
  }
  async function consumer() {
    for (;;) {
      const [, name] = await bounded.get();
      log("got", name);
      await sleep(0);
      bounded.taskDone();
      if (name === "end") return;
    }
  }
  const p = createTask(producer());
  await sleep(0); await sleep(0);
  const c = createTask(consumer());
  await bounded.join();
  log("priority queue joined");
  await gather(p, c);
  const lifo = new LifoQueue();
  for (let i = 0; i < 5; i++) lifo.putNowait(i);
  log("lifo:", list([lifo.getNowait(), lifo.getNowait(), lifo.getNowait()]), "left", lifo.qsize());
  lifo.putNowait(10);
  log("then:", list(drain(lifo)));
  const stack = new LifoQueue(2);
  async function stacker() {
    for (let i = 0; i < 5; i++) { await stack.put(i); log("pushed", i); }
  }
  async function popper() {
    for (let i = 0; i < 5; i++) {
      const item = await stack.get();
      log("popped", item);
      stack.taskDone();
      await sleep(0); await sleep(0);
    }
  }
  const s = createTask(stacker());
  await sleep(0);
  const t = createTask(popper());
  await sleep(0);
  await stack.join();
  log("lifo queue joined, empty", stack.empty() ? "True" : "False");
  await gather(s, t);
  await tk;
}
run(main);
