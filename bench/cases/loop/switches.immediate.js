// The same workload on native promises, each switch a turn of Node's event loop (setImmediate), the
// closest native equivalent of a loop iteration.
const TASKS = 100;
const ROUNDS = 20000;

async function worker() {
  for (let i = 0; i < ROUNDS; i++) await new Promise((resolve) => setImmediate(resolve));
}

const started = performance.now();
await Promise.all(Array.from({ length: TASKS }, () => worker()));
report({ ms: performance.now() - started, switches: TASKS * ROUNDS });
