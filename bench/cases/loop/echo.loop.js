// Echo throughput on stepwise's loop (transformed with mode "loop"): CLIENTS connections on 127.0.0.1
// each send BYTES in 64 KiB writes and read the echo back to the end of the stream.
import { gather, openConnection, run, startServer } from "stepwise/loop";

const CLIENTS = 50;
const BYTES = 4 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 97);

async function handle(reader, writer) {
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) break;
    writer.write(data);
    await writer.drain();
  }
  writer.close();
}

async function send(writer) {
  for (let sent = 0; sent < BYTES; sent += CHUNK.length) {
    writer.write(CHUNK);
    await writer.drain();
  }
  writer.writeEof();
}

async function receive(reader) {
  let received = 0;
  for (;;) {
    const data = await reader.read(65536);
    if (data.length === 0) return received;
    received += data.length;
  }
}

async function client(port) {
  const [reader, writer] = await openConnection("127.0.0.1", port);
  const [, received] = await gather(send(writer), receive(reader));
  await writer.waitClosed();
  return received;
}

async function main() {
  const server = await startServer(handle, "127.0.0.1", 0);
  const { port } = server.address();
  const received = await gather(...Array.from({ length: CLIENTS }, () => client(port)));
  server.close();
  await server.waitClosed();
  return received.reduce((a, b) => a + b, 0);
}

const started = performance.now();
const bytes = await run(main);
report({ ms: performance.now() - started, bytes, expected: CLIENTS * BYTES });
