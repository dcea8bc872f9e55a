// What the kernel sees (docs/how-it-works.md, "Below the loop"): the doc's strace excerpts have the
// shape the text describes, and so does a fresh run of the same examples when strace can trace here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshExcerpt, shapeProblems, straceBlocks, straceUnavailable } from "../../scripts/strace-excerpts.ts";
import { root } from "./helpers.ts";

const doc = readFileSync(join(root, "docs/how-it-works.md"), "utf8");
const blocks: Map<string, { body: string }> = straceBlocks(doc);
// (the doc's excerpts are Node 20's: Node 24's libuv hands most epoll_ctl calls to io_uring, which strace
// shows as io_uring_enter; docs/how-it-works.md says so)
const unavailable: string | null = process.versions.node.startsWith("20.") ? straceUnavailable() : `the excerpts are Node 20's, this is Node ${process.versions.node}`;

describe.each(["echo", "read-file"] as const)("strace %s", (name) => {
  it("the doc's excerpt has the shape the text describes", () => {
    expect(blocks.get(name), `no \`\`\`text strace ${name} block in docs/how-it-works.md`).toBeDefined();
    expect(shapeProblems(name, blocks.get(name)!.body)).toEqual([]);
  });

  // Skipped where strace is missing or cannot trace (not Linux, no ptrace): `straceUnavailable()` says which.
  // (The threads race: the pool's read may finish while the main thread is still busy, polling with a
  // timeout of 0, rather than asleep in epoll_pwait. A few runs show the sleeping case.)
  it.skipIf(unavailable !== null)(`a fresh run has it too${unavailable ? ` (skipped: ${unavailable})` : ""}`, () => {
    let fresh = freshExcerpt(name);
    for (let attempt = 1; attempt < 4 && fresh.problems.length > 0; attempt++) fresh = freshExcerpt(name);
    expect(fresh.problems, fresh.excerpt).toEqual([]);
  }, 240_000);
});
