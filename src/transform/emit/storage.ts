// Where each local lives, decided once the body is exploded: a binding used by a single state stays a local
// `let`/`const` of that state's `case`; one that crosses a cut becomes a field of the machine.
import { walkAll } from "../ast.ts";
import type { FactsStore, FunctionAnalysis } from "../facts.ts";
import type { State } from "../explode/emitter.ts";

/** Decides local or field for each binding from the states that use it. */
export function assignStorage(analysis: FunctionAnalysis, facts: FactsStore, states: State[]): void {
  states.forEach((state) => {
    for (const statement of state.body) {
      walkAll(statement, (node) => {
        const info = facts.binding(node);
        if (info) info.states.add(state.index);
      });
    }
  });
  const singleState = states.length === 1;
  for (const info of analysis.bindings) {
    if (info.storage === "boxed") continue;
    const lexical = info.kind === "let" || info.kind === "const";
    // A named function expression's own name arrives from the wrapper, like a parameter.
    info.storage = info.kind === "param" || info.kind === "local" || info.alwaysField ? "field" : singleState || (lexical && info.states.size <= 1) ? "local" : "field";
  }
  for (const info of analysis.bindings) {
    // A renamed local's own TDZ error would name it `n_1`, and a renamed function or class declaration
    // would be called `g_1`: as fields, the check names `n` and the declaration keeps `g`.
    if (info.storage === "local" && (info.uninitialized || info.namesItsValue) && info.name !== info.sourceName) info.storage = "field";
  }
  for (const info of analysis.bindings) {
    if (info.storage === "local" && info.group.some((member) => member.storage !== "local")) info.storage = "field";
  }
}
