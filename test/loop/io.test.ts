// Real I/O on the event loop: streams over TCP on 127.0.0.1, files, and the echo server under load
// (examples/loop/echo.js, 1,000 concurrent clients, in a child process with a time limit).
import { execFile } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importLoop, loopCode, loopUrl } from "./support.ts";

const L = await import(loopUrl);
const echoSource = readFileSync(new URL("../../examples/loop/echo.js", import.meta.url), "utf8");

describe("streams", () => {
  it("read, readLine, readUntil, readExactly over a socket; the end of the stream", async () => {
    const { main } = await importLoop(`
      import { startServer, openConnection } from "stepwise/loop";
      async function serve(reader, writer) {
        writer.write("line one\\nline two\\nrecord|0123456789tail");
        await writer.drain();
        writer.close();
      }
      export async function main() {
        const server = await startServer(serve, "127.0.0.1", 0);
        const [reader, writer] = await openConnection("127.0.0.1", server.address().port);
        const out = [];
        out.push(String(await reader.readLine()));
        out.push(String(await reader.readUntil("\\n")));
        out.push(String(await reader.readUntil("|")));
        out.push(String(await reader.readExactly(10)));
        try { await reader.readExactly(10); } catch (e) { out.push(e.name + ": " + e.message, String(e.partial)); }
        out.push((await reader.read(5)).length, String(await reader.readLine()), reader.atEof());
        writer.close();
        await writer.waitClosed();
        server.close();
        await server.waitClosed();
        return out;
      }`);
    expect(await L.run(main)).toEqual([
      "line one\n",
      "line two\n",
      "record|",
      "0123456789",
      "IncompleteReadError: 4 bytes read before the end of the stream, 10 expected",
      "tail",
      0,
      "",
      true,
    ]);
  });

  it("a refused connection rejects with the host's error; files are read and written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-files-"));
    const { main } = await importLoop(`
      import { startServer, openConnection, readFile, writeFile } from "stepwise/loop";
      export async function main(dir) {
        const server = await startServer(() => {}, "127.0.0.1", 0);
        const port = server.address().port;
        server.close();
        await server.waitClosed();
        let refused;
        try { await openConnection("127.0.0.1", port); } catch (e) { refused = e.code; }
        await writeFile(dir + "/a.txt", "contents");
        const text = await readFile(dir + "/a.txt", "utf8");
        let missing;
        try { await readFile(dir + "/missing.txt"); } catch (e) { missing = e.code; }
        return [refused, text, missing];
      }`);
    expect(await L.run(() => main(dir))).toEqual(["ECONNREFUSED", "contents", "ENOENT"]);
  });

  it("the echo example", async () => {
    const { main } = await importLoop(echoSource, "echo");
    expect(await L.run(() => main(3))).toEqual(["hello 0", "hello 1", "hello 2"]);
  });
});

describe("the crawler example", () => {
  it("fetches every page reachable from / on a local HTTP server", async () => {
    const site: Record<string, string> = {
      "/": '<a href="/a">a</a> <a href="/b">b</a>',
      "/a": '<a href="/b">b</a> <a href="/c">c</a> <a href="/missing">x</a>',
      "/b": '<a href="/">home</a>',
      "/c": "leaf",
    };
    const server = createServer((request, response) => {
      const page = site[request.url ?? ""];
      response.writeHead(page === undefined ? 404 : 200, { "content-type": "text/html" });
      response.end(page ?? "not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const { crawl, httpGet } = await importLoop(readFileSync(new URL("../../examples/loop/crawler.js", import.meta.url), "utf8"), "crawler");
      const page = await L.run(() => httpGet("127.0.0.1", port, "/c"));
      expect([page.status, page.headers["content-type"], page.body]).toEqual([200, "text/html", "leaf"]);
      expect(await L.run(() => crawl("127.0.0.1", port, "/", 2))).toEqual({ "/": 200, "/a": 200, "/b": 200, "/c": 200, "/missing": 404 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

const CLIENTS = 1000;

const stress = `
import { getRunningLoop } from "stepwise/loop"; // run: imported by the echo example above

function payloadFor(i) {
  const size = 1000 + ((i * 7919) % 20000);
  const bytes = Buffer.alloc(size);
  let x = i + 1;
  for (let k = 0; k < size; k++) { x = (x * 1103515245 + 12345) >>> 0; bytes[k] = x >>> 24; }
  return bytes;
}

async function stress(clients) {
  const server = await startServer(handle, "127.0.0.1", 0, { backlog: 2048 });
  const { port } = server.address();
  const payloads = Array.from({ length: clients }, (_, i) => payloadFor(i));
  const started = performance.now();
  const replies = await gather(...payloads.map((payload) => client(port, payload)));
  const ms = performance.now() - started;
  let matching = 0, bytes = 0, expected = 0;
  replies.forEach((reply, i) => { if (Buffer.compare(reply, payloads[i]) === 0) matching++; bytes += reply.length; expected += payloads[i].length; });
  server.close();
  await server.waitClosed();
  return { matching, bytes, expected, ms, otherTasks: getRunningLoop().allTasks().length - 1 };
}

const result = await run(stress(Number(process.argv[2]))); // after the example's own run (three clients)
const handles = process.getActiveResourcesInfo().filter((name) => name.startsWith("TCP"));
console.log(JSON.stringify({ ...result, handles }));
`;

describe("the echo server under load", () => {
  it(`${CLIENTS} concurrent clients on 127.0.0.1: every byte comes back, then everything shuts down`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "stepwise-echo-"));
    const file = join(dir, "stress.mjs");
    writeFileSync(file, loopCode(echoSource + stress, "stress.mjs"));
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [file, String(CLIENTS)], { timeout: 60_000, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(stdout);
      });
    });
    const result = JSON.parse(output.trim().split("\n").pop()!);
    expect(result.matching).toBe(CLIENTS);
    expect(result.bytes).toBe(result.expected);
    expect(result.otherTasks).toBe(0);
    expect(result.handles).toEqual([]);
    console.log(`echo: ${CLIENTS} clients, ${(result.bytes / 1e6).toFixed(1)} MB each way in ${result.ms.toFixed(0)} ms`);
  }, 90_000);
});
