// Where trace events go in the program's process: streamed as text or JSON Lines (stderr or --trace-file).
import { closeSync, openSync, writeSync } from "node:fs";
import type { RunConfig } from "../run-config.ts";
import { textRenderer } from "./render-text.ts";
import type { TraceEvent } from "./schema.ts";

export interface Sink {
  write(event: TraceEvent): void;
  close(): void;
}

/** In the program's process: text or JSON Lines, streamed (a picture is drawn from JSON Lines: picture.ts). */
export function makeSink(config: RunConfig): Sink {
  const fd = config.traceFile === null ? 2 : openSync(config.traceFile, "w");
  if (config.trace === "json") {
    return {
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
    write(event) {
      const line = text(event);
      if (line !== null) writeSync(fd, line + "\n");
    },
    close() {
      if (fd !== 2) closeSync(fd);
    },
  };
}
