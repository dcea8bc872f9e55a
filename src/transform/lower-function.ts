// Lowering one async function, generator or async generator, in four phases:
//   analyze  what the function's bindings are and which of its nodes suspend      (analyze/)
//   explode  the body cut into numbered states at each suspension                (explode/)
//   emit     locals placed in fields or kept local, the machine class, the wrapper (emit/)
//   report   what the machine is: its states, their lines, awaits and edges        (report/)
import type { NodePath } from "@babel/traverse";
import * as t from "./types.ts";
import { analyzeBindings } from "./analyze/bindings.ts";
import { needsSloppyResume, SloppyByNodes } from "./analyze/sloppy.ts";
import { suspendsOnce } from "./analyze/suspends.ts";
import { creationPoint } from "./analyze/tdz.ts";
import { linkMethod } from "./emit/function-objects.ts";
import { buildMachineClass } from "./emit/machine-class.ts";
import { evaluatedOnce, placeMachineClass } from "./emit/placement.ts";
import { rewriteStates, type RewriteContext } from "./emit/rewrite.ts";
import { anyQuoteSite, machineWordsTest, quotesAlias, renamedInQuotes, WORDED_ALIAS } from "./emit/source-words.ts";
import { assignStorage, FieldMentions, placeResumeLocals, placeTemps, resumeLocalCandidates } from "./emit/storage.ts";
import { installWrapper } from "./emit/wrapper.ts";
import { awaitReturnValues, explodeFunction } from "./explode/function-body.ts";
import { quotedTexts } from "./explode/source-text.ts";
import { lowerUsingDeclarations } from "./explode/using.ts";
import { lowerEnumDeclarations } from "./explode/enums.ts";
import { eraseTargetWrappers } from "./explode/erased-targets.ts";
import type { FileContext } from "./file-context.ts";
import { Lowering } from "./lowering.ts";
import { MACHINE_MEMBERS } from "./names.ts";
import { describeMachine, readStates, walkStates, type MachineInfo } from "./report/metadata.ts";
import { operatorAfter, optionalArgumentsAfter } from "./source-positions.ts";

export function lowerFunction(original: NodePath<t.Function>, file: FileContext): MachineInfo {
  const fn = asMethod(original);
  const textsBefore = quotedTexts();
  // (before `await using` is lowered into awaits of the runtime's)
  const once = suspendsOnce(fn.node);
  if (fn.node.async && fn.node.generator) awaitReturnValues(fn);
  lowerUsingDeclarations(fn, file);
  const erased = eraseTargetWrappers(fn, file.basename);
  if (!lowerEnumDeclarations(fn, file) && erased) fn.scope.crawl();
  const lowering = new Lowering(fn, file);

  // analyze
  // (whether a sloppy function reads differently as strict code: its walk is the analysis's last one)
  const strict = file.strictness.isStrictFunction(fn);
  const sloppyWalk = strict ? null : new SloppyByNodes(file.wrappers, file.lookup);
  const analysis = analyzeBindings(fn, lowering.facts, file, MACHINE_MEMBERS, sloppyWalk);
  const params = lowering.parameters(analysis);
  const sloppy = sloppyWalk !== null && needsSloppyResume(fn, file.wrappers, file.lookup, sloppyWalk.answer());

  // explode
  const em = explodeFunction(lowering, analysis, params);

  // emit
  assignStorage(analysis, lowering.facts, em.states, em.unreached);
  const rewrite: RewriteContext = {
    machineAlias: lowering.machineAlias,
    usedAlias: false,
    readThroughAlias: new Set(),
    closureDepth: 0,
    snapshots: new Set(),
    strict,
    uninitialized: () => t.identifier(file.runtimeName("UNINITIALIZED")),
    runtime: (name) => t.identifier(file.runtimeName(name)),
    uniqueName: (base) => file.uniqueName(base),
    operatorAfter: (node) => operatorAfter(file.code, node),
    optionalArgumentsAfter: (callee) => optionalArgumentsAfter(file.code, callee),
    lazyThis: analysis.lazyThis,
    facts: lowering.facts,
  };
  rewriteStates(em.states, rewrite);
  // One walk of the states reads the mentions of temps and of locals that may leave their fields, the report
  // off them and whether their errors could quote the machine's spelling of something (the class then
  // carries the rewording).
  const locals = resumeLocalCandidates(analysis, !params.simple && !params.mapped, rewrite.readThroughAlias, em.states);
  const fields = em.tempSlots.length > 0 || locals !== null ? new FieldMentions(em.tempSlots.length, locals) : null;
  const walk = walkStates(em, fields);
  if (fields !== null) {
    // (first: placeTemps may leave out statements, which the mentions of locals count)
    placeResumeLocals(em, fields);
    placeTemps(em, (name) => file.allNames.has(name), fields);
  } else {
    em.tempFields = [];
  }
  const renamed = renamedInQuotes(walk.quoteHolders, analysis.bindings);
  const read = readStates(em, walk, (operand) => {
    const described = lowering.facts.get(operand)?.describedAs;
    return described ? described.prefix + file.sourceText(described.node) : file.sourceText(operand);
  }, machineWordsTest(lowering.sentName, renamed));
  // (functions inside read the machine through its alias, which an error they throw during a step quotes)
  const aliasQuoted = rewrite.usedAlias && lowering.machineAlias === WORDED_ALIAS && walk.anyQuoteHolders.some((holder) => quotesAlias(anyQuoteSite(holder)!));
  const { declaration, inputs, resume } = buildMachineClass(lowering, analysis, params, em, rewrite.usedAlias, sloppy, { renamed, carriesWords: read.quotes || aliasQuoted, quotesTemps: quotedTexts() !== textsBefore, quoteHolders: walk.anyQuoteHolders });
  // For the functions around this one, the class's code runs where the function is created.
  const createdAt = creationPoint(fn);
  if (createdAt !== null) file.createdAt.set(declaration.body, createdAt);
  if (createdAt !== null && resume) file.createdAt.set((resume.expression as t.AssignmentExpression).right, createdAt);
  const machineRef = placeMachineClass(fn, declaration, analysis, file, resume);
  // (a class hoisted to the top is shared by every evaluation of the code that creates the function)
  const methodSelf = linkMethod(fn, machineRef, lowering.className, analysis.hoistable && !evaluatedOnce(fn, file.ancestors), file);
  installWrapper(lowering, params, machineRef, inputs, methodSelf, once);

  // report
  const head = { name: lowering.name, nameless: lowering.nameless, kind: lowering.kind, className: lowering.className, line: lowering.node.loc?.start.line ?? 0 };
  return describeMachine(head, read);
}

/**
 * `{ [key]: async function () {} }` (or `function* () {}`) is the method `async [key]() {}`: the engine names
 * both by the key at run time and neither can be constructed or see a `super`, so the method shape is the
 * function's, and as a method it is linked to its key like any other (emit/function-objects.ts `linkMethod`).
 */
function asMethod(fn: NodePath<t.Function>): NodePath<t.Function> {
  const property = fn.parentPath;
  if (!fn.isFunctionExpression() || fn.node.id || !property.isObjectProperty() || !property.node.computed || property.node.value !== fn.node) return fn;
  const { params, body, generator, async } = fn.node;
  // The property node becomes the method in place (its path may be out of date after earlier methods of
  // the literal were linked, which wraps the literal in a call).
  const method = property.node as unknown as t.ObjectMethod & { value?: unknown; shorthand?: unknown };
  delete method.value;
  delete method.shorthand;
  Object.assign(method, { type: "ObjectMethod", kind: "method", params, body, generator, async, computed: true, id: null });
  method.loc = fn.node.loc;
  const path = property as unknown as NodePath<t.ObjectMethod>;
  // Its scope, as NodePath#setScope would make it (Babel 8 keeps setScope to itself): a method makes one,
  // new (no Scope is made for a property), which init crawls.
  path.scope = path.getScope(path.parentPath.scope);
  (path.scope as typeof path.scope & { init(): void }).init();
  return path;
}
