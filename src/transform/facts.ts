// What the lowering of one function knows, in one store: a record per binding (`BindingInfo`) and a record
// per node (`NodeFacts`), kept by the function's `Lowering` (regenerator's meta.js plays this part there).
// The analysis writes the facts; explosion, rewriting and the report read them. Nothing is written onto
// the nodes themselves, and nothing outlives the lowering: an outer function's lowering starts afresh.
import * as t from "./types.ts";

/** One binding of the lowered function (a parameter, or a declaration of a scope flattened into states). */
export interface BindingInfo {
  name: string;
  /** The name in the source, when the binding had to be renamed (function names come from it). */
  sourceName: string;
  /** Babel's binding kind, or "capture": a value from around the function that the wrapper passes in. */
  kind: string;
  constant: boolean;
  /** Declared in a scope that is entered again on each loop iteration. */
  reentrant: boolean;
  /** Referenced from a nested function (a closure). */
  captured: boolean;
  /** Bindings declared by the same declarator share their storage. */
  group: BindingInfo[];
  /** The states that use it (emit/storage.ts): found only where they decide its storage, a `let`/`const`'s. */
  states: Set<number>;
  /**
   * `boxed`: declared in a scope that a loop enters again and captured by a closure, so each entry needs
   * its own copy: the scope's bindings live in a fresh object per entry (`this.$s0.i`), and closures
   * capture that object (`$s0.i`), the way the engine creates a new environment per iteration.
   * `resume`: a `let` of `resume` (emit/storage.ts `placeResumeLocals`, once the states are rewritten with
   * it as a field): used by several states, but never read where `resume` is entered again before assigned.
   */
  storage: "local" | "field" | "boxed" | "resume";
  field: string;
  box: string | null;
  node: t.Node;
  /** A `let`/`const`/`class` some access may reach before its declaration: see analyze/tdz.ts. */
  uninitialized: boolean;
  /** Declared by a function or class declaration, whose `name` is the binding's. */
  namesItsValue: boolean;
  /** Lives in a field whatever the states that use it (an Annex B binding: see analyze/annex-b.ts). */
  alwaysField?: boolean;
}

/**
 * Sloppy code's block functions (Annex B.3.3): the function-wide binding a plain function declared in a
 * block also gets, and the block's own binding (null when the block is kept as written, where the
 * function stays a local of its name). `positioned`: the assignment is already placed.
 */
export interface AnnexBFunction {
  outer: BindingInfo;
  inner: BindingInfo | null;
  innerName: string;
  positioned: boolean;
}

/** What the analysis found about the function as a whole. */
export interface FunctionAnalysis {
  bindings: BindingInfo[];
  usesThis: boolean;
  usesArguments: boolean;
  usesNewTarget: boolean;
  usesSuperGet: boolean;
  usesSuperSet: boolean;
  usesPrivateNames: boolean;
  /**
   * An arrow in a derived class's constructor may run before `super()`, when `this` cannot be read yet:
   * the machine receives `() => this` and reads it when the body does.
   */
  lazyThis: boolean;
  /** The arrow calls `super()` (it is in a derived constructor). */
  usesSuperCall: boolean;
  /** Names the function refers to that are bound outside it. */
  references: Set<string>;
  /** Of those, the names bound around the function below the program (an enclosing function's locals). */
  captures: Set<string>;
  /**
   * Its machine class can live at the top of the program: it captures nothing around it, or only values
   * that cannot change, which the wrapper passes in (bindings of kind "capture").
   */
  hoistable: boolean;
  /** Body `var`s named like a parameter, each a binding of its own: [parameter, var] (see splitBodyVars). */
  bodyVars: [BindingInfo, BindingInfo][];
  /** Sloppy `var arguments`: the function's arguments object until assigned (see analyzeBindings). */
  argumentsVar: BindingInfo | null;
  /**
   * Sloppy code's mapped `arguments` (a function with a plain parameter list that uses `arguments`): each
   * parameter and `arguments[i]` are one variable. The parameters stay the wrapper's, whose `arguments`
   * is mapped the same way; the machine reads and writes them through accessors, in this box.
   */
  mappedArguments: string | null;
}

export interface NodeFacts {
  // --- identifiers and expressions (a copy keeps them) ---
  /** An identifier that refers to one of the function's bindings. */
  binding?: BindingInfo;
  /** An identifier bound outside the function (or global): whether its value cannot change while the machine waits. */
  outerStable?: boolean;
  /** A reference from inside a `with` statement to a binding declared outside it: looked up on the object first. */
  throughWith?: boolean;
  /** The value the last suspension produced: the `sent` parameter of `resume`. */
  sent?: boolean;
  /** A `this` of the source function (generated code's own `this` is the machine). */
  userThis?: boolean;
  /** `super.x` as a destructuring target (`[super.x] = list`): it becomes a setter reference. */
  superTarget?: boolean;
  /** Temporal dead zone (analyze/tdz.ts): a read, write or destructuring target that may precede the declaration. */
  checkedRead?: boolean;
  /** A checked read that is the operand of `return`, `throw`, `yield` or `await`: V8 places its error there. */
  checkedAt?: t.Node;
  checkedWrite?: boolean;
  checkedTarget?: boolean;
  /** A pattern's (or a for-in/of head's) target naming a `const` or a function expression's own name. */
  constantTarget?: boolean;
  /**
   * An `await` whose operand's error V8 places at the statement around it, the last position it marks
   * before the operand: `return await f()` at the `return`, `x = await f()` at `x`.
   */
  placedAt?: t.Node;
  /** An operand the transform made up, described in the report by the source it stands for. */
  describedAs?: { prefix: string; node: t.Node };

  // --- scopes (blocks, loops, switches, catch clauses, the function) ---
  /** The box (`$s0`) that holds this scope's captured bindings, fresh on each entry. */
  box?: string;
  /** Bindings this scope's entry marks uninitialized. */
  uninitializedOnEntry?: BindingInfo[];

  // --- statements ---
  /** A block function declaration of sloppy code, with its function-wide binding. */
  annexB?: AnnexBFunction;
  /** Placeholder: where a block function's declaration stands, the function-wide binding gets its value. */
  annexBEvaluation?: AnnexBFunction;
  /** Placeholder: entering a scope resets these bindings to uninitialized (those that end up in fields). */
  resets?: BindingInfo[];

  // --- memos of the analysis ---
  suspends?: boolean;
  leavesThroughCleanup?: boolean;
}

export class FactsStore {
  // (a Map: the store lives only while its function is lowered, and weak tables cost the collector more)
  private readonly records = new Map<t.Node, NodeFacts>();

  get(node: t.Node): NodeFacts | undefined {
    return this.records.get(node);
  }

  /** The node's record, created empty if it has none. */
  of(node: t.Node): NodeFacts {
    let record = this.records.get(node);
    if (!record) {
      record = {};
      this.records.set(node, record);
    }
    return record;
  }

  set<K extends keyof NodeFacts>(node: t.Node, key: K, value: NodeFacts[K]): void {
    this.of(node)[key] = value;
  }

  /** The binding an identifier refers to, if it is one of the function's. */
  binding(node: t.Node | null | undefined): BindingInfo | undefined {
    return node ? this.records.get(node)?.binding : undefined;
  }

  /** A deep copy of a node for a second use: every node of the copy has the facts of its original. */
  copy<T extends t.Node>(node: T): T {
    const copy = t.cloneNode(node, true, false);
    this.carry(node, copy);
    return copy;
  }

  /** `to` stands for `from` (a rebuilt or converted node): it gets `from`'s facts. */
  carryOver<T extends t.Node>(from: t.Node, to: T): T {
    const record = this.records.get(from);
    if (record) this.records.set(to, { ...record });
    return to;
  }

  private carry(from: t.Node, to: t.Node): void {
    this.carryOver(from, to);
    for (const key of t.VISITOR_KEYS[from.type] ?? []) {
      const x = (from as unknown as Record<string, unknown>)[key];
      const y = (to as unknown as Record<string, unknown>)[key];
      if (Array.isArray(x) && Array.isArray(y)) x.forEach((item, i) => item && y[i] && this.carry(item, y[i]));
      else if (x && y && typeof x === "object") this.carry(x as t.Node, y as t.Node);
    }
  }
}
