// The Node 24 side of the second oracle (test/support/node24.ts): runs the programs it is sent, one after
// another, each in a fresh vm context of this process, and answers with their logs.
import { runProgram } from "./run-program.ts";

interface Request {
  id: number;
  programs: { code: string; filename: string }[];
}

function answer(message: unknown): void {
  if (process.connected) process.send!(message);
}

process.on("message", async ({ id, programs }: Request) => {
  try {
    const logs: string[][] = [];
    for (const { code, filename } of programs) logs.push((await runProgram(code, filename)).log);
    answer({ id, logs });
  } catch (error) {
    answer({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
