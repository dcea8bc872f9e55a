// The loop's exceptions (asyncio's exceptions.py).

/**
 * Thrown into a task's machine at its current `await` when the task is cancelled, and raised by
 * `result()` of a cancelled future. A machine may catch it and go on; `finally` blocks run either way.
 */
export class CancelledError extends Error {
  /** @param {string} [message] */
  constructor(message = "the task was cancelled") {
    super(message);
    this.name = "CancelledError";
  }
}

/** An operation on a future in the wrong state (setting a result twice, reading one not ready). */
export class InvalidStateError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "InvalidStateError";
  }
}

/** A `waitFor`/`timeout` deadline passed (the work inside was cancelled). */
export class TimeoutError extends Error {
  /**
   * @param {string} [message]
   * @param {{ cause?: unknown }} [options]
   */
  constructor(message = "the operation timed out", options) {
    super(message, options);
    this.name = "TimeoutError";
  }
}

/**
 * A Barrier's `wait()` could not complete: the barrier was aborted (`abort()`), or aborted or reset
 * (`reset()`) while the task waited in it (asyncio's BrokenBarrierError, a RuntimeError there).
 */
export class BrokenBarrierError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "BrokenBarrierError";
  }
}

/** Misuse of the loop: no running loop, a coroutine awaited twice, a closed loop, a task awaiting itself. */
export class LoopError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "LoopError";
  }
}

/** `readExactly`/`readUntil` met the end of the stream first; `partial` holds what was read. */
export class IncompleteReadError extends Error {
  /**
   * @param {Buffer} partial
   * @param {number | null} expected
   */
  constructor(partial, expected) {
    super(`${partial.length} bytes read before the end of the stream, ${expected === null ? "more" : expected} expected`);
    this.name = "IncompleteReadError";
    this.partial = partial;
    this.expected = expected;
  }
}

/**
 * `readUntil` (and `readLine`) found no separator within the reader's limit, or found it past the limit;
 * `consumed` is how many bytes were searched (asyncio's LimitOverrunError). The bytes stay buffered for
 * `readUntil`; `readLine` drops them (up to the line's end, if it found one).
 */
export class LimitOverrunError extends Error {
  /**
   * @param {string} message
   * @param {number} consumed
   */
  constructor(message, consumed) {
    super(message);
    this.name = "LimitOverrunError";
    this.consumed = consumed;
  }
}

/** Several errors at once: the failures of a TaskGroup's children (Python's ExceptionGroup). */
export class TaskGroupError extends AggregateError {
  /**
   * @param {unknown[]} errors
   * @param {string} message
   */
  constructor(errors, message) {
    super(errors, message);
    this.name = "TaskGroupError";
  }
}
