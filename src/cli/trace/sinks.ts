// Where trace events go: streamed as text or JSON Lines (stderr or --trace-file), or kept and drawn as an
// SVG or HTML picture when the program exits.
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import type { RunConfig } from "../run-config.ts";
import { displayPath, writeMessage } from "../shared.ts";
import { renderTraceHtml, renderTraceSvg } from "./render-picture.ts";
import { textRenderer } from "./render-text.ts";
import type { TraceEvent } from "./schema.ts";

export interface Sink {
  /** Whether the events are kept for `close`. */
  keep: boolean;
  write(event: TraceEvent): void;
  /** `interrupted`: the program was stopped by Ctrl-C or SIGTERM; the events are those recorded so far. */
  close(events: TraceEvent[], interrupted?: boolean): void;
}

export function makeSink(config: RunConfig): Sink {
  const shown = (path: string) => displayPath(path);
  if (config.trace === "svg" || config.trace === "html") {
    const file = config.traceFile!;
    const format = config.trace;
    return {
      keep: true,
      write() {},
      close(events, interrupted) {
        try {
          writeFileSync(file, format === "svg" ? renderTraceSvg(events) : renderTraceHtml(events));
        } catch (error) {
          writeSync(2, `stepwise run: cannot write the trace to ${shown(file)}: ${writeMessage(error, file)}\n`);
          return;
        }
        writeSync(2, interrupted ? `stepwise run: interrupted; the trace so far written to ${shown(file)}\n` : `stepwise run: trace written to ${shown(file)}\n`);
      },
    };
  }
  const fd = config.traceFile === null ? 2 : openSync(config.traceFile, "w");
  if (config.trace === "json") {
    return {
      keep: false,
      write(event) {
        writeSync(fd, JSON.stringify(event) + "\n");
      },
      close() {
        if (fd !== 2) closeSync(fd);
      },
    };
  }
  const text = textRenderer(config.colors && fd === 2);
  return {
    keep: false,
    write(event) {
      const line = text(event);
      if (line !== null) writeSync(fd, line + "\n");
    },
    close() {
      if (fd !== 2) closeSync(fd);
    },
  };
}
