// async-generator: an async generator yielding 100,000 numbers, consumed by for await (the request queue,
// one awaited yield and one awaited next() per value).
async function* numbers(n) {
  for (let i = 0; i < n; i++) yield i;
}

globalThis.__bench = async () => {
  let sum = 0;
  for await (const value of numbers(100000)) sum += value;
  return sum;
};
