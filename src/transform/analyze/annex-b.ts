// Annex B.3.3: sloppy code's block functions get a function-wide binding too.
import type { Binding, NodePath, Scope } from "@babel/traverse";
import * as t from "../types.ts";
import type { BindingInfo, FactsStore, FunctionAnalysis } from "../facts.ts";
import { resolveBinding, type Reference } from "./references.ts";
import type { BindingLookup } from "./outer-bindings.ts";
import { isTreeBinding } from "./scope-view.ts";
import type { FieldNames } from "./field-names.ts";

/**
 * Annex B.3.3: in sloppy code a plain function declared in a block also gets a function-wide `var` of its
 * name (unless a `let`/`const`/`class` of that name stands between), `undefined` until the declaration is
 * reached, then the function. Machine classes are strict code, so the transform spells it out: a field,
 * which the source's references from outside the block (global ones, to Babel) now mean.
 */
export function applyAnnexB(
  fn: NodePath<t.Function>,
  facts: FactsStore,
  wrappers: WeakSet<t.Node>,
  analysis: FunctionAnalysis,
  infos: Map<object, BindingInfo>,
  fieldNames: FieldNames,
  /** The body's function declarations outside nested functions and classes, and the function's references (bindings.ts). */
  blockFunctions: NodePath<t.FunctionDeclaration>[],
  references: Reference[],
  lookup: BindingLookup,
): void {
  const created = new Map<string, BindingInfo>();
  const nameOf = (binding: Binding) => infos.get(binding)?.sourceName ?? binding.identifier.name;
  for (const inner of blockFunctions) {
    if (inner.node.async || inner.node.generator || wrappers.has(inner.node) || !inner.node.id) continue;
    // (a labelled declaration, sloppy code's `label: function f() {}`, is one as V8 reads it)
    let list = inner.parentPath;
    while (list.isLabeledStatement()) list = list.parentPath!;
    if (!(list.isBlockStatement() && list.node !== fn.node.body) && !list.isSwitchCase()) continue;
    const blockScope = list.isSwitchCase() ? list.parentPath.scope : list.scope;
    const blockBinding = blockScope.getOwnBinding(inner.node.id.name);
    const name = blockBinding ? nameOf(blockBinding) : inner.node.id.name;
    if (name === "arguments") continue;
    // A lexical declaration of the name between the block and the function: no function-wide binding.
    let shadowed = false;
    for (let scope: Scope | undefined = blockScope.parent; scope && !shadowed; scope = scope === fn.scope ? undefined : scope.parent) {
      // (a simple catch parameter is no such declaration: Annex B lets a `var` of its catch block name it)
      shadowed = Object.values(scope.bindings).some((b) => (b.kind === "let" || b.kind === "const") && nameOf(b) === name && !(b.path.isCatchClause() && b.path.node.param?.type === "Identifier"));
    }
    if (shadowed) continue;
    const existing = fn.scope.getOwnBinding(name);
    // (a parameter of that name keeps the function out of Annex B altogether)
    if (existing?.kind === "param") continue;
    let outer = existing ? infos.get(existing) : created.get(name);
    if (!outer) {
      const field = fieldNames.claim(name);
      outer = { name, sourceName: name, kind: "var", constant: false, reentrant: false, captured: false, group: [], states: new Set(), storage: "field", field, box: null, node: inner.node.id, uninitialized: false, namesItsValue: false, alwaysField: true };
      outer.group.push(outer);
      created.set(name, outer);
      analysis.bindings.push(outer);
    }
    facts.set(inner.node, "annexB", { outer, inner: blockBinding ? (infos.get(blockBinding) ?? null) : null, innerName: inner.node.id.name, positioned: false });
  }
  if (created.size === 0) return;
  // The references that Babel resolves outside the function (or to nothing) are the new binding's.
  for (const reference of references) {
    const info = created.get(reference.node.name);
    if (!info) continue;
    const binding = resolveBinding(reference, lookup);
    if (binding && !isTreeBinding(binding) && (binding.scope === fn.scope || binding.scope.path.isDescendant(fn))) continue;
    facts.set(reference.node, "binding", info);
    facts.set(reference.node, "outerStable", undefined);
    if (reference.nested) info.captured = true;
  }
  for (const name of created.keys()) {
    analysis.references.delete(name);
    analysis.captures.delete(name);
  }
}
