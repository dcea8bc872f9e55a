// Barrier: a meeting point for a fixed number of tasks (asyncio 3.11's locks.py Barrier). Each task that
// calls `wait()` waits until `parties` tasks are waiting; then all of them go on, each with its own
// arrival index. The barrier is then used again, for the next round.
//
// As in asyncio it is built on a Condition, and its life is a cycle of states: FILLING (tasks arrive),
// DRAINING (the last one arrived: the waiters leave, and a task arriving for the next round waits until
// they have), RESETTING (`reset()` while tasks were waiting: they leave with a BrokenBarrierError), BROKEN
// (`abort()`: every wait fails, now and later, until a `reset()`).
//
// The condition's lock is held only between suspensions (a task waits with it released), so taking it
// never waits: the barrier's only waits are the condition's, named `Barrier.wait` in traces.

import { DONE } from "../runtime/index.js";
import { Coroutine, InlineMachine } from "./coroutine.js";
import { BrokenBarrierError } from "./exceptions.js";
import { waitLabel } from "./internal.js";
import { Condition } from "./locks.js";
import { describeValue } from "./tasks.js";

const FILLING = 0;
const DRAINING = 1;
const RESETTING = 2;
const BROKEN = 3;

/** A barrier's state, shared by the barrier and the coroutines of its `wait`, `reset` and `abort`. */
class BarrierCore {
  /** @param {number} parties */
  constructor(parties) {
    this.parties = parties;
    this.state = FILLING;
    /** Tasks inside `wait()`, past the point where they were let in (asyncio's _count). */
    this.count = 0;
    this.condition = new Condition();
    this.condition[waitLabel] = "Barrier.wait";
  }

  /**
   * The last task to leave `wait()` (released, failed or cancelled) ends the draining or the reset, and
   * lets in the tasks waiting to start the next round (asyncio's _exit).
   */
  exit() {
    if (this.count === 0) {
      if (this.state === RESETTING || this.state === DRAINING) this.state = FILLING;
      this.condition.notifyAll();
    }
  }
}

export class Barrier {
  /** @type {BarrierCore} */
  #core;

  /** @param {number} parties how many tasks must wait for the barrier to let them go */
  constructor(parties) {
    if (typeof parties !== "number" || !(parties >= 1) || parties % 1 !== 0) {
      throw new RangeError(`stepwise: Barrier parties must be an integer > 0, got ${describeValue(parties)}`);
    }
    this.#core = new BarrierCore(parties);
  }

  /**
   * Waits until `parties` tasks wait, then resolves with this task's arrival index (0 for the first to
   * arrive, `parties - 1` for the last, which does not wait). Throws a BrokenBarrierError if the barrier
   * is broken, or is aborted or reset while the task waits. A task arriving while the previous round's
   * tasks are still leaving waits for them first.
   * @returns {Coroutine<number>}
   */
  wait() {
    return new Coroutine(new BarrierWait(this.#core));
  }

  /**
   * Back to the empty, filling state: tasks waiting in the barrier leave with a BrokenBarrierError (the
   * barrier is usable again once they have). Also what repairs a broken barrier.
   * @returns {Coroutine<void>}
   */
  reset() {
    return new Coroutine(new BarrierReset(this.#core));
  }

  /**
   * Breaks the barrier: the tasks waiting, and every `wait()` after, throw a BrokenBarrierError until a `reset()`.
   * @returns {Coroutine<void>}
   */
  abort() {
    return new Coroutine(new BarrierAbort(this.#core));
  }

  /** How many tasks must wait for the barrier to let them go. */
  get parties() {
    return this.#core.parties;
  }

  /** How many tasks wait in the barrier now (0 while it drains or resets). */
  get nWaiting() {
    return this.#core.state === FILLING ? this.#core.count : 0;
  }

  /** True once `abort()` broke it (until `reset()`). */
  get broken() {
    return this.#core.state === BROKEN;
  }

  get [Symbol.toStringTag]() {
    return "Barrier";
  }
}

const TAKE_LOCK = 0;
const LOCKED = 1;
const LET_IN = 2;
const RELEASED = 3;

/**
 * The inline coroutine behind `barrier.wait()`, asyncio's `wait` with its `_block`, `_release`, `_wait`
 * and `_exit` (inside `async with self._cond`), written by hand with the machine protocol.
 */
class BarrierWait extends InlineMachine {
  /** @param {BarrierCore} core */
  constructor(core) {
    super();
    this.core = core;
    this.index = -1;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    const core = this.core;
    const condition = core.condition;
    switch (this.state) {
      case TAKE_LOCK:
        if (thrown) return this.#fail(sent);
        return this.await(condition.acquire(), LOCKED);
      case LOCKED:
        if (thrown) return this.#fail(sent); // (the lock was not taken)
        // Wait while the previous round drains or a reset completes (asyncio's _block).
        return this.await(condition.waitFor(() => core.state !== DRAINING && core.state !== RESETTING), LET_IN);
      case LET_IN: {
        if (thrown) {
          // (Cancelled while blocked: the condition took the lock again before it threw.)
          condition.release();
          return this.#fail(sent);
        }
        if (core.state === BROKEN) {
          condition.release();
          return this.#fail(new BrokenBarrierError("stepwise: the barrier is broken (aborted)"));
        }
        this.index = core.count++;
        if (this.index + 1 === core.parties) {
          // The last party: the round's waiters are released, and newcomers blocked until they have left.
          core.state = DRAINING;
          condition.notifyAll();
          return this.#leave(undefined, false);
        }
        return this.await(condition.waitFor(() => core.state !== FILLING), RELEASED);
      }
      default:
        if (!thrown && (core.state === BROKEN || core.state === RESETTING)) {
          return this.#leave(new BrokenBarrierError("stepwise: the barrier was aborted or reset while this task waited"), true);
        }
        return this.#leave(sent, thrown);
    }
  }

  /**
   * Leaves the barrier once let in (asyncio's finally: `_count -= 1`, `_exit()`, then the lock released).
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  #leave(sent, thrown) {
    const core = this.core;
    core.count--;
    core.exit();
    core.condition.release();
    if (thrown) return this.#fail(sent);
    this.finished();
    this.$value = this.index;
    return DONE;
  }

  /**
   * @param {unknown} error
   * @returns {never}
   */
  #fail(error) {
    this.finished();
    throw error;
  }
}

/**
 * `reset()` and `abort()`: take the barrier's lock, change the state, notify every waiter (asyncio's
 * `async with self._cond:` bodies).
 */
class BarrierChange extends InlineMachine {
  /** @param {BarrierCore} core */
  constructor(core) {
    super();
    this.core = core;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    if (thrown) {
      this.finished();
      throw sent;
    }
    const condition = this.core.condition;
    if (this.state === 0) return this.await(condition.acquire(), 1);
    this.finished();
    try {
      this.change(this.core);
      condition.notifyAll();
    } finally {
      condition.release();
    }
    this.$value = undefined;
    return DONE;
  }

  /** @param {BarrierCore} _core */
  change(_core) {}
}

class BarrierReset extends BarrierChange {
  /** (explicit: a derived class's default constructor spreads its arguments) @param {BarrierCore} core */
  constructor(core) {
    super(core);
  }

  /** @param {BarrierCore} core */
  change(core) {
    // Tasks inside: they leave with a BrokenBarrierError, and the last one out sets FILLING.
    if (core.count > 0) {
      if (core.state !== RESETTING) core.state = RESETTING;
    } else {
      core.state = FILLING;
    }
  }
}

class BarrierAbort extends BarrierChange {
  /** (explicit: a derived class's default constructor spreads its arguments) @param {BarrierCore} core */
  constructor(core) {
    super(core);
  }

  /** @param {BarrierCore} core */
  change(core) {
    core.state = BROKEN;
  }
}
