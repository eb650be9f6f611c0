/**
 * The first stage of the QAPI front end: schema files in, expressions out.
 *
 * SchemaParser reads the main schema file and every file it includes
 * (depth-first, each file once), and produces the flat list of top-level
 * expressions in source order with their SourceInfo and doc comment, plus
 * every doc block. It handles the `include` and `pragma` directives itself,
 * exactly like QEMU 10.2's scripts/qapi/parser.py; everything else about an
 * expression's shape is checked by the next stage, check-exprs.ts, and then
 * the model (generator/model/).
 *
 * For every `include` it keeps an expression `{ include: PATH }` (PATH joined
 * to the including file's directory, Python-style) ahead of the included
 * file's expressions, as QEMU does, so the model can dump module lines.
 *
 * It reads by the rules of one QEMU release (release-rules.ts): the doc
 * reader's grammar and the pragma names before 6.0 here; the parser puts the
 * rules on the schema's shared pragma record, where the later stages consult
 * them for the other constructs that changed between releases.
 */
import { resolve } from "node:path";
import { InputFileError, readInputFile } from "../input-file.js";
import { LineDocReader } from "./doc-reader-lines.js";
import { DocReader } from "./doc-reader.js";
import type { QapiDoc } from "./doc.js";
import { QapiError, QapiParseError, QapiSemanticError } from "./errors.js";
import { columnOf, Lexer, type Token } from "./lexer.js";
import { newestRules, type ReleaseRules } from "./release-rules.js";
import { type Pragmas, SourceInfo } from "./source-info.js";

/** A parsed JSON-ish value: strings, booleans, objects and arrays (QAPI has no numbers or null). */
export type QapiValue = string | boolean | QapiObject | QapiValue[];
/** A parsed object; keys in source order, and '__proto__' is an ordinary key. */
export type QapiObject = Map<string, QapiValue>;

/** One top-level expression with where it starts and the doc comment right before it. */
export interface ParsedExpr {
  expr: QapiObject;
  info: SourceInfo;
  doc: QapiDoc | null;
}

/** Which release's rules read the schema. */
export interface ParseOptions {
  /** The rules (release-rules.ts); the parser shares them with later stages through the pragma record. */
  rules: ReleaseRules;
}

/** The default options: the newest rules. */
export const defaultParseOptions: ParseOptions = { rules: newestRules };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Read "\r\n" and a lone "\r" as "\n", as Python's text mode does. */
function translateNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/**
 * Read a schema file as Python does in text mode: UTF-8, "\r\n" or a lone
 * "\r" read as "\n". A byte-order mark stays in the text (and is then a
 * stray character), as in Python.
 * @param info the file's line-1 info, for locating invalid UTF-8
 * Only a regular file below the input size limit is read (generator/input-file.ts).
 * @throws InputFileError when the file cannot be read, is not regular or is too large
 * @throws QapiParseError at the first byte that is not UTF-8
 */
function readSchemaText(file: string, info: SourceInfo): string {
  const bytes = readInputFile(file);
  try {
    return translateNewlines(utf8.decode(bytes));
  } catch {
    throw invalidUtf8Error(bytes, info);
  }
}

/** A parse error at the first invalid UTF-8 sequence of `bytes`. */
function invalidUtf8Error(bytes: Uint8Array, info: SourceInfo): QapiParseError {
  const offset = firstInvalidUtf8(bytes);
  const before = translateNewlines(utf8.decode(bytes.subarray(0, offset)));
  const lineStart = before.lastIndexOf("\n") + 1;
  const where = info.clone();
  where.line = before.length - before.replaceAll("\n", "").length + 1;
  where.col = columnOf(before, lineStart, before.length);
  // A file that has not begun like a schema may be anything (a key file): name none of its bytes.
  if (!/^(?:\s|#[^\n]*\n)*\{/.test(before))
    return new QapiParseError(where, "the file is not valid UTF-8 (not a schema file?)");
  const byte = bytes[offset]!.toString(16).padStart(2, "0");
  return new QapiParseError(where, `the file is not valid UTF-8 (byte 0x${byte})`);
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (bytes.length when all are valid). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const trailing =
      lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (trailing === 0 || i + trailing >= bytes.length) return i;
    let codePoint = lead & (0x3f >> trailing);
    for (let k = 1; k <= trailing; k++) {
      const next = bytes[i + k]!;
      if ((next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    const smallest = trailing === 1 ? 0x80 : trailing === 2 ? 0x800 : 0x10000;
    if (codePoint < smallest || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += trailing + 1;
  }
  return i;
}

/** Python's os.path.dirname (POSIX). */
function pythonDirname(path: string): string {
  const head = path.slice(0, path.lastIndexOf("/") + 1);
  return /^\/*$/.test(head) ? head : head.replace(/\/+$/, "");
}

/** Python's os.path.join(dir, name) (POSIX): no normalization. */
function pythonJoin(dir: string, name: string): string {
  if (name.startsWith("/") || dir === "") return name;
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/**
 * Parses a schema file and everything it includes; see the module comment.
 * The results are in `exprs` and `docs` once the constructor returns.
 */
export class SchemaParser {
  /** Top-level expressions in source order, includes expanded. */
  readonly exprs: ParsedExpr[] = [];
  /** Every doc block in source order, includes expanded. */
  readonly docs: QapiDoc[] = [];
  /** The pragmas in force after parsing (one record shared by every SourceInfo of the schema). */
  readonly pragma: Pragmas;

  /**
   * Parse `file` (relative names are relative to the working directory and
   * print as given).
   * @param file    the main schema file
   * @param options doc-comment mode (default: docLint false)
   * @throws QapiError without location when the main file cannot be read
   * @throws QapiParseError at the first byte of a file that is not UTF-8
   * @throws QapiParseError / QapiSemanticError for anything wrong in the sources
   */
  constructor(file: string, options: ParseOptions = defaultParseOptions) {
    const info = new SourceInfo(file, null);
    this.pragma = info.pragma;
    this.pragma.rules = options.rules;
    let text: string;
    try {
      text = readSchemaText(file, info);
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err;
      throw new QapiError(null, `cannot read schema file '${file}': ${err.message}`);
    }
    const session: ParseSession = { options, included: new Set(), exprs: this.exprs, docs: this.docs };
    // Included files are parsed depth-first with an explicit stack, so deep
    // include chains cannot exhaust the call stack.
    const open: FileParser[] = [new FileParser(file, text, info, session)];
    while (open.length > 0) {
      const included = open[open.length - 1]!.run();
      if (included) open.push(included);
      else open.pop();
    }
  }
}

/** What the parsers of one schema's files share. */
interface ParseSession {
  readonly options: ParseOptions;
  /** Absolute names of the files read so far: each file is parsed once. */
  readonly included: Set<string>;
  /** Where every file's expressions go, in source order. */
  readonly exprs: ParsedExpr[];
  /** Where every file's doc blocks go, in source order. */
  readonly docs: QapiDoc[];
}

/** Parses one file; stops at each include directive whose file needs parsing. */
class FileParser {
  private readonly file: string;
  private readonly session: ParseSession;
  private readonly lexer: Lexer;
  private readonly docReader: DocReader | LineDocReader;
  /** The doc block just read, waiting for the definition it documents. */
  private curDoc: QapiDoc | null = null;
  private started = false;

  constructor(file: string, text: string, info: SourceInfo, session: ParseSession) {
    this.file = file;
    this.session = session;
    session.included.add(resolve(file));
    this.lexer = new Lexer(text, info);
    const rules = session.options.rules;
    this.docReader =
      rules.docGrammar === "lines" ? new LineDocReader(this.lexer, rules) : new DocReader(this.lexer, rules);
  }

  /**
   * Parse on, up to the end of the file (returns null) or up to an include
   * directive whose file has to be parsed next (returns its parser; call
   * run() again once that file is done).
   * @throws QapiParseError / QapiSemanticError for anything wrong in the file
   */
  run(): FileParser | null {
    const lexer = this.lexer;
    const { exprs, docs } = this.session;
    if (!this.started) {
      this.started = true;
      lexer.accept();
    }
    while (lexer.tok !== null) {
      const info = lexer.info;
      if (lexer.tok === "#") {
        rejectExprDoc(this.curDoc);
        const read = this.docReader.readDocs();
        docs.push(...read);
        this.curDoc = read.at(-1)!;
        continue;
      }
      if (lexer.tok !== "{" && this.session.options.rules.topLevelObjectSyntax) {
        throw lexer.error("need '{' to start a top-level expression");
      }
      const expr = this.parseValue();
      if (!(expr instanceof Map)) throw new QapiSemanticError(info, "a top-level expression has to be an object");
      const curDoc = this.curDoc;
      this.curDoc = null;
      if (expr.has("include")) {
        rejectExprDoc(curDoc);
        const included = this.include(expr, info);
        if (included) return included;
      } else if (expr.has("pragma")) {
        rejectExprDoc(curDoc);
        if (expr.size !== 1) throw new QapiSemanticError(info, "malformed 'pragma' directive: it must be the only key");
        const pragma = expr.get("pragma")!;
        if (!(pragma instanceof Map)) throw new QapiSemanticError(info, "'pragma' takes an object");
        for (const [name, value] of pragma) applyPragma(name, value, info);
      } else {
        if (curDoc && curDoc.symbol === null) {
          throw new QapiSemanticError(curDoc.info, "a definition's doc comment must start with its name");
        }
        exprs.push({ expr, info, doc: curDoc });
      }
    }
    rejectExprDoc(this.curDoc);
    return null;
  }

  /**
   * Handle an include directive: record it, and return a parser for the
   * file unless it was read already.
   * @throws QapiSemanticError for a malformed directive, a cycle or an unreadable file
   */
  private include(expr: QapiObject, info: SourceInfo): FileParser | null {
    if (expr.size !== 1) throw new QapiSemanticError(info, "malformed 'include' directive: it must be the only key");
    const include = expr.get("include")!;
    if (typeof include !== "string") throw new QapiSemanticError(info, "'include' takes a file name string");
    const inclFile = pythonJoin(pythonDirname(this.file), include);
    this.session.exprs.push({ expr: new Map([["include", inclFile]]), info, doc: null });
    const absolute = resolve(inclFile);
    for (let inf: SourceInfo | null = info; inf; inf = inf.parent) {
      if (absolute === resolve(inf.file))
        throw new QapiSemanticError(info, `${include} includes itself (inclusion loop)`);
    }
    if (this.session.included.has(absolute)) return null;
    const inclInfo = new SourceInfo(inclFile, info);
    let text: string;
    try {
      text = readSchemaText(inclFile, inclInfo);
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err;
      throw new QapiSemanticError(info, `cannot read include file '${inclFile}': ${err.message}`);
    }
    return new FileParser(inclFile, text, inclInfo, this.session);
  }

  /**
   * Parse one value starting at the current token. Iterative, with an
   * explicit stack, so deeply nested input cannot overflow the call stack.
   * @throws QapiParseError at the first token that does not fit
   */
  private parseValue(): QapiValue {
    const lexer = this.lexer;
    const stack: Container[] = [];
    for (;;) {
      // Start a value at the current token.
      let value: QapiValue;
      const tok = lexer.tok;
      if (tok === "{") {
        lexer.accept();
        if (lexer.tok === "}") {
          lexer.accept();
          value = new Map();
        } else {
          if (lexer.tok !== "'") throw lexer.error("expected a member name string or '}'");
          const object: Container = { object: new Map(), array: null, key: "" };
          object.key = this.memberKey(object.object!);
          stack.push(object);
          continue;
        }
      } else if (tok === "[") {
        lexer.accept();
        if (lexer.tok === "]") {
          lexer.accept();
          value = [];
        } else {
          const next = lexer.tok;
          if (next !== "{" && next !== "[" && next !== "'" && next !== "t" && next !== "f" && next !== "n") {
            throw lexer.error(`need '{', '[', ']', a string, ${this.orNull("a boolean")} here`);
          }
          stack.push({ object: null, array: [], key: "" });
          continue;
        }
      } else if (tok === "'" || tok === "t" || tok === "f") {
        value = lexer.val as string | boolean;
        lexer.accept();
      } else if (tok === "n") {
        lexer.accept();
        const top = stack[stack.length - 1];
        if (!top?.object) throw lexer.error("null only stands for a member's absent value");
        value = null as unknown as QapiValue;
      } else {
        throw lexer.error(`need a value: '{', '[', a string, ${this.orNull("a boolean")}`);
      }
      // Store the finished value in its container, closing containers as they end.
      for (;;) {
        const top = stack[stack.length - 1];
        if (!top) return value;
        if (top.object) {
          if (value !== null) top.object.set(top.key, value);
          if (lexer.tok === "}") {
            lexer.accept();
            value = top.object;
            stack.pop();
            continue;
          }
          if (lexer.tok !== ",") throw lexer.error("need ',' or '}' after an object member");
          lexer.accept();
          if ((lexer.tok as Token) !== "'") throw lexer.error("need a member name string after the comma");
          top.key = this.memberKey(top.object);
          break;
        }
        top.array!.push(value);
        if (lexer.tok === "]") {
          lexer.accept();
          value = top.array!;
          stack.pop();
          continue;
        }
        if (lexer.tok !== ",") throw lexer.error("need ',' or ']' after an array element");
        lexer.accept();
        break;
      }
    }
  }

  /** "X, or 'null'" where null is a value, else "or X". */
  private orNull(what: string): string {
    return this.session.options.rules.nullValue ? `${what}, or 'null'` : `or ${what}`;
  }

  /**
   * Read "'KEY' :" at a string token and stop at the value's first token.
   * @throws QapiParseError when ':' is missing or the key repeats (reported at the value)
   */
  private memberKey(object: QapiObject): string {
    const lexer = this.lexer;
    const key = lexer.val as string;
    lexer.accept();
    if (lexer.tok !== ":") throw lexer.error("':' must follow a member name");
    lexer.accept();
    if (object.has(key)) throw lexer.error(`key '${key}' appears twice`);
    return key;
  }
}

/** An object or array being filled by parseValue(); `key` is the member being read. */
interface Container {
  object: QapiObject | null;
  array: QapiValue[] | null;
  key: string;
}

/**
 * Parse a schema: the functional form of `new SchemaParser(file, options)`.
 * @throws QapiError as the SchemaParser constructor does
 */
export function parseSchema(
  file: string,
  options: ParseOptions = defaultParseOptions,
): { exprs: ParsedExpr[]; docs: QapiDoc[]; pragma: Pragmas } {
  const parser = new SchemaParser(file, options);
  return { exprs: parser.exprs, docs: parser.docs, pragma: parser.pragma };
}

/**
 * A definition doc must be followed by its definition, not by a directive
 * or the end of the file.
 * @throws QapiSemanticError when `doc` documents a symbol
 */
function rejectExprDoc(doc: QapiDoc | null): void {
  if (doc && doc.symbol !== null) {
    throw new QapiSemanticError(doc.info, `the documentation of '${doc.symbol}' must be followed by its definition`);
  }
}

/** Pragmas whose value is a list of strings, and where each goes in Pragmas. */
const listPragmas: ReadonlyMap<string, keyof Omit<Pragmas, "docRequired" | "rules">> = new Map([
  ["command-name-exceptions", "commandNameExceptions"],
  ["command-returns-exceptions", "commandReturnsExceptions"],
  ["documentation-exceptions", "documentationExceptions"],
  ["member-name-exceptions", "memberNameExceptions"],
] as const);

/**
 * The names QEMU used for list pragmas up to 5.2, and the pragma each became
 * in 6.0. 5.2's `name-case-whitelist` permitted capitals only, but '_' needed
 * no permission then, so the renamed pragma's wider permission changes nothing.
 */
const olderListPragmas: ReadonlyMap<string, keyof Omit<Pragmas, "docRequired" | "rules">> = new Map([
  ["returns-whitelist", "commandReturnsExceptions"],
  ["name-case-whitelist", "memberNameExceptions"],
] as const);

/**
 * Apply one pragma to the schema's shared pragma record.
 * @throws QapiSemanticError for an unknown pragma or a value of the wrong type
 */
function applyPragma(name: string, value: QapiValue, info: SourceInfo): void {
  if (name === "doc-required") {
    if (typeof value !== "boolean") throw new QapiSemanticError(info, "pragma 'doc-required' takes true or false");
    info.pragma.docRequired = value;
    return;
  }
  const field = listPragmas.get(name) ?? (info.pragma.rules.whitelistPragmas ? olderListPragmas.get(name) : undefined);
  if (!field) throw new QapiSemanticError(info, `no such pragma '${name}'`);
  if (!Array.isArray(value) || value.some((element) => typeof element !== "string")) {
    throw new QapiSemanticError(info, `pragma ${name} takes a list of strings`);
  }
  info.pragma[field] = value as string[];
}
