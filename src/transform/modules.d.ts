// @babel/generator's Printer (print.ts extends how it prints a node; not part of the package's typed API).
declare module "@babel/generator/lib/printer.js";
// @babel/traverse's Binding (tree-scopes.ts makes bindings as the crawl does; not exported by the package).
declare module "@babel/traverse/lib/scope/binding.js";
