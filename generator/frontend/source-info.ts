/**
 * Source locations for the QAPI front end.
 *
 * The lexer creates one SourceInfo per source line it reaches; every parsed
 * expression, doc comment and section keeps the SourceInfo of the line where it
 * starts. The later stages (check-exprs, the model) attach the definition they
 * are checking with setDefn(), so errors print the way QEMU prints them:
 *
 *     In file included from a.json:3:
 *     b.json: In command 'blockdev-add':
 *     b.json:12:5: unknown key ...
 *
 * Pragmas live here too because QEMU shares one pragma record across every
 * SourceInfo of a schema, so a pragma anywhere in any included file is in
 * force for every check that runs after parsing.
 */

import { newestRules, type ReleaseRules } from "./release-rules.js";

/** The pragmas QEMU 10.2 knows, with QEMU's defaults. */
export interface Pragmas {
  /** `doc-required`: every definition must have a doc comment. */
  docRequired: boolean;
  /** `command-name-exceptions`: commands whose names may use '_'. */
  commandNameExceptions: string[];
  /** `command-returns-exceptions`: commands that may return a non-object. */
  commandReturnsExceptions: string[];
  /** `documentation-exceptions`: definitions whose members may lack documentation. */
  documentationExceptions: string[];
  /** `member-name-exceptions`: types whose member names may violate case conventions. */
  memberNameExceptions: string[];
  /**
   * Not a pragma but shared the same way: the rules of the release the
   * schema is read as (release-rules.ts), which the checks and the model consult.
   */
  rules: ReleaseRules;
}

/** A fresh pragma record with every pragma at its default. */
export function createPragmas(): Pragmas {
  return {
    docRequired: false,
    commandNameExceptions: [],
    commandReturnsExceptions: [],
    documentationExceptions: [],
    memberNameExceptions: [],
    rules: newestRules,
  };
}

/**
 * Where something is in the schema sources, plus the context QEMU prints
 * in front of a location (include chain, enclosing definition).
 */
export class SourceInfo {
  /** The file name as it was opened: relative names stay relative. */
  readonly file: string;
  /** 1-based line number. */
  line: number;
  /** 1-based column; only set where QEMU prints one (parse errors). */
  col?: number | undefined;
  /** The `include` directive that brought this file in, or null for the main file. */
  readonly parent: SourceInfo | null;
  /** Meta-type of the enclosing definition ("command", "struct", ...). */
  defnMeta?: string | undefined;
  /** Name of the enclosing definition. */
  defnName?: string | undefined;
  /** The pragmas in force; one shared record per schema. */
  pragma: Pragmas;

  /**
   * @param file   file name as given (relative names stay relative)
   * @param parent the include directive's info, or null for the main file
   * @param pragma the schema's shared pragma record; inherited from parent when omitted
   */
  constructor(file: string, parent: SourceInfo | null, pragma?: Pragmas) {
    this.file = file;
    this.line = 1;
    // Every field is assigned up front so all SourceInfo objects share one shape.
    this.col = undefined;
    this.parent = parent;
    this.defnMeta = undefined;
    this.defnName = undefined;
    this.pragma = pragma ?? parent?.pragma ?? createPragmas();
  }

  /** A copy of this info (same file, parent, definition and pragmas). */
  clone(): SourceInfo {
    const copy = new SourceInfo(this.file, this.parent, this.pragma);
    copy.line = this.line;
    copy.col = this.col;
    copy.defnMeta = this.defnMeta;
    copy.defnName = this.defnName;
    return copy;
  }

  /** The info for the following line (a copy, as QEMU's next_line makes). */
  nextLine(): SourceInfo {
    const copy = this.clone();
    copy.line += 1;
    copy.col = undefined;
    return copy;
  }

  /** A copy of this info that prints the given 1-based column. */
  withColumn(col: number): SourceInfo {
    const copy = this.clone();
    copy.col = col;
    return copy;
  }

  /** Record the definition this location belongs to, for "FILE: In META 'NAME':". */
  setDefn(meta: string, name: string): void {
    this.defnMeta = meta;
    this.defnName = name;
  }

  /** "FILE:LINE" or "FILE:LINE:COL". */
  loc(): string {
    return this.col === undefined ? `${this.file}:${this.line}` : `${this.file}:${this.line}:${this.col}`;
  }

  /** "FILE: In META 'NAME':\n" when a definition is set, else "". */
  inDefn(): string {
    return this.defnName ? `${this.file}: In ${this.defnMeta} '${this.defnName}':\n` : "";
  }

  /** One "In file included from FILE:LINE:\n" line per enclosing include, outermost first. */
  includePath(): string {
    let text = "";
    for (let parent = this.parent; parent; parent = parent.parent) {
      text = `In file included from ${parent.file}:${parent.line}:\n` + text;
    }
    return text;
  }

  /** QEMU's shape: include chain, definition line, then "FILE:LINE[:COL]". */
  toString(): string {
    return this.includePath() + this.inDefn() + this.loc();
  }
}
