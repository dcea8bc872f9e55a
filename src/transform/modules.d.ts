// @babel/generator's Printer (print.ts extends how it prints a node; not part of the package's typed API).
declare module "@babel/generator/lib/printer.js";
