// Run from examples/: npx stepwise run --mode loop loop/toy-loop.js
//
// An event loop from scratch, driving the machines the transform emits (the async functions below are
// lowered like any other). A virtual network plays the kernel: `select(timeout)` returns the sockets
// with data, or lets virtual time pass until a packet or a timer. stepwise/loop is this, grown up.
import { AWAIT, Coroutine } from "stepwise/loop";

const log = (...parts) => console.log(`[${String(net.time).padStart(3)} ms]`, ...parts);

const net = { time: 0, packets: [], sockets: new Map() }; // sockets: name → the callback waiting for data
net.send = (at, socket, data) => net.packets.push({ at, socket, data });
net.select = (timeout) => {
  const arrived = (p) => p.at <= net.time + timeout && net.sockets.has(p.socket);
  const first = net.packets.filter(arrived).sort((a, b) => a.at - b.at)[0];
  net.time = first ? Math.max(net.time, first.at) : net.time + (timeout === Infinity ? 0 : timeout);
  const ready = net.packets.filter((p) => p.at <= net.time && net.sockets.has(p.socket));
  net.packets = net.packets.filter((p) => !ready.includes(p));
  log(`select(${timeout}) -> [${ready.map((p) => p.socket)}]`);
  return ready;
};

const ready = []; // callbacks, FIFO
let timers = []; // { when, fn }, earliest first
const callSoon = (fn, ...args) => ready.push(() => fn(...args));
const callLater = (ms, fn) => (timers = [...timers, { when: net.time + ms, fn }].sort((a, b) => a.when - b.when));

class Future {
  done = false;
  callbacks = [];
  setResult(value) {
    Object.assign(this, { done: true, value });
    for (const fn of this.callbacks) callSoon(fn, this);
  }
}

class Task extends Future {
  constructor(coro, name) {
    super();
    Object.assign(this, { name, stack: [coro.claim()] }); // the machine of the coroutine, and of those it awaits
    callSoon(() => this.step(undefined));
  }
  step(sent) {
    for (;;) {
      const machine = this.stack.at(-1);
      const signal = machine.step(sent, false); // runs one state up to the next await, or to the end
      const value = machine.$value;
      if (signal !== AWAIT) {
        this.stack.pop(); // returned: hand the value to the machine below, or finish the task
        if (this.stack.length === 0) return this.setResult(value);
        sent = value;
      } else if (value instanceof Coroutine) this.stack.push(value.claim()); // await coro(): run it inline
      else if (value instanceof Future && !value.done) {
        log(`${this.name} waits in state ${machine.state} of ${machine.constructor.name}`);
        return value.callbacks.push((future) => this.step(future.value)); // suspended: nothing is on a stack
      } else sent = value instanceof Future ? value.value : value;
    }
  }
}

function sleep(ms) {
  const future = new Future();
  callLater(ms, () => future.setResult(undefined));
  return future;
}

function recv(socket) {
  const future = new Future();
  net.sockets.set(socket, (data) => (net.sockets.delete(socket), future.setResult(data)));
  return future;
}

function run(main) {
  const task = new Task(main, "main");
  while (!task.done) {
    const timeout = ready.length > 0 ? 0 : timers.length > 0 ? timers[0].when - net.time : Infinity;
    for (const packet of net.select(timeout)) callSoon(net.sockets.get(packet.socket), packet.data);
    while (timers.length > 0 && timers[0].when <= net.time) ready.push(timers.shift().fn);
    for (const fn of ready.splice(0)) fn(); // what is ready now; what they schedule waits a turn
  }
  return task.value;
}

// The program: two clients wait for data on their sockets while a third task sleeps.
async function client(socket) {
  const data = await recv(socket);
  log(`${socket} got "${data}"`);
  return data.length;
}

async function main() {
  const a = new Task(client("a"), "Task a");
  const b = new Task(client("b"), "Task b");
  await sleep(15);
  log("main woke from sleep(15)");
  return (await a) + (await b);
}

net.send(30, "b", "world");
net.send(10, "a", "hello");
log("total", run(main()));
