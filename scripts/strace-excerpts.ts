// What the kernel sees when the loop does I/O: runs two examples under `strace -f` (Linux; Debian's
// `strace` package) and cuts out the system calls that answer "what is I/O, and who waits for it":
//
//   echo       examples/loop/echo.js: one thread makes non-blocking sockets, `connect` returns
//              EINPROGRESS, the sockets are registered with `epoll_ctl`, `epoll_pwait` reports them
//              ready (EPOLLIN), and only then does the thread `read`.
//   read-file  examples/loop/read-file.js: the main thread waits in `epoll_pwait` while threads of
//              libuv's pool open, stat, `read` and close the file, each step ending with a `write` to an
//              eventfd that the main thread's epoll is watching, which wakes it.
//
// Usage (after `npm run build`): `npm run strace-excerpts` (`tsx scripts/strace-excerpts.ts`) prints the excerpts;
// `--write` puts them into docs/how-it-works.md (the ```text strace NAME blocks), which
// test/explanation/strace.test.ts checks for the same shape (`shapeProblems` below).
//
// The excerpts are strace's lines, filtered: the thread ids are replaced by names (`main`, `pool-1`, ...)
// and the repository's absolute path by `…`; nothing else is changed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const DOC = join(root, "docs", "how-it-works.md");

/** Why strace cannot be used here, or null when it can. */
export function straceUnavailable(): string | null {
  const version = spawnSync("strace", ["-V"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return "strace is not installed (Debian: apt-get install strace)";
  const probe = spawnSync("strace", ["-f", "-qq", "-e", "trace=none", "true"], { encoding: "utf8" });
  if (probe.status !== 0) return `strace cannot trace here (ptrace not permitted?): ${probe.stderr.trim()}`;
  return null;
}

export type Example = "echo" | "read-file";

/** One line of strace's output: the thread id and the call. */
export interface Line {
  tid: number;
  text: string;
}

const SYSCALLS: Record<Example, string> = {
  echo: "socket,connect,accept4,bind,listen,epoll_ctl,epoll_pwait,epoll_wait,read,write,shutdown,close,getsockopt",
  "read-file": "openat,statx,fstat,newfstatat,read,write,close,epoll_pwait,epoll_wait",
};

/**
 * Runs `stepwise run --mode loop loop/NAME.js` from examples/ under strace; returns strace's lines as
 * `{ tid, text }` and the program's output.
 */
export function straceExample(name: Example): { lines: Line[]; stdout: string } {
  const dir = mkdtempSync(join(tmpdir(), "stepwise-strace-"));
  const log = join(dir, "strace.txt");
  try {
    const bin = join(root, "dist", "cli", "main.js");
    const args = ["-f", "-qq", "-yy", "-s", "40", "-e", "signal=none", "-e", `trace=${SYSCALLS[name]}`, "-o", log];
    const run = spawnSync("strace", [...args, process.execPath, bin, "run", "--mode", "loop", `loop/${name}.js`], {
      cwd: join(root, "examples"),
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    if (run.status !== 0) throw new Error(`strace ${name}: exit ${run.status}\n${run.stderr}`);
    const lines = readFileSync(log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const match = /^(\d+)\s+(.*)$/.exec(line);
        return match ? { tid: Number(match[1]), text: match[2].replaceAll(root, "…") } : null;
      })
      .filter((line) => line !== null);
    return { lines, stdout: run.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines as the doc shows them: `name  text`, thread names padded. */
function render(lines: Line[], names: Map<number, string>): string {
  const width = Math.max(...[...names.values()].map((n) => n.length));
  return lines.map((line) => `${names.get(line.tid)!.padEnd(width)}  ${line.text}`).join("\n") + "\n";
}

/**
 * The echo excerpt: every socket and epoll call of the thread that made the sockets, from the listening
 * socket to the server's first read of a message, with runs of empty non-blocking polls (`epoll_pwait(..., 0, ...) = 0`)
 * shown once.
 */
export function echoExcerpt(lines: Line[]): string {
  const tcpThreads = new Set(lines.filter((line) => line.text.includes("<TCP:")).map((line) => line.tid));
  if (tcpThreads.size !== 1) throw new Error(`echo: socket calls on ${tcpThreads.size} threads`);
  const [tid] = tcpThreads;
  const own = lines.filter((line) => line.tid === tid);
  const start = own.findIndex((line) => line.text.startsWith("socket("));
  const end = own.findIndex((line, i) => i > start && /^read\(\d+<TCP:.*, "hello/.test(line.text));
  if (start < 0 || end < 0) throw new Error("echo: no socket() ... read() of a message in the trace");
  const excerpt = [];
  for (const line of own.slice(start, end + 1)) {
    if (!/<TCP:|epoll_/.test(line.text)) continue; // the loop's own eventfd, stdout
    const emptyPoll = /^epoll_pwait\(.*\[\], \d+, 0, /.test(line.text);
    if (emptyPoll && excerpt.length > 0 && excerpt[excerpt.length - 1].text === line.text) continue;
    excerpt.push(line);
  }
  return render(excerpt, new Map([[tid, "main"]]));
}

/**
 * The file-read excerpt: from the main thread's poll before the program's `openat` of the file to the
 * program's output; the main thread's polls and eventfd reads, and the pool threads' calls on the file
 * and their writes to the main thread's eventfd.
 */
export function readFileExcerpt(lines: Line[], file = "loop/read-file.js"): string {
  const open = lines.findIndex((line) => line.text.includes(`openat(AT_FDCWD<…/examples>, "${file}"`));
  const output = lines.findIndex((line, i) => i > open && /^write\(1</.test(line.text));
  if (open < 0 || output < 0) throw new Error(`read-file: no openat of ${file} followed by the program's output`);
  const main = lines[output].tid;
  // The main loop's eventfd: the one the main thread reads after a poll.
  const eventfd = lines.find((line, i) => i > open && line.tid === main && /^read\(\d+<anon_inode:\[eventfd\]>/.test(line.text))?.text.match(/^read\((\d+)/)?.[1];
  const fd = lines.slice(open).map((line) => /= (\d+)<…\/examples\/loop\/read-file\.js>/.exec(line.text)?.[1]).find(Boolean);
  // Start with the main thread's call in progress at the openat, if it is a poll.
  let start = open;
  let before = open - 1;
  while (before >= 0 && lines[before].tid !== main) before--;
  if (before >= 0 && /^epoll_pwait\(.*<unfinished \.\.\.>$/.test(lines[before].text)) start = before;
  const onFile = (text: string) => text.includes(`"${file}"`) || (fd !== undefined && text.includes(`${fd}<…/examples/${file}>`));
  const names = new Map([[main, "main"]]);
  const excerpt: Line[] = [];
  const unfinished = new Set<number>(); // threads whose kept call is waiting for its `<... resumed>` line
  for (let i = start; i <= output; i++) {
    const line = lines[i];
    const resumed = line.text.startsWith("<... ");
    let keep;
    if (i > start && i < open && line.tid !== main) continue;
    if (line.tid === main) keep = /^epoll_pwait|^write\(1</.test(line.text) || line.text.startsWith(`read(${eventfd}<`) || (resumed && unfinished.has(main));
    else keep = onFile(line.text) || line.text.startsWith(`write(${eventfd}<`) || (resumed && unfinished.has(line.tid));
    if (!keep) continue;
    if (line.tid !== main && !names.has(line.tid)) names.set(line.tid, `pool-${names.size}`);
    if (line.text.endsWith("<unfinished ...>")) unfinished.add(line.tid);
    else unfinished.delete(line.tid);
    excerpt.push(line);
  }
  return render(excerpt, names);
}

/** `name  text` lines of an excerpt back into `{ who, text }`. */
function parse(excerpt: string): { who: string; text: string }[] {
  return excerpt
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const match = /^(\S+)\s+(.*)$/.exec(line);
      return { who: match?.[1] ?? "", text: match?.[2] ?? line };
    });
}

/**
 * What must hold of an excerpt (the doc's, or a fresh one); the problems found, none when it has the shape.
 */
export function shapeProblems(name: Example, excerpt: string): string[] {
  const lines = parse(excerpt);
  const problems: string[] = [];
  const after = (from: number, test: (line: { who: string; text: string }) => boolean) => lines.findIndex((line, i) => i > from && test(line));
  if (name === "echo") {
    const threads = new Set(lines.map((line) => line.who));
    if (threads.size !== 1) problems.push(`one thread expected, found ${[...threads].join(", ")}`);
    const socket = after(-1, (l) => /^socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC\|SOCK_NONBLOCK/.test(l.text));
    if (socket < 0) problems.push("no non-blocking socket()");
    const connect = after(socket, (l) => /^connect\((\d+)<TCP:.*= -1 EINPROGRESS/.test(l.text));
    if (connect < 0) problems.push("no connect() returning EINPROGRESS after it");
    const fd = /^connect\((\d+)/.exec(lines[connect]?.text ?? "")?.[1];
    const ctl = after(connect, (l) => l.text.startsWith(`epoll_ctl(`) && l.text.includes(`EPOLL_CTL_ADD, ${fd}<TCP:`));
    if (ctl < 0) problems.push(`no epoll_ctl(EPOLL_CTL_ADD) of the connecting socket ${fd} after it`);
    const ready = after(ctl, (l) => /^epoll_pwait\(.*\[\{events=EPOLLIN,.*= [1-9]\d*$/.test(l.text));
    if (ready < 0) problems.push("no epoll_pwait() returning EPOLLIN after it");
    const read = after(ready, (l) => /^read\(\d+<TCP:.*, "hello \d", \d+\) = 7$/.test(l.text));
    if (read < 0) problems.push('no read() of "hello N" from a socket after it');
  } else {
    // A pool thread reads the file; when that read has returned, the same thread writes an eventfd; the
    // main thread was blocked in epoll_pwait across that write, returns with EPOLLIN, reads the eventfd.
    const woken = lines.some((line, r) => {
      if (!line.who.startsWith("pool-") || !/^read\(\d+<…\/examples\/loop\/read-file\.js>/.test(line.text)) return false;
      const done = line.text.endsWith("<unfinished ...>") ? after(r, (l) => l.who === line.who) : r;
      const write = after(done, (l) => l.who === line.who);
      const eventfd = /^write\((\d+)<anon_inode:\[eventfd\]>/.exec(lines[write]?.text ?? "")?.[1];
      if (eventfd === undefined) return false;
      let waiting = write - 1;
      while (waiting >= 0 && lines[waiting].who !== "main") waiting--;
      const resumed = after(write, (l) => l.who === "main");
      const mainRead = after(resumed, (l) => l.who === "main");
      return (
        /^epoll_pwait\(.*<unfinished \.\.\.>$/.test(lines[waiting]?.text ?? "") &&
        // ... with a timeout that is not 0: the thread really slept (-1: until an event).
        new RegExp(`^<\\.\\.\\. epoll_pwait resumed>\\[.*\\{events=EPOLLIN, data=\\{u32=${eventfd},.*\\], \\d+, (-1|[1-9]\\d*), `).test(lines[resumed]?.text ?? "") &&
        (lines[mainRead]?.text ?? "").startsWith(`read(${eventfd}<anon_inode:[eventfd]>`)
      );
    });
    if (!woken) {
      problems.push("no pool-thread read() of the file followed by its write to an eventfd that woke the main thread, blocked in epoll_pwait with a timeout other than 0 (EPOLLIN), which then reads it");
    }
    if (!lines.some((l) => l.who === "main" && /^write\(1</.test(l.text))) problems.push("the program's output is not written by main");
  }
  return problems;
}

/** The ```text strace NAME blocks of a markdown text: name → { start, end, body }. */
export function straceBlocks(text: string): Map<string, { start: number; end: number; body: string }> {
  const found = new Map<string, { start: number; end: number; body: string }>();
  for (const match of text.matchAll(/```text strace ([\w-]+)\n([\s\S]*?)```/g)) {
    const start = match.index + match[0].indexOf("\n") + 1;
    found.set(match[1], { start, end: start + match[2].length, body: match[2] });
  }
  return found;
}

/**
 * A fresh excerpt of `name` with the expected shape. Whether the main thread is already blocked when a
 * pool thread finishes depends on timing (a fast read can finish while the main thread is still busy,
 * and then its next poll returns at once), so a run without the shape is retried a few times.
 */
export function freshExcerpt(name: Example, attempts = 6): { excerpt: string; problems: string[]; attempts: number } {
  let last = { excerpt: "", problems: ["not run"], attempts: 0 };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { lines } = straceExample(name);
    const excerpt = name === "echo" ? echoExcerpt(lines) : readFileExcerpt(lines);
    last = { excerpt, problems: shapeProblems(name, excerpt), attempts: attempt };
    if (last.problems.length === 0) break;
  }
  return last;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const why = straceUnavailable();
  if (why !== null) {
    console.error(`strace-excerpts: ${why}`);
    process.exit(1);
  }
  const fresh: Partial<Record<Example, string>> = {};
  for (const name of ["echo", "read-file"] as const) {
    const { excerpt, problems, attempts } = freshExcerpt(name);
    if (problems.length > 0) {
      console.error(`strace-excerpts: ${attempts} runs of ${name}, none with the expected shape:\n  ${problems.join("\n  ")}\n${excerpt}`);
      process.exit(1);
    }
    fresh[name] = excerpt;
  }
  if (process.argv.includes("--write")) {
    let text = readFileSync(DOC, "utf8");
    const blocks = [...straceBlocks(text)].sort((a, b) => b[1].start - a[1].start);
    for (const [name, block] of blocks) {
      if (!(name in fresh)) throw new Error(`docs/how-it-works.md: unknown strace block ${name}`);
      text = text.slice(0, block.start) + fresh[name as Example] + text.slice(block.end);
    }
    writeFileSync(DOC, text);
    console.log(`strace-excerpts: updated ${blocks.map(([name]) => name).join(", ") || "nothing (no strace blocks)"} in docs/how-it-works.md`);
  } else {
    for (const [name, excerpt] of Object.entries(fresh)) console.log(`== ${name}\n${excerpt}`);
  }
}
