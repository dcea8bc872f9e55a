// The same workload on native promises: each switch is `await null` (a microtask tick).
const TASKS = 100;
const ROUNDS = 20000;

async function worker() {
  for (let i = 0; i < ROUNDS; i++) await null;
}

const started = performance.now();
await Promise.all(Array.from({ length: TASKS }, () => worker()));
report({ ms: performance.now() - started, switches: TASKS * ROUNDS });
