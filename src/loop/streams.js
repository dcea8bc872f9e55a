// Sockets and files on top of Node's APIs (asyncio's streams.py and the selector's role).
//
// Node's libuv is the selector: it watches the sockets (epoll/kqueue readiness) and runs file operations
// on its thread pool (completion). Each host event (a connection, a chunk of data, the end of a stream, a
// drained write buffer, a finished file read) enters the loop only as a callback on the ready queue; that
// callback updates a buffer and resolves the future a task waits for, and the task runs on a later
// iteration. No task ever blocks: a read that finds no data awaits a future.

import { NativeSet, NativeString, apply, push, setAdd, setDelete, setSize, shift, valuesOf } from "../runtime/intrinsics.js";
import { readFile as fsReadFile, writeFile as fsWriteFile } from "node:fs";
import { createConnection, createServer } from "node:net";
import { IncompleteReadError, LimitOverrunError, LoopError } from "./exceptions.js";
import { Future } from "./futures.js";
import { getRunningLoop } from "./running.js";
import { hostResource } from "./internal.js";
import { Waiting, waiting } from "./waiting.js";
import { Coroutine } from "./coroutine.js";

class StreamRead extends Waiting {
  /** (explicit: a derived class's default constructor spreads its arguments through Array.prototype[Symbol.iterator]) @param {import("./waiting.js").WaitSpec} spec */
  constructor(spec) {
    super(spec);
  }
}

/** Above this many buffered bytes a reader stops reading from its socket until a task takes some. */
const DEFAULT_LIMIT = 64 * 1024;
/** How many connections a server lets the host queue before it accepts them (the `backlog` option's default). */
const DEFAULT_BACKLOG = 1024;
/** The byte `readLine` reads up to. */
const NEWLINE = 0x0a;
const NEWLINE_BYTES = Buffer.from([NEWLINE]);
const EMPTY = Buffer.alloc(0);

/** The receiving side of a connection: bytes arrive from the host, tasks take them with `read*`. */
export class StreamReader {
  /** @type {Buffer[]} */
  #chunks = [];
  #buffered = 0;
  #eof = false;
  /** @type {unknown} */
  #error = null;
  /** The future a reading task waits for. @type {Future | null} */
  #waiter = null;
  #paused = false;

  /**
   * @param {import("./event-loop.js").EventLoop} loop
   * @param {import("node:net").Socket | null} socket paused when the buffer is over `limit`
   * @param {number} [limit]
   */
  constructor(loop, socket, limit = DEFAULT_LIMIT) {
    this.loop = loop;
    this.socket = socket;
    this.limit = limit;
  }

  /** Bytes buffered and not read yet. */
  get buffered() {
    return this.#buffered;
  }

  /** True once the stream has ended and every byte was read. */
  atEof() {
    return this.#eof && this.#buffered === 0;
  }

  /** @param {Buffer} chunk */
  feedData(chunk) {
    if (chunk.length === 0) return;
    push(this.#chunks, chunk);
    this.#buffered += chunk.length;
    if (this.socket !== null && !this.#paused && this.#buffered > this.limit) {
      this.#paused = true;
      this.socket.pause();
    }
    this.#wake();
  }

  feedEof() {
    this.#eof = true;
    this.#wake();
  }

  /** @param {unknown} error */
  setError(error) {
    this.#error = error;
    this.#wake();
  }

  #wake() {
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      if (!waiter.done()) waiter.setResult(undefined);
    }
  }

  /**
   * Takes `n` bytes (all buffered ones if `n` is undefined) off the front of the buffer.
   * @param {number} n
   */
  #take(n) {
    if (n >= this.#buffered) {
      const all = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks, this.#buffered);
      this.#chunks = [];
      this.#buffered = 0;
      this.#resumeIfLow();
      return all;
    }
    /** @type {Buffer[]} */
    const parts = [];
    let needed = n;
    while (needed > 0) {
      const first = this.#chunks[0];
      if (first.length <= needed) {
        push(parts, first);
        shift(this.#chunks);
        needed -= first.length;
      } else {
        push(parts, first.subarray(0, needed));
        this.#chunks[0] = first.subarray(needed);
        needed = 0;
      }
    }
    this.#buffered -= n;
    this.#resumeIfLow();
    return parts.length === 1 ? parts[0] : Buffer.concat(parts, n);
  }

  #resumeIfLow() {
    if (this.#buffered <= this.limit) this.#resume();
  }

  #resume() {
    if (this.#paused && this.socket !== null) {
      this.#paused = false;
      this.socket.resume();
    }
  }

  /** The error the connection was lost with, if it was (reads raise it; asyncio's `exception()`). */
  exception() {
    return this.#error;
  }

  /**
   * The inline coroutine: wait (one reader at a time) until `ready()`, then `take()`. A connection lost
   * with an error raises it, whatever is buffered (asyncio's reads check the exception first).
   * @template T
   * @param {string} what
   * @param {() => boolean} ready
   * @param {() => T} take
   * @returns {Coroutine<T>}
   */
  #reading(what, ready, take) {
    return waiting(StreamRead, {
      ready: () => this.#error !== null || ready(),
      take: () => {
        if (this.#error !== null) throw this.#error;
        return take();
      },
      waiter: () => {
        if (this.#waiter !== null) throw new LoopError(`stepwise: ${what} while another task is reading the same stream`);
        // A read that needs more than the limit buffers: the socket reads on while a task waits (asyncio's
        // _wait_for_data), or it would wait for good.
        this.#resume();
        this.#waiter = new Future(this.loop, what);
        return this.#waiter;
      },
      abandon: (waiter) => {
        if (this.#waiter === waiter) this.#waiter = null;
      },
    });
  }

  /**
   * Up to `n` bytes (any available, at least one) once some have arrived; an empty Buffer at the end of
   * the stream. Without `n`, everything up to the end of the stream.
   * @param {number} [n]
   * @returns {Coroutine<Buffer>}
   */
  read(n) {
    if (n === undefined || n < 0) {
      return this.#reading("read to end", () => this.#eof, () => this.#take(this.#buffered));
    }
    return this.#reading("read", () => this.#buffered > 0 || this.#eof || n === 0, () => (n === 0 ? EMPTY : this.#take(n)));
  }

  /**
   * Exactly `n` bytes; an IncompleteReadError if the stream ends first.
   * @param {number} n
   * @returns {Coroutine<Buffer>}
   */
  readExactly(n) {
    if (!(n >= 0)) throw new RangeError(`stepwise: readExactly: the size must not be negative, got ${n}`);
    return this.#reading(
      "readExactly",
      () => this.#buffered >= n || this.#eof,
      () => {
        if (this.#buffered < n) throw new IncompleteReadError(this.#take(this.#buffered), n);
        return this.#take(n);
      },
    );
  }

  /**
   * The bytes up to and including `separator`; an IncompleteReadError if the stream ends first, a
   * LimitOverrunError (the bytes left buffered) if more than the reader's limit arrive without it or
   * come before it (asyncio's readuntil).
   * @param {string | Buffer} [separator]
   * @returns {Coroutine<Buffer>}
   */
  readUntil(separator = "\n") {
    return this.#until("readUntil", typeof separator === "string" ? Buffer.from(separator) : separator, (error) => {
      throw error;
    });
  }

  /**
   * One line, `\n` included; at the end of the stream what is left (possibly empty). A line longer than
   * the reader's limit is dropped (up to its end, if it arrived) and a LimitOverrunError thrown (asyncio's
   * readline raises a ValueError).
   * @returns {Coroutine<Buffer>}
   */
  readLine() {
    return this.#until("readLine", NEWLINE_BYTES, (error) => {
      if (error instanceof IncompleteReadError) return error.partial;
      const at = this.#peek().indexOf(NEWLINE, /** @type {LimitOverrunError} */ (error).consumed);
      this.#take(at < 0 ? this.#buffered : at + 1);
      throw error;
    });
  }

  /**
   * What readUntil and readLine share: wait for `sep` within the limit, then take through it; `failed`
   * gets the IncompleteReadError or LimitOverrunError.
   * @param {string} what
   * @param {Buffer} sep
   * @param {(error: IncompleteReadError | LimitOverrunError) => Buffer} failed
   * @returns {Coroutine<Buffer>}
   */
  #until(what, sep, failed) {
    if (sep.length === 0) throw new RangeError(`stepwise: ${what}: the separator is empty`);
    const find = () => (this.#buffered < sep.length ? -1 : this.#peek().indexOf(sep));
    // (searched without finding it: the bytes that cannot start the separator)
    const overrun = () => this.#buffered + 1 - sep.length > this.limit;
    return this.#reading(
      what,
      () => find() >= 0 || overrun() || this.#eof,
      () => {
        const at = find();
        if (at > this.limit) return failed(new LimitOverrunError("the separator is found, but the chunk is longer than the limit", at));
        if (at >= 0) return this.#take(at + sep.length);
        if (overrun()) return failed(new LimitOverrunError("the separator is not found, and the chunk exceeds the limit", this.#buffered + 1 - sep.length));
        return failed(new IncompleteReadError(this.#take(this.#buffered), null));
      },
    );
  }

  /** The buffered bytes as one Buffer (joined in place). */
  #peek() {
    if (this.#chunks.length > 1) this.#chunks = [Buffer.concat(this.#chunks, this.#buffered)];
    return this.#chunks[0];
  }
}

/** The sending side of a connection. */
export class StreamWriter {
  #needsDrain = false;
  /** @type {Future[]} */
  #drainers = [];
  /** Done when the socket has closed (with the error it was lost with, if any). @type {Future<void>} */
  #closed;
  #eofWritten = false;
  #closing = false;

  /**
   * @param {import("./event-loop.js").EventLoop} loop
   * @param {import("node:net").Socket} socket
   * @param {StreamReader | null} [reader] the connection's reading side, whose error `drain` raises
   */
  constructor(loop, socket, reader = null) {
    this.loop = loop;
    this.socket = socket;
    this.reader = reader;
    this.#closed = new Future(loop, "socket closed");
  }

  /**
   * Queues `data` for sending (the host sends it); call `drain()` to wait while too much is queued.
   * After `writeEof()` it throws; once the connection is closing or lost, the data is dropped (as asyncio's
   * transports drop it).
   * @param {string | Uint8Array} data
   */
  write(data) {
    if (this.#eofWritten) throw new LoopError("stepwise: write() after writeEof()");
    if (this.#closing || this.socket.destroyed) return;
    if (!this.socket.write(data)) this.#needsDrain = true;
  }

  /**
   * Resolves once the write buffer is below its high-water mark (at once if it is). A lost connection
   * fails it: with the error the reading side got, or a ConnectionResetError-like `Connection lost`
   * (`code` ECONNRESET) once the socket has closed; a closing socket first gives the loop a turn to
   * learn which (asyncio's drain). So a loop of writes and drains ends when the peer goes away.
   * @returns {Future<void>}
   */
  drain() {
    const future = /** @type {Future<void>} */ (new Future(this.loop, "drain"));
    if ((this.reader?.exception() ?? null) !== null || this.#closed.done()) this.settleDrain(future);
    else if (this.#closing || this.socket.destroyed) this.loop.callSoon(settleDrain, this, future);
    else if (!this.#needsDrain) future.setResult(undefined);
    else push(this.#drainers, future);
    return future;
  }

  /**
   * Ends a drain of a connection that is closing: raises what it was lost with, or resolves.
   * @param {Future} future
   */
  settleDrain(future) {
    if (future.done()) return;
    const error = this.reader?.exception() ?? null;
    if (error !== null) future.setException(error);
    else if (this.#closed.done()) future.setException(connectionLostError());
    else future.setResult(undefined);
  }

  /** Host event: the write buffer drained. */
  drained() {
    this.#needsDrain = false;
    const drainers = this.#drainers;
    for (let i = 0; i < drainers.length; i++) if (!drainers[i].done()) drainers[i].setResult(undefined);
    this.#drainers = [];
  }

  /**
   * Host event: the socket closed, lost with `error` if it was: the drains waiting end (raising it), and
   * waitClosed raises it too (read here, so that a program that never waits is not told it was never
   * retrieved). As asyncio's connection_lost.
   * @param {unknown} [error]
   */
  socketClosed(error) {
    this.#closing = true;
    if (this.#closed.done()) return;
    const drainers = this.#drainers;
    this.#drainers = [];
    for (let i = 0; i < drainers.length; i++) {
      if (drainers[i].done()) continue;
      if (error == null) drainers[i].setResult(undefined);
      else drainers[i].setException(error);
    }
    if (error == null) this.#closed.setResult(undefined);
    else {
      this.#closed.setException(error);
      this.#closed.exception();
    }
  }

  /** Half-closes: sends the end of the stream after the queued data; reading goes on. */
  writeEof() {
    this.#eofWritten = true;
    this.socket.end();
  }

  /** Whether `close()` was called or the connection is lost. */
  isClosing() {
    return this.#closing || this.socket.destroyed;
  }

  /**
   * Closes the connection once the queued data is sent: both ways, the reading side too (the peer need
   * not close its side for `waitClosed` to resolve).
   */
  close() {
    if (this.#closing) return;
    this.#closing = true;
    this.socket.pause();
    this.socket.end(() => this.socket.destroy());
  }

  /**
   * Resolves when the connection is closed (raises the error it was lost with, if any).
   * @returns {Future<void>}
   */
  waitClosed() {
    return shieldless(this.#closed);
  }

  /** `{ address, port }` of the other end. */
  peer() {
    return { address: this.socket.remoteAddress, port: this.socket.remotePort };
  }
}

/**
 * A fresh future following `future` (so a cancelled waiter does not cancel the shared one): its result,
 * or its exception.
 * @param {Future} future
 * @returns {Future<void>}
 */
function shieldless(future) {
  const follower = /** @type {Future<void>} */ (new Future(future.loop, future.label));
  const follow = () => {
    if (follower.done()) return;
    if (future.failed()) follower.setException(future.exception());
    else follower.setResult(undefined);
  };
  if (future.done()) follow();
  else future.addDoneCallback(follow);
  return follower;
}

/** What drain raises once the connection is gone without an error of its own (asyncio's ConnectionResetError). */
function connectionLostError() {
  return Object.assign(new Error("Connection lost"), { code: "ECONNRESET" });
}

/** @param {StreamWriter} writer @param {Future} future */
function settleDrain(writer, future) {
  writer.settleDrain(future);
}

/**
 * Wires a socket's host events to the loop: each becomes a callback on the ready queue.
 * @param {import("./event-loop.js").EventLoop} loop
 * @param {import("node:net").Socket} socket
 * @param {number} [limit] the reader's (default 64 KiB)
 */
function connect(loop, socket, limit) {
  const reader = new StreamReader(loop, socket, limit);
  const writer = new StreamWriter(loop, socket, reader);
  socket.setNoDelay(true);
  socket.on("data", (chunk) => loop.fromHost(readReady, reader, chunk));
  socket.on("end", () => loop.fromHost(readEof, reader));
  socket.on("drain", () => loop.fromHost(writeReady, writer));
  socket.on("error", (error) => loop.fromHost(connectionLost, reader, error));
  socket.on("close", () => loop.fromHost(connectionClosed, reader, writer));
  return { reader, writer };
}

/** @param {StreamReader} reader @param {Buffer} chunk */
function readReady(reader, chunk) {
  reader.feedData(chunk);
}
/** @param {StreamReader} reader */
function readEof(reader) {
  reader.feedEof();
}
/** @param {StreamWriter} writer */
function writeReady(writer) {
  writer.drained();
}
/** @param {StreamReader} reader @param {unknown} error */
function connectionLost(reader, error) {
  reader.setError(error);
}
/** @param {StreamReader} reader @param {StreamWriter} writer */
function connectionClosed(reader, writer) {
  reader.feedEof();
  writer.socketClosed(reader.exception() ?? undefined);
}

/**
 * Opens a TCP connection; resolves with `[reader, writer]` once connected. `limit`: how many bytes the
 * reader buffers before it stops reading the socket, and the longest line readLine takes (64 KiB).
 * @param {string} host
 * @param {number} port
 * @param {{ limit?: number }} [options]
 * @returns {Future<[reader: StreamReader, writer: StreamWriter]>}
 */
export function openConnection(host, port, options = {}) {
  const loop = getRunningLoop("openConnection");
  /** @type {Future<[reader: StreamReader, writer: StreamWriter]>} */
  const future = new Future(loop, `connect ${host}:${port}`);
  const socket = createConnection({ host, port, allowHalfOpen: true });
  loop[hostResource](socket);
  const onError = (/** @type {Error} */ error) => loop.fromHost(connectFailed, future, socket, error);
  socket.once("error", onError);
  socket.once("connect", () => {
    socket.off("error", onError);
    loop.fromHost(connectionMade, future, socket, options.limit);
  });
  future.onCancel = () => socket.destroy();
  return future;
}

/** @param {Future<[reader: StreamReader, writer: StreamWriter]>} future @param {import("node:net").Socket} socket @param {number | undefined} limit */
function connectionMade(future, socket, limit) {
  if (future.done()) return socket.destroy();
  const { reader, writer } = connect(future.loop, socket, limit);
  future.setResult([reader, writer]);
}
/** @param {Future} future @param {import("node:net").Socket} socket @param {Error} error */
function connectFailed(future, socket, error) {
  socket.destroy();
  if (!future.done()) future.setException(error);
}

/** A listening TCP server; each connection runs `clientConnected(reader, writer)` in a task of its own. */
export class Server {
  /** @type {Set<import("./tasks.js").Task>} */
  tasks = new NativeSet();
  /** @type {Set<import("node:net").Socket>} */
  sockets = new NativeSet();

  /**
   * @param {import("./event-loop.js").EventLoop} loop
   * @param {import("node:net").Server} server
   */
  constructor(loop, server) {
    this.loop = loop;
    this.server = server;
    /** Done when the server is closed and every connection's task is done. @type {Future<void>} */
    this.closed = new Future(loop, "server closed");
  }

  /** `{ address, port }` it listens on. */
  address() {
    const address = /** @type {import("node:net").AddressInfo} */ (this.server.address());
    return { address: address.address, port: address.port };
  }

  /** Whether it accepts connections: from when it listens until `close()`. */
  isServing() {
    return this.server.listening;
  }

  /** Stops accepting connections; the open ones go on. */
  close() {
    if (this.server.listening) this.server.close(() => this.loop.fromHost(serverClosed, this));
  }

  /**
   * Resolves when the server is closed and every connection's task is done.
   * @returns {Future<void>}
   */
  waitClosed() {
    return shieldless(this.closed);
  }
}

/** @param {Server} server */
function serverClosed(server) {
  if (apply(setSize, server.tasks, []) === 0) {
    if (!server.closed.done()) server.closed.setResult(undefined);
    return;
  }
  const remaining = valuesOf(server.tasks);
  let count = remaining.length;
  for (let i = 0; i < remaining.length; i++) {
    remaining[i].addDoneCallback(() => {
      if (--count === 0 && !server.closed.done()) server.closed.setResult(undefined);
    });
  }
}

/**
 * Listens on `host:port` (port 0 picks a free one); resolves with the Server once listening.
 * @param {(reader: StreamReader, writer: StreamWriter) => unknown} clientConnected
 * @param {string} host
 * @param {number} port
 * @param {{ backlog?: number, limit?: number }} [options] `limit`: each connection's reader's (openConnection)
 * @returns {Future<Server>}
 */
export function startServer(clientConnected, host, port, options = {}) {
  const loop = getRunningLoop("startServer");
  /** @type {Future<Server>} */
  const future = new Future(loop, `listen ${host}:${port}`);
  // Half-open: a client that has finished sending (writeEof) can still read the reply.
  const netServer = createServer({ noDelay: true, allowHalfOpen: true });
  loop[hostResource](netServer);
  const server = new Server(loop, netServer);
  netServer.on("connection", (socket) => {
    if (loop.isClosed()) socket.destroy();
    else loop.fromHost(accepted, server, clientConnected, socket, options.limit);
  });
  netServer.once("error", (error) => loop.fromHost(listenFailed, future, error));
  netServer.listen({ host, port, backlog: options.backlog ?? DEFAULT_BACKLOG }, () => loop.fromHost(listening, future, server));
  return future;
}

/** @param {Future<Server>} future @param {Server} server */
function listening(future, server) {
  if (!future.done()) future.setResult(server);
  else server.close();
}
/** @param {Future} future @param {Error} error */
function listenFailed(future, error) {
  if (!future.done()) future.setException(error);
}

/**
 * @param {Server} server
 * @param {(reader: StreamReader, writer: StreamWriter) => unknown} clientConnected
 * @param {import("node:net").Socket} socket
 * @param {number | undefined} limit
 */
function accepted(server, clientConnected, socket, limit) {
  server.loop[hostResource](socket);
  const { reader, writer } = connect(server.loop, socket, limit);
  const result = clientConnected(reader, writer);
  if (result instanceof Coroutine) {
    const task = server.loop.createTask(result, { name: `connection ${socket.remotePort}` });
    apply(setAdd, server.tasks, [task]);
    task.addDoneCallback(() => {
      apply(setDelete, server.tasks, [task]);
      if (task.failed()) server.loop.warn(`stepwise: connection handler failed: ${NativeString(task.exception())}`);
      // The handler is done with the connection: close our side once its data is sent.
      if (!socket.writableEnded) socket.end();
    });
  }
}

/**
 * Reads a file (on libuv's thread pool); resolves with its contents: a Buffer.
 * @overload
 * @param {string} path
 * @param {undefined} [encoding]
 * @returns {Future<Buffer>}
 */
/**
 * Reads a file (on libuv's thread pool); resolves with its contents, decoded: a string.
 * @overload
 * @param {string} path
 * @param {BufferEncoding} encoding
 * @returns {Future<string>}
 */
/**
 * Reads a file (on libuv's thread pool); resolves with its contents: a string with an encoding, else a
 * Buffer.
 * @overload
 * @param {string} path
 * @param {BufferEncoding} [encoding]
 * @returns {Future<string | Buffer>}
 */
/**
 * Reads a file (on libuv's thread pool); resolves with its contents.
 * @param {string} path
 * @param {BufferEncoding} [encoding] without it, a Buffer
 * @returns {Future<string | Buffer>}
 */
export function readFile(path, encoding) {
  const loop = getRunningLoop("readFile");
  /** @type {Future<string | Buffer>} */
  const future = new Future(loop, `readFile ${path}`);
  fsReadFile(path, encoding ? { encoding } : {}, (error, data) => loop.fromHost(fileDone, future, error, data));
  return future;
}

/**
 * Writes a file (on libuv's thread pool).
 * @param {string} path
 * @param {string | Uint8Array} data
 * @returns {Future<void>}
 */
export function writeFile(path, data) {
  const loop = getRunningLoop("writeFile");
  /** @type {Future<void>} */
  const future = new Future(loop, `writeFile ${path}`);
  fsWriteFile(path, data, (error) => loop.fromHost(fileDone, future, error, undefined));
  return future;
}

/** @param {Future} future @param {Error | null} error @param {unknown} data */
function fileDone(future, error, data) {
  if (future.done()) return;
  if (error) future.setException(error);
  else future.setResult(data);
}
