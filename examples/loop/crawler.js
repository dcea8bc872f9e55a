// Run from examples/: npx stepwise run --mode loop loop/crawler.js --trace
//
// A tiny HTTP/1.0 fetcher and a crawler on stepwise's event loop: a queue of paths, a few worker tasks in
// a task group, one TCP connection per request. The site it crawls is served by the same loop, in this
// process, on 127.0.0.1 (a free port): the example touches no other network.
import { Queue, openConnection, run, startServer, taskGroup } from "stepwise/loop";

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

// The site: four pages and a broken link, served one request per connection.
const site = {
  "/": '<a href="/a">a</a> <a href="/b">b</a>',
  "/a": '<a href="/b">b</a> <a href="/c">c</a> <a href="/missing">x</a>',
  "/b": '<a href="/">home</a>',
  "/c": "leaf",
};

async function serve(reader, writer) {
  const path = String(await reader.readLine()).split(" ")[1];
  while (String(await reader.readLine()).trim() !== ""); // the rest of the request's headers
  const page = site[path];
  writer.write(`HTTP/1.0 ${page === undefined ? "404 Not Found" : "200 OK"}\r\ncontent-type: text/html\r\n\r\n`);
  writer.write(page ?? "not found");
  writer.close();
}

async function main() {
  const server = await startServer(serve, "127.0.0.1", 0);
  const pages = await crawl("127.0.0.1", server.address().port, "/", 2);
  server.close();
  await server.waitClosed();
  for (const path of Object.keys(pages).sort()) console.log(pages[path], path);
}

await run(main);
