// await-resolved: awaiting an already-resolved native promise 300,000 times.
// PromiseResolve returns the promise itself, so no wrapping: just one reaction job per await.
async function sumResolved(count) {
  const one = Promise.resolve(1);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    sum += await one;
  }
  return sum;
}

globalThis.__bench = async () => {
  return await sumResolved(300_000);
};
