// An inline source map's comment, in a module of its own: a build's main thread writes it without loading
// Babel (compile.ts), and compile.ts re-exports it for the other commands.

/** `//# sourceMappingURL=data:...` for a map. */
export function inlineMapComment(map: { version: number }): string {
  return `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString("base64")}`;
}
