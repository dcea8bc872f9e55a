// Every misuse of the loop gets a clear message (the ones not already pinned in the other loop suites).
import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { importLoop, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const virtual = { clock: "virtual" } as const;

describe("loop error messages", () => {
  it("misuse inside a running loop", async () => {
    const { main } = await importLoop(`
      import { EventLoop, Future, TaskGroup, createTask, currentTask, ensureFuture, sleep, startServer, openConnection, taskGroup, timeout } from "stepwise/loop";
      async function idle() {}
      export async function main() {
        const errors = [];
        const attempt = async (f) => { try { await f(); } catch (e) { errors.push(e.message); } };
        const other = new Future(new EventLoop());
        await attempt(async () => { await other; });
        await attempt(() => currentTask().setException(new Error("x")));
        await attempt(() => ensureFuture(42));
        await attempt(() => new TaskGroup().createTask(idle()));
        await attempt(async () => {
          await taskGroup(async (group) => {
            group.createTask((async () => { throw new Error("child"); })());
            await sleep(1);
          });
        });
        await attempt(async () => {
          await taskGroup(async (group) => {
            group.createTask((async () => { throw new Error("first"); })());
            try { await sleep(5); } catch {}
            await attempt(() => group.createTask(idle()));
          });
        });
        const server = await startServer(async (reader, writer) => { await sleep(20); writer.close(); }, "127.0.0.1", 0);
        const [reader, writer] = await openConnection("127.0.0.1", server.address().port);
        const first = createTask(reader.read(1));
        await sleep(1);
        await attempt(() => reader.read(1));
        await first;
        writer.close();
        server.close();
        await server.waitClosed();
        return errors;
      }`);
    expect(await L.run(main)).toEqual([
      "stepwise: Future-1 belongs to another event loop than Task-1",
      "stepwise: Task-1: a task sets its own exception (setException is not available)",
      "stepwise: number 42 is not awaitable (expected a coroutine, a Future or a promise)",
      "stepwise: the TaskGroup has not started",
      "stepwise: 1 unhandled error in a TaskGroup (first: Error: child)",
      "stepwise: the TaskGroup is shutting down (a child failed)",
      "stepwise: 1 unhandled error in a TaskGroup (first: Error: first)",
      "stepwise: read while another task is reading the same stream",
    ]);
  });

  it("inline coroutines stepped outside a task; coroutines awaited outside a loop; a loop stopped early", async () => {
    const { idle } = await importLoop(`export async function idle() { return 1; }`);
    const errors: string[] = [];
    const step = (coro: any) => {
      try {
        coro.claim().step(undefined, false);
      } catch (e) {
        errors.push((e as Error).message);
      }
    };
    step(L.timeout(5, null));
    step(L.taskGroup(async () => {}));
    await idle().then(
      () => {},
      (e: Error) => errors.push(e.message),
    );
    const twice = await importLoop(`
      async function work() { return 1; }
      export async function main() {
        const coro = work();
        await coro;
        return await Promise.resolve(coro).then(String, (e) => e.message);
      }`);
    errors.push(await L.run(twice.main, virtual));
    const loop = new L.EventLoop(virtual);
    const never = loop.createFuture();
    loop.callSoon(() => loop.stop());
    await loop.runUntilComplete(never).catch((e: Error) => errors.push(e.message));
    loop.close();
    expect(errors).toEqual([
      "stepwise: timeout() must be awaited inside a task",
      "stepwise: taskGroup() must be awaited inside a task",
      "stepwise: coroutine Idle awaited outside a running event loop (use run())",
      "stepwise: coroutine Work is already awaited or running (a coroutine can be awaited once)",
      "stepwise: the event loop stopped before the future completed",
    ]);
  });

  it("warnings: a task failing during shutdown, a connection handler failing", async () => {
    const { main } = await importLoop(`
      import { createTask, sleep, startServer, openConnection } from "stepwise/loop";
      async function stubborn() {
        try { await sleep(1e9); } finally { throw new Error("failed while cancelled"); }
      }
      export async function main() {
        createTask(stubborn());
        const server = await startServer(async () => { throw new Error("handler broke"); }, "127.0.0.1", 0);
        const [reader, writer] = await openConnection("127.0.0.1", server.address().port);
        await reader.read();
        writer.close();
        server.close();
        await server.waitClosed();
      }`);
    const warnings: string[] = [];
    await L.run(main, { warn: (m: string) => warnings.push(m) });
    expect(warnings).toEqual([
      "stepwise: connection handler failed: Error: handler broke",
      "stepwise: unhandled exception in Task-2 during shutdown: Error: failed while cancelled",
    ]);
  });

  it("host events that arrive after the loop closed are dropped (no crash)", async () => {
    const peers: Socket[] = [];
    const server = createServer((socket) => peers.push(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    const { main } = await importLoop(`
      import { openConnection, createTask } from "stepwise/loop";
      export let late;
      export async function main(port) {
        const [, writer] = await openConnection("127.0.0.1", port);
        let settle;
        late = new Promise((resolve) => (settle = resolve));
        createTask((async () => await late)()); // cancelled at shutdown; the promise settles later
        return [writer, settle];
      }`);
    const [writer, settle] = await L.run(() => main(port));
    while (peers.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    peers[0].write("after the loop closed");
    settle("late");
    await new Promise((resolve) => setTimeout(resolve, 50));
    writer.socket.destroy();
    peers[0].destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});
