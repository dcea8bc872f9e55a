// The Node 24 side of the second oracle (test/support/node24.ts): runs the programs it is sent, one after
// another, each in a fresh vm context of this process, and answers with their logs.
import nodeModule from "node:module";
import { runProgram } from "./run-program.ts";

// (Node 24's; the types installed are Node 20's)
const { stripTypeScriptTypes } = nodeModule as unknown as { stripTypeScriptTypes(code: string, options: { mode: "transform" }): string };

interface Request {
  id: number;
  /** `typescript`: the code is TypeScript, made JavaScript here by Node 24 itself (as `node file.ts` does). */
  programs: { code: string; filename: string; typescript?: boolean }[];
}

function answer(message: unknown): void {
  if (process.connected) process.send!(message);
}

process.on("message", async ({ id, programs }: Request) => {
  try {
    const logs: string[][] = [];
    // ("transform": enums, namespaces and parameter properties too, as --experimental-transform-types)
    for (const { code, filename, typescript } of programs) logs.push((await runProgram(typescript ? stripTypeScriptTypes(code, { mode: "transform" }) : code, filename)).log);
    answer({ id, logs });
  } catch (error) {
    answer({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
