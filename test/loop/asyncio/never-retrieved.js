// Failures nobody read are reported when the loop ends: a shielded task whose shield was cancelled,
// a gather never awaited; not one whose exception a done callback read, nor returnExceptions' children.
import { run, sleep, createTask, gather, shield } from "stepwise/loop";
class Boom extends Error { constructor(m) { super(m); this.name = "Boom"; } }
async function bad(d, m) { await sleep(d); throw new Boom(m); }
async function main() {
  const s = shield(bad(20, "shielded-inner"));
  await sleep(0);
  s.cancel();
  await sleep(50);
  const g = gather(bad(10, "gather-child"));
  await sleep(30);
  const g2 = gather(bad(10, "gather-re-child"), { returnExceptions: true });
  await sleep(30);
  const t = createTask(bad(10, "cb-retrieved"));
  t.addDoneCallback((f) => f.exception());
  await sleep(30);
  const t2 = createTask(bad(10, "only-done-checked"));
  await sleep(30);
  console.log("t2 done", t2.done() ? "True" : "False");
  console.log("main ends");
}
run(main);
