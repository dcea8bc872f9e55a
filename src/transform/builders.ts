// @babel/types' builders for the nodes the transform makes, without the validation of every field (about a
// tenth of the lowering's time): each makes the very object @babel/types' builder makes (same fields, same
// order, same defaults; copied from @babel/types/lib/builders/generated/lowercase.js, 7.29.15), so that printing and
// everything reading the tree sees no difference. The transform's nodes are made from nodes and values that
// are already valid; a mistake here shows in the differential tests, not as a validation error.
// `templateElement` is left to @babel/types: its validation computes `cooked`. Imported as `t` through
// ./types.ts, which gives @babel/types with these in place of its own builders.
/* eslint-disable */
import type * as t from "@babel/types";

export const arrayExpression: typeof t.arrayExpression = function arrayExpression(elements = []) {
  const node: t.ArrayExpression = {
    type: "ArrayExpression",
    elements
  };
  return node;
};
export const arrowFunctionExpression: typeof t.arrowFunctionExpression = function arrowFunctionExpression(params, body, async = false) {
  const node: t.ArrowFunctionExpression = {
    type: "ArrowFunctionExpression",
    params,
    body,
    async,
    expression: null as never // (as @babel/types makes it; its type says boolean)
  };
  return node;
};
export const assignmentExpression: typeof t.assignmentExpression = function assignmentExpression(operator, left, right) {
  const node: t.AssignmentExpression = {
    type: "AssignmentExpression",
    operator,
    left,
    right
  };
  return node;
};
export const assignmentPattern: typeof t.assignmentPattern = function assignmentPattern(left, right) {
  const node: t.AssignmentPattern = {
    type: "AssignmentPattern",
    left,
    right
  };
  return node;
};
export const awaitExpression: typeof t.awaitExpression = function awaitExpression(argument) {
  const node: t.AwaitExpression = {
    type: "AwaitExpression",
    argument
  };
  return node;
};
export const binaryExpression: typeof t.binaryExpression = function binaryExpression(operator, left, right) {
  const node: t.BinaryExpression = {
    type: "BinaryExpression",
    operator,
    left,
    right
  };
  return node;
};
export const blockStatement: typeof t.blockStatement = function blockStatement(body, directives = []) {
  const node: t.BlockStatement = {
    type: "BlockStatement",
    body,
    directives
  };
  return node;
};
export const booleanLiteral: typeof t.booleanLiteral = function booleanLiteral(value) {
  const node: t.BooleanLiteral = {
    type: "BooleanLiteral",
    value
  };
  return node;
};
export const callExpression: typeof t.callExpression = function callExpression(callee, _arguments) {
  const node: t.CallExpression = {
    type: "CallExpression",
    callee,
    arguments: _arguments
  };
  return node;
};
export const catchClause: typeof t.catchClause = function catchClause(param = null, body) {
  const node: t.CatchClause = {
    type: "CatchClause",
    param,
    body
  };
  return node;
};
export const classBody: typeof t.classBody = function classBody(body) {
  const node: t.ClassBody = {
    type: "ClassBody",
    body
  };
  return node;
};
export const classDeclaration: typeof t.classDeclaration = function classDeclaration(id = null, superClass = null, body, decorators = null) {
  const node: t.ClassDeclaration = {
    type: "ClassDeclaration",
    id,
    superClass,
    body,
    decorators
  };
  return node;
};
export const classExpression: typeof t.classExpression = function classExpression(id = null, superClass = null, body, decorators = null) {
  const node: t.ClassExpression = {
    type: "ClassExpression",
    id,
    superClass,
    body,
    decorators
  };
  return node;
};
export const classMethod: typeof t.classMethod = function classMethod(kind = "method", key, params, body, computed = false, _static = false, generator = false, async = false) {
  const node: t.ClassMethod = {
    type: "ClassMethod",
    kind,
    key,
    params,
    body,
    computed,
    static: _static,
    generator,
    async
  };
  return node;
};
export const classPrivateProperty: typeof t.classPrivateProperty = function classPrivateProperty(key, value = null, decorators = null, _static = false) {
  const node: t.ClassPrivateProperty = {
    type: "ClassPrivateProperty",
    key,
    value,
    decorators,
    static: _static
  };
  return node;
};
export const classProperty: typeof t.classProperty = function classProperty(key, value = null, typeAnnotation = null, decorators = null, computed = false, _static = false) {
  const node: t.ClassProperty = {
    type: "ClassProperty",
    key,
    value,
    typeAnnotation,
    decorators,
    computed,
    static: _static
  };
  return node;
};
export const conditionalExpression: typeof t.conditionalExpression = function conditionalExpression(test, consequent, alternate) {
  const node: t.ConditionalExpression = {
    type: "ConditionalExpression",
    test,
    consequent,
    alternate
  };
  return node;
};
export const continueStatement: typeof t.continueStatement = function continueStatement(label = null) {
  const node: t.ContinueStatement = {
    type: "ContinueStatement",
    label
  };
  return node;
};
export const exportNamedDeclaration: typeof t.exportNamedDeclaration = function exportNamedDeclaration(declaration = null, specifiers = [], source = null, attributes = null) {
  const node: t.ExportNamedDeclaration = {
    type: "ExportNamedDeclaration",
    declaration,
    specifiers,
    source,
    attributes
  };
  return node;
};
export const exportSpecifier: typeof t.exportSpecifier = function exportSpecifier(local, exported) {
  const node: t.ExportSpecifier = {
    type: "ExportSpecifier",
    local,
    exported
  };
  return node;
};
export const expressionStatement: typeof t.expressionStatement = function expressionStatement(expression) {
  const node: t.ExpressionStatement = {
    type: "ExpressionStatement",
    expression
  };
  return node;
};
export const forStatement: typeof t.forStatement = function forStatement(init = null, test = null, update = null, body) {
  const node: t.ForStatement = {
    type: "ForStatement",
    init,
    test,
    update,
    body
  };
  return node;
};
export const functionExpression: typeof t.functionExpression = function functionExpression(id = null, params, body, generator = false, async = false) {
  const node: t.FunctionExpression = {
    type: "FunctionExpression",
    id,
    params,
    body,
    generator,
    async
  };
  return node;
};
export const identifier: typeof t.identifier = function identifier(name) {
  const node: t.Identifier = {
    type: "Identifier",
    name
  };
  return node;
};
export const ifStatement: typeof t.ifStatement = function ifStatement(test, consequent, alternate = null) {
  const node: t.IfStatement = {
    type: "IfStatement",
    test,
    consequent,
    alternate
  };
  return node;
};
export const importDeclaration: typeof t.importDeclaration = function importDeclaration(specifiers, source, attributes = null) {
  const node: t.ImportDeclaration = {
    type: "ImportDeclaration",
    specifiers,
    source,
    attributes
  };
  return node;
};
export const importSpecifier: typeof t.importSpecifier = function importSpecifier(local, imported) {
  const node: t.ImportSpecifier = {
    type: "ImportSpecifier",
    local,
    imported
  };
  return node;
};
export const labeledStatement: typeof t.labeledStatement = function labeledStatement(label, body) {
  const node: t.LabeledStatement = {
    type: "LabeledStatement",
    label,
    body
  };
  return node;
};
export const logicalExpression: typeof t.logicalExpression = function logicalExpression(operator, left, right) {
  const node: t.LogicalExpression = {
    type: "LogicalExpression",
    operator,
    left,
    right
  };
  return node;
};
export const memberExpression: typeof t.memberExpression = function memberExpression(object, property, computed = false, optional = null) {
  const node: t.MemberExpression = {
    type: "MemberExpression",
    object,
    property,
    computed,
    optional
  };
  return node;
};
export const metaProperty: typeof t.metaProperty = function metaProperty(meta, property) {
  const node: t.MetaProperty = {
    type: "MetaProperty",
    meta,
    property
  };
  return node;
};
export const newExpression: typeof t.newExpression = function newExpression(callee, _arguments) {
  const node: t.NewExpression = {
    type: "NewExpression",
    callee,
    arguments: _arguments,
    typeParameters: null
  };
  return node;
};
export const nullLiteral: typeof t.nullLiteral = function nullLiteral() {
  return {
    type: "NullLiteral"
  };
};
export const numericLiteral: typeof t.numericLiteral = function numericLiteral(value) {
  const node: t.NumericLiteral = {
    type: "NumericLiteral",
    value
  };
  return node;
};
export const objectExpression: typeof t.objectExpression = function objectExpression(properties) {
  const node: t.ObjectExpression = {
    type: "ObjectExpression",
    properties
  };
  return node;
};
export const objectMethod: typeof t.objectMethod = function objectMethod(kind = "method", key, params, body, computed = false, generator = false, async = false) {
  const node: t.ObjectMethod = {
    type: "ObjectMethod",
    kind,
    key,
    params,
    body,
    computed,
    generator,
    async
  };
  return node;
};
export const objectPattern: typeof t.objectPattern = function objectPattern(properties) {
  const node: t.ObjectPattern = {
    type: "ObjectPattern",
    properties
  };
  return node;
};
export const objectProperty: typeof t.objectProperty = function objectProperty(key, value, computed = false, shorthand = false, decorators = null) {
  const node: t.ObjectProperty = {
    type: "ObjectProperty",
    key,
    value,
    computed,
    shorthand,
    decorators
  };
  return node;
};
export const optionalCallExpression: typeof t.optionalCallExpression = function optionalCallExpression(callee, _arguments, optional) {
  const node: t.OptionalCallExpression = {
    type: "OptionalCallExpression",
    callee,
    arguments: _arguments,
    optional
  };
  return node;
};
export const optionalMemberExpression: typeof t.optionalMemberExpression = function optionalMemberExpression(object, property, computed = false, optional) {
  const node: t.OptionalMemberExpression = {
    type: "OptionalMemberExpression",
    object,
    property,
    computed,
    optional
  };
  return node;
};
export const privateName: typeof t.privateName = function privateName(id) {
  const node: t.PrivateName = {
    type: "PrivateName",
    id
  };
  return node;
};
export const restElement: typeof t.restElement = function restElement(argument) {
  const node: t.RestElement = {
    type: "RestElement",
    argument
  };
  return node;
};
export const returnStatement: typeof t.returnStatement = function returnStatement(argument = null) {
  const node: t.ReturnStatement = {
    type: "ReturnStatement",
    argument
  };
  return node;
};
export const sequenceExpression: typeof t.sequenceExpression = function sequenceExpression(expressions) {
  const node: t.SequenceExpression = {
    type: "SequenceExpression",
    expressions
  };
  return node;
};
export const spreadElement: typeof t.spreadElement = function spreadElement(argument) {
  const node: t.SpreadElement = {
    type: "SpreadElement",
    argument
  };
  return node;
};
export const staticBlock: typeof t.staticBlock = function staticBlock(body) {
  const node: t.StaticBlock = {
    type: "StaticBlock",
    body
  };
  return node;
};
export const stringLiteral: typeof t.stringLiteral = function stringLiteral(value) {
  const node: t.StringLiteral = {
    type: "StringLiteral",
    value
  };
  return node;
};
export const _super: typeof t.super = function _super() {
  return {
    type: "Super"
  };
};
export const switchCase: typeof t.switchCase = function switchCase(test = null, consequent) {
  const node: t.SwitchCase = {
    type: "SwitchCase",
    test,
    consequent
  };
  return node;
};
export const switchStatement: typeof t.switchStatement = function switchStatement(discriminant, cases) {
  const node: t.SwitchStatement = {
    type: "SwitchStatement",
    discriminant,
    cases
  };
  return node;
};
export const taggedTemplateExpression: typeof t.taggedTemplateExpression = function taggedTemplateExpression(tag, quasi) {
  const node: t.TaggedTemplateExpression = {
    type: "TaggedTemplateExpression",
    tag,
    quasi
  };
  return node;
};
export const templateLiteral: typeof t.templateLiteral = function templateLiteral(quasis, expressions) {
  const node: t.TemplateLiteral = {
    type: "TemplateLiteral",
    quasis,
    expressions
  };
  return node;
};
export const thisExpression: typeof t.thisExpression = function thisExpression() {
  return {
    type: "ThisExpression"
  };
};
export const throwStatement: typeof t.throwStatement = function throwStatement(argument) {
  const node: t.ThrowStatement = {
    type: "ThrowStatement",
    argument
  };
  return node;
};
export const tryStatement: typeof t.tryStatement = function tryStatement(block, handler = null, finalizer = null) {
  const node: t.TryStatement = {
    type: "TryStatement",
    block,
    handler,
    finalizer
  };
  return node;
};
export const unaryExpression: typeof t.unaryExpression = function unaryExpression(operator, argument, prefix = true) {
  const node: t.UnaryExpression = {
    type: "UnaryExpression",
    operator,
    argument,
    prefix
  };
  return node;
};
export const updateExpression: typeof t.updateExpression = function updateExpression(operator, argument, prefix = false) {
  const node: t.UpdateExpression = {
    type: "UpdateExpression",
    operator,
    argument,
    prefix
  };
  return node;
};
export const variableDeclaration: typeof t.variableDeclaration = function variableDeclaration(kind, declarations) {
  const node: t.VariableDeclaration = {
    type: "VariableDeclaration",
    kind,
    declarations
  };
  return node;
};
export const variableDeclarator: typeof t.variableDeclarator = function variableDeclarator(id, init = null) {
  const node: t.VariableDeclarator = {
    type: "VariableDeclarator",
    id,
    init
  };
  return node;
};
export const whileStatement: typeof t.whileStatement = function whileStatement(test, body) {
  const node: t.WhileStatement = {
    type: "WhileStatement",
    test,
    body
  };
  return node;
};
export const withStatement: typeof t.withStatement = function withStatement(object, body) {
  const node: t.WithStatement = {
    type: "WithStatement",
    object,
    body
  };
  return node;
};

/**
 * `addComment` of @babel/types: the same comment object, put where it puts it (a leading one before those the
 * node has, a trailing or inner one after them), the property named directly (its `${type}Comments` is a
 * string made and looked up at every call: the class's comments, one per state, made it a few percent of
 * building the class).
 */
export const addComment: typeof t.addComment = function addComment(node, type, content, line) {
  const comment = { type: line ? "CommentLine" : "CommentBlock", value: content } as t.Comment;
  if (type === "leading") {
    node.leadingComments = node.leadingComments ? [comment].concat(node.leadingComments) : [comment];
  } else if (type === "trailing") {
    if (node.trailingComments) node.trailingComments.push(comment);
    else node.trailingComments = [comment];
  } else {
    if (node.innerComments) node.innerComments.push(comment);
    else node.innerComments = [comment];
  }
  return node;
};

/** `comments`, then those of `others` not among them (Babel gives a comment between two statements to both). */
export function joinComments(comments: t.Comment[], others: t.Comment[] | null | undefined): t.Comment[] {
  if (!others?.length) return comments;
  return [...comments.filter((comment) => !others.includes(comment)), ...others];
}

/**
 * The source's comments on a node the lowering rewrote go with what it made of it: those before the node
 * before `first`, those after it after `last` (each comment once).
 */
export function carryComments(from: t.Node, first: t.Node, last: t.Node = first): void {
  if (from.leadingComments?.length) first.leadingComments = joinComments(from.leadingComments, first.leadingComments);
  if (from.trailingComments?.length) last.trailingComments = joinComments(last.trailingComments ?? [], from.trailingComments);
}
