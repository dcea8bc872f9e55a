// The inline coroutine shared by the synchronization primitives: "while not ready, wait for a waiter
// future; then take" with the bookkeeping a cancellation needs (asyncio writes each of these as a
// coroutine with try/except around `await fut`). Hand-written with the machine protocol the transform
// targets, so it runs inside the awaiting task like any lowered coroutine.

import { DONE } from "../runtime/index.js";
import { Coroutine, InlineMachine } from "./coroutine.js";

/**
 * @template [T=unknown]
 * @typedef {{
 *   ready(woken: import("./futures.js").Future | null): boolean,
 *   take(woken: import("./futures.js").Future | null): T,
 *   waiter(): import("./futures.js").Future,
 *   abandon(waiter: import("./futures.js").Future): void,
 * }} WaitSpec
 *   `ready`: can the operation complete now (`woken`: the waiter that was just resolved, null on the first
 *   check); `take`: complete it (its value is the coroutine's result);
 *   `waiter`: a new future, resolved when it is worth checking again; `abandon`: the task was cancelled
 *   while holding `waiter` (remove it, hand a wake-up it received to the next one).
 */

export class Waiting extends InlineMachine {
  /** @param {WaitSpec} spec */
  constructor(spec) {
    super();
    this.spec = spec;
    /** @type {import("./futures.js").Future | null} */
    this.waiter = null;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    const spec = this.spec;
    if (thrown) {
      this.finished();
      if (this.waiter !== null) spec.abandon(this.waiter);
      throw sent;
    }
    if (spec.ready(this.waiter)) {
      this.finished();
      this.$value = spec.take(this.waiter);
      return DONE;
    }
    this.waiter = spec.waiter();
    return this.await(this.waiter, 1);
  }
}

/**
 * A coroutine running `spec` inline, its machine class named `name` in traces (`QueueGet`, `LockAcquire`).
 * @template T
 * @param {typeof Waiting} machineClass
 * @param {WaitSpec<T>} spec
 * @returns {import("./coroutine.js").Coroutine<T>}
 */
export function waiting(machineClass, spec) {
  return new Coroutine(new machineClass(spec));
}

/**
 * Removes `future` from `list` (if there).
 * @param {import("./futures.js").Future[]} list
 * @param {import("./futures.js").Future} future
 */
export function remove(list, future) {
  const length = list.length;
  let i = 0;
  while (i < length && list[i] !== future) i++;
  if (i === length) return;
  for (; i < length - 1; i++) list[i] = list[i + 1];
  list.length = length - 1;
}

/**
 * Resolves the first pending future of `list` (it stays listed until its task runs); returns whether it did.
 * @param {import("./futures.js").Future[]} list
 */
export function wakeFirst(list) {
  for (let i = 0; i < list.length; i++) {
    if (!list[i].done()) {
      list[i].setResult(undefined);
      return true;
    }
  }
  return false;
}
