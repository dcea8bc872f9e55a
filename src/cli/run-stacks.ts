// Stack traces under `stepwise run` like Node's for native async functions and generators: the runtime's own
// frames hidden (the driver, the step bracket, a wrapper calling its machine), a machine's `resume` frame named
// after its function (`work`, `C.method`; each module says its machines' names as it starts), a generator's
// followed by the generator object's method that stepped it (`g.next (<anonymous>)`), and the calls waiting
// for the one that threw as
// `at async name (file:line:col)` frames at their `await`, as V8's async stack traces show them. Positions
// are mapped to the original source (the inline source maps, read through Node's module.findSourceMap).
//
// The promise driver tells a recorder (setAsyncStacks in runtime/promise-driver.js) which machine steps,
// which call's promise each machine awaits, and when an error leaves a machine; the recorder keeps, for
// each such error, the chain of machines waiting for it at that moment. Installing the recorder switches
// runAsync to a recording copy of the driver; without it the driver pays one check per call.
import { readFileSync } from "node:fs";
import { findSourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import { FILES_GLOBAL, type MachineFrames } from "./run-config.ts";
import { OWN_RUNTIME } from "./run-transform.ts";

/** What the transform's `machineInfo` option puts on each machine class (report/machine-info.ts). */
interface Info {
  name: string;
  /** Known by no name: its frames are written without one, as V8 writes an anonymous function's. */
  nameless?: true;
  file: string;
  states: { suspends: { kind: string } | null; resumes: number | null; at?: [number, number] | null }[];
}
interface Machine {
  state: number;
  constructor: { name: string; $info?: Info };
}
/** The machines waiting for an error's machine, each at the state it resumes in. */
type Chain = { machine: Machine; state: number }[];
interface Snapshot {
  /** The machines stepping when the error left its machine, innermost last. */
  running: Machine[];
  chain: Chain;
}


const ownRoot = new URL("../", import.meta.url).href;
/**
 * The runtime's and the event loop's files (this copy's, and the runtime package's), and the CommonJS loader's
 * hook that transforms each file (its frames stand between Node's own loader frames): the machinery, not the program.
 */
const HIDDEN = [new URL("runtime/", ownRoot).href, new URL("loop/", ownRoot).href, new URL("cli/run-require.", ownRoot).href, ...(OWN_RUNTIME !== null ? [OWN_RUNTIME] : [])];

export function installAsyncStacks(driver: { setAsyncStacks(recorder: unknown): unknown }): void {
  const owner = new WeakMap<object, Machine>();
  const awaiter = new WeakMap<Machine, Machine>();
  const running: Machine[] = [];
  const snapshots = new WeakMap<object, Snapshot>();
  /** Shown file name (as in $info.file) → the file as stack traces show it (a path, or a file: URL for ES modules). */
  const files = new Map<string, string>();
  /** Machine class name → its function's name, for frames of machines no longer stepping. */
  const names = new Map<string, string>();
  /** File as stack traces show it → what its module said of its machines' frames, by class. */
  const frames: FramesByFile = new Map();
  const fileSays = (shown: string, where: string, machines?: MachineFrames) => {
    files.set(shown, where);
    if (machines) frames.set(where, new Map(machines.map(([className, name, stepper]) => [className, { name, stepper }])));
  };
  Object.defineProperty(globalThis, Symbol.for(FILES_GLOBAL), { value: fileSays, configurable: true });

  const chainOf = (machine: Machine): Chain => {
    const chain: Chain = [];
    for (let next = awaiter.get(machine); next !== undefined && chain.length < 100; next = awaiter.get(next)) chain.push({ machine: next, state: next.state });
    return chain;
  };
  driver.setAsyncStacks({
    enter(machine: Machine) {
      running.push(machine);
      const type = machine.constructor;
      if (type.$info && !names.has(type.name)) names.set(type.name, frameName(type.$info));
    },
    leave() {
      running.pop();
    },
    started(machine: Machine, promise: object) {
      owner.set(promise, machine);
    },
    awaits(machine: Machine, value: unknown) {
      if ((typeof value === "object" && value !== null) || typeof value === "function") {
        const callee = owner.get(value);
        if (callee !== undefined) awaiter.set(callee, machine);
      }
    },
    escaped(machine: Machine, error: unknown) {
      if (((typeof error === "object" && error !== null) || typeof error === "function") && !snapshots.has(error)) {
        snapshots.set(error, { running: [...running], chain: chainOf(machine) });
      }
    },
  });

  /** An error made (not thrown out) by the machine stepping now: what waits for that machine now. */
  const live = (callsites: NodeJS.CallSite[]): Snapshot | null => {
    const current = running[running.length - 1];
    const first = callsites.find((site) => site.getFunctionName() === "resume" || site.getMethodName() === "resume");
    if (current === undefined || first === undefined || first.getTypeName() !== current.constructor.name) return null;
    return { running: [...running], chain: chainOf(current) };
  };
  const limit = collectingHiddenFrames();
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error, callsites: NodeJS.CallSite[]) => {
    try {
      const snapshot = snapshots.get(error) ?? live(callsites);
      return formatStack(error, callsites, snapshot, files, names, frames).slice(0, limit() + 1).join("\n    at ");
    } catch {
      return previous ? previous(error, callsites) : `${header(error)}${callsites.map((site) => `\n    at ${site}`).join("")}`;
    }
  };
}

function header(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return "Error";
  }
}

/**
 * V8 collects an error's frames up to `Error.stackTraceLimit`, the runtime's counting, which the trace hides
 * (four frames for a call of a lowered async function where Node has one: the wrapper, the driver's two and
 * the machine's step): so that a trace shows as many of the program's frames as Node's, V8 is made to
 * collect four times the program's limit, and the trace is cut at the program's. Returns the limit the
 * trace is cut at: the one Node started with, or any the program has set since.
 */
function collectingHiddenFrames(): () => number {
  const given = Error.stackTraceLimit;
  const collected = typeof given === "number" && Object.getOwnPropertyDescriptor(Error, "stackTraceLimit")?.writable === true ? given * FRAMES_PER_CALL : null;
  if (collected !== null) Error.stackTraceLimit = collected;
  return () => {
    const limit = Error.stackTraceLimit === collected ? given : Error.stackTraceLimit;
    // (as V8 reads it: no frames below 1)
    return limit >= 1 ? limit : 0;
  };
}
const FRAMES_PER_CALL = 4;

/** The header line, then one line a frame: what follows `at `. */
function formatStack(error: Error, callsites: NodeJS.CallSite[], snapshot: Snapshot | null, files: Map<string, string>, names: Map<string, string>, frames: FramesByFile): string[] {
  const lines: string[] = [];
  let afterDriver = false;
  // The generator's (or async generator's) function whose frame was written last, until the runtime's frames
  // after it show the generator object's method that stepped it: V8 writes that one as `g.next (<anonymous>)`.
  let stepped: string | null = null;
  for (const site of callsites) {
    const file = site.getFileName() ?? "";
    if (HIDDEN.some((dir) => file.startsWith(dir))) {
      // A wrapper calls runAsync (or runAsyncOnce) with its machine: the wrapper's frame, next, stands for the machine's.
      const name = site.getFunctionName();
      afterDriver = name === "runAsync" || name === "runAsyncOnce";
      const type = site.getTypeName();
      // (a delegating generator's steps go through its delegate: which generator's method ran is not known here)
      if (type === "Delegation") stepped = null;
      else if (stepped !== null && (type === "Generator" || type === "AsyncGenerator") && name !== null && STEPPERS.has(name)) {
        lines.push(`${stepped}.${name} (<anonymous>)`);
        stepped = null;
      }
      continue;
    }
    stepped = null;
    const machine = machineOf(site, snapshot, names, frames);
    if (afterDriver && machine === null && lines.length > 0) {
      afterDriver = false;
      continue;
    }
    afterDriver = false;
    lines.push(machine !== null ? `${site.isAsync() ? "async " : ""}${named(machine.name, location(site))}` : describe(site));
    if (machine !== null && machine.stepper !== "") stepped = machine.stepper;
  }
  if (snapshot) {
    for (const { machine, state } of snapshot.chain) {
      const info = machine.constructor.$info;
      if (!info) continue;
      const at = info.states.find((entry) => entry.resumes === state && entry.suspends?.kind === "await")?.at;
      const where = files.get(info.file) ?? info.file;
      lines.push(`async ${named(frameName(info), at ? `${where}:${awaitPosition(where, at)}` : where)}`);
    }
  }
  return [header(error), ...lines];
}

/** The name a machine's frames show: its function's, or "" for a function known by none. */
function frameName(info: Info): string {
  return info.nameless ? "" : info.name;
}

/** A frame's text as V8 writes it: `name (where)`, or `where` alone without a name. */
function named(name: string, where: string): string {
  return name === "" ? where : `${name} (${where})`;
}

/** What stack traces know of a machine class's frames: its function's frame name, and (generators) the stepping method's. */
interface MachineFrame {
  name: string;
  stepper: string;
}
type FramesByFile = Map<string, Map<string, MachineFrame>>;

/** The generator object's methods that step a generator's machine. */
const STEPPERS = new Set(["next", "return", "throw"]);

/** The function a machine's `resume` frame stands for (its frame name), or null for any other frame. */
function machineOf(site: NodeJS.CallSite, snapshot: Snapshot | null, names: Map<string, string>, frames: FramesByFile): MachineFrame | null {
  if (site.getFunctionName() !== "resume" && site.getMethodName() !== "resume") return null;
  const type = site.getTypeName();
  if (!type) return null;
  // (what the machine's own file said, the class's name being the file's own)
  const own = frames.get(site.getFileName() ?? "")?.get(type);
  if (own !== undefined) return own;
  for (let i = (snapshot?.running.length ?? 0) - 1; i >= 0; i--) {
    const machine = snapshot!.running[i];
    if (machine.constructor.name === type && machine.constructor.$info) return { name: frameName(machine.constructor.$info), stepper: "" };
  }
  const name = names.get(type);
  return name === undefined ? null : { name, stepper: "" };
}

/** A frame as V8 writes it, with its position mapped through the file's source map. */
function describe(site: NodeJS.CallSite): string {
  const text = String(site);
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || line === null || column === null) return text;
  const raw = `${file}:${line}:${column}`;
  const mapped = location(site);
  return mapped === raw ? text : text.replace(raw, mapped);
}

function location(site: NodeJS.CallSite): string {
  const file = site.getFileName() ?? "<anonymous>";
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (line === null || column === null) return file;
  const map = sourceMapOf(file);
  const entry = map?.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number } | undefined;
  if (!entry || entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return `${file}:${line}:${column}`;
  const source = file.startsWith("file:") || !entry.originalSource.startsWith("file:") ? entry.originalSource : fileURLToPath(entry.originalSource);
  return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

const maps = new Map<string, ReturnType<typeof findSourceMap> | null>();
function sourceMapOf(file: string): ReturnType<typeof findSourceMap> | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = findSourceMap(file) ?? null;
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return map;
}

const sources = new Map<string, string | null>();
/**
 * `line:column` (1-based) of the `await` whose operand starts at `at` ([line, 0-based column]): V8 names
 * the keyword. Found by reading back from the operand over spaces and parentheses.
 */
function awaitPosition(where: string, [line, column]: [number, number]): string {
  let text = sources.get(where);
  if (text === undefined) {
    try {
      text = readFileSync(where.startsWith("file:") ? fileURLToPath(where) : where, "utf8");
    } catch {
      text = null;
    }
    sources.set(where, text);
  }
  if (text) {
    const lines = text.split("\n");
    let row = line - 1;
    let col = column;
    for (let steps = 0; row >= 0 && steps < 200; steps++) {
      const before = lines[row].slice(0, col).replace(/[\s(]*$/, "");
      if (before.length === 0) {
        row -= 1;
        col = lines[row]?.length ?? 0;
        continue;
      }
      if (before.endsWith("await") && !/[\w$]/.test(before.charAt(before.length - 6))) return `${row + 1}:${before.length - 4}`;
      break;
    }
  }
  return `${line}:${column + 1}`;
}
