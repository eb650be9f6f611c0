/**
 * Errors of the QAPI front end: everything wrong with a schema is a QapiError.
 *
 * The parser raises QapiParseError (bad tokens, with a column) and
 * QapiSemanticError (bad directives, bad doc comments); check-exprs and the
 * model raise QapiSemanticError. tools/cli/main.ts catches UserFacingError and
 * prints report(), which has exactly the layout of QEMU's error messages.
 */
import { UserFacingError } from "../errors.js";
import type { SourceInfo } from "./source-info.js";

/** A schema error, located (info) or not (e.g. the main file cannot be read). */
export class QapiError extends UserFacingError {
  /** Where the error is; null when it has no location. */
  readonly info: SourceInfo | null;
  /** The message without the location. */
  readonly msg: string;

  /**
   * @param info where the error is, or null
   * @param msg  the message, naming the same quoted tokens as QEMU's
   */
  constructor(info: SourceInfo | null, msg: string) {
    super(info ? `${info.toString()}: ${msg}` : msg);
    this.info = info;
    this.msg = msg;
  }

  /** QEMU's layout: context lines, then "FILE:LINE[:COL]: MSG". */
  override report(): string {
    return this.info ? `${this.info.toString()}: ${this.msg}` : this.msg;
  }

  /** Same as report(), so `String(err)` prints what QEMU prints. */
  override toString(): string {
    return this.report();
  }
}

/** A lexical or syntax error; its info carries the column. */
export class QapiParseError extends QapiError {}

/** A schema error that is not about syntax (directives, doc comments, semantics). */
export class QapiSemanticError extends QapiError {}
