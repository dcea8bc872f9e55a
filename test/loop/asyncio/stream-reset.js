// The peer resets the connection: a read raises the reset even with data buffered, waitClosed raises it,
// and a loop of writes and drains ends with it instead of spinning. (Node's errors carry the errno as
// `code`: ECONNRESET is Python's ConnectionResetError.)
import { run, sleep, startServer, openConnection } from "stepwise/loop";
const reset = (e) => e.code === "ECONNRESET";
async function partialThenReset(r, w) { w.write("partial"); await w.drain(); await sleep(50); w.socket.resetAndDestroy(); }
async function resetAfterRead(r, w) { await r.read(10); w.socket.resetAndDestroy(); }
async function main() {
  let srv = await startServer(partialThenReset, "127.0.0.1", 0);
  let [r, w] = await openConnection("127.0.0.1", srv.address().port);
  await sleep(300);
  try { console.log("read(-1) returned", String(await r.read(-1))); } catch (e) { if (reset(e)) console.log("read(-1) raised ConnectionResetError"); else throw e; }
  w.close();
  try { await w.waitClosed(); console.log("wait_closed returned"); } catch (e) { if (reset(e)) console.log("wait_closed raised ConnectionResetError"); else throw e; }
  srv.close(); await srv.waitClosed();
  srv = await startServer(resetAfterRead, "127.0.0.1", 0);
  [r, w] = await openConnection("127.0.0.1", srv.address().port);
  let outcome = "no error after 2000 writes";
  for (let i = 0; i < 2000; i++) {
    try { w.write(Buffer.alloc(65536, 120)); await w.drain(); }
    catch (e) { if (reset(e)) { outcome = "drain raised ConnectionResetError"; break; } throw e; }
  }
  console.log(outcome);
  w.close();
  try { await w.waitClosed(); } catch (e) { if (!reset(e)) throw e; }
  srv.close(); await srv.waitClosed();
}
await run(main);
