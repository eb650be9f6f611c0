/**
 * The QAPI lexer: turns schema source text into tokens, the way QEMU's
 * QAPISchemaParser.accept() does.
 *
 * Tokens are the structural characters `{ } : , [ ]`, strings (`'`, value in
 * `val`), `true`/`false` (`t`/`f`), `null` (`n`, only by the rules of releases
 * before 6.0, release-rules.ts `nullValue`), comment lines (`#`, only returned inside
 * doc comments or when a line starts with `##`), and end of input (null).
 * The parser (parser.ts) and the doc-comment reader (doc-reader.ts) pull
 * tokens with accept() and raise errors at the current token with error().
 *
 * Scanning uses charCodeAt and sticky regular expressions; strings without
 * escapes are sliced out of the source in one piece.
 */
import { QapiParseError } from "./errors.js";
import type { SourceInfo } from "./source-info.js";

/** What the current token is; the single characters mirror QEMU's `tok`. */
export type Token = "{" | "}" | ":" | "," | "[" | "]" | "'" | "t" | "f" | "n" | "#" | null;

const LF = 0x0a;
const HASH = 0x23;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;

/** Printable ASCII other than quote and backslash: the bulk of any string. */
const PLAIN_STRING_RUN = /[\x20-\x26\x28-\x5b\x5d-\x7e]*/y;

/**
 * Python's str.isspace() for one UTF-16 code unit; QEMU skips exactly these
 * characters between tokens and stops a stray word at them.
 */
export function isPythonSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** True for the characters that end a stray word in QEMU's "unexpected characters" message. */
function endsStrayWord(code: number): boolean {
  switch (code) {
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x3a: // :
    case 0x2c: // ,
    case QUOTE:
      return true;
    default:
      return isPythonSpace(code);
  }
}

/**
 * QEMU's column of `pos` on the line starting at `lineStart`: 1-based,
 * counting code points, with tabs advancing to the next multiple of 8 plus 1.
 */
export function columnOf(src: string, lineStart: number, pos: number): number {
  let col = 1;
  for (const ch of src.slice(lineStart, pos)) {
    col = ch === "\t" ? ((col + 7) % 8) + 1 : col + 1;
  }
  return col;
}

/** Tokenizer over one schema file's text; see the module comment for tokens. */
export class Lexer {
  /** The source text, always ending in a newline. */
  readonly src: string;
  /** Info for line 1; the infos of later lines are copies of it. */
  private readonly firstLineInfo: SourceInfo;
  /** The current 1-based line number. */
  line = 1;
  /** The info handed out for the current line, made on first use (most lines never need one). */
  private lineInfo: SourceInfo;
  /** The current token. */
  tok: Token = null;
  /** The current token's value: string text, boolean, comment line, or null. */
  val: string | boolean | null = null;
  /** Index of the current token's first character. */
  pos = 0;
  /** Index where scanning continues. */
  cursor = 0;
  /** Index of the first character of the current line. */
  lineStart = 0;
  /** True once a '{' was read: the file has begun like a schema (whose expressions are all objects). */
  private sawToken = false;

  /**
   * @param src  the file's text (a trailing newline is added when missing)
   * @param info info for line 1 of the file
   */
  constructor(src: string, info: SourceInfo) {
    this.src = src.endsWith("\n") ? src : src + "\n";
    this.firstLineInfo = info;
    this.lineInfo = info;
  }

  /**
   * The current line's info. Like QEMU, every line has its own SourceInfo
   * object, shared by everything that starts on that line.
   */
  get info(): SourceInfo {
    if (this.lineInfo.line !== this.line) {
      const info = this.firstLineInfo.clone();
      info.line = this.line;
      this.lineInfo = info;
    }
    return this.lineInfo;
  }

  /** A parse error at the current token, with QEMU's column. */
  error(msg: string): QapiParseError {
    return new QapiParseError(this.info.withColumn(columnOf(this.src, this.lineStart, this.pos)), msg);
  }

  /**
   * Read the next token into tok/val/pos.
   * @param skipComment when false, comment lines are returned as `#` tokens
   *   (val is the line from `#` up to the newline); a line starting with `##`
   *   is always returned, because it starts a doc comment.
   * @throws QapiParseError for a stray character, a bad string, a bad escape
   */
  accept(skipComment = true): void {
    const src = this.src;
    for (;;) {
      const pos = this.cursor;
      const code = src.charCodeAt(pos);
      this.pos = pos;
      this.cursor = pos + 1;
      this.val = null;
      switch (code) {
        case HASH: {
          if (src.charCodeAt(pos + 1) === HASH) skipComment = false;
          this.cursor = src.indexOf("\n", pos + 1);
          if (!skipComment) {
            this.tok = "#";
            this.val = src.slice(pos, this.cursor);
            return;
          }
          continue;
        }
        case 0x7b:
          this.tok = "{";
          this.sawToken = true;
          return;
        case 0x7d:
          this.tok = "}";
          return;
        case 0x3a:
          this.tok = ":";
          return;
        case 0x2c:
          this.tok = ",";
          return;
        case 0x5b:
          this.tok = "[";
          return;
        case 0x5d:
          this.tok = "]";
          return;
        case QUOTE:
          this.tok = "'";
          this.val = this.scanString(pos + 1);
          return;
        case LF:
          if (this.cursor === src.length) {
            this.tok = null;
            return;
          }
          this.line++;
          this.lineStart = this.cursor;
          continue;
        case 0x20:
          continue;
        default:
          if (code === 0x74 && src.startsWith("true", pos)) {
            this.tok = "t";
            this.val = true;
            this.cursor = pos + 4;
            return;
          }
          if (code === 0x66 && src.startsWith("false", pos)) {
            this.tok = "f";
            this.val = false;
            this.cursor = pos + 5;
            return;
          }
          if (code === 0x6e && src.startsWith("null", pos) && this.firstLineInfo.pragma.rules.nullValue) {
            this.tok = "n";
            this.val = null;
            this.cursor = pos + 4;
            return;
          }
          if (isPythonSpace(code)) continue;
          this.tok = null;
          // Until a file has shown a QAPI token it may be any file at all (an
          // include of a key or password file): quote none of its content then.
          if (!this.sawToken)
            throw this.error("unexpected characters where a QAPI schema starts with '{' (not a schema file?)");
          throw this.error(`unexpected characters '${this.strayWord(pos)}'`);
      }
    }
  }

  /** The run of characters from `start` up to the next structural, space or quote character. */
  private strayWord(start: number): string {
    const src = this.src;
    let end = start + 1;
    while (end < src.length && !endsStrayWord(src.charCodeAt(end))) end++;
    return src.slice(start, end);
  }

  /**
   * Scan a string's body from `start` (just after the opening quote) and
   * leave the cursor after the closing quote. Only printable ASCII is
   * allowed, and `\\` is the only escape.
   * @throws QapiParseError at the opening quote, as QEMU reports it
   */
  private scanString(start: number): string {
    const src = this.src;
    let value = "";
    let cursor = start;
    for (;;) {
      PLAIN_STRING_RUN.lastIndex = cursor;
      PLAIN_STRING_RUN.test(src);
      const runEnd = PLAIN_STRING_RUN.lastIndex;
      const code = src.charCodeAt(runEnd);
      if (code === QUOTE) {
        this.cursor = runEnd + 1;
        return value + src.slice(cursor, runEnd);
      }
      if (code === BACKSLASH) {
        value += src.slice(cursor, runEnd);
        const escaped = src.codePointAt(runEnd + 1)!;
        if (escaped === LF) throw this.error(`string lacks its closing "'"`);
        if (escaped !== BACKSLASH)
          throw this.error(`unsupported escape \\${String.fromCodePoint(escaped)} (only \\\\ is allowed)`);
        value += "\\";
        cursor = runEnd + 2;
        continue;
      }
      if (code === LF) throw this.error(`string lacks its closing "'"`);
      throw this.error("string has a character outside printable ASCII");
    }
  }
}
