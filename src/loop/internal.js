// The loop's internal hooks: the members the loop's own modules (futures, tasks, coroutines, timers) call on
// an EventLoop. They are keyed by these symbols, not by names, so that the loop's string-named methods are
// its public API (README, docs/how-it-works.md) and nothing else.

/** `loop[trackTask](task, live)`: a task starts (live) or ends; the loop keeps the tasks not done. */
export const trackTask = Symbol("stepwise.trackTask");
/** `loop[exceptionUnretrieved](future)`: a future failed; reported at close unless retrieved. */
export const exceptionUnretrieved = Symbol("stepwise.exceptionUnretrieved");
/**
 * `loop[hostResource](handle)`: a socket or server the loop's streams opened (a Node handle, `close`
 * event and `unref()`). Once the loop is closed the ones still open no longer keep the process alive: a
 * program that leaves a server or a connection open when run() returns ends, as with asyncio.run.
 */
export const hostResource = Symbol("stepwise.hostResource");
/** `loop[exceptionRetrieved](future)`: someone read the future's exception. */
export const exceptionRetrieved = Symbol("stepwise.exceptionRetrieved");
/** `loop[coroutineCreated](coro)` (debug mode): remembers where a coroutine was made. */
export const coroutineCreated = Symbol("stepwise.coroutineCreated");
/** `loop[coroutineStarted](coro)` (debug mode): the coroutine was awaited, run or closed. */
export const coroutineStarted = Symbol("stepwise.coroutineStarted");
/** `loop[timerCancelled](timer)`: a timer still in the heap was cancelled (the heap is compacted when most are). */
export const timerCancelled = Symbol("stepwise.timerCancelled");
/** `loop[nextFutureId]()`: the number of a new future (futures are numbered per loop). */
export const nextFutureId = Symbol("stepwise.nextFutureId");
/** `loop[nextTaskId]()`: the number of a new task's default name, `Task-N`. */
export const nextTaskId = Symbol("stepwise.nextTaskId");
/** `loop[runningCause]()`: with a tracer, who is running now, as the cause of what it queues (`Task-1`, `timer 2`, `host fileDone`); null outside an iteration. */
export const runningCause = Symbol("stepwise.runningCause");
/** `loop[runningHandle]()`: the handle running now (null outside an iteration). */
export const runningHandle = Symbol("stepwise.runningHandle");
/** `fn[stepOf]`: the task whose step or wake-up the callback `fn` is (who it is, as a cause, in traces). */
export const stepOf = Symbol("stepwise.stepOf");
/** Passed as a Future's third argument by Task: a task is numbered as a task (`Task-N`), not as a future. */
export const unnumbered = Symbol("stepwise.unnumbered");
/** `queue[queueStorage]()`: where a Queue keeps its items, made once by its constructor (asyncio's `Queue._init`): a PriorityQueue's is a heap, a LifoQueue's a stack. */
export const queueStorage = Symbol("stepwise.queueStorage");
/** `condition[waitLabel]`: what a Condition's waits are called in traces (`Barrier.wait` for the one a Barrier is built on). */
export const waitLabel = Symbol("stepwise.waitLabel");
