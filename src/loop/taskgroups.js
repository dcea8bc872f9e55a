// Structured concurrency (asyncio's taskgroups.py): a task group's children cannot outlive it. The body
// runs inline in the current task; the group then waits for every child. The first child to fail cancels
// its siblings and the body, and the group throws a TaskGroupError holding every failure.

import { NativeSet, NativeString, apply, push, setAdd, setDelete, setSize, valuesOf } from "../runtime/intrinsics.js";
import { DONE } from "../runtime/index.js";
import { Coroutine, InlineMachine } from "./coroutine.js";
import { CancelledError, LoopError, TaskGroupError } from "./exceptions.js";
import { Future } from "./futures.js";
import { currentTask } from "./running.js";
import { Task } from "./tasks.js";

export class TaskGroup {
  /** @type {Task | null} */
  parent = null;
  /** @type {Set<Task>} */
  tasks = new NativeSet();
  /** @type {unknown[]} */
  errors = [];
  entered = false;
  exiting = false;
  aborting = false;
  parentCancelRequested = false;
  /** Resolved when the last child is done (while the group waits). @type {Future | null} */
  onCompleted = null;

  /**
   * Starts a child task in the group.
   * @template T
   * @param {Coroutine<T> | Promise<T>} coro a coroutine: what an async function returns in loop mode
   *   (which TypeScript types as a Promise)
   * @param {{ name?: string }} [options]
   * @returns {Task<T>}
   */
  createTask(coro, options = {}) {
    if (!this.entered) throw new LoopError("stepwise: the TaskGroup has not started");
    if (this.exiting && apply(setSize, this.tasks, []) === 0) throw new LoopError("stepwise: the TaskGroup is finished");
    if (this.aborting) {
      if (coro instanceof Coroutine) coro.close();
      throw new LoopError("stepwise: the TaskGroup is shutting down (a child failed)");
    }
    const parent = /** @type {Task} */ (this.parent);
    /** @type {Task<T>} */
    const task = new Task(coro, { ...options, loop: parent.loop });
    apply(setAdd, this.tasks, [task]);
    task.addDoneCallback((done) => this.#onTaskDone(/** @type {Task} */ (done)));
    return task;
  }

  /** Cancels every child that is not done. */
  abort() {
    this.aborting = true;
    const tasks = valuesOf(this.tasks);
    for (let i = 0; i < tasks.length; i++) if (!tasks[i].done()) tasks[i].cancel();
  }

  /** @param {Task} task */
  #onTaskDone(task) {
    apply(setDelete, this.tasks, [task]);
    if (this.onCompleted !== null && apply(setSize, this.tasks, []) === 0 && !this.onCompleted.done()) this.onCompleted.setResult(undefined);
    if (task.cancelled() || !task.failed()) return;
    push(this.errors, task.exception());
    const parent = /** @type {Task} */ (this.parent);
    if (parent.done()) return;
    if (!this.aborting && !this.parentCancelRequested) {
      // Stop the body too, wherever it waits; the group withdraws this cancellation when it exits.
      this.abort();
      this.parentCancelRequested = true;
      parent.cancel();
    }
  }
}

const ENTER = 0;
const BODY_DONE = 1;
const WAITING = 2;

/**
 * The group's inline coroutine: run the body, then wait for the children (asyncio's `async with
 * TaskGroup()`: `__aenter__`, the body, `__aexit__`). Hand-written with the machine protocol.
 */
class TaskGroupBody extends InlineMachine {
  /**
   * @param {TaskGroup} group
   * @param {(group: TaskGroup) => unknown} body
   */
  constructor(group, body) {
    super();
    this.group = group;
    this.body = body;
    /** What the body returned. */
    this.result = undefined;
    /** The body's exception, if it threw. @type {{ error: unknown } | null} */
    this.bodyError = null;
    /** A CancelledError to pass on (the task itself was cancelled from outside). @type {unknown} */
    this.propagate = null;
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  step(sent, thrown) {
    const group = this.group;
    if (this.state === ENTER) {
      if (thrown) {
        this.finished();
        throw sent;
      }
      const parent = currentTask();
      if (parent === null) throw new LoopError("stepwise: taskGroup() must be awaited inside a task");
      group.parent = parent;
      group.entered = true;
      let operand;
      try {
        operand = this.body(group);
      } catch (error) {
        return this.#bodyDone(error, true);
      }
      return this.await(operand, BODY_DONE);
    }
    if (this.state === BODY_DONE) return this.#bodyDone(sent, thrown);
    // WAITING: the last child finished, or the task was cancelled while waiting.
    group.onCompleted = null;
    if (thrown && sent instanceof CancelledError && !group.aborting) {
      this.propagate = sent;
      group.abort();
    }
    return this.#exit();
  }

  /**
   * @param {unknown} sent
   * @param {boolean} thrown
   */
  #bodyDone(sent, thrown) {
    const group = this.group;
    group.exiting = true;
    if (thrown) {
      this.bodyError = { error: sent };
      if (sent instanceof CancelledError) this.propagate = sent;
      if (!group.aborting) group.abort();
    } else {
      this.result = sent;
    }
    return this.#exit();
  }

  #exit() {
    const group = this.group;
    if (apply(setSize, group.tasks, []) > 0) {
      const parent = /** @type {Task} */ (group.parent);
      group.onCompleted = new Future(parent.loop, `TaskGroup of ${apply(setSize, group.tasks, [])}`);
      return this.await(group.onCompleted, WAITING);
    }
    this.finished();
    if (group.parentCancelRequested && /** @type {Task} */ (group.parent).uncancel() === 0) this.propagate = null;
    if (this.propagate !== null && group.errors.length === 0) throw this.propagate;
    /** @type {unknown[]} */
    const errors = [];
    for (let i = 0; i < group.errors.length; i++) push(errors, group.errors[i]);
    if (this.bodyError !== null && !(this.bodyError.error instanceof CancelledError)) push(errors, this.bodyError.error);
    if (errors.length > 0) {
      throw new TaskGroupError(errors, `stepwise: ${errors.length} unhandled error${errors.length === 1 ? "" : "s"} in a TaskGroup (first: ${NativeString(errors[0])})`);
    }
    this.$value = this.result;
    return DONE;
  }
}

/**
 * Runs `body(group)` inline in the current task; `group.createTask(coro)` starts children. Resolves with
 * the body's result once every child is done.
 * @template R
 * @param {(group: TaskGroup) => R} body
 * @returns {Coroutine<Awaited<R>>}
 */
export function taskGroup(body) {
  return new Coroutine(new TaskGroupBody(new TaskGroup(), body));
}
