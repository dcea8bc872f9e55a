// concurrent: 1,000 async tasks interleaved on the microtask queue, each doing 200 awaits,
// joined with Promise.all. Many live machines at once, each suspended and resumed 200 times.
async function task(id, steps) {
  let acc = id;
  for (let i = 0; i < steps; i++) {
    acc = (acc + (await i)) % 1_000_003;
  }
  return acc;
}

globalThis.__bench = async () => {
  const tasks = [];
  for (let id = 0; id < 1_000; id++) tasks.push(task(id, 200));
  const results = await Promise.all(tasks);
  let checksum = 0;
  for (const value of results) checksum = (checksum * 31 + value) % 1_000_000_007;
  return { tasks: results.length, checksum };
};
