// The same echo workload with plain Node streams and callbacks: the server pipes each socket into
// itself; clients write with backpressure and count what comes back.
import { createConnection, createServer } from "node:net";

const CLIENTS = 50;
const BYTES = 4 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 97);

const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => socket.pipe(socket));
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  const started = performance.now();
  let total = 0;
  let finished = 0;
  for (let i = 0; i < CLIENTS; i++) {
    const socket = createConnection({ host: "127.0.0.1", port, allowHalfOpen: true });
    let sent = 0;
    const write = () => {
      while (sent < BYTES) {
        sent += CHUNK.length;
        if (!socket.write(CHUNK)) return socket.once("drain", write);
      }
      socket.end();
    };
    socket.on("connect", write);
    socket.on("data", (data) => (total += data.length));
    socket.on("end", () => {
      if (++finished === CLIENTS) {
        const ms = performance.now() - started;
        server.close();
        report({ ms, bytes: total, expected: CLIENTS * BYTES });
      }
    });
  }
});
