// Where trace events go: streamed as text or JSON Lines (stderr or --trace-file), or kept and drawn as an
// SVG or HTML picture when the program exits.
import { closeSync, openSync, writeFileSync, writeSync } from "node:fs";
import type { RunConfig } from "../run-config.ts";
import { displayPath } from "../shared.ts";
import { renderTraceHtml, renderTraceSvg } from "./render-picture.ts";
import { textRenderer } from "./render-text.ts";
import type { TraceEvent } from "./schema.ts";

export interface Sink {
  /** Whether the events are kept for `close`. */
  keep: boolean;
  write(event: TraceEvent): void;
  close(events: TraceEvent[]): void;
}

export function makeSink(config: RunConfig): Sink {
  const shown = (path: string) => displayPath(path);
  if (config.trace === "svg" || config.trace === "html") {
    const file = config.traceFile!;
    const format = config.trace;
    return {
      keep: true,
      write() {},
      close(events) {
        writeFileSync(file, format === "svg" ? renderTraceSvg(events) : renderTraceHtml(events));
        writeSync(2, `stepwise run: trace written to ${shown(file)}\n`);
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
