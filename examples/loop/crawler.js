// A tiny HTTP/1.0 fetcher and a crawler on stepwise's event loop (transform with mode: "loop"): a
// queue of paths, a few worker tasks in a task group, one TCP connection per request.
import { Queue, openConnection, taskGroup } from "stepwise/loop";

export async function httpGet(host, port, path) {
  const [reader, writer] = await openConnection(host, port);
  writer.write(`GET ${path} HTTP/1.0\r\nHost: ${host}\r\n\r\n`);
  const status = Number(String(await reader.readLine()).split(" ")[1]);
  const headers = {};
  for (;;) {
    const line = String(await reader.readLine()).trim();
    if (line === "") break;
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = String(await reader.read()); // HTTP/1.0: the body ends with the connection
  writer.close();
  await writer.waitClosed();
  return { status, headers, body };
}

export async function crawl(host, port, start, workers = 4) {
  const seen = new Set([start]);
  const queue = new Queue();
  const pages = {};
  queue.putNowait(start);

  async function worker() {
    for (;;) {
      const path = await queue.get();
      try {
        const { status, body } = await httpGet(host, port, path);
        pages[path] = status;
        for (const [, link] of body.matchAll(/href="(\/[^"]*)"/g)) {
          if (!seen.has(link)) {
            seen.add(link);
            queue.putNowait(link);
          }
        }
      } finally {
        queue.taskDone();
      }
    }
  }

  await taskGroup(async (group) => {
    const tasks = Array.from({ length: workers }, () => group.createTask(worker()));
    await queue.join(); // every queued path fetched
    for (const task of tasks) task.cancel();
  });
  return pages;
}
