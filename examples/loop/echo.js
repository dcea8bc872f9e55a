// Run from examples/: npx stepwise run --mode loop loop/echo.js --trace
//
// A TCP echo server and three clients on stepwise's event loop, all in this one process: the server
// listens on 127.0.0.1 only, on a free port the system picks (port 0), and closes itself once every
// client has its echo. One thread runs everything: each task waits on a future, never in a read.
import { gather, openConnection, run, startServer } from "stepwise/loop";

// One task per connection: read what arrives, send it back, until the client has finished sending.
export async function handle(reader, writer) {
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    await writer.drain();
  }
  writer.close();
}

// Sends the payload, says it is done (half-close), and reads the echo up to the end of the stream.
export async function client(port, payload) {
  const [reader, writer] = await openConnection("127.0.0.1", port);
  writer.write(payload);
  writer.writeEof();
  const echoed = await reader.read();
  await writer.waitClosed();
  return echoed;
}

export async function main(clients = 3) {
  const server = await startServer(handle, "127.0.0.1", 0);
  const { port } = server.address();
  const replies = await gather(...Array.from({ length: clients }, (_, i) => client(port, `hello ${i}`)));
  server.close();
  await server.waitClosed();
  return replies.map(String);
}

console.log(await run(main));
