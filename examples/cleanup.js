// try/finally across awaits: the finally block runs after the failure, awaits itself, and the error
// still reaches the caller. Two tasks interleave while each waits.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function withConnection(name, fail) {
  console.log(name, "open");
  try {
    await sleep(1);
    if (fail) throw new Error(`${name} failed`);
    console.log(name, "worked");
    return name;
  } finally {
    await sleep(1);
    console.log(name, "closed");
  }
}

const results = await Promise.allSettled([withConnection("first", false), withConnection("second", true)]);
console.log(results.map((result) => result.status).join(" "));
