// Opt-in (`machineInfo: true`): every machine class carries what the transform knows about it, as a
// static field `$info`, so that a tracer running in the same process as the generated code (the CLI's
// `run --trace`, which transforms in a module-hooks thread) can name functions, states and lines.
import * as t from "@babel/types";
import type { MachineInfo } from "./metadata.ts";

/** What `$info` holds: the machine's name, kind and place, and per state its line and suspension. */
export interface RuntimeMachineInfo {
  name: string;
  kind: MachineInfo["kind"];
  file: string;
  line: number;
  /** Per state: its line, what it suspends on, and the state it resumes in after that suspension. */
  states: { line: number | null; suspends: { kind: string; operand: string } | null; resumes: number | null }[];
}

export function attachMachineInfo(program: t.Program, machines: MachineInfo[], file: string): void {
  const byClass = new Map(machines.map((machine) => [machine.className, machine]));
  t.traverseFast(program, (node) => {
    if (!(t.isClassDeclaration(node) || t.isClassExpression(node)) || !node.id) return;
    const machine = byClass.get(node.id.name);
    if (!machine) return;
    byClass.delete(node.id.name);
    const info: RuntimeMachineInfo = {
      name: machine.name,
      kind: machine.kind,
      file,
      line: machine.line,
      states: machine.states.map((state) => ({
        line: state.line,
        suspends: state.suspends,
        resumes: state.edges.find((edge) => edge.kind === "resume")?.to ?? null,
      })),
    };
    node.body.body.unshift(t.classProperty(t.identifier("$info"), t.valueToNode(info), null, null, false, true));
  });
}
