// The motivating example from the design notes: two coroutines taking turns at an await.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function coro(name) {
  console.log("before", name);
  await sleep(0);
  console.log("after", name);
}

coro("a");
coro("b");
console.log("both started");
