// stepwise/runtime: what generated state machines extend and call, and the drivers that run them.
//
// Written as plain JavaScript (type-checked through JSDoc) on purpose: it is shipped to users as is, it has
// no dependencies, and the transform can inline it into a self-contained output (`runtime: "inline"`
// concatenates these modules in dependency order; see src/transform/runtime-import.ts). One concept a file:
//
//   machine.js             the machine protocol (header comment), signals, completions, the tries table,
//                          the Machine base class, the tracer and the step bracket every driver uses
//   semantics.js           ES semantics generated code asks for: iterator records, for-in, destructuring,
//                          super references, TDZ checks (MachineSemantics, the base of Machine)
//   promise-driver.js      AsyncMachine and runAsync: an async function's promise
//   generator.js           GeneratorMachine and generator objects
//   async-generator.js     AsyncGeneratorMachine and async generator objects
//   generator-function.js  runGenerator and the prototypes of generator functions
//   disposal.js            DisposableResources: the resources of a scope with `using` declarations
//   intrinsics.js          built-ins captured at load time, small shared helpers
//   members.js             MACHINE_MEMBERS: the member names generated machines inherit
//
// Only `export { ... } from "./module.js"` lines here: the inline mode reads this list as the public surface.

export {
  AWAIT,
  COMPLETION_JUMP,
  COMPLETION_KINDS,
  COMPLETION_RETURN,
  COMPLETION_THROW,
  CONTINUE,
  DELEGATE,
  DONE,
  FINISHED,
  HANDLER_CATCH,
  HANDLER_CLEANUP,
  Machine,
  REQUEST_MODES,
  REQUEST_NEXT,
  REQUEST_RETURN,
  REQUEST_THROW,
  SIGNALS,
  STARTED,
  THREW,
  YIELD,
  findHandler,
  getTracer,
  handlerKind,
  setTracer,
} from "./machine.js";
export { AsyncIteratorRecord, ForInRecord, IteratorRecord, MachineSemantics, UNINITIALIZED } from "./semantics.js";
export { AsyncMachine, runAsync } from "./promise-driver.js";
export { Generator, GeneratorMachine } from "./generator.js";
export { AsyncGenerator, AsyncGeneratorMachine } from "./async-generator.js";
export { defineGenerator, defineGeneratorFunction, defineGeneratorMethod, defineGeneratorMethods, runGenerator } from "./generator-function.js";
export { DisposableResources } from "./disposal.js";
export { MACHINE_MEMBERS } from "./members.js";

/**
 * The public types, as the modules declare them.
 * @typedef {import("./machine.js").Tracer} Tracer
 * @typedef {import("./machine.js").TryEntry} TryEntry
 * @typedef {import("./machine.js").Completion} Completion
 * @typedef {import("./async-generator.js").AsyncGeneratorRequest} AsyncGeneratorRequest
 */
