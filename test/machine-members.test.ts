// The contract between generated machines and the runtime, on names: a machine's own fields (lifted locals,
// temps) must never take the name of a member the runtime gives it, or the local would silently shadow a
// runtime method. The transform's list of names to avoid is derived from the runtime (src/runtime/members.js);
// these tests fail when the runtime gains a member that the list does not cover.
import { parse } from "@babel/parser";
import { describe, expect, it } from "vitest";
import * as runtime from "../src/runtime/index.js";
import { MACHINE_MEMBERS } from "../src/transform/names.ts";
import { runBoth } from "./support/harness.ts";

type Machine = InstanceType<typeof runtime.YieldingMachine> & Record<string, unknown>;

/** Every name a machine has after a driver has run it: own fields, and members along its prototype chain. */
function namesOf(machine: object): string[] {
  const names = new Set(Object.keys(machine));
  for (let proto = Object.getPrototypeOf(machine); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  }
  // (the test's own machines declare only `resume`)
  return [...names];
}

/** Hand-written machines, one per kind, each driven through every request its driver knows. */
async function drivenMachines(): Promise<object[]> {
  const machines: object[] = [];
  class Async extends runtime.AsyncMachine {
    resume(this: Machine, sent: unknown) {
      switch (this.state) {
        case 0:
          return this.await(Promise.resolve(1), 1);
        case 1:
          return this.await(Promise.reject(new Error(String(sent))), 2);
        default:
          return this.return(sent);
      }
    }
  }
  const async = new Async();
  machines.push(async);
  await runtime.runAsync(async).catch(() => {});

  class Gen extends runtime.GeneratorMachine {
    resume(this: Machine, sent: unknown) {
      switch (this.state) {
        case 0:
          return this.yield(1, 1);
        case 1:
          return runtime.delegate(this, [sent, 3], 2);
        default:
          return this.return(sent);
      }
    }
  }
  for (const drive of [(g: Generator) => [...g], (g: Generator) => (g.next(), g.return(0)), (g: Generator) => (g.next(), g.throw(new Error("x")))]) {
    const machine = new Gen();
    machines.push(machine);
    try {
      drive(runtime.runGenerator(machine, undefined) as unknown as Generator);
    } catch {
      // (the thrown-in error comes back out)
    }
  }

  class AsyncGen extends runtime.AsyncGeneratorMachine {
    resume(this: Machine, sent: unknown) {
      switch (this.state) {
        case 0:
          return this.await(Promise.resolve(1), 1);
        case 1:
          return this.yield(sent, 2);
        default:
          return this.return(sent);
      }
    }
  }
  for (const drive of [
    async (g: AsyncGenerator) => {
      for await (const _ of g);
    },
    async (g: AsyncGenerator) => Promise.all([g.next(), g.return(0), g.next()]),
    async (g: AsyncGenerator) => (await g.next(), await g.throw(new Error("x")).catch(() => {})),
  ]) {
    const machine = new AsyncGen();
    machines.push(machine);
    await drive(runtime.runGenerator(machine, undefined) as unknown as AsyncGenerator);
  }
  return machines;
}

describe("machine members", () => {
  it("the transform avoids every member the runtime exports in MACHINE_MEMBERS", () => {
    expect(runtime.MACHINE_MEMBERS.filter((name: string) => !MACHINE_MEMBERS.has(name))).toEqual([]);
  });

  it("a machine driven through every request has no member outside that list", async () => {
    const names = new Set((await drivenMachines()).flatMap(namesOf));
    names.delete("resume"); // generated for each machine
    expect([...names].filter((name) => !MACHINE_MEMBERS.has(name)).sort()).toEqual([]);
  });

  it("a local named like any member (or any export of the runtime: a helper the file imports), lifted into a field, works as natively", async () => {
    const usable = [...new Set([...runtime.MACHINE_MEMBERS, ...MACHINE_MEMBERS, ...Object.keys(runtime)])].filter((name) => {
      try {
        parse(`"use strict"; async function f() { let ${name}; } function* g() { let ${name}; }`);
        return true;
      } catch {
        return false;
      }
    });
    expect(usable.length).toBeGreaterThan(60);
    const program = usable
      .map(
        (name, i) => `
async function a${i}(x) { let ${name} = x; await null; ${name} += "!"; const read = () => ${name}; await null; return [${name}, read()]; }
function* g${i}(x) { let ${name} = x; yield ${name}; ${name} += "?"; yield ${name}; return ${name}; }
a${i}("${name}").then((value) => console.log("a${i}", JSON.stringify(value)), (error) => console.log("a${i} threw", error));
console.log("g${i}", JSON.stringify([...g${i}("${name}")]));`,
      )
      .join("\n");
    const { native, transformed } = await runBoth(program, "members.js");
    expect(native.length).toBe(usable.length * 2);
    expect(transformed).toEqual(native);
  });
});
