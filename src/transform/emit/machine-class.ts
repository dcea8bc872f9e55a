// The machine class: the frame (constructor and fields), the try table, and `resume` with one `case` per
// state, each commented with the source line it starts at.
import * as t from "../types.ts";
import { declaresInBlock } from "../ast.ts";
import type { Emitter } from "../explode/emitter.ts";
import type { FunctionAnalysis } from "../facts.ts";
import type { FileContext } from "../file-context.ts";
import type { Input, Lowering, Parameters } from "../lowering.ts";
import { callsRuntime, quotedTempsByField, readsBoxes, rootedQuotes } from "./source-words.ts";
import { arrowArgs } from "./wrapper.ts";

const BASE_CLASS = { async: "AsyncMachine", generator: "GeneratorMachine", "async-generator": "AsyncGeneratorMachine" } as const;

/** The class, and the inputs the wrapper passes to its constructor (in order). */
export function buildMachineClass(
  lowering: Lowering,
  analysis: FunctionAnalysis,
  params: Parameters,
  em: Emitter,
  usedAlias: boolean,
  sloppy: boolean,
  /**
   * The renamed locals V8 may quote (source-words.ts `renamedInQuotes`), whether a step's error could
   * quote the machine's spelling of something (`machineWordsTest`, applied by the report's walk), and
   * whether the lowering marked a temp with a text to quote (explode/source-text.ts `quotedTexts`), and the
   * nodes of the states that hold a quote (the report's walk, `StatesWalk.anyQuoteHolders`).
   */
  words: { renamed: Map<string, string>; carriesWords: boolean; quotesTemps: boolean; quoteHolders: readonly t.Node[] },
): { declaration: t.ClassDeclaration; inputs: Input[]; resume: t.ExpressionStatement | null } {
  const { file, className } = lowering;
  const inputs = machineInputs(analysis, params, lowering.isArrow);
  // The frame: every field the states use, declared up front so all machines of a class share one shape.
  // (the fields, then each box once, then the temps)
  const passed = (field: string) => inputs.some((input) => input.field === field);
  const frame: string[] = [];
  const boxes = new Set<string>();
  for (const b of analysis.bindings) {
    if (b.storage === "field" && !passed(b.field)) frame.push(b.field);
    if (b.box && !passed(b.box)) boxes.add(b.box);
  }
  for (const box of boxes) frame.push(box);
  for (const field of em.tempFields) frame.push(field);
  // The function's own `let`/`const`/`class` fields that an access may reach early start uninitialized.
  const uninitialized = lowering.facts.get(lowering.node)?.uninitializedOnEntry ?? [];
  const startUninitialized = new Set(uninitialized.filter((b) => b.storage === "field").map((b) => b.field));
  const frameValue = (field: string) => (startUninitialized.has(field) ? t.identifier(file.runtimeName("UNINITIALIZED")) : t.identifier("undefined"));
  const base = BASE_CLASS[lowering.kind];
  // (what the body is cut at, in the comments on where locals live)
  const cut = base === "GeneratorMachine" ? "a yield" : "an await";
  const description = lowering.description;

  const members: t.ClassBody["body"] = [];
  const table = em.tryTable();
  if (table.length > 0) {
    const tries = t.classProperty(
      t.identifier("tries"),
      t.arrayExpression(table.map((row) => t.arrayExpression(row.map(tableEntry)))),
      null,
      null,
      false,
      true,
    );
    t.addComment(tries, "leading", " [try start, catch, finally, end] state of each try region, innermost last", true);
    members.push(tries);
  }
  const { renamed, carriesWords } = words;
  if (renamed.size > 0) {
    const entries = [...renamed].map(([name, source]) => t.objectProperty(t.identifier(name), t.stringLiteral(source)));
    const names = t.classProperty(t.identifier("sourceNames"), t.objectExpression(entries), null, null, false, true);
    t.addComment(names, "leading", " the source's names of locals renamed here, which the engine's error messages quote", true);
    members.push(names);
  }
  // (the temps' texts only where the class carries the rewording anyway: runtime/messages.js is about 1 KB
  // gzipped, more than an app whose only quote would be `new Foo(await x)` should pay for it; and only
  // looked for where the lowering marked some: most mark none)
  const temps = carriesWords && words.quotesTemps ? quotedTempsByField(em.states) : new Map<string, (number | string)[]>();
  if (temps.size > 0) {
    const entries = [...temps].map(([field, list]) =>
      t.objectProperty(t.isValidIdentifier(field) ? t.identifier(field) : t.stringLiteral(field), t.arrayExpression(list.map((item) => (typeof item === "string" ? t.stringLiteral(item) : t.numericLiteral(item))))),
    );
    const quotes = t.classProperty(t.identifier("sourceTemps"), t.objectExpression(entries), null, null, false, true);
    t.addComment(quotes, "leading", " what the engine's error messages quote where this code reads a field instead: [from state, source text, ...]", true);
    members.push(quotes);
  }
  // (a class that needs no tables and quotes only plain chains gets the rewording of their roots alone,
  // `inSourceWordsAtRoot`, about 0.2 KB gzipped less than the scanning of `inSourceWords`; where they are
  // all callees, `inSourceWordsOfCallees`, about 0.07 KB less again)
  const tables = renamed.size > 0 || temps.size > 0 || (file.mayReadBoxes() && readsBoxes(em.states));
  const rooted = carriesWords && !tables ? rootedQuotes(words.quoteHolders, lowering.sentName, new Set([...inputs.map((input) => input.field), ...frame])) : null;
  const rewording =
    !carriesWords || rooted === false
      ? null
      : rooted === "callees"
        ? "inSourceWordsOfCallees"
        : rooted === true
          ? "inSourceWordsAtRoot"
          : tables
            ? "inSourceWordsWithTables"
            : "inSourceWords";
  if (lowering.sentName !== "sent" && (rewording !== null || callsRuntime(em.states, file.runtimeNames.get("inSourceWordsWithTables")))) {
    // (runtime/messages.js reads it, where an error's message quotes the awaited value: in a class that
    // carries the rewording or whose kept try statements call it; rare enough that no class spells the
    // usual name)
    const sentName = t.classProperty(t.identifier("sentName"), t.stringLiteral(lowering.sentName), null, null, false, true);
    t.addComment(sentName, "leading", ` the name of resume's parameter, an awaited value: "(intermediate value)" in the engine's messages`, true);
    members.push(sentName);
  }
  if (rewording !== null) {
    // (a class without tables or boxes gets a rewording that does without them, and an app none of
    // their code)
    const words = t.classProperty(t.identifier("sourceWords"), t.identifier(file.runtimeName(rewording)), null, null, false, true);
    t.addComment(words, "leading", " puts the engine's error messages that quote this code back in the source's words", true);
    members.push(words);
  }
  if (inputs.length > 0 || frame.length > 0) {
    const frameInit = frame.map((field) =>
      t.expressionStatement(t.assignmentExpression("=", t.memberExpression(t.thisExpression(), t.identifier(field)), frameValue(field))),
    );
    if (frameInit.length > 0) t.addComment(frameInit[0], "leading", ` locals that live across ${cut}, and intermediate values`, true);
    members.push(
      t.classMethod(
        "constructor",
        t.identifier("constructor"),
        inputs.map((input) => t.identifier(constructorParam(input.field, inputs))),
        t.blockStatement([
          t.expressionStatement(t.callExpression(t.super(), [])),
          ...inputs.map((input) =>
            t.expressionStatement(
              t.assignmentExpression("=", t.memberExpression(t.thisExpression(), t.identifier(input.field)), t.identifier(constructorParam(input.field, inputs))),
            ),
          ),
          ...frameInit,
        ]),
      ),
    );
  } else {
    // An explicit constructor even with nothing to set: a derived class's default one spreads its (empty)
    // arguments into super(), which Node 20 does through Array.prototype[Symbol.iterator], a method the
    // program may have replaced.
    const constructor = t.classMethod("constructor", t.identifier("constructor"), [], t.blockStatement([t.expressionStatement(t.callExpression(t.super(), []))]));
    t.addComment(constructor, "leading", " (not the default constructor, which iterates its arguments on Node 20)", true);
    members.push(constructor);
  }

  const cases = em.states.map((state) => {
    // (a state that declares a lexical binding or a function gets a block of its own)
    const needsBlock = state.body.some(declaresInBlock);
    const clause = t.switchCase(t.numericLiteral(state.index), needsBlock ? [t.blockStatement(state.body)] : state.body);
    if (state.line !== null) t.addComment(clause, "leading", ` ${file.basename}:${state.line}`, true);
    // (in the source map, `case N:` is where its first statement is: on the number, since a coverage tool
    // that instruments the output, istanbul, takes a clause with a place for a case of a switch it counts,
    // and the dispatch switch is not the source's)
    // (and ends there: what the printer writes after the number, up to the first token with a place of its
    // own, a jump's `if`, carries on from where the number ends)
    const place = firstPlace(state.body);
    (clause.test as t.NumericLiteral).loc = place && { ...place, end: place.start };
    return clause;
  });

  let resumeBody: t.Statement[];
  if (em.states.length === 1 && !em.usesDispatchLoop && table.length === 0) {
    resumeBody = em.states[0].body;
    if (em.states[0].line !== null && resumeBody.length > 0) t.addComment(resumeBody[0], "leading", ` ${file.basename}:${em.states[0].line}`, true);
  } else {
    const dispatch = t.switchStatement(t.memberExpression(t.thisExpression(), t.identifier("state")), cases);
    resumeBody = em.usesDispatchLoop ? [t.labeledStatement(t.identifier(em.dispatchLabel), t.forStatement(null, null, null, dispatch))] : [dispatch];
  }
  const resumeLocals = analysis.bindings.filter((b) => b.storage === "resume");
  if (resumeLocals.length > 0) {
    const declaration = t.variableDeclaration("let", resumeLocals.map((b) => t.variableDeclarator(t.identifier(b.name))));
    t.addComment(declaration, "leading", ` locals that never live across ${cut}`, true);
    resumeBody.unshift(declaration);
  }
  if (usedAlias) {
    resumeBody.unshift(t.variableDeclaration("const", [t.variableDeclarator(t.identifier(lowering.machineAlias), t.thisExpression())]));
  }
  // Sloppy code that strict code would reject or run differently (analyze/sloppy.ts): `resume` is a sloppy
  // function outside the class body, installed on its prototype right after the class.
  let resume: t.ExpressionStatement | null = null;
  if (sloppy) {
    const fn = t.functionExpression(null, [t.identifier(lowering.sentName)], t.blockStatement(resumeBody));
    const target = t.memberExpression(t.memberExpression(t.identifier(className), t.identifier("prototype")), t.identifier("resume"));
    resume = t.expressionStatement(t.assignmentExpression("=", target, fn));
  } else {
    members.push(t.classMethod("method", t.identifier("resume"), [t.identifier(lowering.sentName)], t.blockStatement(resumeBody)));
  }

  const decl = t.classDeclaration(t.identifier(className), t.identifier(file.runtimeName(base)), t.classBody(members));
  t.addComment(decl, "leading", `* ${description} `, false);
  return { declaration: decl, inputs, resume };
}


/** What the machine receives from its wrapper: `this`, `new.target`, `super` accessors, its own name, the parameters. */
function machineInputs(facts: FunctionAnalysis, params: Parameters, isArrow: boolean): Input[] {
  const inputs: Input[] = [];
  if (facts.usesThis) inputs.push({ field: "thisArg", value: facts.lazyThis ? t.arrowFunctionExpression([], t.thisExpression()) : t.thisExpression() });
  if (facts.usesNewTarget) inputs.push({ field: "newTarget", value: t.metaProperty(t.identifier("new"), t.identifier("target")) });
  if (facts.usesSuperCall) {
    const args = t.identifier("args");
    inputs.push({ field: "superCall", value: t.arrowFunctionExpression([t.restElement(args)], t.callExpression(t.super(), [t.spreadElement(t.cloneNode(args))])) });
  }
  if (facts.usesSuperGet) {
    inputs.push({ field: "superGet", value: t.arrowFunctionExpression([t.identifier("key")], t.memberExpression(t.super(), t.identifier("key"), true)) });
  }
  if (facts.usesSuperSet) {
    inputs.push({
      field: "superSet",
      value: t.arrowFunctionExpression(
        [t.identifier("key"), t.identifier("value")],
        t.assignmentExpression("=", t.memberExpression(t.super(), t.identifier("key"), true), t.identifier("value")),
      ),
    });
  }
  const ownName = facts.bindings.find((binding) => binding.kind === "local");
  if (ownName) inputs.push({ field: ownName.field, value: t.identifier(ownName.name) });
  // Values from around the function (the class lives at the top of the program: emit/placement.ts).
  for (const capture of facts.bindings) if (capture.kind === "capture") inputs.push({ field: capture.field, value: t.identifier(capture.name) });
  if (facts.usesArguments && isArrow) inputs.push({ field: "arguments", value: t.identifier("arguments") });
  if (params.simple) {
    for (const param of params.list) {
      if (params.shadowed.has(param)) continue;
      const id = param as t.Identifier;
      const info = facts.bindings.find((binding) => binding.kind === "param" && binding.name === id.name);
      inputs.push({ field: info?.field ?? id.name, value: t.identifier(id.name) });
    }
  } else if (params.list.length > 0 || facts.usesArguments) {
    inputs.push({ field: params.argsField, value: isArrow ? arrowArgs(params.list) : t.identifier("arguments") });
  }
  if (facts.mappedArguments !== null) inputs.push({ field: facts.mappedArguments, value: mappedParameters(params.list.filter((param) => !params.shadowed.has(param)) as t.Identifier[]) });
  return inputs;
}

/** `{ get a() { return a; }, set a(v) { a = v; } }`: the wrapper's own parameters, mapped to its `arguments`. */
function mappedParameters(params: t.Identifier[]): t.ObjectExpression {
  let value = "v";
  while (params.some((param) => param.name === value)) value = `${value}_`;
  return t.objectExpression(
    params.flatMap((param) => [
      t.objectMethod("get", t.identifier(param.name), [], t.blockStatement([t.returnStatement(t.identifier(param.name))])),
      t.objectMethod("set", t.identifier(param.name), [t.identifier(value)], t.blockStatement([t.expressionStatement(t.assignmentExpression("=", t.identifier(param.name), t.identifier(value)))])),
    ]),
  );
}

/** Names sloppy code may give a binding that class code, which is strict, refuses as a parameter. */
const STRICT_ONLY_RESERVED = new Set(["eval", "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield"]);

/** `arguments` (and `eval`, `protected`, ... in sloppy code) cannot name a parameter in class code. */
function constructorParam(field: string, inputs: Input[]): string {
  if (field !== "arguments" && field !== "$params" && !STRICT_ONLY_RESERVED.has(field)) return field;
  let name = field === "arguments" ? "args" : field === "$params" ? "params" : `${field}_`;
  while (inputs.some((input) => input.field === name)) name = `${name}_`;
  return name;
}

/**
 * A number of the tries table. -1 (no such part) is built as the literal the printer writes as `-1`, not
 * through t.numericLiteral, whose check of a negative value builds (and drops) an Error with its stack trace
 * every time (a few percent of the transform on files of many try statements).
 */
function tableEntry(n: number): t.NumericLiteral {
  return n >= 0 ? t.numericLiteral(n) : ({ type: "NumericLiteral", value: n } as t.NumericLiteral);
}

/**
 * Where the first of these statements that has a place is, or the expression it starts with (emitter.ts
 * `emit` and `jumpIf` place some statements by their expressions only).
 */
function firstPlace(body: readonly t.Statement[]): t.SourceLocation | null {
  for (const statement of body) {
    const place = statement.loc ?? (statement.type === "IfStatement" ? statement.test.loc : statement.type === "ExpressionStatement" ? statement.expression.loc : null);
    if (place) return place;
  }
  return null;
}
