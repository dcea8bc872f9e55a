// The CLI's tables that mirror other parts of stepwise: the mode profiles (src/cli/mode.ts) and the trace's
// copy of the runtime's step signals (src/cli/trace/signals.ts).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MODE_NAMES, MODES } from "../../src/cli/mode.ts";
import { SIGNALS } from "../../src/cli/trace/signals.ts";
import { SOURCES } from "../../src/cli/trace/sources.ts";
import { transform } from "../../src/transform/index.ts";

describe("mode profiles", () => {
  it("every mode is one the transform accepts, with a runtime module that exists and known trace sources", () => {
    expect(MODE_NAMES[0]).toBe("promise");
    for (const mode of MODE_NAMES) {
      const profile = MODES[mode];
      expect(() => transform("async function f() { await 1; }", { mode: profile.transformMode })).not.toThrow();
      expect(existsSync(fileURLToPath(profile.runtimeUrl)), profile.runtimeUrl).toBe(true);
      expect(profile.traceSources[0]).toBe("runtime");
      for (const source of profile.traceSources) expect(Object.keys(SOURCES)).toContain(source);
    }
  });

  it("loop mode lowers async functions to coroutines of the event loop, promise mode keeps the transform's default", () => {
    const code = "async function f() { await 1; }";
    expect(transform(code, { mode: MODES.promise.transformMode }).code).toBe(transform(code, {}).code);
    expect(transform(code, { mode: MODES.loop.transformMode }).code).toContain("@stepwise/runtime/loop");
  });
});

describe("trace signals", () => {
  it("are the runtime's step signals", async () => {
    const runtime = (await import(MODES.promise.runtimeUrl)) as Record<string, unknown>;
    const expected = { THREW: "throw", AWAIT: "await", DONE: "return", CONTINUE: "continue", YIELD: "yield", DELEGATE: "yield*", STARTED: "started" };
    expect(Object.fromEntries(Object.entries(expected).map(([name, word]) => [runtime[name], word]))).toEqual(SIGNALS);
  });
});
