// detached-iife: a function that starts a detached async IIFE on each call (fire and forget), 100,000
// times, then waits for all of them once.
let done = 0;
function notify(n) {
  (async () => {
    await null;
    done += n;
  })();
}

globalThis.__bench = async () => {
  done = 0;
  for (let i = 0; i < 100_000; i++) notify(1);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
};
