// A server and a connection left open when run() returns: the handler is cancelled at shutdown, and the
// program ends (the loop's sockets no longer keep the process alive).
import { run, sleep, startServer, openConnection, CancelledError } from "stepwise/loop";
async function serve(r, w) {
  try { await r.read(); } catch (e) { if (e instanceof CancelledError) console.log("handler cancelled at shutdown"); throw e; }
}
async function main() {
  const srv = await startServer(serve, "127.0.0.1", 0);
  const [r, w] = await openConnection("127.0.0.1", srv.address().port);
  await sleep(20);
  return "main done, nothing closed";
}
console.log(await run(main));
console.log("after run");
