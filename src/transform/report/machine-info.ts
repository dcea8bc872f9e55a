// Opt-in (`machineInfo: true`): every machine class carries what the transform knows about it, as a
// static field `$info`, so that a tracer running in the same process as the generated code (the CLI's
// `run --trace`, which transforms in a module-hooks thread) can name functions, states and lines.
import * as t from "../types.ts";
import type { MachineInfo } from "./metadata.ts";

/** What `$info` holds: the machine's name, kind and place, and per state its line and suspension. */
export interface RuntimeMachineInfo {
  name: string;
  /** A function known by no name (`name` is "anonymous"): V8 writes its stack frames without one. */
  nameless?: true;
  kind: MachineInfo["kind"];
  file: string;
  line: number;
  /** Per state: its line, what it suspends on, and the state it resumes in after that suspension. */
  /** `at`: [line, column] (column 0-based) where the operand of its suspension starts, if known. */
  states: { line: number | null; suspends: { kind: string; operand: string } | null; resumes: number | null; at?: [number, number] }[];
}

export function attachMachineInfo(program: t.Program, machines: MachineInfo[], file: string): void {
  const byClass = new Map(machines.map((machine) => [machine.className, machine]));
  t.traverseFast(program, (node) => {
    if (!(t.isClassDeclaration(node) || t.isClassExpression(node)) || !node.id) return;
    const machine = byClass.get(node.id.name);
    if (!machine) return;
    byClass.delete(node.id.name);
    const operands = suspensionOperands(node);
    const info: RuntimeMachineInfo = {
      name: machine.name,
      ...(machine.nameless && { nameless: true as const }),
      kind: machine.kind,
      file,
      line: machine.line,
      states: machine.states.map((state) => ({
        line: state.line,
        suspends: state.suspends,
        resumes: state.edges.find((edge) => edge.kind === "resume")?.to ?? null,
        ...at(operands, state.edges.find((edge) => edge.kind === "resume")?.to),
      })),
    };
    node.body.body.unshift(t.classProperty(t.identifier("$info"), t.valueToNode(info), null, null, false, true));
  });
}

const SUSPENDING = new Set(["await", "yield"]);

/**
 * Where the operand of each suspension starts in the source, by the state it resumes in (`this.await(x, 3)`,
 * a yield*'s `delegate(this, x, 3)`, whose import may have been renamed: `delegate2`).
 */
function suspensionOperands(node: t.Class): Map<number, t.SourceLocation["start"]> {
  const operands = new Map<number, t.SourceLocation["start"]>();
  t.traverseFast(node.body, (inner) => {
    if (!t.isCallExpression(inner)) return;
    if (t.isIdentifier(inner.callee) && inner.callee.name.startsWith("delegate") && inner.arguments.length === 3 && t.isThisExpression(inner.arguments[0])) {
      const [, operand, next] = inner.arguments;
      if (t.isNumericLiteral(next) && operand.loc) operands.set(next.value, operand.loc.start);
      return;
    }
    if (!t.isMemberExpression(inner.callee) || !t.isThisExpression(inner.callee.object)) return;
    const method = inner.callee.property;
    const [operand, next] = inner.arguments;
    if (t.isIdentifier(method) && SUSPENDING.has(method.name) && t.isNumericLiteral(next) && operand?.loc) operands.set(next.value, operand.loc.start);
  });
  return operands;
}

/** `{ at: [line, column] }` of the suspension that resumes in `resumes`, when its operand has a place. */
function at(operands: Map<number, t.SourceLocation["start"]>, resumes: number | undefined): { at?: [number, number] } {
  const start = resumes === undefined ? undefined : operands.get(resumes);
  return start ? { at: [start.line, start.column] } : {};
}
