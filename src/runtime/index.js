// stepwise/runtime: what generated state machines extend and call, and the drivers that run them.
//
// Written as plain JavaScript (type-checked through JSDoc) on purpose: it is shipped to users as is, it has
// no dependencies, and the transform can inline it into a self-contained output (`runtime: "inline"`
// concatenates these modules in dependency order; see src/transform/runtime-import.ts). One concept a file:
//
//   machine.js             the machine protocol (header comment), signals, completions, the tries table,
//                          the Machine base class, the tracer and the step bracket every driver uses
//   semantics.js           ES semantics generated code asks for: iterator records, for-in, destructuring,
//                          super references, TDZ checks (functions the generated code imports by name)
//   promise-driver.js      AsyncMachine, runAsync and runAsyncOnce: an async function's promise
//   generator.js           GeneratorMachine and generator objects
//   async-generator.js     AsyncGeneratorMachine and async generator objects
//   delegation.js          yield*: `delegate`/`delegateAsync` and the forwarding to the inner iterator
//   function-objects.js    what makes an async function's wrapper look like one (its [[Prototype]])
//   generator-function.js  runGenerator and the prototypes of generator functions
//   disposal.js            DisposableResources: the resources of a scope with `using` declarations
//   messages.js            inSourceWords(AtRoot, OfCallees, WithTables): the engine's TypeError messages in the source's words
//   intrinsics.js          built-ins captured at load time, small shared helpers
//   members.js             MACHINE_MEMBERS: the member names generated machines inherit
//
// Only `export { ... } from "./module.js"` lines here: the inline mode reads this list as the public surface.
// The package has `sideEffects: false`, and what the modules compute at load is either a call annotated
// as pure (intrinsics.js) or belongs to a module that only generators reach (the shape of generator
// objects): a bundler keeps only the exports an app's generated code imports, and what they use.

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
  YieldingMachine,
  REQUEST_MODES,
  REQUEST_NEXT,
  REQUEST_RETURN,
  REQUEST_THROW,
  SIGNALS,
  STARTED,
  THREW,
  YIELD,
  closeAsyncIterator,
  closeIterator,
  findHandler,
  finishAsyncClose,
  getTracer,
  handlerKind,
  started,
} from "./machine.js";
export {
  AsyncIteratorRecord,
  ForInRecord,
  IteratorRecord,
  UNINITIALIZED,
  assignConstant,
  asyncIterate,
  asyncIterateOwn,
  bindMethod,
  callMethod,
  callNamed,
  calleeValue,
  checkAssignable,
  checkInitialized,
  checkedTarget,
  constantTarget,
  forIn,
  frozenFrame,
  ignoredTarget,
  iterate,
  iterateReturned,
  nextValue,
  objectRest,
  requireObjectCoercible,
  restArguments,
  restValues,
  spreadList,
  superAssign,
  superDelete,
  superTarget,
  superUpdate,
  toPropertyKey,
  unboundCallee,
} from "./semantics.js";
export { AsyncMachine, runAsync, runAsyncOnce, setAsyncStacks, setTracer } from "./promise-driver.js";
export { AsyncFunctionPrototype, defineAsyncFunction, defineAsyncMethods } from "./function-objects.js";
export { Generator, GeneratorMachine } from "./generator.js";
export { AsyncGenerator, AsyncGeneratorMachine } from "./async-generator.js";
export { AsyncDelegation, Delegation, delegate, delegateAsync } from "./delegation.js";
export { bindParameters, defineGeneratorFunction, defineGeneratorMethod, defineGeneratorMethods, runGenerator, runLocalGenerator } from "./generator-function.js";
export { DisposableResources } from "./disposal.js";
export { MACHINE_MEMBERS } from "./members.js";
export { inSourceWords, inSourceWordsAtRoot, inSourceWordsOfCallees, inSourceWordsWithTables } from "./messages.js";

/**
 * The public types, as the modules declare them.
 * @typedef {import("./machine.js").Tracer} Tracer
 * @typedef {import("./machine.js").TryEntry} TryEntry
 * @typedef {import("./machine.js").Completion} Completion
 * @typedef {import("./async-generator.js").AsyncGeneratorRequest} AsyncGeneratorRequest
 */
