// A server serves until closed. close() closes both ways: waitClosed returns without the peer closing its side; a write after close is
// dropped, drain after it raises ConnectionResetError (Node's ECONNRESET); a write after writeEof raises
// (asyncio's RuntimeError is the loop's LoopError), and the reply to what was sent still arrives.
import { run, sleep, startServer, openConnection, getRunningLoop, LoopError } from "stepwise/loop";
const T = (x) => (x ? "True" : "False");
async function idle(r, w) { await sleep(500); w.close(); }
async function echoAll(r, w) { const data = await r.read(); w.write("got " + String(data)); await w.drain(); w.close(); }
async function main() {
  let srv = await startServer(idle, "127.0.0.1", 0);
  console.log("is_serving", T(srv.isServing()));
  let [r, w] = await openConnection("127.0.0.1", srv.address().port);
  const loop = getRunningLoop();
  const t0 = loop.time();
  console.log("is_closing before", T(w.isClosing()));
  w.write("hello");
  w.close();
  console.log("is_closing after close", T(w.isClosing()));
  await w.waitClosed();
  console.log("wait_closed returned early:", T(loop.time() - t0 < 300));
  w.write("more"); console.log("write after close: no error");
  try { await w.drain(); console.log("drain after close: no error"); }
  catch (e) { if (e.code === "ECONNRESET") console.log("drain after close: ConnectionResetError"); else throw e; }
  srv.close();
  console.log("is_serving after close", T(srv.isServing()));
  await srv.waitClosed();
  srv = await startServer(echoAll, "127.0.0.1", 0);
  [r, w] = await openConnection("127.0.0.1", srv.address().port);
  w.write("abc"); w.write("def");
  w.writeEof();
  try { w.write("late"); console.log("write after write_eof: no error"); }
  catch (e) { if (e instanceof LoopError) console.log("write after write_eof: RuntimeError"); else throw e; }
  console.log("reply", String(await r.read()), "at_eof", T(r.atEof()));
  w.close(); await w.waitClosed();
  srv.close(); await srv.waitClosed();
  console.log("done");
}
await run(main);
