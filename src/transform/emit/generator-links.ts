// Generator functions and methods have a `prototype` of their own that their objects inherit from: the
// links between a generator's machine class, its wrapper and that prototype, made where the language
// creates them.
import type { NodePath } from "@babel/traverse";
import * as t from "@babel/types";
import type { FileContext } from "../file-context.ts";
import { inferredName } from "../names.ts";

/**
 * A generator declaration's objects inherit from its `prototype`: the class learns the function when it is
 * defined (at the top of the scope, where the declaration is already hoisted), from a static block.
 */
export function linkGeneratorDeclaration(fn: NodePath<t.Function>, classDecl: t.ClassDeclaration, file: FileContext): void {
  const node = fn.node;
  if (!(node.generator && t.isFunctionDeclaration(node) && node.id && !fn.parentPath.isSwitchCase())) return;
  const link = t.staticBlock([
    t.expressionStatement(t.callExpression(t.identifier(file.runtimeName("defineGenerator")), [t.thisExpression(), t.identifier(node.id.name)])),
  ]);
  classDecl.body.body.unshift(link);
}

/**
 * A generator expression passes itself, so that its objects inherit from its own `prototype` (which
 * defineGeneratorFunction sets up where the expression is evaluated). One without a name it can use
 * (anonymous, or hidden by a parameter) is given one, `fSelf`; `engineName` is the `name` to give back.
 */
export function generatorSelf(fn: NodePath<t.Function>, params: t.Function["params"], file: FileContext, byName = false): { self: t.Identifier; engineName: string | null } {
  const node = fn.node;
  if (byName && t.isFunctionDeclaration(node) && node.id) return { self: t.identifier(node.id.name), engineName: null };
  if (!node.generator || !t.isFunctionExpression(node)) return { self: t.identifier("undefined"), engineName: null };
  const shadowed = (name: string) => params.some((param) => Object.keys(t.getBindingIdentifiers(param)).includes(name));
  if (node.id && !shadowed(node.id.name)) return { self: t.identifier(node.id.name), engineName: null };
  const engineName = node.id ? node.id.name : inferredName(fn);
  if (engineName === null) return { self: t.identifier("undefined"), engineName: null };
  const base = engineName.replace(/\W/g, "") || "anonymous";
  node.id = t.identifier(file.uniqueName(`${/^\d/.test(base) ? "_" : ""}${base}Self`));
  return { self: t.identifier(node.id.name), engineName };
}

/**
 * A generator declaration whose class lives at the top of the program (shared by every function object the
 * declaration creates) gets its `prototype` where the declaration is hoisted: a statement at the top of its
 * statement list, `defineGeneratorFunction(name, Machine)`; its wrapper passes itself to runGenerator.
 */
export function defineGeneratorAtTop(fn: NodePath<t.FunctionDeclaration>, machineRef: t.Expression, file: FileContext): void {
  const call = t.callExpression(t.identifier(file.runtimeName("defineGeneratorFunction")), [t.identifier(fn.node.id!.name), t.cloneNode(machineRef)]);
  file.insertions.atTop(fn.parentPath, fn.listKey as string, t.expressionStatement(call));
}

/**
 * A generator method has a `prototype` of its own, which its objects inherit from. Once the class or the
 * object literal exists, the runtime's defineGeneratorMethod gives the method one and tells the machine
 * class which function it runs for: from a static block that runs before the class's other static
 * elements, or around the object literal (`defineGeneratorMethods({ ... }, Machine, "key")`). A method
 * under a computed key (other than `Symbol.iterator` and `Symbol.asyncIterator`) or a private name is
 * left with the shared generator prototype.
 */
export function linkGeneratorMethod(fn: NodePath<t.Function>, machineRef: t.Expression, file: FileContext): void {
  if (!fn.node.generator || !(fn.isClassMethod() || fn.isObjectMethod())) return;
  const method = fn.node as t.ClassMethod | t.ObjectMethod;
  if (method.kind !== "method") return;
  const key = methodKey(fn as NodePath<t.ClassMethod | t.ObjectMethod>);
  if (!key) return;
  const machine = t.cloneNode(machineRef);
  if (t.isClassMethod(method)) {
    const home = method.static ? t.thisExpression() : t.memberExpression(t.thisExpression(), t.identifier("prototype"));
    const link = t.staticBlock([t.expressionStatement(t.callExpression(t.identifier(file.runtimeName("defineGeneratorMethod")), [machine, home, key]))]);
    // After the element that holds the machine class (a private field or a static block), if any.
    const body = (fn.parentPath as NodePath<t.ClassBody>).node.body;
    const holder = body.findIndex((element) => holdsMachine(element, machineRef));
    body.splice(holder + 1, 0, link);
    return;
  }
  const literal = fn.parentPath as NodePath<t.ObjectExpression>;
  const call = literal.parentPath;
  const define = file.runtimeName("defineGeneratorMethods");
  if (call?.isCallExpression() && t.isIdentifier(call.node.callee, { name: define }) && call.node.arguments[0] === literal.node) {
    call.node.arguments.push(machine, key);
  } else {
    literal.replaceWith(t.callExpression(t.identifier(define), [literal.node, machine, key]));
  }
}

/** The key a method is defined under, as an expression the runtime can look it up by, if it has one. */
function methodKey(fn: NodePath<t.ClassMethod | t.ObjectMethod>): t.Expression | null {
  const { key, computed } = fn.node;
  if (!computed) {
    if (t.isIdentifier(key)) return t.stringLiteral(key.name);
    if (t.isStringLiteral(key) || t.isNumericLiteral(key) || t.isBigIntLiteral(key)) return t.cloneNode(key);
    return null;
  }
  // `[Symbol.iterator]` and `[Symbol.asyncIterator]` can be read again without effects.
  const wellKnown = t.isMemberExpression(key) && !key.computed && t.isIdentifier(key.object, { name: "Symbol" }) && t.isIdentifier(key.property);
  if (wellKnown && ["iterator", "asyncIterator"].includes((key.property as t.Identifier).name) && !fn.scope.getBinding("Symbol")) return t.cloneNode(key);
  return null;
}

/** Whether a class element is the private field or the static block that stores this machine class. */
function holdsMachine(element: t.Node, machineRef: t.Expression): boolean {
  if (t.isMemberExpression(machineRef) && t.isPrivateName(machineRef.property)) {
    return t.isClassPrivateProperty(element) && element.key.id.name === machineRef.property.id.name;
  }
  if (!t.isIdentifier(machineRef) || !t.isStaticBlock(element)) return false;
  const [statement] = element.body;
  return t.isExpressionStatement(statement) && t.isAssignmentExpression(statement.expression) && t.isIdentifier(statement.expression.left, { name: machineRef.name });
}
