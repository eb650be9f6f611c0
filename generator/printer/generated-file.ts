/**
 * The printer every emitter writes through: one GeneratedFile per output file.
 *
 * Emitters call `print()` with printables (strings, numbers, ImportSymbols and
 * nested arrays of them). Referring to an ImportSymbol is the only way to use a
 * name from another module: at `toString()` time the file collects the symbols
 * it used, drops the ones it declares itself, groups the rest by module, makes
 * them `import type` when every symbol from a module is a type, aliases any that
 * clash with a local declaration, and sorts everything, so no emitter ever
 * writes an import line by hand. The text then goes to format.ts (one prettier
 * pass) and write.ts (write-if-changed / --check).
 */

import { printWidth } from "./layout.js";
import { stringLiteral } from "./escape.js";

/** A name exported by some module, usable in generated code. */
export interface ImportSymbol {
  readonly kind: "import-symbol";
  /** The exported name. */
  readonly name: string;
  /** Module specifier: a package path (`qapi-ts/runtime`) or `./file.js` relative to the output directory. */
  readonly from: string;
  /** True when the symbol is only a type (interface or type alias). */
  readonly typeOnly: boolean;
}

/**
 * A construct whose line breaks depend on its final width: its parts are
 * rendered first (imports resolved to their local names), then `layout` turns
 * those texts into the final lines (generator/printer/layout.ts).
 */
export interface LaidOut {
  readonly kind: "laid-out";
  readonly parts: readonly Printable[];
  readonly layout: (texts: readonly string[]) => string;
}

/** Anything `print()` accepts. */
export type Printable = string | number | ImportSymbol | LaidOut | readonly Printable[];

/** A construct laid out once its parts' final text is known. */
export function laidOut(parts: readonly Printable[], layout: (texts: readonly string[]) => string): LaidOut {
  return { kind: "laid-out", parts, layout };
}

/** Creates an ImportSymbol. */
export function importSymbol(name: string, from: string, typeOnly: boolean): ImportSymbol {
  return { kind: "import-symbol", name, from, typeOnly };
}

/** One generated TypeScript file under construction. */
export class GeneratedFile {
  /** Path relative to the output directory, e.g. `types.ts`. */
  readonly path: string;
  /** The module specifier other generated files use to import from this one (`./types.js`). */
  readonly specifier: string;
  private readonly header: string[];
  private readonly lines: Printable[][] = [];
  private readonly declared = new Set<string>();

  /**
   * @param path file name relative to the output directory (`types.ts`)
   * @param header comment lines placed first, verbatim (each must already be a comment)
   */
  constructor(path: string, header: readonly string[]) {
    this.path = path;
    this.specifier = "./" + path.replace(/\.ts$/, ".js");
    this.header = [...header];
  }

  /** Appends one line made of the given printables (no arguments: an empty line). */
  print(...parts: Printable[]): void {
    this.lines.push(parts);
  }

  /**
   * Records that this file declares `name` at top level, so a symbol of the same
   * name from another module gets an alias, and returns the ImportSymbol other
   * files use to refer to it.
   */
  declare(name: string, typeOnly: boolean): ImportSymbol {
    this.declared.add(name);
    return importSymbol(name, this.specifier, typeOnly);
  }

  /** The file's full text: header, sorted imports, body. */
  toString(): string {
    const used = new Map<string, ImportSymbol[]>();
    const collect = (p: Printable): void => {
      if (typeof p === "string" || typeof p === "number") return;
      if (isLaidOut(p)) {
        for (const q of p.parts) collect(q);
        return;
      }
      if (isSymbol(p)) {
        if (p.from === this.specifier) return;
        const list = used.get(p.from) ?? [];
        if (!list.some((s) => s.name === p.name)) list.push(p);
        used.set(p.from, list);
        return;
      }
      for (const q of p) collect(q);
    };
    for (const line of this.lines) for (const p of line) collect(p);

    // Aliases: a local declaration or an earlier module's import wins the plain name.
    const taken = new Set(this.declared);
    const alias = new Map<string, string>(); // "from\0name" → local name
    const modules = [...used.keys()].sort(compareModules);
    const importLines: string[] = [];
    for (const from of modules) {
      const symbols = used
        .get(from)!
        .slice()
        .sort((a, b) => cmp(a.name, b.name));
      const allTypes = symbols.every((s) => s.typeOnly);
      const specs: string[] = [];
      for (const s of symbols) {
        let local = s.name;
        for (let salt = 1; taken.has(local); salt++) local = `${s.name}$${salt}`;
        taken.add(local);
        alias.set(from + "\0" + s.name, local);
        const spec = local === s.name ? s.name : `${s.name} as ${local}`;
        specs.push(!allTypes && s.typeOnly ? `type ${spec}` : spec);
      }
      importLines.push(importDeclaration(allTypes, specs, from));
    }

    const render = (p: Printable): string => {
      if (typeof p === "string") return p;
      if (typeof p === "number") return String(p);
      if (isSymbol(p)) return p.from === this.specifier ? p.name : alias.get(p.from + "\0" + p.name)!;
      if (isLaidOut(p)) return p.layout(p.parts.map(render));
      return p.map(render).join("");
    };
    const body = this.lines.map((line) => line.map(render).join(""));
    const out = [...this.header];
    if (importLines.length > 0) out.push("", ...importLines);
    out.push("", ...body);
    // One blank line at most between blocks, exactly one newline at the end (trimEnd: a `\s*$` regex is quadratic on megabytes).
    return (
      out
        .join("\n")
        .replace(/\n{3,}/g, "\n\n")
        .trimEnd() + "\n"
    );
  }
}

function isSymbol(p: Printable): p is ImportSymbol {
  return typeof p === "object" && !Array.isArray(p) && (p as ImportSymbol).kind === "import-symbol";
}

function isLaidOut(p: Printable): p is LaidOut {
  return typeof p === "object" && !Array.isArray(p) && (p as LaidOut).kind === "laid-out";
}

/** `import { a, b } from "m";` on one line when it fits, else one name per line (prettier's layout). */
function importDeclaration(allTypes: boolean, specs: readonly string[], from: string): string {
  const head = `import ${allTypes ? "type " : ""}{`;
  const tail = `} from ${stringLiteral(from)};`;
  const flat = `${head} ${specs.join(", ")} ${tail}`;
  if (flat.length <= printWidth) return flat;
  return [head, ...specs.map((s) => `  ${s},`), tail].join("\n");
}

/** Code-point order, independent of locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Packages first, then relative modules, each alphabetically. */
function compareModules(a: string, b: string): number {
  const ra = a.startsWith("."),
    rb = b.startsWith(".");
  return ra === rb ? cmp(a, b) : ra ? 1 : -1;
}
