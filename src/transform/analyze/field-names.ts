// The names of a machine's fields: each binding the machine keeps in a field gets its own name, its source
// name where that is free. Not free: what the runtime's machine classes and the wrapper give every machine
// (names.ts MACHINE_MEMBERS), the transform's own fields (`$0`, `$s0`, ...: temps and boxes), and the names
// given out before; then `name_1`, `name_2`, ...

/** The field names of one machine, given out one binding at a time. */
export class FieldNames {
  private readonly given = new Set<string>();

  constructor(
    /** Names no field may take (read, not copied: a copy per function of these twenty names was a fifth of the analysis of a small function). */
    private readonly reserved: ReadonlySet<string>,
  ) {}

  /** A field for a binding named `name`. */
  claim(name: string): string {
    let field = name;
    for (let n = 1; this.taken(field); n++) field = `${name}_${n}`;
    this.given.add(field);
    return field;
  }

  private taken(field: string): boolean {
    return this.given.has(field) || this.reserved.has(field) || /^\$s?\d+$/.test(field);
  }
}
