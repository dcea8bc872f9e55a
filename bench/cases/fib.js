// fib: recursive async fib(22), i.e. 57,313 async calls. Measures the cost of creating and finishing
// an async function (a machine object plus its promise) more than the cost of a single await.
async function fib(n) {
  return n < 2 ? n : (await fib(n - 1)) + (await fib(n - 2));
}

globalThis.__bench = async () => {
  return await fib(22);
};
