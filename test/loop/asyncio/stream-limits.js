// A reader's limit: a line or a chunk before the separator longer than it fails (the line dropped by
// readLine, the chunk kept by readUntil), one within it is read; an empty separator and a negative size
// are refused. (asyncio's readline raises a ValueError where readLine throws the LimitOverrunError;
// refusals of arguments are RangeErrors.)
import { run, StreamReader, LimitOverrunError, getRunningLoop, startServer, openConnection } from "stepwise/loop";
const py = (b) => "b'" + String(b).replace(/\n/g, "\\n") + "'";
async function main() {
  const loop = getRunningLoop();
  let r = new StreamReader(loop, null, 8);
  r.feedData(Buffer.from("0123456789abc\nxy\n"));
  try { console.log("readline", py(await r.readLine())); } catch (e) { if (e instanceof LimitOverrunError) console.log("readline: line longer than the limit"); else throw e; }
  console.log("next", py(await r.readLine()));
  r = new StreamReader(loop, null, 8);
  r.feedData(Buffer.from("0123456789|"));
  try { console.log("readuntil", py(await r.readUntil("|"))); } catch (e) { if (e instanceof LimitOverrunError) console.log("readuntil: LimitOverrunError consumed", e.consumed); else throw e; }
  console.log("buffer kept", py(await r.read(100)));
  r = new StreamReader(loop, null, 8);
  r.feedData(Buffer.from("0123456789"));
  try { console.log("readuntil", py(await r.readUntil("|"))); } catch (e) { if (e instanceof LimitOverrunError) console.log("readuntil: LimitOverrunError consumed", e.consumed); else throw e; }
  r = new StreamReader(loop, null, 8); r.feedData(Buffer.from("1234567\n"));
  console.log("within the limit", py(await r.readLine()));
  for (const [name, call] of [["empty separator", () => r.readUntil("")], ["negative size", () => r.readExactly(-1)]]) {
    try { await call(); console.log(name, "read"); } catch (e) { if (e instanceof RangeError) console.log(name, "refused"); else throw e; }
  }
  async function lines(r, w) { w.write("0123456789\nshort\n"); await w.drain(); w.close(); }
  const srv = await startServer(lines, "127.0.0.1", 0);
  const [cr, cw] = await openConnection("127.0.0.1", srv.address().port, { limit: 8 });
  try { console.log("connection readline", py(await cr.readLine())); } catch (e) { if (e instanceof LimitOverrunError) console.log("connection readline: line longer than the limit"); else throw e; }
  console.log("connection next", py(await cr.readLine()));
  cw.close(); await cw.waitClosed();
  srv.close(); await srv.waitClosed();
}
await run(main);
