// One function being lowered: the function, its file, and what is learnt about it (facts.ts). Every phase
// of lower-function.ts reads and writes through it; nothing about the function is kept anywhere else.
import type { NodePath } from "@babel/traverse";
import * as t from "./types.ts";
import { FactsStore, type FunctionAnalysis } from "./facts.ts";
import type { FileContext } from "./file-context.ts";
import { describeFunction, knownName, machineClassName } from "./names.ts";
import type { MachineInfo } from "./report/metadata.ts";

export type MachineKind = MachineInfo["kind"];

/** How the function's parameters reach the machine. */
export interface Parameters {
  /** The parameters, without a TypeScript `this` parameter. */
  list: t.Function["params"];
  /** A plain list (and no `arguments`): the constructor receives them one by one. */
  simple: boolean;
  /** Otherwise the machine binds them in its first state from the arguments, held in this field. */
  argsField: "arguments" | "$params";
  /** A generator with a binding to run: it runs at the call, and the body waits for the first next(). */
  bindsOnCall: boolean;
  /** Sloppy mapped `arguments`: the parameters stay the wrapper's (FunctionAnalysis.mappedArguments). */
  mapped: boolean;
  /** Parameters of `list` a later one of the same name shadows (sloppy `f(a, a)`): named apart, never bound. */
  shadowed: ReadonlySet<t.Node>;
}

const NONE: ReadonlySet<t.Node> = new Set();

/** What the wrapper passes to the machine's constructor: a field and the expression that fills it. */
export interface Input {
  field: string;
  value: t.Expression;
}

export class Lowering {
  readonly node: t.Function;
  readonly facts = new FactsStore();
  readonly kind: MachineKind;
  readonly isArrow: boolean;
  /** The function's name as the program knows it ("anonymous" where it has none). */
  readonly name: string;
  /** It has none: V8 writes its stack frames without one (report/machine-info.ts). */
  readonly nameless: boolean;
  readonly className: string;
  /**
   * Every identifier's name in the function, read when a name `unique` is asked for may be one of them (null:
   * not read yet): the names `resume` introduces keep clear of them.
   */
  private ownNames: Set<string> | null = null;
  /** Whether the function may hold identifiers the transform made (then its names are read for any name). */
  private readonly holdsGenerated: boolean;
  /** The names `unique` gave out. */
  private readonly givenOut = new Set<string>();
  /** The label of the `for (;;)` around the dispatch switch. */
  readonly dispatchLabel: string;
  /** The parameter of `resume` that carries the sent (awaited, yielded-back) value. */
  readonly sentName: string;
  /** The alias of the machine in nested functions (`const machine = this`). */
  readonly machineAlias: string;
  /** The class's doc comment: the function's head as written (without types) and where it is. */
  readonly description: string;

  constructor(
    readonly fn: NodePath<t.Function>,
    readonly file: FileContext,
  ) {
    const node = fn.node;
    this.node = node;
    this.kind = node.generator ? (node.async ? "async-generator" : "generator") : "async";
    this.isArrow = t.isArrowFunctionExpression(node);
    const known = knownName(fn);
    this.name = known ?? "anonymous";
    this.nameless = known === null;
    this.className = file.uniqueName(machineClassName(fn, this.name));
    this.description = describeFunction(fn, file.code, file.basename);
    // Until the transform puts identifiers of its own into the function (the machines of functions inside it,
    // lowered first; `using` lowered), every identifier in it is the source's, its name in `file.allNames`:
    // a name the file never uses needs no walk of the function.
    this.holdsGenerated = file.hasUsing || file.lowerable.has(node.body) || node.params.some((param) => file.lowerable.has(param));
    let usesWith = false;
    if (file.hasWith) {
      const read = readNames(node, true);
      this.ownNames = read.names;
      usesWith = read.usesWith;
    }
    this.dispatchLabel = this.unique("dispatch");
    // Inside `with (object)` these names are looked up on the object first: there, names objects rarely have.
    this.sentName = this.unique(usesWith ? "$sent" : "sent");
    this.machineAlias = this.unique(usesWith ? "$machine" : "machine");
  }

  /** A name no identifier of the function uses: `base`, `base1`, ... */
  unique(base: string): string {
    let candidate = base;
    for (let n = 1; this.taken(candidate); n++) candidate = `${base}${n}`;
    this.givenOut.add(candidate);
    return candidate;
  }

  private taken(name: string): boolean {
    if (this.givenOut.has(name)) return true;
    if (!this.holdsGenerated && !this.file.allNames.has(name)) return false;
    return this.names().has(name);
  }

  /** Every identifier's name in the function (read once). */
  private names(): Set<string> {
    return (this.ownNames ??= readNames(this.node, false).names);
  }

  parameters(analysis: FunctionAnalysis): Parameters {
    const { list, shadowed } = this.withoutShadowedDuplicates(this.node.params.filter((param) => !(t.isIdentifier(param) && param.name === "this")));
    const simple = list.every((param) => t.isIdentifier(param)) && !analysis.usesArguments;
    const mapped = analysis.mappedArguments !== null;
    // (the parameters are bound from `this.$params`, unless the body reads `arguments`, the same object: an
    // error binding one, V8 having no source text for a parameter's value, describes the value instead of
    // quoting `$params[i]`, runtime/messages.js)
    const argsField = this.isArrow || !analysis.usesArguments ? "$params" : "arguments";
    return { list, simple, argsField, bindsOnCall: !!this.node.generator && !simple && !mapped, mapped, shadowed };
  }

  /**
   * A sloppy function's plain parameter list may name one parameter twice (`function f(a, a)`), the last
   * one being the body's; the wrapper (a method) and the machine's constructor (class code) may not: each
   * earlier one gets a name of its own, which nothing reads (the function's `length` is the same).
   */
  private withoutShadowedDuplicates(list: t.Function["params"]): { list: t.Function["params"]; shadowed: ReadonlySet<t.Node> } {
    const names = new Set<string>();
    let duplicated = false;
    for (const param of list) {
      if (param.type !== "Identifier") return { list, shadowed: NONE };
      if (names.has(param.name)) duplicated = true;
      names.add(param.name);
    }
    if (!duplicated) return { list, shadowed: NONE };
    const shadowed = new Set<t.Node>();
    const renamed = list.map((param, i) => {
      const name = (param as t.Identifier).name;
      if (!list.slice(i + 1).some((later) => (later as t.Identifier).name === name)) return param;
      const apart = t.identifier(this.unique(`${name}_shadowed`));
      shadowed.add(apart);
      return apart;
    });
    return { list: renamed, shadowed };
  }
}

/** Every identifier's name in the function, and (if `withs`) whether a `with` statement is in it. */
function readNames(node: t.Function, withs: boolean): { names: Set<string>; usesWith: boolean } {
  const names = new Set<string>();
  let usesWith = false;
  t.traverseFast(node, (inner) => {
    if (inner.type === "Identifier") names.add(inner.name);
    else if (withs && inner.type === "WithStatement") usesWith = true;
  });
  return { names, usesWith };
}
