// A read that needs more than the reader buffers before it stops reading its socket (64 KiB): the socket
// reads on while the task waits, so the read gets all 200,000 bytes.
import { run, startServer, openConnection, timeout, TimeoutError } from "stepwise/loop";
const N = 200000;
async function serve(r, w) { w.write(Buffer.alloc(N, 97)); await w.drain(); w.close(); }
async function attempt(label, fn) {
  const srv = await startServer(serve, "127.0.0.1", 0);
  const [r, w] = await openConnection("127.0.0.1", srv.address().port);
  try {
    const data = await timeout(5000, fn(r));
    console.log(label, "got", data.length);
  } catch (e) {
    if (e instanceof TimeoutError) console.log(label, "timed out"); else throw e;
  }
  w.close(); await w.waitClosed();
  srv.close(); await srv.waitClosed();
}
async function main() {
  await attempt("read(-1)", (r) => r.read(-1));
  await attempt("readexactly(N)", (r) => r.readExactly(N));
}
await run(main);
