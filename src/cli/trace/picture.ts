// `--trace=svg` and `--trace=html`: the picture is drawn here, in stepwise's own process, once the program
// has ended, from the JSON Lines its process streamed to a temporary file: so a program killed by a signal
// no handler sees (SIGKILL, the kernel's out-of-memory killer) still gets the picture of what it did.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunConfig } from "../run-config.ts";
import { displayPath, writeAtomic, writeMessage } from "../shared.ts";
import { renderTraceHtml, renderTraceSvg } from "./render-picture.ts";
import { parseTraceLines } from "./schema.ts";

/** Runs the program (`run`, given the configuration its process gets) with its trace drawn as `config.trace` says. */
export async function runDrawingPicture(config: RunConfig, run: (config: RunConfig) => Promise<number>): Promise<number> {
  const format = config.trace as "svg" | "html";
  const file = config.traceFile!;
  const dir = mkdtempSync(join(tmpdir(), "stepwise-trace-"));
  try {
    const lines = join(dir, "trace.jsonl");
    const code = await run({ ...config, trace: "json", traceFile: lines });
    let text = "";
    try {
      text = readFileSync(lines, "utf8");
    } catch {
      // the program's process ended before its trace began: the picture is of no events
    }
    const events = parseTraceLines(text);
    const shown = displayPath(file);
    try {
      writeAtomic(file, format === "svg" ? renderTraceSvg(events) : renderTraceHtml(events));
    } catch (error) {
      process.stderr.write(`stepwise run: cannot write the trace to ${shown}: ${writeMessage(error, file)}\n`);
      return code;
    }
    const exit = events.find((event) => event.type === "exit");
    process.stderr.write(
      exit === undefined
        ? `stepwise run: the program was killed (exit code ${code}); the trace so far written to ${shown}\n`
        : exit.signal
          ? `stepwise run: interrupted; the trace so far written to ${shown}\n`
          : `stepwise run: trace written to ${shown}\n`,
    );
    return code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
