// The same echo workload with native async functions over Node sockets (async iteration, `once`).
import { once } from "node:events";
import { createConnection, createServer } from "node:net";

const CLIENTS = 50;
const BYTES = 4 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 97);

async function handle(socket) {
  for await (const data of socket) {
    if (!socket.write(data)) await once(socket, "drain");
  }
  socket.end();
}

async function send(socket) {
  for (let sent = 0; sent < BYTES; sent += CHUNK.length) {
    if (!socket.write(CHUNK)) await once(socket, "drain");
  }
  socket.end();
}

async function receive(socket) {
  let received = 0;
  for await (const data of socket) received += data.length;
  return received;
}

async function client(port) {
  const socket = createConnection({ host: "127.0.0.1", port, allowHalfOpen: true });
  await once(socket, "connect");
  const [, received] = await Promise.all([send(socket), receive(socket)]);
  return received;
}

const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => handle(socket));
server.listen(0, "127.0.0.1");
await once(server, "listening");
const started = performance.now();
const received = await Promise.all(Array.from({ length: CLIENTS }, () => client(server.address().port)));
const ms = performance.now() - started;
server.close();
report({ ms, bytes: received.reduce((a, b) => a + b, 0), expected: CLIENTS * BYTES });
