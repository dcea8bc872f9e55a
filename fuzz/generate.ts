// Random async programs for the differential fuzzer.
//
// fast-check generates a small AST-ish *model* of a program (`ProgramModel`): async units (functions, arrows,
// class methods) whose bodies are statement and expression trees, plus the top-level tasks that start them
// concurrently. `render` turns a model into a plain script. Everything context-sensitive is resolved while
// rendering (which variables are in scope, where a `break` may go, which unit a call may reach, how much work
// a call may add), so every subtree fast-check shrinks to still renders to a valid, terminating program.
//
// Guarantees of a rendered program:
// - it is a script (no imports), deterministic, and logs what it does: an `enter` line per call, a line per
//   logged step with the task name and the unit, caught errors, iterator `next`/`return` calls, thenable
//   `then` calls, tick chains and timers, and the final shared state;
// - it terminates quickly: loops are bounded by small constants through hidden counters the body cannot
//   write, calls only go from unit i to a unit j > i (no recursion), and a static cost estimate turns calls
//   that would exceed a budget into plain awaits; timers are 0 ms;
// - every rejection is handled (awaited, or `.then(ok, err)` / `.catch` attached synchronously);
// - it never uses a construct listed in test/known-divergences.txt: no TDZ reads other than the `tdz`
//   statement's (a closure read before a block's `let`/`const`/`class`, whose error message is logged), no
//   identity checks of async functions, no sloppy-only behaviour outside the `sloppy` statement (which
//   writes `with`, frozen objects, implicit globals, `this` of plain functions, octals, `protected`/`static`/
//   `yield` as names and mapped `arguments` in the functions and arrows of sloppy programs), no generator
//   objects printed or compared (a `drive`
//   helper consumes them and logs the results), no eval, no errors whose message quotes source text outside
//   the `quote` statement (whose shapes the runtime words back: docs/lowering.md, "Error messages");
// - some programs replace built-ins with counting wrappers before they run (`patch`: the array iterator,
//   `Promise.prototype.then`, `Function.prototype.call`) and log the counts;
// - constructs that trigger a known, open transform bug can be left out by name (FLAGS).
//
// Every construct is counted as it is rendered (`Rendered.counts`); `npm run fuzz` prints the totals.
import fc from "fast-check";

// ---------------------------------------------------------------------------------------------------------
// The model

export type Wrap = "plain" | "resolve" | "thenable" | "lateThenable" | "getterThenable" | "subclass" | "timer";
export type RejectKind = "reject" | "badThenable" | "lateBadThenable" | "throwingThenable" | "throwingGetter";
export type UnitKind = "fn" | "arrow" | "base" | "derived" | "static";
export type BinOp = "+" | "-" | "*" | "%" | "<" | ">=" | "===" | "!==" | "|" | "&" | "^" | "<<";
export type UnOp = "-" | "!" | "~" | "typeof" | "void";
export type LogicalOp = "&&" | "||" | "??";
export type AssignOp = "=" | "+=" | "-=" | "*=" | "|=" | "&&=" | "||=" | "??=";

export type Target =
  | { k: "var"; i: number }
  | { k: "global" }
  | { k: "prop"; key: "a" | "b" | "c" | "x" }
  | { k: "computed"; key: Expr }
  | { k: "this"; priv: boolean }
  | { k: "super" };

export type Arg =
  | { k: "plain"; e: Expr }
  | { k: "spreadArr"; items: Expr[] }
  | { k: "spreadIter"; n: number }
  | { k: "spreadAwait"; w: Wrap; items: Expr[] };

export type Prop = { key: "a" | "b" | Expr; v: Expr };

export type Expr =
  | { k: "num"; v: number }
  | { k: "str"; v: string }
  | { k: "kw"; v: "true" | "false" | "null" | "undefined" }
  | { k: "var"; i: number }
  | { k: "global" }
  | { k: "prop"; key: "a" | "b" | "c" | "x" }
  | { k: "this"; priv: boolean }
  | { k: "await"; a: Awaitable }
  | { k: "mark"; e: Expr }
  | { k: "bin"; op: BinOp; l: Expr; r: Expr }
  | { k: "unary"; op: UnOp; e: Expr }
  | { k: "logical"; op: LogicalOp; l: Expr; r: Expr }
  | { k: "cond"; c: Expr; a: Expr; b: Expr }
  | { k: "call"; args: Arg[] }
  | { k: "method"; args: Arg[] }
  | { k: "optCall"; present: boolean; args: Arg[] }
  | { k: "index"; items: Expr[]; key: Expr }
  | { k: "member"; key: Expr }
  | { k: "optMember"; present: boolean; key: Expr }
  | { k: "getA"; obj: Expr }
  | { k: "array"; items: Arg[] }
  | { k: "object"; props: Prop[] }
  | { k: "template"; parts: Expr[] }
  | { k: "tagged"; parts: Expr[] }
  | { k: "assign"; op: AssignOp; t: Target; v: Expr }
  | { k: "update"; op: "++" | "--"; prefix: boolean; t: Target }
  | { k: "seq"; l: Expr; r: Expr }
  | { k: "in"; key: Expr }
  | { k: "instanceof"; e: Expr }
  | { k: "new"; arg: Expr }
  | { k: "delete"; key: Expr }
  | { k: "super"; arg: Expr }
  | { k: "argsLength" };

/** `drive`: how a call of a generator unit is consumed (see `drive` in the prelude). */
export type CallSpec = { callee: number; arg: Expr; drive?: number };

export type ThrowVal =
  | { k: "error"; ctor: "Error" | "TypeError" | "RangeError" }
  | { k: "str" }
  | { k: "num" }
  | { k: "obj" }
  | { k: "expr"; e: Expr }
  | { k: "rethrow" };

export type Item = { k: "call"; c: CallSpec } | { k: "wrap"; w: Wrap; e: Expr } | { k: "reject"; r: RejectKind; v: ThrowVal };

export type Awaitable =
  | { k: "wrap"; w: Wrap; e: Expr }
  | { k: "reject"; r: RejectKind; v: ThrowVal }
  | { k: "call"; c: CallSpec }
  | { k: "thenChain"; c: CallSpec }
  | { k: "combinator"; op: "all" | "allSettled" | "race"; items: Item[] }
  | { k: "superCall"; c: CallSpec }
  | { k: "pvar"; i: number }
  | { k: "iife"; body: Stmt[]; ret: Expr }
  /** `new (class LocalN { async m(t, n) { body } })().m(t, arg)`: an async method of a class local to the unit. */
  | { k: "local"; body: Stmt[]; ret: Expr; arg: Expr; heritage: Wrap | null; key: Wrap | null };

/** A custom iterator: 0 well-behaved, 1 its `return()` throws, 2 its `next()` throws at the end. */
export type IterMode = 0 | 1 | 2;

export type DestrForm = "obj" | "arr" | "iter" | "assignObj" | "assignArr" | "assignIter";

export type Case = { test: Expr; body: Stmt[]; brk: boolean };

/** What a `yield*` delegates to: an array, a custom iterator (async in an async generator), another generator unit. */
export type DelegateSrc = { k: "arr"; items: Expr[] } | { k: "iter"; n: number; mode: IterMode } | { k: "unit"; c: CallSpec };

export type Stmt =
  | { k: "log"; e: Expr }
  | { k: "expr"; e: Expr }
  /** `shadow`: as the first statement of a nested block, `let`/`const` reuse the name of an outer variable. */
  | { k: "decl"; kind: "let" | "const" | "var"; e: Expr; shadow: boolean }
  /**
   * A block whose closure reads a `let`/`const`/`class` before, then after, its declaration (the TDZ);
   * `dead`: the declaration stands after a `break` out of the block, in code that never runs.
   */
  | { k: "tdz"; kind: "let" | "const" | "class"; e: Expr; dead: boolean }
  /**
   * A function declaration (0 async, 1 generator, 2 async generator) lowered before an async arrow that
   * reads it before an await, then maybe assigned (`reassign`) or declared twice (`twice`, at the top of a
   * function body only): the arrow's lowering reads the declaration's binding as the lowering of the
   * declaration left it (emit/function-objects.ts declareAtTop). `early`: instead, the declaration reads a
   * `let` declared after a call of it (hoisted, it runs before the `let` is initialized: the async
   * function's promise rejects, the generator throws at its first `next()`), and is called again after.
   */
  | { k: "innerDecl"; fn: 0 | 1 | 2; reassign: boolean; twice: boolean; early: boolean; v: number }
  /**
   * A `const` (of `e`'s value) that lives across an await, then assigned (`v` picks how: `=`, `+=`, `++`,
   * an array or object pattern, a for-of or for-in head, `??=`): the TypeError is logged, then the value.
   * `late`: an await after the assignment in the try block (the try is lowered, not kept as written).
   */
  | { k: "refuse"; v: number; e: Expr; late: boolean }
  | { k: "destr"; form: DestrForm; kind: "let" | "const"; d: (Expr | null)[]; src: Expr[]; t: Target[]; mode?: IterMode }
  | { k: "if"; c: Expr; a: Stmt[]; b: Stmt[] | null }
  | { k: "while"; bound: number; c: Expr | null; body: Stmt[]; label: boolean }
  | { k: "doWhile"; bound: number; c: Expr | null; body: Stmt[]; label: boolean }
  | { k: "for"; bound: number; init: Wrap | null; test: Wrap | null; update: Wrap | null; closure: boolean; body: Stmt[]; label: boolean }
  | { k: "forOf"; src: { k: "arr"; items: Expr[] } | { k: "iter"; n: number; mode?: IterMode }; pat: Expr | null; closure: boolean; body: Stmt[]; label: boolean }
  | { k: "forIn"; src: Expr[] | null; body: Stmt[]; label: boolean }
  | { k: "block"; body: Stmt[] }
  | { k: "break"; t: number; guard: Expr | null }
  | { k: "continue"; t: number; guard: Expr | null }
  | { k: "return"; e: Expr | null; guard: Expr | null; p?: Awaitable }
  | { k: "throw"; v: ThrowVal; guard: Expr | null }
  | { k: "switch"; d: Expr; cases: Case[]; def: { at: number; body: Stmt[]; brk: boolean } | null }
  | { k: "try"; block: Stmt[]; handler: Stmt[] | null; param: boolean; fin: Stmt[] | null }
  | { k: "spawn"; c: CallSpec }
  | { k: "defer"; c: CallSpec; between: Stmt[] }
  | { k: "ticks"; n: number }
  /** `fns.push(() => e)`, or (`field`) a class whose instance field's initializer is `e`, constructed by the closure. */
  | { k: "closure"; e: Expr; field: boolean }
  /** `afns.push(async () => { body })`; the unit awaits `Promise.all(afns.map(f => f()))` at its end. */
  | { k: "asyncClosure"; body: Stmt[]; ret: Expr }
  | { k: "runFns" }
  /** In a generator unit: `yield e;`, or with `sent` the value next() sends back is logged. */
  | { k: "yield"; e: Expr; sent: boolean }
  | { k: "yieldStar"; src: DelegateSrc }
  /** In an async function or async generator: `for await (const x of src)`. */
  | { k: "forAwait"; src: DelegateSrc; wrap: Wrap; body: Stmt[]; label: boolean }
  /**
   * Sloppy-only code, in a unit of a sloppy program that is not a class method (elsewhere a `log`): 0 `with`
   * around a block, 1 a write to a frozen object, 2 an implicit global, 3 `this` of a nested plain function,
   * 4 legacy octal literals and escapes, 5 words reserved in strict code as names, 6 mapped `arguments`,
   * 7 a `var` of a catch block naming its parameter (Annex B), 8 a labelled function declaration in a block,
   * 9 `var arguments` (the arguments object until assigned).
   */
  | { k: "sloppy"; v: number; e: Expr; body: Stmt[] }
  /**
   * A labelled block that opens with `using` / `await using` declarations (`modes`: what each resource does,
   * see `disposable` and `asyncDisposable` in the prelude; odd entries are `await using` where awaiting is
   * allowed). A program with one runs on Node 24 only (its first line says `// requires node 24`).
   */
  | { k: "using"; modes: number[]; body: Stmt[] }
  /**
   * A TypeError whose message V8 words with the source text of what failed (`q is not a function`), from a
   * local `q` holding the value of `e` (never a function) that lives across an await: `v` picks the
   * operation (call, `new`, for-of, object pattern, member call, `this.missing()`, tag, for-await); `late`
   * puts an await after it in the try block (the try is lowered, not kept as written).
   */
  | { k: "quote"; v: number; e: Expr; late: boolean };

export interface UnitModel {
  kind: UnitKind;
  body: Stmt[];
  ret: Expr | null;
  /** 0: `(t, n)`, 1: `(t, n = 7)`, 2: `(t, { v: n = mark(...) } = {})` (callers pass `{ v: arg }`). */
  params: 0 | 1 | 2;
  /** 0 an async function, 1 an async generator, 2 a generator (arrows stay async functions). */
  gen?: 0 | 1 | 2;
  /**
   * A declaration after the unit's `return`, in code that never runs, of a name a closure made at the start
   * reads before the return (a `var` reads undefined; the others throw from their dead zone).
   */
  deadTail?: "let" | "const" | "class" | "var" | null;
}

export type TopTask =
  | { k: "run"; callee: number; arg: number | null; style: 0 | 1 | 2 }
  | { k: "all"; op: "all" | "allSettled" | "race"; callees: number[] }
  | { k: "timer" };

export interface ProgramModel {
  strict: boolean;
  /** `const Base = class { ... }`: the methods that use `#p` keep their machines without a class name. */
  anonymousBase: boolean;
  units: UnitModel[];
  top: TopTask[];
  ticker: number;
  /**
   * Built-ins the program replaces with counting wrappers before it runs anything (bits: 1 the array
   * iterator, 2 `Promise.prototype.then`, 4 `Function.prototype.call`); the counts are logged. The runtime
   * must call them exactly where the engine does.
   */
  patch?: number;
}

// ---------------------------------------------------------------------------------------------------------
// Options

/**
 * Construct families that can be switched off (by name) when a known transform bug would otherwise make every
 * run fail. The list is empty while no such bug is open; `npm run fuzz -- --disable NAME` and the bounded test
 * read the same names.
 */
export const FLAGS = {
  superDestructuring:
    "`super.x` as a destructuring assignment target (`[super.n] = a`, `({ a: super.n } = o)`) in an async method: " +
    "the transform rewrites the target into a call, `this.superGet(\"n\")`, and the output does not parse " +
    "(fixtures/fuzz/e2a2a595.js)",
  nestedAsyncClosures:
    "closures inside an async arrow nested in an async function (`fns.push(() => i)`, loop closures, nested async " +
    "arrows): the inner machine's per-iteration box gets the outer one's name (`$s0`) and its `const $s0 = " +
    "this.$s0` hides the outer box, so outer loop bindings read undefined (fixtures/fuzz/9548a076.js)",
} as const satisfies Record<string, string>;
export type FlagName = keyof typeof FLAGS;

export interface GenOptions {
  /** Construct families to leave out (keys of FLAGS). */
  disable?: readonly string[];
  /** Every program runs on Node 24 (`fuzz/run.ts --node24`), not only those that need it. */
  node24?: boolean;
}

/** Loop bounds, list sizes and the per-unit work budget (awaits and loop iterations, callees included). */
export const LIMITS = { maxBound: 3, maxUnits: 5, unitBudget: 120 } as const;

// ---------------------------------------------------------------------------------------------------------
// Arbitraries

export function programArb(): fc.Arbitrary<ProgramModel> {
  const tree = fc.letrec((tie) => {
    const E = tie("expr") as fc.Arbitrary<Expr>;
    const A = tie("awaitable") as fc.Arbitrary<Awaitable>;
    const S = tie("stmt") as fc.Arbitrary<Stmt>;
    const block = (min = 0, max = 3) => fc.array(S, { minLength: min, maxLength: max, depthIdentifier: "stmt" });
    const exprs = (min: number, max: number) => fc.array(E, { minLength: min, maxLength: max, depthIdentifier: "expr" });
    const k = <K extends string>(kind: K) => fc.constant(kind);
    const wrap = fc.constantFrom<Wrap>("plain", "resolve", "thenable", "lateThenable", "getterThenable", "subclass", "timer");
    const small = fc.nat({ max: 7 });
    const iterMode = fc.constantFrom<IterMode>(0, 0, 0, 1, 2);
    const iterSrc = fc.record({ k: fc.constant("iter" as const), n: fc.nat({ max: 3 }), mode: iterMode });
    const bound = fc.nat({ max: LIMITS.maxBound });

    const num = fc.integer({ min: -1, max: 9 }).map((v): Expr => ({ k: "num", v }));
    const lit = fc.oneof(
      { arbitrary: num, weight: 6 },
      { arbitrary: fc.constantFrom("a", "b", "x", "").map((v): Expr => ({ k: "str", v })), weight: 2 },
      { arbitrary: fc.constantFrom("true", "false", "null", "undefined").map((v): Expr => ({ k: "kw", v: v as "true" })), weight: 2 },
    );
    const leaf = fc.oneof(
      { arbitrary: lit, weight: 5 },
      { arbitrary: small.map((i): Expr => ({ k: "var", i })), weight: 6 },
      { arbitrary: fc.constant<Expr>({ k: "global" }), weight: 1 },
      { arbitrary: fc.constantFrom("a", "b", "c", "x").map((key): Expr => ({ k: "prop", key: key as "a" })), weight: 1 },
      { arbitrary: fc.boolean().map((priv): Expr => ({ k: "this", priv })), weight: 1 },
    );
    // Case tests and discriminants: mostly small numbers so that cases match.
    const smallOrExpr = fc.oneof(
      { arbitrary: fc.nat({ max: 2 }).map((v): Expr => ({ k: "num", v })), weight: 3 },
      { arbitrary: E, weight: 2 },
    );
    const target: fc.Arbitrary<Target> = fc.oneof(
      { arbitrary: small.map((i): Target => ({ k: "var", i })), weight: 6 },
      { arbitrary: fc.constant<Target>({ k: "global" }), weight: 2 },
      { arbitrary: fc.constantFrom("a", "b", "c", "x", "x").map((key): Target => ({ k: "prop", key: key as "a" })), weight: 2 },
      { arbitrary: E.map((key): Target => ({ k: "computed", key })), weight: 1 },
      { arbitrary: fc.boolean().map((priv): Target => ({ k: "this", priv })), weight: 2 },
      { arbitrary: fc.constant<Target>({ k: "super" }), weight: 1 },
    );
    const arg: fc.Arbitrary<Arg> = fc.oneof(
      { arbitrary: E.map((e): Arg => ({ k: "plain", e })), weight: 8 },
      { arbitrary: exprs(1, 2).map((items): Arg => ({ k: "spreadArr", items })), weight: 1 },
      { arbitrary: fc.nat({ max: 3 }).map((n): Arg => ({ k: "spreadIter", n })), weight: 1 },
      { arbitrary: fc.record({ k: k("spreadAwait"), w: wrap, items: exprs(1, 2) }), weight: 1 },
    );
    const args = (min: number, max: number) => fc.array(arg, { minLength: min, maxLength: max, depthIdentifier: "expr" });
    const throwVal: fc.Arbitrary<ThrowVal> = fc.oneof(
      { arbitrary: fc.constantFrom("Error", "TypeError", "RangeError").map((ctor): ThrowVal => ({ k: "error", ctor: ctor as "Error" })), weight: 4 },
      { arbitrary: fc.constant<ThrowVal>({ k: "str" }), weight: 1 },
      { arbitrary: fc.constant<ThrowVal>({ k: "num" }), weight: 1 },
      { arbitrary: fc.constant<ThrowVal>({ k: "obj" }), weight: 1 },
      { arbitrary: E.map((e): ThrowVal => ({ k: "expr", e })), weight: 1 },
      { arbitrary: A.map((a): ThrowVal => ({ k: "expr", e: { k: "await", a } })), weight: 1 },
      { arbitrary: fc.constant<ThrowVal>({ k: "rethrow" }), weight: 2 },
    );
    const rejectKind = fc.constantFrom<RejectKind>("reject", "badThenable", "lateBadThenable", "throwingThenable", "throwingGetter");
    const call: fc.Arbitrary<CallSpec> = fc.record({ callee: small, arg: E, drive: fc.nat({ max: 4 }) });
    const delegateSrc: fc.Arbitrary<DelegateSrc> = fc.oneof(
      exprs(1, 3).map((items): DelegateSrc => ({ k: "arr", items })),
      iterSrc,
      call.map((c): DelegateSrc => ({ k: "unit", c })),
    );
    const item: fc.Arbitrary<Item> = fc.oneof(
      { arbitrary: call.map((c): Item => ({ k: "call", c })), weight: 4 },
      { arbitrary: fc.record({ k: k("wrap"), w: wrap, e: E }), weight: 2 },
      { arbitrary: fc.record({ k: k("reject"), r: rejectKind, v: throwVal }), weight: 1 },
    );
    const guard = fc.option(E, { nil: null, freq: 5 });
    const label = fc.boolean();
    const assignOp = fc.constantFrom<AssignOp>("=", "+=", "-=", "*=", "|=", "&&=", "||=", "??=");

    const awaitable = fc.oneof(
      { depthIdentifier: "expr", withCrossShrink: true },
      { arbitrary: fc.record({ k: k("wrap"), w: wrap, e: E }), weight: 12 },
      { arbitrary: fc.record({ k: k("reject"), r: rejectKind, v: throwVal }), weight: 2 },
      { arbitrary: fc.record({ k: k("call"), c: call }), weight: 7 },
      { arbitrary: fc.record({ k: k("thenChain"), c: call }), weight: 1 },
      {
        arbitrary: fc.record({
          k: k("combinator"),
          op: fc.constantFrom("all", "allSettled", "race") as fc.Arbitrary<"all">,
          items: fc.array(item, { minLength: 1, maxLength: 3, depthIdentifier: "expr" }),
        }),
        weight: 2,
      },
      { arbitrary: fc.record({ k: k("superCall"), c: call }), weight: 3 },
      { arbitrary: fc.record({ k: k("pvar"), i: small }), weight: 1 },
      { arbitrary: fc.record({ k: k("iife"), body: block(0, 3), ret: E }), weight: 1 },
      {
        arbitrary: fc.record({
          k: k("local"),
          body: block(1, 3),
          ret: E,
          arg: E,
          heritage: fc.option(wrap, { nil: null, freq: 2 }),
          key: fc.option(wrap, { nil: null, freq: 2 }),
        }),
        weight: 1,
      },
    ) as fc.Arbitrary<Awaitable>;

    const expr = fc.oneof(
      { depthSize: "small", maxDepth: 3, depthIdentifier: "expr", withCrossShrink: true },
      { arbitrary: leaf, weight: 14 },
      { arbitrary: A.map((a): Expr => ({ k: "await", a })), weight: 14 },
      { arbitrary: E.map((e): Expr => ({ k: "mark", e })), weight: 2 },
      {
        arbitrary: fc.record({
          k: k("bin"),
          op: fc.constantFrom<BinOp>("+", "-", "*", "%", "<", ">=", "===", "!==", "|", "&", "^", "<<"),
          l: E,
          r: E,
        }),
        weight: 5,
      },
      { arbitrary: fc.record({ k: k("unary"), op: fc.constantFrom<UnOp>("-", "!", "~", "typeof", "void"), e: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("logical"), op: fc.constantFrom<LogicalOp>("&&", "||", "??"), l: E, r: E }), weight: 3 },
      { arbitrary: fc.record({ k: k("cond"), c: E, a: E, b: E }), weight: 2 },
      { arbitrary: fc.record({ k: k("call"), args: args(1, 3) }), weight: 2 },
      { arbitrary: fc.record({ k: k("method"), args: args(1, 2) }), weight: 1 },
      { arbitrary: fc.record({ k: k("optCall"), present: fc.boolean(), args: args(1, 2) }), weight: 1 },
      { arbitrary: fc.record({ k: k("index"), items: exprs(1, 3), key: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("member"), key: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("optMember"), present: fc.boolean(), key: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("getA"), obj: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("array"), items: args(0, 3) }), weight: 2 },
      {
        arbitrary: fc.record({
          k: k("object"),
          props: fc.array(
            fc.record({ key: fc.oneof(fc.constantFrom<"a" | "b">("a", "b"), E) as fc.Arbitrary<Prop["key"]>, v: E }),
            { minLength: 1, maxLength: 3, depthIdentifier: "expr" },
          ),
        }),
        weight: 1,
      },
      { arbitrary: fc.record({ k: k("template"), parts: exprs(1, 3) }), weight: 2 },
      { arbitrary: fc.record({ k: k("tagged"), parts: exprs(1, 2) }), weight: 1 },
      { arbitrary: fc.record({ k: k("assign"), op: assignOp, t: target, v: E }), weight: 4 },
      { arbitrary: fc.record({ k: k("update"), op: fc.constantFrom<"++" | "--">("++", "--"), prefix: fc.boolean(), t: target }), weight: 1 },
      { arbitrary: fc.record({ k: k("seq"), l: E, r: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("in"), key: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("instanceof"), e: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("new"), arg: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("delete"), key: E }), weight: 1 },
      { arbitrary: fc.record({ k: k("super"), arg: E }), weight: 2 },
      { arbitrary: fc.constant<Expr>({ k: "argsLength" }), weight: 1 },
    ) as fc.Arbitrary<Expr>;

    const assignExpr = fc.oneof(
      { arbitrary: fc.record({ k: k("assign"), op: assignOp, t: target, v: E }), weight: 3 },
      { arbitrary: fc.record({ k: k("update"), op: fc.constantFrom<"++" | "--">("++", "--"), prefix: fc.boolean(), t: target }), weight: 1 },
      { arbitrary: E, weight: 1 },
    ) as fc.Arbitrary<Expr>;

    const caseArb: fc.Arbitrary<Case> = fc.record({ test: smallOrExpr, body: block(0, 2), brk: fc.boolean() });

    // Control flow crossing `finally`: a try whose blocks jump, inside one or two loops (a labeled outer loop
    // gives `break L`/`continue L` that cross several finally blocks).
    const jumpArb: fc.Arbitrary<Stmt> = fc.oneof(
      { arbitrary: fc.record({ k: k("break"), t: small, guard }), weight: 3 },
      { arbitrary: fc.record({ k: k("continue"), t: small, guard }), weight: 3 },
      { arbitrary: fc.record({ k: k("return"), e: fc.option(E, { nil: null }), guard }), weight: 2 },
      { arbitrary: fc.record({ k: k("throw"), v: throwVal, guard }), weight: 2 },
    );
    const withJump = fc.tuple(block(0, 1), jumpArb, block(0, 1)).map(([a, j, b]) => [...a, j, ...b]);
    const tryJump: fc.Arbitrary<Stmt> = fc.record({
      k: k("try"),
      block: withJump,
      handler: fc.option(fc.oneof(block(0, 2), withJump), { nil: null, freq: 3 }),
      param: fc.boolean(),
      fin: fc.option(fc.oneof(block(0, 2), withJump), { nil: null, freq: 4 }),
    });
    const loopAround = (inner: fc.Arbitrary<Stmt>): fc.Arbitrary<Stmt> => {
      const body = fc.tuple(block(0, 1), inner, block(0, 1)).map(([a, x, b]) => [...a, x, ...b]);
      return fc.oneof(
        fc.record({ k: k("for"), bound, init: fc.constant(null), test: fc.constant(null), update: fc.option(wrap, { nil: null, freq: 2 }), closure: fc.boolean(), body, label }),
        fc.record({ k: k("forOf"), src: iterSrc, pat: fc.constant(null), closure: fc.boolean(), body, label }),
        fc.record({ k: k("while"), bound, c: fc.constant(null), body, label }),
        fc.record({ k: k("doWhile"), bound, c: fc.constant(null), body, label }),
      ) as fc.Arbitrary<Stmt>;
    };
    const loopTry = fc.oneof(loopAround(tryJump), loopAround(loopAround(tryJump)));

    const stmt = fc.oneof(
      { depthSize: "small", maxDepth: 3, depthIdentifier: "stmt", withCrossShrink: true },
      { arbitrary: fc.record({ k: k("log"), e: E }), weight: 10 },
      { arbitrary: fc.record({ k: k("expr"), e: assignExpr }), weight: 6 },
      {
        arbitrary: fc.record({
          k: k("decl"),
          kind: fc.constantFrom("let", "const", "var") as fc.Arbitrary<"let">,
          e: E,
          shadow: fc.boolean(),
        }),
        weight: 6,
      },
      {
        arbitrary: fc.record({ k: k("tdz"), kind: fc.constantFrom("let", "const", "class") as fc.Arbitrary<"let">, e: E, dead: fc.boolean() }),
        weight: 1,
      },
      {
        arbitrary: fc.record({ k: k("innerDecl"), fn: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0>, reassign: fc.boolean(), twice: fc.boolean(), early: fc.boolean(), v: small }),
        weight: 1,
      },
      { arbitrary: fc.record({ k: k("refuse"), v: small, e: E, late: fc.boolean() }), weight: 1 },
      {
        arbitrary: fc.record({
          k: k("destr"),
          form: fc.constantFrom<DestrForm>("obj", "arr", "iter", "assignObj", "assignArr", "assignIter"),
          kind: fc.constantFrom("let", "const") as fc.Arbitrary<"let">,
          d: fc.array(fc.option(E, { nil: null }), { minLength: 1, maxLength: 2, depthIdentifier: "expr" }),
          src: exprs(0, 2),
          t: fc.array(target, { minLength: 2, maxLength: 2 }),
          mode: iterMode,
        }),
        weight: 2,
      },
      { arbitrary: fc.record({ k: k("spawn"), c: call }), weight: 2 },
      { arbitrary: fc.record({ k: k("defer"), c: call, between: block(0, 2) }), weight: 1 },
      { arbitrary: fc.record({ k: k("ticks"), n: fc.integer({ min: 1, max: 4 }) }), weight: 1 },
      { arbitrary: fc.record({ k: k("closure"), e: E, field: fc.boolean() }), weight: 2 },
      { arbitrary: fc.record({ k: k("asyncClosure"), body: block(1, 2), ret: E }), weight: 1 },
      { arbitrary: fc.constant<Stmt>({ k: "runFns" }), weight: 1 },
      { arbitrary: fc.record({ k: k("break"), t: small, guard }), weight: 2 },
      { arbitrary: fc.record({ k: k("continue"), t: small, guard }), weight: 2 },
      { arbitrary: fc.record({ k: k("return"), e: fc.option(E, { nil: null }), guard }), weight: 1 },
      // `return promise` (no await): the async function adopts it, which costs extra ticks.
      { arbitrary: fc.record({ k: k("return"), e: fc.constant(null), guard, p: A }), weight: 1 },
      { arbitrary: fc.record({ k: k("throw"), v: throwVal, guard }), weight: 1 },
      { arbitrary: fc.record({ k: k("if"), c: E, a: block(1), b: fc.option(block(1), { nil: null }) }), weight: 4 },
      { arbitrary: fc.record({ k: k("while"), bound, c: fc.option(E, { nil: null }), body: block(1), label }), weight: 2 },
      { arbitrary: fc.record({ k: k("doWhile"), bound, c: fc.option(E, { nil: null }), body: block(1), label }), weight: 1 },
      {
        arbitrary: fc.record({
          k: k("for"),
          bound,
          init: fc.option(wrap, { nil: null }),
          test: fc.option(wrap, { nil: null }),
          update: fc.option(wrap, { nil: null }),
          closure: fc.boolean(),
          body: block(1),
          label,
        }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          k: k("forOf"),
          src: fc.oneof(
            exprs(1, 3).map((items) => ({ k: "arr" as const, items })),
            iterSrc,
          ),
          pat: fc.option(E, { nil: null, freq: 3 }),
          closure: fc.boolean(),
          body: block(1),
          label,
        }),
        weight: 3,
      },
      { arbitrary: fc.record({ k: k("forIn"), src: fc.option(exprs(1, 2), { nil: null }), body: block(1), label }), weight: 1 },
      { arbitrary: fc.record({ k: k("block"), body: block(1) }), weight: 1 },
      {
        arbitrary: fc.record({
          k: k("switch"),
          d: smallOrExpr,
          cases: fc.array(caseArb, { minLength: 1, maxLength: 3, depthIdentifier: "stmt" }),
          def: fc.option(fc.record({ at: small, body: block(0, 2), brk: fc.boolean() }), { nil: null }),
        }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          k: k("try"),
          block: block(1),
          handler: fc.option(block(0), { nil: null, freq: 4 }),
          param: fc.boolean(),
          fin: fc.option(block(0), { nil: null, freq: 2 }),
        }),
        weight: 4,
      },
      { arbitrary: tryJump, weight: 2 },
      { arbitrary: loopTry, weight: 3 },
      { arbitrary: fc.record({ k: k("yield"), e: E, sent: fc.boolean() }), weight: 5 },
      { arbitrary: fc.record({ k: k("yieldStar"), src: delegateSrc }), weight: 2 },
      { arbitrary: fc.record({ k: k("forAwait"), src: delegateSrc, wrap, body: block(1), label }), weight: 2 },
      { arbitrary: fc.record({ k: k("sloppy"), v: fc.integer({ min: 0, max: 9 }), e: E, body: block(1, 2) }), weight: 3 },
      {
        arbitrary: fc.record({ k: k("using"), modes: fc.array(fc.nat({ max: 11 }), { minLength: 1, maxLength: 3 }), body: block(1) }),
        weight: 1,
      },
      { arbitrary: fc.record({ k: k("quote"), v: fc.nat({ max: 7 }), e: E, late: fc.boolean() }), weight: 2 },
    ) as fc.Arbitrary<Stmt>;

    return { expr, awaitable, stmt };
  });

  const unit: fc.Arbitrary<UnitModel> = fc.record({
    kind: fc.oneof(
      { arbitrary: fc.constant<UnitKind>("fn"), weight: 6 },
      { arbitrary: fc.constant<UnitKind>("arrow"), weight: 2 },
      { arbitrary: fc.constant<UnitKind>("base"), weight: 2 },
      { arbitrary: fc.constant<UnitKind>("derived"), weight: 2 },
      { arbitrary: fc.constant<UnitKind>("static"), weight: 1 },
    ),
    body: fc.array(tree.stmt, { minLength: 1, maxLength: 6 }),
    ret: fc.option(tree.expr, { nil: null }),
    params: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    gen: fc.constantFrom<0 | 1 | 2>(0, 0, 0, 1, 1, 2),
    deadTail: fc.oneof({ arbitrary: fc.constant(null), weight: 7 }, { arbitrary: fc.constantFrom("let", "const", "class", "var") as fc.Arbitrary<"let">, weight: 1 }),
  });
  const callee = fc.nat({ max: LIMITS.maxUnits - 1 });
  const top: fc.Arbitrary<TopTask> = fc.oneof(
    { arbitrary: fc.record({ k: fc.constant("run" as const), callee, arg: fc.option(fc.integer({ min: -1, max: 5 }), { nil: null }), style: fc.constantFrom<0 | 1 | 2>(0, 1, 2) }), weight: 6 },
    {
      arbitrary: fc.record({
        k: fc.constant("all" as const),
        op: fc.constantFrom("all", "allSettled", "race") as fc.Arbitrary<"all">,
        callees: fc.array(callee, { minLength: 1, maxLength: 3 }),
      }),
      weight: 2,
    },
    { arbitrary: fc.constant<TopTask>({ k: "timer" }), weight: 1 },
  );
  return fc.record({
    strict: fc.boolean(),
    anonymousBase: fc.boolean(),
    units: fc.array(unit, { minLength: 1, maxLength: LIMITS.maxUnits }),
    top: fc.array(top, { minLength: 1, maxLength: 4 }),
    ticker: fc.nat({ max: 8 }),
    patch: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 7 }), weight: 1 }),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Rendering

export interface Rendered {
  code: string;
  /** How often each construct was emitted (see EXPECTED_CONSTRUCTS). */
  counts: Map<string, number>;
}

/**
 * Constructs the generator is meant to produce; the coverage table lists each of them (a zero stands out).
 * `await@POS` counts an `await` in syntactic position POS; `awaitOn.X` what was awaited.
 */
export const EXPECTED_CONSTRUCTS = [
  "program.strict", "program.sloppy", "program.anonymousBase", "program.reflect",
  "unit.fn", "unit.arrow", "unit.deadTail", "unit.base", "unit.derived", "unit.static", "unit.paramDefault", "unit.paramPattern",
  "top.run", "top.all", "top.allSettled", "top.race", "top.timer", "top.ticker",
  "call.fn", "call.arrow", "call.method", "call.static", "call.super", "call.degraded",
  "awaitOn.plain", "awaitOn.resolve", "awaitOn.thenable", "awaitOn.lateThenable", "awaitOn.getterThenable", "awaitOn.subclass", "awaitOn.timer",
  "awaitOn.reject", "awaitOn.badThenable", "awaitOn.lateBadThenable", "awaitOn.throwingThenable", "awaitOn.throwingGetter",
  "awaitOn.call", "awaitOn.thenChain", "awaitOn.all", "awaitOn.allSettled", "awaitOn.race",
  "awaitOn.superMethod", "awaitOn.deferred", "awaitOn.asyncArrow", "asyncArrow.expressionBody", "awaitOn.localClassMethod",
  "await@await.operand", "await@call.arg", "await@method.arg", "await@optionalCall.arg", "await@super.arg", "await@new.arg",
  "await@spread", "await@binary.left", "await@binary.right", "await@unary",
  "await@member.key", "await@member.object", "await@optionalMember.key", "await@array.element",
  "await@object.key", "await@object.value", "await@template", "await@taggedTemplate",
  "await@cond.test", "await@cond.then", "await@cond.else",
  "await@&&.left", "await@&&.right", "await@||.left", "await@||.right", "await@??.left", "await@??.right",
  "await@assign", "await@compoundAssign", "await@&&=", "await@||=", "await@??=", "await@assign.targetKey",
  "await@sequence", "await@in", "await@instanceof", "await@delete.key", "await@mark",
  "await@destructuring.default", "await@destructuring.source", "await@destructuring.targetKey",
  "await@class.heritage", "await@class.methodKey",
  "await@declInit", "await@statement", "await@log.arg", "await@return", "await@throw",
  "await@if.test", "await@loop.test", "await@for.init", "await@for.test", "await@for.update",
  "await@forOf.source", "await@forOf.default", "await@forIn.source",
  "await@switch.discriminant", "await@switch.caseTest", "await@spawn.arg",
  "expr.mark", "expr.this", "expr.thisPrivate", "expr.super", "expr.argumentsLength", "expr.optionalShortCircuit", "expr.delete", "expr.update", "expr.updateSuper",
  "assign.=", "assign.+=", "assign.-=", "assign.*=", "assign.|=", "assign.&&=", "assign.||=", "assign.??=",
  "assign.toVar", "assign.toGlobal", "assign.toProp", "assign.toAccessor", "assign.toComputed", "assign.toThis", "assign.toSuper",
  "stmt.log", "stmt.expr", "stmt.let", "stmt.const", "stmt.var", "stmt.shadow", "stmt.tdz", "stmt.tdz.dead",
  "stmt.destructure.obj", "stmt.destructure.arr", "stmt.destructure.iter",
  "stmt.destructure.assignObj", "stmt.destructure.assignArr", "stmt.destructure.assignIter",
  "stmt.if", "stmt.ifElse", "stmt.while", "stmt.doWhile", "stmt.for", "stmt.for.closure",
  "iterator.returnThrows", "iterator.nextThrows", "stmt.forOf.array", "stmt.forOf.iterator", "stmt.forOf.destructure", "stmt.forOf.closure", "stmt.forIn.object", "stmt.forIn.shared",
  "stmt.labeledBlock", "label.loop", "stmt.using", "using.sync", "using.await",
  "quote.call", "quote.new", "quote.forOf", "quote.objectPattern", "quote.member", "quote.this", "quote.tag", "quote.forAwait",
  "quote.lowered", "quote.kept", "patch.iterator", "patch.then", "patch.call",
  "stmt.break", "stmt.break.label", "stmt.continue", "stmt.continue.label", "stmt.return", "stmt.returnPromise", "stmt.throw", "stmt.rethrow",
  "stmt.switch", "switch.fallthrough", "switch.default", "switch.defaultMiddle",
  "stmt.try.catch", "stmt.try.finally", "stmt.try.catchFinally", "stmt.try.catchNoBinding",
  "cross.finally.break", "cross.finally.continue", "cross.finally.return", "cross.finally.throw",
  "finally.override.break", "finally.override.continue", "finally.override.return", "finally.override.throw",
  "stmt.spawn", "stmt.deferred", "stmt.ticks", "stmt.closure", "closure.inLoop", "closure.field", "stmt.runFns",
  "stmt.asyncClosure", "asyncClosure.inLoop", "stmt.runAsyncClosures",
  "stmt.innerDecl", "innerDecl.reassign", "innerDecl.twice", "innerDecl.inBlock", "innerDecl.early",
  "refuse.=", "refuse.+=", "refuse.++", "refuse.arrayPattern", "refuse.objectPattern", "refuse.forOf", "refuse.forIn", "refuse.??=", "refuse.lowered", "refuse.kept",
  "unit.asyncGenerator", "unit.generator", "drive.0", "drive.1", "drive.2", "drive.3", "drive.4",
  "yield.async", "yield.sync", "yield.sent", "yield.inFinally", "await@yield.operand",
  "yieldStar.array", "yieldStar.iterator", "yieldStar.asyncIterator", "yieldStar.unit",
  "forAwait.array", "forAwait.asyncIterator", "forAwait.unit", "asyncIterator.returnThrows", "asyncIterator.nextRejects",
] as const;

interface Var {
  name: string;
  writable: boolean;
}

type Frame =
  | { k: "loop"; label: string | null }
  | { k: "switch" }
  | { k: "block"; label: string; using?: true }
  | { k: "finally" }
  | { k: "inFinally" };

interface UnitState {
  index: number; // -1 for the top level
  kind: UnitKind | "top";
  name: string;
  next: number; // fresh names and step numbers
  cost: number;
}

interface FnState {
  usesFns: boolean;
  usesAfns: boolean;
}

interface Ctx {
  r: Renderer;
  u: UnitState;
  fn: FnState;
  vars: Var[];
  pvars: string[];
  frames: Frame[];
  catchVar: string | null;
  noAwait: boolean;
  exclude: ReadonlySet<string>;
  mult: number;
  loops: number;
  indent: string;
  /** Whether statements are at the top of a function body (no shadowing there: it would redeclare). */
  fnTop: boolean;
  /** Whether the statement being rendered is the first of its block. */
  blockStart: boolean;
  /** Inside an async arrow nested in a unit (see FLAGS.nestedAsyncClosures). */
  nestedFn: boolean;
  /** What `this` (and `super`, `arguments`) is here: the unit's kind, the top level, or a local class. */
  self: UnitKind | "top" | "local";
  /** The function being rendered: 0 async, 1 async generator, 2 generator (which cannot await). */
  gen: number;
}

/** Whether closures may be created here (see FLAGS.nestedAsyncClosures). */
function closuresAllowed(c: Ctx): boolean {
  return !(c.nestedFn && c.r.disabled.has("nestedAsyncClosures"));
}

const NO_EXCLUDE: ReadonlySet<string> = new Set();

export const PRELUDE = `const short = (v, depth = 0) => {
  if (typeof v === "string") return v.length > 100 ? "<string of length " + v.length + ">" : v;
  if (v instanceof Error && v.name === "SuppressedError" && depth < 4) return "<SuppressedError: " + v.message + ", error " + short(v.error, depth + 1) + ", suppressed " + short(v.suppressed, depth + 1) + ">";
  if (v instanceof Error) return "<" + v.name + ": " + v.message + ">";
  if (v === null || typeof v !== "object") return v;
  if (depth > 3) return "<deep " + (Array.isArray(v) ? "array" : "object") + ">";
  if (Array.isArray(v)) return v.map((x) => short(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, short(x, depth + 1)]));
};
const log = (...a) => console.log(...a.map((x) => short(x)));
const join = (...a) => a.map(String).join("|");
const sites = [];
const tag = (s, ...v) => {
  let site = sites.indexOf(s);
  if (site < 0) site = sites.push(s) - 1;
  return "site" + site + ":" + s.raw.join("_") + ":" + v.map(String).join(",");
};
const mark = (tag, v) => (log("eval", tag), v);
const reflect = (f) => {
  let constructs = true;
  try { Reflect.construct(String, [], f); } catch { constructs = false; }
  const proto = Object.getPrototypeOf(f);
  return [typeof f, proto === Function.prototype ? "Function" : proto[Symbol.toStringTag], f.constructor.name, f.name, f.length,
    Object.getOwnPropertyNames(f).sort().join(","), constructs].join(" ");
};
const NONE = null;
const notFn = (v) => (typeof v === "function" ? null : v);
const patched = { iterator: 0, then: 0, call: 0 };
const patch = (bits) => {
  const { apply } = Reflect;
  if (bits & 1) {
    const values = Array.prototype[Symbol.iterator];
    Array.prototype[Symbol.iterator] = function () { patched.iterator++; return apply(values, this, []); };
  }
  if (bits & 2) {
    const then = Promise.prototype.then;
    Promise.prototype.then = function (onFulfilled, onRejected) { patched.then++; return apply(then, this, [onFulfilled, onRejected]); };
  }
  if (bits & 4) {
    Function.prototype.call = function (thisArg, ...args) { patched.call++; return apply(this, thisArg, args); };
  }
};
let G = 0;
const S = { a: 1, b: 2, c: 3 };
const A = { _x: 0, get x() { log("get x", short(this._x)); return this._x; }, set x(v) { log("set x", short(v)); this._x = v; } };
class Sub extends Promise {}
const getterThenable = (v) => ({ get then() { log("get then", short(v)); return (resolve) => resolve(v); } });
const thenable = (v) => ({ then(resolve) { log("then", short(v)); resolve(v); } });
const lateThenable = (v) => ({ then(resolve) { log("late then", short(v)); Promise.resolve().then(() => resolve(v)); } });
const badThenable = (e) => ({ then(resolve, reject) { log("bad then"); reject(e); } });
const lateBadThenable = (e) => ({ then(resolve, reject) { log("late bad then"); Promise.resolve().then(() => reject(e)); } });
const throwingThenable = (e) => ({ then() { log("throwing then"); throw e; } });
const throwingGetter = (e) => ({ get then() { log("get then throws"); throw e; } });
const timer = (v) => new Promise((resolve) => setTimeout(resolve, 0, v));
const ticker = (name, n) => { let p = Promise.resolve(); for (let i = 1; i <= n; i++) p = p.then(() => log(name, i)); return p; };
function iter(name, n, mode = 0) {
  let i = 0;
  return {
    [Symbol.iterator]() { return this; },
    next() {
      i++;
      log(name, "next", i);
      if (mode === 2 && i > n) throw new Error(name + " next");
      return { value: i * 10, done: i > n };
    },
    return() {
      log(name, "return", i);
      if (mode === 1) throw new Error(name + " return");
      return {};
    },
  };
}
function aiter(name, n, mode = 0) {
  let i = 0;
  return {
    [Symbol.asyncIterator]() { return this; },
    next(v) {
      i++;
      log(name, "anext", i, v);
      if (mode === 2 && i > n) return Promise.reject(new Error(name + " anext"));
      const result = { value: i * 10, done: i > n };
      return i % 2 ? Promise.resolve(result) : result;
    },
    return(v) {
      log(name, "areturn", i, v);
      if (mode === 1) throw new Error(name + " areturn");
      return Promise.resolve({ value: v, done: true });
    },
  };
}
async function drive(t, g, style) {
  const out = [];
  try {
    if (style === 0) {
      if (g[Symbol.asyncIterator]) for await (const v of g) out.push(v);
      else for (const v of g) out.push(v);
    } else if (style === 1) {
      const requests = [g.next("s1"), g.next("s2"), g.next("s3"), g.next("s4")];
      for (const r of await Promise.allSettled(requests)) out.push(r.status === "fulfilled" ? r.value : "rejected " + short(r.reason));
    } else {
      out.push(await g.next("a"));
      if (style === 2) out.push(await g.return("R"));
      else if (style === 3) out.push(await g.throw(new Error(t + " thrown")));
      else out.push(await g.next("b"), await g.return("late"));
      out.push(await g.next("c"));
    }
  } catch (e) {
    out.push("caught " + short(e));
  }
  log(t, "drive", style, out);
  return out.length;
}
class Box { constructor(v) { this.v = v; } }
const disposable = (t, id, mode) => mode % 3 === 0 ? (mode % 2 ? undefined : null) : {
  [Symbol.dispose]() { log(t, id, "dispose"); if (mode % 3 === 2) throw new Error(t + " dispose " + id); },
};
const asyncDisposable = (t, id, mode) => {
  switch (mode % 6) {
    case 0: return mode % 4 ? undefined : null;
    case 1: return { [Symbol.dispose]() { log(t, id, "sync dispose"); if (mode > 6) throw new Error(t + " sync dispose " + id); } };
    case 2: return { [Symbol.asyncDispose]() { log(t, id, "async dispose"); return Promise.resolve().then(() => log(t, id, "disposed")); } };
    case 3: return { async [Symbol.asyncDispose]() { log(t, id, "async dispose throws"); await null; throw new Error(t + " async dispose " + id); } };
    case 4: return { [Symbol.asyncDispose]() { log(t, id, "dispose thenable"); return mode > 6 ? badThenable(new Error(t + " thenable " + id)) : thenable(id); } };
    default: return { [Symbol.asyncDispose]() { log(t, id, "async dispose returns"); return mode; } };
  }
};`;

class Renderer {
  counts = new Map<string, number>();
  costs: number[] = [];
  kinds: UnitKind[];
  /** Per unit: 0 async function, 1 async generator, 2 generator. */
  gens: number[];
  disabled: ReadonlySet<string>;
  /** The program has `using` and so runs on Node 24: constructs that diverge only there are avoided. */
  node24 = false;
  constructor(readonly model: ProgramModel, options: GenOptions) {
    this.kinds = model.units.map((u) => u.kind);
    this.gens = model.units.map((u) => (u.kind === "arrow" ? 0 : (u.gen ?? 0)));
    this.disabled = new Set(options.disable ?? []);
  }
  add(key: string, n = 1) {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
}

export function render(model: ProgramModel, options: GenOptions = {}): Rendered {
  if (options.node24) return renderProgram(model, options, true);
  const rendered = renderProgram(model, options, false);
  return needsNode24(model, rendered) ? renderProgram(model, options, true) : rendered;
}

/**
 * Programs run on Node 24 when they use `using`, or replace the array iterator: on Node 20 a class without
 * a constructor (a machine class with no fields) spreads its arguments through it (known-divergences.txt,
 * node20: patched-builtins/machine-default-constructor.js).
 */
function needsNode24(model: ProgramModel, rendered: Rendered): boolean {
  return rendered.counts.has("stmt.using") || ((model.patch ?? 0) & 1) !== 0;
}

function renderProgram(model: ProgramModel, options: GenOptions, node24: boolean): Rendered {
  const r = new Renderer(model, options);
  r.node24 = node24;
  const n = model.units.length;
  const rendered: string[] = new Array(n);
  r.costs = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) rendered[i] = renderUnit(r, i);

  const out: string[] = [];
  r.add(model.strict ? "program.strict" : "program.sloppy");
  if (model.anonymousBase) r.add("program.anonymousBase");
  if (model.strict) out.push(`"use strict";`);
  out.push(PRELUDE);
  const methods = { base: [] as string[], derived: [] as string[] };
  for (let i = 0; i < n; i++) {
    const kind = r.kinds[i];
    if (kind === "fn" || kind === "arrow") out.push(rendered[i]);
    else if (kind === "base") methods.base.push(rendered[i]);
    else methods.derived.push(rendered[i]);
  }
  out.push(
    [
      model.anonymousBase ? "const Base = class {" : "class Base {",
      "  #p = 0;",
      "  constructor(n) { this.n = n; }",
      `  helper(x) { log("Base.helper", x); return join("B", x, this.#p); }`,
      `  static sHelper(x) { log("Base.sHelper", x); return join("BS", x); }`,
      ...methods.base,
      model.anonymousBase ? "};" : "}",
      "class Derived extends Base {",
      "  static count = 0;",
      `  helper(x) { log("Derived.helper", x); return join("D", x); }`,
      ...methods.derived,
      "}",
      "const obj = new Derived(1);",
    ].join("\n"),
  );

  // Top level: the concurrent tasks.
  const u: UnitState = { index: -1, kind: "top", name: "main", next: 0, cost: 0 };
  const c: Ctx = {
    r, u, fn: { usesFns: false, usesAfns: false }, vars: [], pvars: [], frames: [], catchVar: null, noAwait: true,
    exclude: NO_EXCLUDE, mult: 1, loops: 0, indent: "", fnTop: true, blockStart: false, nestedFn: false, self: "top", gen: 0,
  };
  const patchBits = model.patch ?? 0;
  if (patchBits) {
    if (patchBits & 1) r.add("patch.iterator");
    if (patchBits & 2) r.add("patch.then");
    if (patchBits & 4) r.add("patch.call");
    out.push(`patch(${patchBits});`);
  }
  if (model.ticker > 0) {
    r.add("top.ticker");
    out.push(`ticker("T", ${model.ticker});`);
  }
  model.top.forEach((task, position) => {
    const name = JSON.stringify(String.fromCharCode(65 + position));
    if (task.k === "timer") {
      r.add("top.timer");
      out.push(`setTimeout(() => log(${name}, "timer", G), 0);`);
      return;
    }
    if (task.k === "run") {
      r.add("top.run");
      const arg = task.arg === null ? "undefined" : String(task.arg);
      const handlers = [
        `.then((v) => log(${name}, "done", v), (e) => log(${name}, "failed", e))`,
        `.catch((e) => log(${name}, "caught", e)).finally(() => log(${name}, "finally"))`,
        `.then((v) => { log(${name}, "then", v); return thenable(v); }).then((v) => log(${name}, "done", v), (e) => log(${name}, "failed", e))`,
      ][task.style];
      out.push(`${driven(c, task.callee % n, `${calleeName(c, task.callee % n)}(${name}, ${argFor(c, task.callee % n, arg)})`, name, position % 5)}${handlers};`);
      return;
    }
    r.add(`top.${task.op}`);
    const calls = task.callees.map((j, k) => driven(c, j % n, `${calleeName(c, j % n)}(${name} + ${k}, ${argFor(c, j % n, String(k))})`, `${name} + ${k}`, k));
    out.push(`Promise.${task.op}([${calls.join(", ")}]).then((v) => log(${name}, "${task.op}", v), (e) => log(${name}, "${task.op} failed", e));`);
  });
  // What reflection sees of every generated function (kind, prototype chain, name, length, own keys).
  r.add("program.reflect");
  out.push(`log("reflect", ${model.units.map((_, j) => `reflect(${calleeName(c, j)})`).join(", ")});`);
  const counts = patchBits ? `, join(patched.iterator, patched.then, patched.call)` : "";
  out.push(`log("main", "sync end"${counts});`);
  out.push(`setTimeout(() => log("final", G, S, A._x, obj.n, Derived.count${counts}), 0);`);
  // (a program with `using` or a replaced array iterator runs on Node 24 only: test/support/fixtures.ts reads this line)
  const header = r.node24 ? "// requires node 24\n" : "";
  return { code: header + out.join("\n") + "\n", counts: r.counts };
}

function unitName(kind: UnitKind, index: number): string {
  return (kind === "fn" ? "f" : kind === "arrow" ? "a" : kind === "static" ? "s" : "m") + index;
}

/** How unit j is called from context c (a method through `this` where that is the instance or the class). */
function calleeName(c: Ctx, j: number): string {
  const kind = c.r.kinds[j];
  const name = unitName(kind, j);
  const here = c.self;
  if (kind === "fn" || kind === "arrow") return name;
  if (kind === "static") return here === "static" ? `this.${name}` : `Derived.${name}`;
  return here === "base" || here === "derived" ? `this.${name}` : `obj.${name}`;
}

/** A call of unit j; a generator unit's object is consumed by `drive` (a promise either way). */
function driven(c: Ctx, j: number, call: string, task: string, style: number): string {
  const gen = c.r.gens[j];
  if (gen === 0) return call;
  c.r.add(`drive.${style}`);
  return `drive(${task}, ${call}, ${style})`;
}

/** The argument for unit j's `n`: wrapped for a destructured parameter. */
function argFor(c: Ctx, j: number, code: string): string {
  return c.r.model.units[j].params === 2 ? `{ v: ${code} }` : code;
}

function renderUnit(r: Renderer, index: number): string {
  const model = r.model.units[index];
  const name = unitName(model.kind, index);
  r.add(`unit.${model.kind}`);
  const u: UnitState = { index, kind: model.kind, name, next: 0, cost: 0 };
  const indent = model.kind === "fn" || model.kind === "arrow" ? "  " : "    ";
  const gen = r.gens[index];
  if (gen === 1) r.add("unit.asyncGenerator");
  if (gen === 2) r.add("unit.generator");
  const c: Ctx = {
    r, u, fn: { usesFns: false, usesAfns: false }, vars: [{ name: "n", writable: true }], pvars: [], frames: [],
    catchVar: null, noAwait: gen === 2, exclude: NO_EXCLUDE, mult: 1, loops: 0, indent, fnTop: true, blockStart: false,
    nestedFn: false, self: model.kind, gen,
  };
  const body = [`${indent}log(t, "enter", "${name}", n);`];
  const dead = model.deadTail ? { name: fresh(c, "late"), peek: fresh(c, "peek"), error: fresh(c, "e"), kind: model.deadTail } : null;
  if (dead) {
    r.add("unit.deadTail");
    body.push(`${indent}const ${dead.peek} = () => ${dead.kind === "class" ? `${dead.name}.name` : dead.name};`);
  }
  body.push(...stmts(model.body, c));
  body.push(...epilogue(c, name));
  if (dead) {
    const { peek, error } = dead;
    body.push(`${indent}try { log(t, ${step(c)}, ${peek}()); } catch (${error}) { log(t, ${step(c)}, "tdz", ${error}.message); }`);
    body.push(`${indent}try { log(t, ${step(c)}, typeof ${dead.name}); } catch (${error}) { log(t, ${step(c)}, "tdz", ${error}.message); }`);
  }
  if (model.ret) body.push(`${indent}return ${ex(model.ret, c, "return")};`);
  else if (dead) body.push(`${indent}return;`);
  if (dead) body.push(dead.kind === "class" ? `${indent}class ${dead.name} {}` : `${indent}${dead.kind} ${dead.name} = 0;`);
  const lines = withFns(body, c);
  r.costs[index] = u.cost + 1;
  if (model.params === 1) r.add("unit.paramDefault");
  if (model.params === 2) r.add("unit.paramPattern");
  const params = ["t, n", "t, n = 7", `t, { v: n = mark("${name}:default", 7) } = {}`][model.params];
  const close = indent.slice(2);
  const prefix = ["async ", "async *", "*"][gen];
  switch (model.kind) {
    case "fn":
      return [`${["async function ", "async function* ", "function* "][gen]}${name}(${params}) {`, ...lines, "}"].join("\n");
    case "arrow":
      return [`const ${name} = async (${params}) => {`, ...lines, "};"].join("\n");
    case "static":
      return [`  static ${prefix}${name}(${params}) {`, ...lines, `${close}}`].join("\n");
    default:
      return [`  ${prefix}${name}(${params}) {`, ...lines, `${close}}`].join("\n");
  }
}

/** Declares `fns` and `afns` (closures pushed by the body) at the top of a function that uses them. */
function withFns(lines: string[], c: Ctx): string[] {
  const head: string[] = [];
  if (c.fn.usesFns) head.push(`${c.indent}const fns = [];`);
  if (c.fn.usesAfns) head.push(`${c.indent}const afns = [];`);
  return [...head, ...lines];
}

/** At the end of a function body: call the closures it pushed (the async ones concurrently, awaited). */
function epilogue(c: Ctx, name: string): string[] {
  const lines: string[] = [];
  if (c.fn.usesFns) lines.push(`${c.indent}log(t, "${name}", "fns", fns.map((f) => f()));`);
  if (c.fn.usesAfns) {
    c.r.add("stmt.runAsyncClosures");
    c.u.cost += c.mult;
    lines.push(`${c.indent}log(t, "${name}", "afns", await Promise.all(afns.map((f) => f())));`);
  }
  return lines;
}

/** The context of a function nested in the current one (an async arrow or a local method). */
function nestedFnCtx(c: Ctx, indent = c.indent + "  "): Ctx {
  return {
    ...c,
    fn: { usesFns: false, usesAfns: false },
    vars: [...c.vars],
    pvars: [...c.pvars],
    frames: [],
    catchVar: null,
    exclude: NO_EXCLUDE,
    indent,
    fnTop: true,
    blockStart: false,
    nestedFn: true,
    noAwait: false,
    gen: 0,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Expressions

function step(c: Ctx): string {
  return JSON.stringify(`${c.u.name}:${++c.u.next}`);
}

function fresh(c: Ctx, prefix: string): string {
  return `${prefix}${++c.u.next}`;
}

function pickVar(c: Ctx, i: number, writable: boolean): Var | null {
  const candidates = c.vars.filter((v) => (!writable || v.writable) && !c.exclude.has(`var:${v.name}`));
  if (candidates.length === 0) return null;
  return candidates[candidates.length - 1 - (i % candidates.length)];
}

function fallbackRead(c: Ctx): string {
  return pickVar(c, 0, false)?.name ?? "1";
}

function inMethod(c: Ctx): "base" | "derived" | "static" | null {
  const kind = c.self;
  return kind === "base" || kind === "derived" || kind === "static" ? kind : null;
}

function thisRef(c: Ctx, priv: boolean): string | null {
  if (c.exclude.has("this")) return null;
  if (c.self === "local") return "this.n";
  const where = inMethod(c);
  if (!where) return null;
  if (where === "static") return "this.count";
  return priv && where === "base" ? "this.#p" : "this.n";
}

function lit(e: Expr & { k: "num" | "str" | "kw" }): string {
  if (e.k === "num") return e.v < 0 ? `(${e.v})` : String(e.v);
  if (e.k === "str") return JSON.stringify(e.v);
  return e.v;
}

function renderArgs(args: Arg[], c: Ctx, pos: string): string {
  return args
    .map((a) => {
      switch (a.k) {
        case "plain":
          return ex(a.e, c, pos);
        case "spreadArr":
          return `...[${a.items.map((e) => ex(e, c, "array.element")).join(", ")}]`;
        case "spreadIter":
          return `...iter(${JSON.stringify(`${c.u.name}:it${++c.u.next}`)}, ${a.n})`;
        case "spreadAwait": {
          const inner = `[${a.items.map((e) => ex(e, c, "array.element")).join(", ")}]`;
          return `...${awaitExpr({ k: "wrap", w: a.w, e: { k: "num", v: 0 } }, c, "spread", inner)}`;
        }
      }
    })
    .join(", ");
}

function renderTarget(t: Target, c: Ctx, keyPos = "assign.targetKey"): { code: string; id: string } {
  switch (t.k) {
    case "var": {
      const v = pickVar(c, t.i, true);
      if (v) {
        c.r.add("assign.toVar");
        return { code: v.name, id: `var:${v.name}` };
      }
      c.r.add("assign.toGlobal");
      return { code: "G", id: "G" };
    }
    case "global":
      c.r.add("assign.toGlobal");
      return { code: "G", id: "G" };
    case "prop":
      if (t.key === "x") {
        c.r.add("assign.toAccessor");
        return { code: "A.x", id: "A" };
      }
      c.r.add("assign.toProp");
      return { code: `S.${t.key}`, id: "S" };
    case "computed":
      c.r.add("assign.toComputed");
      return { code: `S[${ex(t.key, { ...c, exclude: NO_EXCLUDE }, keyPos)}]`, id: "S" };
    case "super": {
      // `super.n = v` writes this.n; in a static method `super.count = v` writes Derived.count.
      const where = inMethod(c);
      if (where === "derived" || where === "static") {
        c.r.add("assign.toSuper");
        return { code: where === "static" ? "super.count" : "super.n", id: "this" };
      }
      return renderTarget({ k: "this", priv: false }, c, keyPos);
    }
    case "this": {
      const ref = thisRef({ ...c, exclude: NO_EXCLUDE }, t.priv);
      if (ref) {
        c.r.add("assign.toThis");
        return { code: ref, id: "this" };
      }
      c.r.add("assign.toGlobal");
      return { code: "G", id: "G" };
    }
  }
}

function withExclude(c: Ctx, ...ids: string[]): Ctx {
  return { ...c, exclude: new Set([...c.exclude, ...ids]) };
}

/** Renders an expression; `pos` names the syntactic position it sits in (for `await@POS` counts). */
function ex(e: Expr, c: Ctx, pos: string): string {
  switch (e.k) {
    case "num":
    case "str":
    case "kw":
      return lit(e);
    case "var":
      return pickVar(c, e.i, false)?.name ?? "1";
    case "global":
      return c.exclude.has("G") ? "0" : "G";
    case "prop":
      if (e.key === "x") return c.exclude.has("A") ? "3" : "A.x";
      return c.exclude.has("S") ? "2" : `S.${e.key}`;
    case "this": {
      const ref = thisRef(c, e.priv);
      if (!ref) return fallbackRead(c);
      c.r.add(ref === "this.#p" ? "expr.thisPrivate" : "expr.this");
      return ref;
    }
    case "await":
      return awaitExpr(e.a, c, pos);
    case "mark":
      c.r.add("expr.mark");
      return `mark(${step(c)}, ${ex(e.e, c, "mark")})`;
    case "bin":
      return `(${ex(e.l, c, "binary.left")} ${e.op} ${ex(e.r, c, "binary.right")})`;
    case "unary":
      return `(${e.op} ${ex(e.e, c, "unary")})`;
    case "logical":
      return `(${ex(e.l, c, `${e.op}.left`)} ${e.op} ${ex(e.r, c, `${e.op}.right`)})`;
    case "cond":
      return `(${ex(e.c, c, "cond.test")} ? ${ex(e.a, c, "cond.then")} : ${ex(e.b, c, "cond.else")})`;
    case "call":
      return `join(${renderArgs(e.args, c, "call.arg")})`;
    case "method":
      return `obj.helper(${renderArgs(e.args, c, "method.arg")})`;
    case "optCall":
      if (!e.present) c.r.add("expr.optionalShortCircuit");
      return `${e.present ? "join" : "NONE"}?.(${renderArgs(e.args, c, "optionalCall.arg")})`;
    case "index":
      return `[${e.items.map((x) => ex(x, c, "array.element")).join(", ")}][${ex(e.key, c, "member.key")}]`;
    case "member":
      if (c.exclude.has("S")) return ex(e.key, c, "member.key");
      return `S[${ex(e.key, c, "member.key")}]`;
    case "optMember":
      if (c.exclude.has("S") && e.present) return ex(e.key, c, "optionalMember.key");
      if (!e.present) c.r.add("expr.optionalShortCircuit");
      return `${e.present ? "S" : "NONE"}?.[${ex(e.key, c, "optionalMember.key")}]`;
    case "getA":
      return `(${ex(e.obj, c, "member.object")})?.a`;
    case "array":
      return `[${renderArgs(e.items, c, "array.element")}]`;
    case "object":
      return `({ ${e.props
        .map((p) => (typeof p.key === "string" ? `${p.key}: ` : `[${ex(p.key, c, "object.key")}]: `) + ex(p.v, c, "object.value"))
        .join(", ")} })`;
    case "template":
      return "`<" + e.parts.map((p) => "${" + ex(p, c, "template") + "}").join("-") + ">`";
    case "tagged":
      return "tag`<" + e.parts.map((p) => "${" + ex(p, c, "taggedTemplate") + "}").join("-") + ">`";
    case "assign": {
      const target = renderTarget(e.t, c);
      c.r.add(`assign.${e.op}`);
      const where = e.op === "=" ? "assign" : e.op.length === 3 ? e.op : "compoundAssign";
      return `(${target.code} ${e.op} ${ex(e.v, withExclude(c, target.id), where)})`;
    }
    case "update": {
      const target = renderTarget(e.t, c);
      c.r.add(target.code.startsWith("super") ? "expr.updateSuper" : "expr.update");
      return e.prefix ? `(${e.op}${target.code})` : `(${target.code}${e.op})`;
    }
    case "seq":
      return `(${ex(e.l, c, "sequence")}, ${ex(e.r, c, "sequence")})`;
    case "in":
      if (c.exclude.has("S")) return ex(e.key, c, "in");
      return `(${ex(e.key, c, "in")} in S)`;
    case "instanceof":
      return `(${ex(e.e, c, "instanceof")} instanceof Box)`;
    case "new":
      return `new Box(${ex(e.arg, c, "new.arg")}).v`;
    case "delete":
      if (c.exclude.has("S")) return ex(e.key, c, "delete.key");
      c.r.add("expr.delete");
      return `(delete S[${ex(e.key, c, "delete.key")}])`;
    case "argsLength":
      // `arguments` of the enclosing function (never of an arrow unit: that would be the script's); only its
      // length, which sloppy-mode mapping does not change.
      if (c.self === "arrow" || c.self === "top") return fallbackRead(c);
      c.r.add("expr.argumentsLength");
      return "arguments.length";
    case "super": {
      const where = inMethod(c);
      const argument = ex(e.arg, c, "super.arg");
      if (where === "derived") {
        c.r.add("expr.super");
        return `super.helper(${argument})`;
      }
      if (where === "static") {
        c.r.add("expr.super");
        return `super.sHelper(${argument})`;
      }
      if (where === "base") return `this.helper(${argument})`;
      return `join(${argument})`;
    }
  }
}

function renderThrowVal(v: ThrowVal, c: Ctx, pos: string): string {
  const id = `${c.u.name}:${++c.u.next}`;
  switch (v.k) {
    case "error":
      return `new ${v.ctor}(${JSON.stringify(id)})`;
    case "str":
      return JSON.stringify(`str ${id}`);
    case "num":
      return String(c.u.next);
    case "obj":
      return `({ code: ${JSON.stringify(id)} })`;
    case "expr":
      return ex(v.e, c, pos);
    case "rethrow":
      if (c.catchVar) {
        c.r.add("stmt.rethrow");
        return c.catchVar;
      }
      return `new Error(${JSON.stringify(id)})`;
  }
}

function renderWrap(w: Wrap, inner: string, c: Ctx): string {
  c.r.add(`awaitOn.${w}`);
  if (w === "plain") return inner;
  if (w === "resolve") return `Promise.resolve(${inner})`;
  if (w === "subclass") return `Sub.resolve(${inner})`;
  return `${w}(${inner})`;
}

/**
 * The call of a unit j > the current one, or null when there is none or it would exceed the work budget
 * (the call then degrades to a plain value). `task` is the task-name expression passed on.
 */
function renderCall(spec: CallSpec, c: Ctx, pos: string, task = "t"): string | null {
  const n = c.r.kinds.length;
  const lo = c.u.index + 1;
  if (lo >= n) return null;
  const j = lo + (spec.callee % (n - lo));
  const cost = c.mult * c.r.costs[j];
  if (c.u.cost + cost > LIMITS.unitBudget) {
    c.r.add("call.degraded");
    return null;
  }
  c.u.cost += cost;
  const kind = c.r.kinds[j];
  c.r.add(`call.${kind === "base" || kind === "derived" ? "method" : kind}`);
  return driven(c, j, `${calleeName(c, j)}(${task}, ${argFor(c, j, ex(spec.arg, c, pos))})`, task, spec.drive ?? 0);
}

/** `(await X)`; in a context that cannot await (a sync closure, the top level) the operand's value instead. */
function awaitExpr(a: Awaitable, c: Ctx, pos: string, operand?: string): string {
  if (c.noAwait) {
    if (operand !== undefined) return operand;
    if (a.k === "wrap") return ex(a.e, c, pos);
    return "0";
  }
  c.r.add(`await@${pos}`);
  c.u.cost += c.mult;
  return `(await ${renderAwaitable(a, c, operand)})`;
}

function renderAwaitable(a: Awaitable, c: Ctx, operand?: string): string {
  switch (a.k) {
    case "wrap":
      return renderWrap(a.w, operand ?? ex(a.e, c, "await.operand"), c);
    case "reject": {
      c.r.add(`awaitOn.${a.r}`);
      const value = renderThrowVal(a.v, c, "await.operand");
      return a.r === "reject" ? `Promise.reject(${value})` : `${a.r}(${value})`;
    }
    case "call": {
      const call = renderCall(a.c, c, "call.arg");
      if (!call) return renderWrap("plain", ex(a.c.arg, c, "await.operand"), c);
      c.r.add("awaitOn.call");
      return call;
    }
    case "thenChain": {
      const call = renderCall(a.c, c, "call.arg");
      if (!call) return renderWrap("resolve", ex(a.c.arg, c, "await.operand"), c);
      c.r.add("awaitOn.thenChain");
      return `${call}.then((v) => (log(t, ${step(c)}, "then", v), v))`;
    }
    case "combinator": {
      // Nothing awaits between creating the items and handing them to the combinator: a rejection is never
      // left unhandled for a turn.
      const quiet: Ctx = { ...c, noAwait: true };
      const items = a.items.map((item) => {
        if (item.k === "wrap") return renderWrap(item.w, ex(item.e, quiet, "combinator.arg"), c);
        if (item.k === "reject") {
          c.r.add(`awaitOn.${item.r}`);
          const value = renderThrowVal(item.v, quiet, "combinator.arg");
          return item.r === "reject" ? `Promise.reject(${value})` : `${item.r}(${value})`;
        }
        return renderCall(item.c, quiet, "combinator.arg") ?? ex(item.c.arg, quiet, "combinator.arg");
      });
      c.r.add(`awaitOn.${a.op}`);
      return `Promise.${a.op}([${items.join(", ")}])`;
    }
    case "superCall": {
      if (c.self === "derived") {
        const bases: number[] = [];
        for (let j = c.u.index + 1; j < c.r.kinds.length; j++) if (c.r.kinds[j] === "base") bases.push(j);
        if (bases.length > 0) {
          const j = bases[a.c.callee % bases.length];
          const cost = c.mult * c.r.costs[j];
          if (c.u.cost + cost <= LIMITS.unitBudget) {
            c.u.cost += cost;
            c.r.add("call.super");
            c.r.add("awaitOn.superMethod");
            return driven(c, j, `super.${unitName("base", j)}(t, ${argFor(c, j, ex(a.c.arg, c, "super.arg"))})`, "t", a.c.drive ?? 0);
          }
          c.r.add("call.degraded");
        }
      }
      return renderAwaitable({ k: "call", c: a.c }, c, operand);
    }
    case "pvar": {
      if (c.pvars.length === 0) return renderWrap("plain", "0", c);
      c.r.add("awaitOn.deferred");
      return c.pvars[c.pvars.length - 1 - (a.i % c.pvars.length)];
    }
    case "iife": {
      if (!closuresAllowed(c)) return renderWrap("plain", ex(a.ret, c, "await.operand"), c);
      c.r.add("awaitOn.asyncArrow");
      const inner = nestedFnCtx(c);
      if (a.body.length === 0) {
        c.r.add("asyncArrow.expressionBody");
        return `(async () => (${ex(a.ret, inner, "return")}))()`;
      }
      const body = stmts(a.body, inner);
      body.push(...epilogue(inner, "arrow"));
      body.push(`${inner.indent}return ${ex(a.ret, inner, "return")};`);
      return `(async () => {\n${withFns(body, inner).join("\n")}\n${c.indent}})()`;
    }
    case "local": {
      if (!closuresAllowed(c)) return renderWrap("plain", ex(a.arg, c, "await.operand"), c);
      c.r.add("awaitOn.localClassMethod");
      const name = `Local${++c.u.next}`;
      // Its own `this` (an instance with `n`), `t` and `n` parameters; the unit's other variables are visible.
      const inner: Ctx = { ...nestedFnCtx(c, c.indent + "    "), self: "local" };
      inner.vars = [...c.vars.filter((v) => v.name !== "n"), { name: "n", writable: true }];
      const body = [`${inner.indent}log(t, "enter", "${name}", n);`, ...stmts(a.body, inner)];
      body.push(...epilogue(inner, name));
      body.push(`${inner.indent}return ${ex(a.ret, inner, "return")};`);
      // `extends` and a computed method key may await (in the enclosing function, when the class is created).
      const heritage = a.heritage ? ` extends ${awaitExpr({ k: "wrap", w: a.heritage, e: { k: "num", v: 0 } }, c, "class.heritage", "Box")}` : "";
      const key = a.key ? `[${awaitExpr({ k: "wrap", w: a.key, e: { k: "num", v: 0 } }, c, "class.methodKey", '"m"')}]` : "m";
      const argument = ex(a.arg, c, "call.arg");
      return [
        `new (class ${name}${heritage} {`,
        `${c.indent}  constructor() { ${heritage ? "super(1); " : ""}this.n = 5; }`,
        `${c.indent}  async ${key}(t, n) {`,
        ...withFns(body, inner),
        `${c.indent}  }`,
        `${c.indent}})().m(t, ${argument})`,
      ].join("\n");
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Statements

function stmts(list: Stmt[], c: Ctx): string[] {
  const scope: Ctx = { ...c, vars: [...c.vars], pvars: [...c.pvars] };
  return list.flatMap((s, index) => {
    scope.blockStart = index === 0;
    return st(s, scope);
  });
}

/** Sloppy-only code (class methods and strict programs get a `log` instead): what strict code refuses or runs otherwise. */
function sloppyStmt(s: Extract<Stmt, { k: "sloppy" }>, c: Ctx): string[] {
  const i = c.indent;
  const sloppy = !c.r.model.strict && (c.self === "fn" || c.self === "arrow");
  // (`arguments` of an arrow unit would be the script's)
  const variant = (s.v === 6 || s.v === 9) && c.self !== "fn" ? 3 : s.v;
  // (a generator cannot await: it yields there instead)
  const suspend = c.gen === 2 ? [`${i}  yield 0;`] : c.noAwait ? [] : [`${i}  await 0;`];
  if (!sloppy) {
    c.r.add("stmt.log");
    return [`${i}log(t, ${step(c)}, ${ex(s.e, c, "log.arg")});`];
  }
  switch (variant) {
    case 0: {
      // Names inside are looked up on the object first: `n` is the object's, other variables the function's.
      c.r.add("sloppy.with");
      const object = fresh(c, "wo");
      const lines = [`${i}const ${object} = { n: "with n", w: ${ex(s.e, c, "declInit")} };`, `${i}with (${object}) {`];
      lines.push(`${i}  log(t, ${step(c)}, w, n);`, ...nested(s.body, c), `${i}  log(t, ${step(c)}, w, n);`, `${i}}`);
      lines.push(`${i}log(t, ${step(c)}, ${object});`);
      return lines;
    }
    case 1: {
      c.r.add("sloppy.frozenWrite");
      const frozen = fresh(c, "fz");
      return [`${i}{`, `${i}  const ${frozen} = Object.freeze({ a: 1 });`, `${i}  ${frozen}.a = ${ex(s.e, c, "assign.value")};`, `${i}  log(t, ${step(c)}, ${frozen}.a, delete ${frozen}.a);`, `${i}}`];
    }
    case 2: {
      c.r.add("sloppy.implicitGlobal");
      const name = fresh(c, "ig");
      return [`${i}${name} = ${ex(s.e, c, "assign.value")};`, `${i}log(t, ${step(c)}, typeof ${name}, delete ${name}, typeof ${name});`];
    }
    case 3:
      c.r.add("sloppy.functionThis");
      return [`${i}log(t, ${step(c)}, (function () { return typeof this; })(), (function () { return this === globalThis; }).call(${ex(s.e, c, "call.arg")}));`];
    case 4:
      c.r.add("sloppy.octal");
      return [`${i}log(t, ${step(c)}, 010 + 08, "\\101\\0", ${ex(s.e, c, "log.arg")});`];
    case 5: {
      c.r.add("sloppy.reservedNames");
      // (a generator's body cannot name anything `yield`)
      const yieldName = c.gen === 0 ? "yield" : "yield_";
      const lines = [`${i}{`, `${i}  let protected = ${ex(s.e, c, "declInit")};`, `${i}  var static = "static", ${yieldName} = "yield";`];
      lines.push(...nested(s.body, c), `${i}  log(t, ${step(c)}, protected, static, ${yieldName});`, `${i}}`);
      return lines;
    }
    case 6:
      // The unit's `n` and `arguments[1]` are one variable when the call passed n and the list is plain.
      c.r.add("sloppy.mappedArguments");
      return [`${i}arguments[1] = ${ex(s.e, c, "assign.value")};`, `${i}log(t, ${step(c)}, n, arguments[1], arguments.length);`];
    case 7: {
      // The var is the function's (undefined after the catch); its initializer assigns the catch parameter.
      c.r.add("sloppy.catchParameterVar");
      const name = fresh(c, "cv");
      const lines = [`${i}try {`, `${i}  throw "thrown";`, `${i}} catch (${name}) {`, `${i}  var ${name} = ${ex(s.e, c, "declInit")};`];
      lines.push(...suspend, `${i}  log(t, ${step(c)}, ${name});`, `${i}}`, `${i}log(t, ${step(c)}, typeof ${name});`);
      return lines;
    }
    case 8: {
      // Hoisted to the block's start as any declaration; Annex B's function-wide var once it is reached.
      c.r.add("sloppy.labelledFunction");
      const name = fresh(c, "lf");
      const label = fresh(c, "lbl");
      const lines = [`${i}{`, `${i}  log(t, ${step(c)}, typeof ${name}, ${name}());`, ...suspend];
      lines.push(`${i}  ${label}: function ${name}() { return ${step(c)}; }`, `${i}}`, `${i}log(t, ${step(c)}, typeof ${name});`);
      return lines;
    }
    default:
      // The same binding as the arguments object, which it is until something is assigned to it.
      c.r.add("sloppy.varArguments");
      return [`${i}{`, `${i}  var arguments;`, ...suspend, `${i}  log(t, ${step(c)}, typeof arguments, arguments.length);`, `${i}}`];
  }
}

/**
 * A TypeError whose message quotes source text: V8 quotes what failed (`q is not a function`), which the
 * machine spells otherwise (`(0, this.q)`); the logged message must be the source's.
 */
function quoteStmt(s: Extract<Stmt, { k: "quote" }>, c: Ctx): string[] {
  const i = c.indent;
  const q = fresh(c, "q");
  const error = fresh(c, "e");
  // (`for await` only where awaiting is allowed; `this` only in methods and arrows, whose `this` is an object)
  let variant = s.v;
  if (variant === 7 && (c.noAwait || c.gen !== 0)) variant = 0;
  if (variant === 5 && (c.self === "fn" || c.self === "top")) variant = 4;
  const ops = [
    [`${q}()`, "call"],
    [`new ${q}()`, "new"],
    [`for (const x of ${q}) log(t, ${step(c)}, x)`, "forOf"],
    [`const { a } = ${q}; log(t, ${step(c)}, a)`, "objectPattern"],
    [`${q}.a.b()`, "member"],
    [`this.missing${q}()`, "this"],
    [`${q}\`tag\``, "tag"],
    [`for await (const x of ${q}) log(t, ${step(c)}, x)`, "forAwait"],
  ][variant];
  c.r.add(`quote.${ops[1]}`);
  const late = s.late && !c.noAwait;
  c.r.add(late ? "quote.lowered" : "quote.kept");
  const lines = [`${i}{`, `${i}  const ${q} = notFn(${ex(s.e, c, "declInit")});`];
  // Across an await (or a yield) the local lives in a field of the machine.
  if (!c.noAwait) lines.push(`${i}  await null;`);
  lines.push(`${i}  try { ${ops[0]};${late ? " await null;" : ""} } catch (${error}) { log(t, ${step(c)}, "quote", ${error}.name, ${error}.message); }`, `${i}}`);
  return lines;
}

function nested(list: Stmt[], c: Ctx, extra: Partial<Ctx> = {}): string[] {
  return stmts(list, { ...c, indent: c.indent + "  ", fnTop: false, ...extra });
}

function guarded(text: string, guard: Expr | null, c: Ctx): string {
  return guard ? `if (${ex(guard, c, "if.test")}) ${text}` : text;
}

function crossing(c: Ctx, from: number, kind: string) {
  const above = c.frames.slice(from);
  if (above.some((f) => f.k === "finally")) c.r.add(`cross.finally.${kind}`);
  if (above.some((f) => f.k === "inFinally")) c.r.add(`finally.override.${kind}`);
}

function loopBound(bound: number, c: Ctx): number {
  return c.loops >= 2 ? Math.min(bound, 1) : bound;
}

function loopCtx(c: Ctx, iterations: number, label: string | null, binding: Var[] = []): Ctx {
  c.u.cost += c.mult * iterations;
  return {
    ...c,
    indent: c.indent + "  ",
    vars: [...c.vars, ...binding],
    frames: [...c.frames, { k: "loop", label }],
    mult: c.mult * Math.max(iterations, 1),
    loops: c.loops + 1,
    fnTop: false,
  };
}

/** See the `refuse` statement. */
function refuse(s: Extract<Stmt, { k: "refuse" }>, c: Ctx): string[] {
  const i = c.indent;
  const k = fresh(c, "k");
  const error = fresh(c, "e");
  const ops: [string, string][] = [
    [`${k} = 1`, "="],
    [`${k} += 1`, "+="],
    [`${k}++`, "++"],
    [`[${k}] = [1]`, "arrayPattern"],
    [`({ a: ${k} } = { a: 1 })`, "objectPattern"],
    [`for (${k} of [1]);`, "forOf"],
    [`for (${k} in { a: 1 });`, "forIn"],
    [`${k} ??= 1`, "??="],
  ];
  const [op, name] = ops[s.v % ops.length];
  c.r.add(`refuse.${name}`);
  const late = s.late && !c.noAwait;
  c.r.add(late ? "refuse.lowered" : "refuse.kept");
  const lines = [`${i}{`, `${i}  const ${k} = ${ex(s.e, c, "declInit")};`];
  // Across an await the constant lives in a field of the machine.
  if (!c.noAwait) lines.push(`${i}  await null;`);
  lines.push(
    `${i}  try { ${op};${late ? " await null;" : ""} } catch (${error}) { log(t, ${step(c)}, "refused", ${error}.name, ${error}.message); }`,
    `${i}  log(t, ${step(c)}, ${k});`,
    `${i}}`,
  );
  return lines;
}

/** See the `innerDecl` statement. */
function innerDecl(s: Extract<Stmt, { k: "innerDecl" }>, c: Ctx): string[] {
  if (!closuresAllowed(c)) return [`${c.indent}log(t, ${step(c)}, ${s.v});`];
  c.r.add("stmt.innerDecl");
  const name = fresh(c, "d");
  const reader = fresh(c, "r");
  // (two declarations of a name only where they are `var`s: at the top of a function body)
  const twice = s.twice && c.fnTop;
  const i = c.fnTop ? c.indent : c.indent + "  ";
  const declare = (v: number) =>
    s.fn === 0 ? `${i}async function ${name}() { return ${v}; }` : `${i}${s.fn === 2 ? "async " : ""}function* ${name}() { yield ${v}; }`;
  if (s.early) return inBlock(innerDeclEarly(s, name, i, c), c);
  const lines = [declare(s.v)];
  if (twice) {
    c.r.add("innerDecl.twice");
    lines.push(declare(s.v + 1));
  }
  // (read before the await: natively the value the name has when the arrow is called)
  lines.push(`${i}const ${reader} = async () => [${name}, await null];`);
  lines.push(`${i}${reader}().then((v) => log(t, ${step(c)}, typeof v[0], typeof ${name}));`);
  lines.push(`${i}log(t, ${step(c)}, typeof ${name}, ${name}.name, Object.getPrototypeOf(${name}) === Object.getPrototypeOf(${declare(0).trim().replace(/ \w+\(\)/, "()")}));`);
  if (s.reassign) {
    c.r.add("innerDecl.reassign");
    lines.push(`${i}${name} = ${s.v};`);
  }
  return inBlock(lines, c);
}

/** innerDecl's lines as they stand: at the top of a function body, or in a block of their own. */
function inBlock(lines: string[], c: Ctx): string[] {
  if (c.fnTop) return lines;
  c.r.add("innerDecl.inBlock");
  return [`${c.indent}{`, ...lines, `${c.indent}}`];
}

/** innerDecl with `early`: the declaration `name` reads a `let` that a call before it finds uninitialized. */
function innerDeclEarly(s: Extract<Stmt, { k: "innerDecl" }>, name: string, i: string, c: Ctx): string[] {
  c.r.add("innerDecl.early");
  const local = fresh(c, "c");
  const early = fresh(c, "x");
  const error = fresh(c, "e");
  const declaration = s.fn === 0 ? `async function ${name}() { return ${local}; }` : `${s.fn === 2 ? "async " : ""}function* ${name}() { yield ${local}; }`;
  const outcome = (label: string) => [`(v) => log(t, ${step(c)}, "${label}", v)`, `(${error}) => log(t, ${step(c)}, "${label} rejected", ${error}.name)`].join(", ");
  const first =
    s.fn === 0 ? `${early}.then(${outcome("early")});`
    : s.fn === 1 ? `try { log(t, ${step(c)}, "early", ${early}.next().value); } catch (${error}) { log(t, ${step(c)}, "early threw", ${error}.name); }`
    : `${early}.next().then((r) => r.value).then(${outcome("early")});`;
  const again = s.fn === 0 ? `${name}().then(${outcome("late")});` : s.fn === 1 ? `log(t, ${step(c)}, "late", [...${name}()]);` : `${name}().next().then((r) => r.value).then(${outcome("late")});`;
  return [`${i}const ${early} = ${name}();`, `${i}${first}`, `${i}let ${local} = ${s.v};`, `${i}${declaration}`, `${i}${again}`];
}

function labelFor(flag: boolean, c: Ctx): string | null {
  if (!flag) return null;
  c.r.add("label.loop");
  return `L${++c.u.next}`;
}

function st(s: Stmt, c: Ctx): string[] {
  const i = c.indent;
  switch (s.k) {
    case "log":
      c.r.add("stmt.log");
      return [`${i}log(t, ${step(c)}, ${ex(s.e, c, "log.arg")});`];
    case "expr":
      c.r.add("stmt.expr");
      return [`${i}${ex(s.e, c, "statement")};`];
    case "decl": {
      let name = fresh(c, "v");
      c.r.add(`stmt.${s.kind}`);
      if (s.shadow && s.kind !== "var" && c.blockStart && !c.fnTop) {
        // Only a writable variable (a loop binding may be captured by a closure pushed before this line) and
        // never the catch parameter of this block (that would redeclare it). The initializer cannot see it.
        const outer = c.vars.filter((v) => v.writable && v.name !== c.catchVar);
        if (outer.length > 0) {
          name = outer[outer.length - 1].name;
          c.vars = c.vars.filter((v) => v.name !== name);
          c.r.add("stmt.shadow");
        }
      }
      const line = `${i}${s.kind} ${name} = ${ex(s.e, c, "declInit")};`;
      c.vars.push({ name, writable: s.kind !== "const" });
      return [line];
    }
    case "sloppy":
      return sloppyStmt(s, c);
    case "quote":
      return quoteStmt(s, c);
    case "tdz": {
      // The closure is created before the declaration, so the lowered function must keep the binding
      // uninitialized until then, whether it stays a local or (across an await or yield) becomes a field.
      c.r.add("stmt.tdz");
      const name = fresh(c, "z");
      const peek = fresh(c, "peek");
      const error = fresh(c, "e");
      const read = s.kind === "class" ? `${name}.name` : name;
      if (s.dead) {
        // Declared only in code that never runs: still declared, so every read throws (never "not defined").
        c.r.add("stmt.tdz.dead");
        const label = fresh(c, "dead");
        // (an await in the first log splits the block into states; the reads after it are then all in one)
        return [
          `${i}${label}: {`,
          `${i}  log(t, ${step(c)}, ${ex(s.e, c, "log.arg")});`,
          `${i}  const ${peek} = () => ${read};`,
          `${i}  try { log(t, ${step(c)}, ${peek}()); } catch (${error}) { log(t, ${step(c)}, "tdz", ${error}.message); }`,
          `${i}  try { log(t, ${step(c)}, typeof ${name}); } catch (${error}) { log(t, ${step(c)}, "tdz", ${error}.message); }`,
          `${i}  break ${label};`,
          s.kind === "class" ? `${i}  class ${name} {}` : `${i}  ${s.kind} ${name} = 0;`,
          // (a suspension after it, which never runs either, has the block lowered statement by statement)
          ...(c.gen === 2 ? [`${i}  yield 0;`] : c.noAwait ? [] : [`${i}  await 0;`]),
          `${i}}`,
        ];
      }
      const lines = [
        `${i}{`,
        `${i}  const ${peek} = () => ${read};`,
        `${i}  try { log(t, ${step(c)}, ${peek}()); } catch (${error}) { log(t, ${step(c)}, "tdz", ${error}.message); }`,
      ];
      if (s.kind === "class") lines.push(`${i}  log(t, ${step(c)}, ${ex(s.e, c, "log.arg")});`, `${i}  class ${name} {}`);
      else lines.push(`${i}  ${s.kind} ${name} = ${ex(s.e, c, "declInit")};`);
      lines.push(`${i}  log(t, ${step(c)}, ${peek}());`, `${i}}`);
      return lines;
    }
    case "innerDecl":
      return innerDecl(s, c);
    case "refuse":
      return refuse(s, c);
    case "destr":
      return destructure(s, c);
    case "if": {
      const test = ex(s.c, c, "if.test");
      c.r.add(s.b ? "stmt.ifElse" : "stmt.if");
      const lines = [`${i}if (${test}) {`, ...nested(s.a, c)];
      if (s.b) lines.push(`${i}} else {`, ...nested(s.b, c));
      lines.push(`${i}}`);
      return lines;
    }
    case "while":
    case "doWhile": {
      const bound = loopBound(s.bound, c);
      const counter = fresh(c, "w");
      const label = labelFor(s.label, c);
      const inner = loopCtx(c, s.k === "doWhile" ? Math.max(bound, 1) : bound, label);
      c.r.add(`stmt.${s.k}`);
      const extra = s.c ? ` && ${ex(s.c, { ...c, mult: inner.mult }, "loop.test")}` : "";
      const head = label ? `${label}: ` : "";
      if (s.k === "while") {
        return [`${i}let ${counter} = 0;`, `${i}${head}while (${counter}++ < ${bound}${extra}) {`, ...stmts(s.body, inner), `${i}}`];
      }
      return [`${i}let ${counter} = 0;`, `${i}${head}do {`, ...stmts(s.body, inner), `${i}} while (++${counter} < ${bound}${extra});`];
    }
    case "for": {
      const bound = loopBound(s.bound, c);
      const name = fresh(c, "i");
      const label = labelFor(s.label, c);
      const inner = loopCtx(c, bound, label, [{ name, writable: false }]);
      c.r.add("stmt.for");
      const aw = (w: Wrap | null, value: number, pos: string, ctx: Ctx) =>
        w ? awaitExpr({ k: "wrap", w, e: { k: "num", v: value } }, ctx, pos) : String(value);
      const init = aw(s.init, 0, "for.init", c);
      const test = aw(s.test, bound, "for.test", inner);
      const update = s.update ? `${name} += ${aw(s.update, 1, "for.update", inner)}` : `${name}++`;
      const body = stmts(s.body, inner);
      if (s.closure && closuresAllowed(c)) {
        c.r.add("stmt.for.closure");
        c.fn.usesFns = true;
        body.unshift(`${inner.indent}fns.push(() => ${name});`);
      }
      return [`${i}${label ? `${label}: ` : ""}for (let ${name} = ${init}; ${name} < ${test}; ${update}) {`, ...body, `${i}}`];
    }
    case "forOf": {
      const label = labelFor(s.label, c);
      let source: string;
      let count: number;
      const pattern = s.pat !== null;
      if (s.src.k === "arr") {
        c.r.add("stmt.forOf.array");
        count = c.loops >= 2 ? Math.min(s.src.items.length, 1) : s.src.items.length;
        const items = s.src.items.slice(0, count).map((e) => ex(e, c, "forOf.source"));
        // Destructuring heads read `a`/`b` of object items (never null, so no message quotes the source).
        source = `[${(pattern ? items.map((x) => `{ a: ${x} }`) : items).join(", ")}]`;
      } else {
        c.r.add("stmt.forOf.iterator");
        count = loopBound(s.src.n, c);
        source = iterCall(c, count, s.src.mode ?? 0);
      }
      const x = fresh(c, "x");
      const y = pattern ? fresh(c, "y") : null;
      const inner = loopCtx(c, count, label, [{ name: x, writable: false }]);
      let head = `const ${x}`;
      if (pattern) {
        c.r.add("stmt.forOf.destructure");
        head = `const { a: ${x}, b: ${y} = ${ex(s.pat!, inner, "forOf.default")} }`;
        inner.vars.push({ name: y!, writable: false });
      }
      const body = stmts(s.body, inner);
      if (s.closure && closuresAllowed(c)) {
        c.r.add("stmt.forOf.closure");
        c.fn.usesFns = true;
        body.unshift(`${inner.indent}fns.push(() => ${y ? `[${x}, ${y}]` : x});`);
      }
      return [`${i}${label ? `${label}: ` : ""}for (${head} of ${source}) {`, ...body, `${i}}`];
    }
    case "forIn": {
      const label = labelFor(s.label, c);
      let source = "S";
      let count = 3;
      if (s.src) {
        c.r.add("stmt.forIn.object");
        const keys = ["p", "q"];
        source = `({ ${s.src.map((e, k) => `${keys[k]}: ${ex(e, c, "forIn.source")}`).join(", ")} })`;
        count = s.src.length;
      } else {
        c.r.add("stmt.forIn.shared");
      }
      const key = fresh(c, "k");
      const inner = loopCtx(c, count + 2, label, [{ name: key, writable: false }]);
      return [`${i}${label ? `${label}: ` : ""}for (const ${key} in ${source}) {`, ...stmts(s.body, inner), `${i}}`];
    }
    case "block": {
      const label = `L${++c.u.next}`;
      c.r.add("stmt.labeledBlock");
      return [`${i}${label}: {`, ...nested(s.body, c, { frames: [...c.frames, { k: "block", label }] }), `${i}}`];
    }
    case "using": {
      const label = `L${++c.u.next}`;
      c.r.add("stmt.using");
      const declarations = s.modes.map((mode, k) => {
        const id = step(c);
        const name = `r${c.u.next}`;
        if (k % 2 === 1 && !c.noAwait) {
          c.r.add("using.await");
          return `${i}  await using ${name} = asyncDisposable(t, ${id}, ${mode});`;
        }
        c.r.add("using.sync");
        return `${i}  using ${name} = disposable(t, ${id}, ${mode});`;
      });
      const body = nested(s.body, c, { frames: [...c.frames, { k: "block", label, using: true }] });
      return [`${i}${label}: {`, ...declarations, ...body, `${i}}`];
    }
    case "break":
      return jump(s, c, "break");
    case "continue":
      return jump(s, c, "continue");
    case "return": {
      c.r.add("stmt.return");
      crossing(c, 0, "return");
      const cond = s.guard ? ex(s.guard, c, "if.test") : null;
      let value = s.e ? ` ${ex(s.e, c, "return")}` : "";
      // Only where nothing can override the return (a finally, an iterator's throwing `return()`, a throwing
      // disposal at the end of a `using` block): a dropped rejected promise would be an unhandled rejection.
      const overridable = c.loops > 0 || c.frames.some((f) => f.k === "finally" || f.k === "inFinally" || (f.k === "block" && f.using === true));
      if (s.p && c.gen !== 2 && !overridable) {
        // The awaitable itself, not awaited (the function adopts it when returning); a value where it has none.
        c.r.add("stmt.returnPromise");
        c.u.cost += c.mult;
        value = ` ${renderAwaitable(s.p, c)}`;
      }
      return [`${i}${cond ? `if (${cond}) ` : ""}return${value};`];
    }
    case "throw": {
      c.r.add("stmt.throw");
      crossing(c, 0, "throw");
      const cond = s.guard ? ex(s.guard, c, "if.test") : null;
      const value = renderThrowVal(s.v, c, "throw");
      return [`${i}${cond ? `if (${cond}) ` : ""}throw ${value};`];
    }
    case "switch":
      return switchStmt(s, c);
    case "try":
      return tryStmt(s, c);
    case "spawn": {
      const id = step(c);
      const call = renderCall(s.c, c, "spawn.arg", `t + "/" + ${id}`);
      if (!call) return [`${i}log(t, ${id}, "no spawn");`];
      c.r.add("stmt.spawn");
      return [`${i}${call}.then((v) => log(t, ${id}, "spawn ok", v), (e) => log(t, ${id}, "spawn failed", e));`];
    }
    case "defer": {
      const name = fresh(c, "p");
      const call = renderCall(s.c, c, "spawn.arg", `t + "/${name}"`) ?? `Promise.resolve(${ex(s.c.arg, c, "spawn.arg")})`;
      c.r.add("stmt.deferred");
      c.pvars.push(name);
      // Started now, awaited after the statements in between (which may also await it, or leave early).
      const lines = [`${i}const ${name} = ${call};`, `${i}${name}.catch(() => {});`];
      // The statements in between are not at the block's start: one may not shadow a name the call just read.
      c.blockStart = false;
      for (const x of s.between) lines.push(...st(x, c));
      lines.push(`${i}log(t, ${step(c)}, "deferred", ${awaitExpr({ k: "pvar", i: 0 }, c, "log.arg")});`);
      return lines;
    }
    case "ticks": {
      c.r.add("stmt.ticks");
      const id = step(c);
      const chain = Array.from({ length: s.n }, (_, k) => `.then(() => log(t, ${id}, "tick", ${k + 1}))`).join("");
      return [`${i}Promise.resolve()${chain};`];
    }
    case "closure": {
      if (!closuresAllowed(c)) return st({ k: "log", e: s.e }, c);
      c.r.add("stmt.closure");
      if (c.loops > 0) c.r.add("closure.inLoop");
      c.fn.usesFns = true;
      if (s.field) {
        // An instance field's initializer is a closure too, run when the class is constructed (by the unit's
        // `fns` at its end): the class is made here, where `this` would be the instance (rendered as at the top).
        c.r.add("closure.field");
        return [`${i}fns.push(((C) => () => new C().v)(class { v = ${ex(s.e, { ...c, noAwait: true, self: "top" }, "closure")}; }));`];
      }
      return [`${i}fns.push(() => ${ex(s.e, { ...c, noAwait: true }, "closure")});`];
    }
    case "asyncClosure": {
      // (a generator cannot await the closures at its end)
      if (!closuresAllowed(c) || c.gen === 2) return st({ k: "log", e: s.ret }, c);
      c.r.add("stmt.asyncClosure");
      if (c.loops > 0) c.r.add("asyncClosure.inLoop");
      c.fn.usesAfns = true;
      const inner = nestedFnCtx(c);
      const body = stmts(s.body, inner);
      body.push(...epilogue(inner, "afn"));
      body.push(`${inner.indent}return ${ex(s.ret, inner, "return")};`);
      return [`${i}afns.push(async () => {`, ...withFns(body, inner), `${i}});`];
    }
    case "runFns":
      c.r.add("stmt.runFns");
      c.fn.usesFns = true;
      return [`${i}log(t, ${step(c)}, "fns", fns.map((f) => f()));`];
    case "yield": {
      if (c.gen === 0) return st({ k: "log", e: s.e }, c);
      c.r.add(c.gen === 1 ? "yield.async" : "yield.sync");
      if (c.frames.some((f) => f.k === "inFinally")) c.r.add("yield.inFinally");
      c.u.cost += c.mult;
      const value = ex(s.e, c, "yield.operand");
      if (!s.sent) return [`${i}yield ${value};`];
      c.r.add("yield.sent");
      return [`${i}log(t, ${step(c)}, "sent", yield ${value});`];
    }
    case "yieldStar": {
      if (c.gen === 0) return [];
      c.u.cost += c.mult;
      return [`${i}log(t, ${step(c)}, "delegated", yield* ${delegateSource(s.src, c, c.gen === 1, "yieldStar")});`];
    }
    case "forAwait": {
      if (c.noAwait) return [];
      const label = labelFor(s.label, c);
      const source = delegateSource(s.src, c, true, "forAwait", s.wrap);
      const x = fresh(c, "x");
      const inner = loopCtx(c, LIMITS.maxBound + 1, label, [{ name: x, writable: false }]);
      return [`${i}${label ? `${label}: ` : ""}for await (const ${x} of ${source}) {`, ...stmts(s.body, inner), `${i}}`];
    }
  }
}

/**
 * The iterable of a `yield*` or `for await`: an array (of wrapped values, where they are awaited), a custom
 * iterator (async where one can be consumed), or a call of a later generator unit (a generator for a
 * generator; either kind for async code).
 */
function delegateSource(src: DelegateSrc, c: Ctx, async: boolean, what: string, wrap: Wrap = "resolve"): string {
  if (src.k === "unit") {
    const n = c.r.kinds.length;
    const candidates: number[] = [];
    for (let j = c.u.index + 1; j < n; j++) if (c.r.gens[j] === 2 || (async && c.r.gens[j] === 1)) candidates.push(j);
    const j = candidates.length > 0 ? candidates[src.c.callee % candidates.length] : -1;
    if (j >= 0 && c.u.cost + c.mult * c.r.costs[j] <= LIMITS.unitBudget) {
      c.u.cost += c.mult * c.r.costs[j];
      c.r.add(`${what}.unit`);
      return `${calleeName(c, j)}(t, ${argFor(c, j, ex(src.c.arg, c, "call.arg"))})`;
    }
    return delegateSource({ k: "arr", items: [src.c.arg] }, c, async, what, wrap);
  }
  if (src.k === "iter") {
    const count = loopBound(src.n, c);
    if (!async) {
      c.r.add(`${what}.iterator`);
      return iterCall(c, count, src.mode);
    }
    c.r.add(`${what}.asyncIterator`);
    if (src.mode === 1) c.r.add("asyncIterator.returnThrows");
    if (src.mode === 2) c.r.add("asyncIterator.nextRejects");
    return `aiter(${JSON.stringify(`${c.u.name}:ai${++c.u.next}`)}, ${count}${src.mode ? `, ${src.mode}` : ""})`;
  }
  c.r.add(`${what}.array`);
  const items = src.items.map((e, k) => {
    const value = ex(e, c, `${what}.source`);
    return async && k % 2 === 0 ? renderWrap(wrap, value, c) : value;
  });
  const array = `[${items.join(", ")}]`;
  // On Node 24 the async-from-sync iterator of an iterator without `throw` closes it and throws a TypeError
  // (known-divergences.txt, node24: lines): a program with `using` delegates to an array through a generator.
  // (the array is evaluated where it stands, where its items may await)
  if (c.r.node24 && async && what === "yieldStar") return `(function* (items) { return yield* items; })(${array})`;
  return array;
}

function iterCall(c: Ctx, n: number, mode: IterMode): string {
  if (mode === 1) c.r.add("iterator.returnThrows");
  if (mode === 2) c.r.add("iterator.nextThrows");
  return `iter(${JSON.stringify(`${c.u.name}:it${++c.u.next}`)}, ${n}${mode ? `, ${mode}` : ""})`;
}

function jump(s: Stmt & { k: "break" | "continue" }, c: Ctx, kind: "break" | "continue"): string[] {
  const fits = (f: Frame) => (kind === "continue" ? f.k === "loop" : f.k === "loop" || f.k === "switch" || f.k === "block");
  const plain = (f: Frame) => (kind === "continue" ? f.k === "loop" : f.k === "loop" || f.k === "switch");
  const targets: number[] = [];
  c.frames.forEach((f, index) => fits(f) && targets.push(index));
  if (targets.length === 0) return [];
  let index = targets[targets.length - 1 - (s.t % targets.length)];
  let innermost = -1;
  c.frames.forEach((f, k) => plain(f) && (innermost = k));
  let frame = c.frames[index];
  let label = "label" in frame ? frame.label : null;
  if (!label) {
    if (innermost < 0) return [];
    index = innermost;
    frame = c.frames[index];
    label = "label" in frame ? frame.label : null;
  }
  c.r.add(`stmt.${kind}`);
  if (label) c.r.add(`stmt.${kind}.label`);
  crossing(c, index + 1, kind);
  return [`${c.indent}${guarded(label ? `${kind} ${label};` : `${kind};`, s.guard, c)}`];
}

function destructure(s: Stmt & { k: "destr" }, c: Ctx): string[] {
  const i = c.indent;
  c.r.add(`stmt.destructure.${s.form}`);
  const keys = ["a", "b"];
  const assign = s.form.startsWith("assign");
  const object = s.form === "obj" || s.form === "assignObj";
  const flagged = (t: Target): Target => (t.k === "super" && c.r.disabled.has("superDestructuring") ? { k: "this", priv: false } : t);
  const targets = assign ? s.t.map((t) => renderTarget(flagged(t), c, "destructuring.targetKey")) : s.t.map(() => ({ code: fresh(c, "v"), id: "" }));
  // The source never reads what it is assigned to (see `exclude`).
  const sc = assign ? withExclude(c, ...targets.map((t) => t.id)) : c;
  let source: string;
  if (object) source = `({ ${s.src.map((e, k) => `${keys[k]}: ${ex(e, sc, "destructuring.source")}`).join(", ")} })`;
  else if (s.form === "arr" || s.form === "assignArr") source = `[${s.src.map((e) => ex(e, sc, "destructuring.source")).join(", ")}]`;
  else source = iterCall(c, s.src.length, s.mode ?? 0);
  const lhs = targets.map((target, k) => {
    const d = s.d[k];
    const dflt = d ? ` = ${ex(d, assign ? withExclude(c, target.id) : c, "destructuring.default")}` : "";
    return object ? `${keys[k]}: ${target.code}${dflt}` : `${target.code}${dflt}`;
  });
  const pattern = object ? `{ ${lhs.join(", ")} }` : `[${lhs.join(", ")}]`;
  if (assign) return [`${i}${object ? `(${pattern} = ${source});` : `${pattern} = ${source};`}`];
  const line = `${i}${s.kind} ${pattern} = ${source};`;
  for (const target of targets) c.vars.push({ name: target.code, writable: s.kind === "let" });
  return [line, `${i}log(t, ${step(c)}, ${targets.map((t) => t.code).join(", ")});`];
}

function switchStmt(s: Stmt & { k: "switch" }, c: Ctx): string[] {
  const i = c.indent;
  c.r.add("stmt.switch");
  const tests = s.cases;
  const disc = ex(s.d, c, "switch.discriminant");
  const order: ({ k: "case"; n: number } | { k: "default" })[] = tests.map((_, n) => ({ k: "case" as const, n }));
  if (s.def) {
    const at = s.def.at % (tests.length + 1);
    order.splice(at, 0, { k: "default" });
    c.r.add("switch.default");
    if (at > 0 && at < tests.length) c.r.add("switch.defaultMiddle");
  }
  const inner: Ctx = { ...c, indent: i + "    ", frames: [...c.frames, { k: "switch" }], fnTop: false };
  const lines = [`${i}switch (${disc}) {`];
  order.forEach((o, position) => {
    const clause = o.k === "default" ? s.def! : tests[o.n];
    const head = o.k === "default" ? "default" : `case ${ex(tests[o.n].test, c, "switch.caseTest")}`;
    lines.push(`${i}  ${head}: {`, `${i}    log(t, ${step(c)}, "${o.k}");`, ...stmts(clause.body, inner), `${i}  }`);
    if (clause.brk) lines.push(`${i}  break;`);
    else if (position < order.length - 1) c.r.add("switch.fallthrough");
  });
  lines.push(`${i}}`);
  return lines;
}

function tryStmt(s: Stmt & { k: "try" }, c: Ctx): string[] {
  const i = c.indent;
  const fin = s.fin ?? (s.handler ? null : []);
  c.r.add(s.handler && fin ? "stmt.try.catchFinally" : s.handler ? "stmt.try.catch" : "stmt.try.finally");
  const guardFrames: Frame[] = fin ? [...c.frames, { k: "finally" }] : c.frames;
  const lines = [`${i}try {`, ...nested(s.block, c, { frames: guardFrames })];
  if (s.handler) {
    const id = step(c);
    if (s.param) {
      const name = fresh(c, "e");
      lines.push(`${i}} catch (${name}) {`, `${i}  log(t, ${id}, "caught", ${name});`);
      lines.push(...nested(s.handler, c, { frames: guardFrames, catchVar: name, vars: [...c.vars, { name, writable: true }] }));
    } else {
      c.r.add("stmt.try.catchNoBinding");
      lines.push(`${i}} catch {`, `${i}  log(t, ${id}, "caught");`);
      lines.push(...nested(s.handler, c, { frames: guardFrames }));
    }
  }
  if (fin) {
    lines.push(`${i}} finally {`, `${i}  log(t, ${step(c)}, "finally");`);
    lines.push(...nested(fin, c, { frames: [...c.frames, { k: "inFinally" }] }));
  }
  lines.push(`${i}}`);
  return lines;
}
