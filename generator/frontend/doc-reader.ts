/**
 * Reads one `##` documentation block from the lexer into a QapiDoc, with
 * QEMU 10.2's doc-comment grammar.
 *
 * The parser (parser.ts) calls readDoc() when the lexer is at a `##` line;
 * the lexer is left at the first token after the closing `##`. A block whose
 * first line is "@NAME:" documents definition NAME: a body, member
 * descriptions ("@member: text"), "Features:" with feature descriptions,
 * tagged sections ("Returns:", "Errors:", "Since:", "TODO:") and plain
 * paragraphs. Any other block is free-form documentation.
 *
 * In legacy mode (docLint false) the format lint is off and "Note(s):" and
 * "Example(s):" start tagged sections that, as before QEMU 9.1, run up to
 * the next section, instead of being errors; and, as older parsers did, a
 * line whose first word is a section tag or "@name:" starts a section even
 * right after a paragraph or an indented continuation.
 */
import { checkDocLineFormat } from "./doc-lint.js";
import { QapiDoc, taggedSectionKinds } from "./doc.js";
import { isPythonSpace, type Lexer } from "./lexer.js";

/** "@NAME: " at the start of a line; NAME may be empty or contain anything but ':'. */
const AT_NAME_COLON = /^@([^:]*): */;
/** A tagged section line; "Tag::" is rST markup, not a section. */
const TAGGED_SECTION = /^(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): */;
/** A line that opens a literal block ("::" alone, or ".. qmp-example::"). */
const LITERAL_BLOCK_START = /^(?:\.\. +qmp-example)? *::$/;

/** Whether a line starts a new section: a description, "Features:" or a tagged section. */
function startsSection(line: string): boolean {
  return line === "Features:" || AT_NAME_COLON.test(line) || TAGGED_SECTION.test(line);
}

/**
 * Whether a line starts a section the way QEMU's older parsers (5.2's, for
 * one) decided it: by its first word alone ("@name:", a section tag) or a "Features:"
 * line, so "@transaction. Action @type can be:" is ordinary text.
 */
function startsSectionByFirstWord(line: string): boolean {
  const word = line.split(" ", 1)[0]!;
  return line === "Features:" || /^@[^:]*:$/.test(word) || /^(Returns|Errors|Since|Notes?|Examples?|TODO):$/.test(word);
}

/** Number of leading whitespace characters (Python's `\s*` match length). */
function indentOf(line: string): number {
  let i = 0;
  while (i < line.length && isPythonSpace(line.charCodeAt(i))) i++;
  return i;
}

/** Python's str.rstrip(). */
function rstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Reads doc blocks of one file; holds the lint's literal-block state between lines. */
export class DocReader {
  private readonly lexer: Lexer;
  private readonly docLint: boolean;
  private literalMode = false;
  private literalModeIndent = 0;

  /**
   * @param lexer   the file's lexer
   * @param docLint QEMU 10.2's full rules (true) or legacy mode (false)
   */
  constructor(lexer: Lexer, docLint: boolean) {
    this.lexer = lexer;
    this.docLint = docLint;
  }

  /**
   * Read the block starting at the current `##` token.
   * @throws QapiParseError for malformed lines (with column)
   * @throws QapiSemanticError for bad sections (duplicates, empty names, missing text)
   */
  readDoc(): QapiDoc {
    const lexer = this.lexer;
    if (lexer.val !== "##") throw lexer.error("unexpected text after '##' opening a doc comment");
    const info = lexer.info;
    let line = this.nextLine();
    let doc: QapiDoc;
    if (line !== null && line.startsWith("@")) {
      if (!line.endsWith(":")) throw lexer.error("the symbol line has to end with ':'");
      // The name is checked against the definition that follows, later.
      const symbol = line.slice(1, -1);
      if (!symbol) throw lexer.error("a definition name must follow '@'");
      doc = new QapiDoc(info, symbol, !this.docLint);
      line = this.nextLine();
      this.readDefinitionDoc(doc, line);
    } else {
      doc = new QapiDoc(info, null, !this.docLint);
      doc.ensureUntaggedSection(lexer.info);
      while (line !== null) {
        const match = AT_NAME_COLON.exec(line);
        if (match) throw lexer.error(`'@${match[1]}:' cannot appear in free-form documentation`);
        doc.appendLine(line);
        line = this.nextLine();
      }
    }
    lexer.accept();
    doc.end();
    return doc;
  }

  /** The sections after the "@SYMBOL:" line, starting with `line`. */
  private readDefinitionDoc(doc: QapiDoc, line: string | null): void {
    const lexer = this.lexer;
    let noMoreArgs = false;
    while (line !== null) {
      while (line === "") line = this.nextLine();
      if (line === null) break;
      // A non-blank line: the first of a section.
      let match: RegExpExecArray | null;
      if (line === "Features:") {
        if (doc.features.size > 0) throw lexer.error("second 'Features:' line in one doc comment");
        line = this.nextLine();
        while (line === "") line = this.nextLine();
        line = this.readDescriptions(doc, line, "feature");
        if (doc.features.size === 0) throw lexer.error("no feature descriptions follow");
        noMoreArgs = true;
      } else if ((match = AT_NAME_COLON.exec(line))) {
        if (noMoreArgs) throw lexer.error(`member description '@${match[1]}:' comes after another section`);
        line = this.readDescriptions(doc, line, "member");
        noMoreArgs = true;
      } else if ((match = TAGGED_SECTION.exec(line))) {
        // "Tag::" is left alone as rST markup by the (?!::) in the pattern.
        const tag = match[1]!;
        const legacy = tag.startsWith("Note") || tag.startsWith("Example");
        if (legacy && this.docLint) throw lexer.error(legacySectionMessage(tag));
        doc.newTaggedSection(lexer.info, taggedSectionKinds.get(tag)!);
        const text = line.slice(match[0].length);
        if (text) doc.appendLine(text);
        line = legacy ? this.readUntilNextSection(doc) : this.readIndented(doc);
        noMoreArgs = true;
      } else {
        doc.ensureUntaggedSection(lexer.info);
        doc.appendLine(line);
        line = this.readParagraph(doc);
      }
    }
  }

  /**
   * Read consecutive "@NAME: text" descriptions of members or features,
   * starting with `line`; returns the first line after them.
   */
  private readDescriptions(doc: QapiDoc, line: string | null, what: "member" | "feature"): string | null {
    let match: RegExpExecArray | null;
    while (line !== null && (match = AT_NAME_COLON.exec(line))) {
      const name = this.describedName(match[1]!);
      if (what === "member") doc.newArgument(this.lexer.info, name);
      else doc.newFeature(this.lexer.info, name);
      const text = line.slice(match[0].length);
      if (text) doc.appendLine(text);
      line = this.readIndented(doc, !text && !this.docLint);
    }
    return line;
  }

  /**
   * The name in "@NAME:". Legacy mode drops trailing spaces: schemas before
   * QEMU 9.1 have lines like "@id : text", which their parser read as
   * member 'id'.
   */
  private describedName(name: string): string {
    return this.docLint ? name : rstrip(name);
  }

  /**
   * The next doc line's text (after "# ", trailing space removed), "" for a
   * bare "#", or null at the closing "##".
   * @throws QapiParseError when the block ends without "##", or a line is malformed
   */
  private nextLine(): string | null {
    const lexer = this.lexer;
    lexer.accept(false);
    if (lexer.tok !== "#") throw lexer.error("doc comment not closed by '##'");
    const raw = lexer.val as string;
    if (raw.startsWith("##")) {
      if (raw !== "##") throw lexer.error("unexpected text after '##' closing a doc comment");
      this.literalMode = false;
      return null;
    }
    if (raw === "#") return "";
    if (raw[1] !== " ") throw lexer.error("doc comment lines need a space after #");
    const line = rstrip(raw.slice(2));
    if (this.docLint) this.lint(line);
    return line;
  }

  /** Apply the line-format lint outside literal blocks. */
  private lint(line: string): void {
    if (LITERAL_BLOCK_START.test(line)) {
      this.literalMode = true;
      this.literalModeIndent = 0;
    } else if (this.literalMode && line) {
      const indent = indentOf(line);
      if (this.literalModeIndent === 0) this.literalModeIndent = indent;
      // rST literal blocks end where the indentation decreases.
      else if (indent < this.literalModeIndent) this.literalMode = false;
    }
    if (this.literalMode) return;
    const finding = checkDocLineFormat(line);
    if (!finding) return;
    const lexer = this.lexer;
    if (finding.offset !== null) lexer.pos = lexer.lineStart + 2 + finding.offset;
    throw lexer.error(finding.msg);
  }

  /**
   * The rest of a description or tagged section: blank lines, then lines
   * indented at least as much as the first indented one. Returns the first
   * line that is not part of it (or null at the end of the block).
   * @param legacyContinuation legacy mode, description without text on its
   *   "@name:" line: unindented lines up to a blank line continue it
   * @throws QapiParseError for a de-indented line right after the first indented one
   */
  private readIndented(doc: QapiDoc, legacyContinuation = false): string | null {
    let line = this.nextLine();
    if (legacyContinuation && line !== null && line !== "" && indentOf(line) === 0 && !startsSection(line)) {
      // Before QEMU 9.1 an "@name:" line without text could be followed by
      // unindented text, up to a blank line or the next section.
      while (line !== null && line !== "" && !startsSection(line)) {
        doc.appendLine(line);
        line = this.nextLine();
      }
      return line;
    }
    while (line === "") {
      doc.appendLine(line);
      line = this.nextLine();
    }
    if (line === null) return null;
    const indent = indentOf(line);
    if (!indent) return line;
    doc.appendLine(line);
    // QEMU only rejects a de-indent on the line right after the first
    // indented one; later de-indented lines end the section quietly.
    let previousCounts = false;
    for (;;) {
      line = this.nextLine();
      if (line === null) return null;
      if (AT_NAME_COLON.test(line)) return line;
      // QEMU's older parsers started a new section at a section tag wherever
      // it came, and schemas up to 7.0 rely on that ("Notes:" right after an
      // indented "Returns:" continuation), so legacy mode lets it end this one.
      if (!this.docLint && startsSectionByFirstWord(line)) return line;
      if (line !== "" && indentOf(line) < indent) {
        if (previousCounts) return line;
        throw this.lexer.error(`line indented less than the ${indent} spaces of the text it continues`);
      }
      doc.appendLine(line);
      previousCounts = true;
    }
  }

  /**
   * The rest of a plain paragraph: up to a blank line (returned) or the end
   * (null); in legacy mode also up to a line that starts a section, which
   * older parsers took wherever it came (5.2's suite has "Features:" right
   * after a paragraph).
   */
  private readParagraph(doc: QapiDoc): string | null {
    for (;;) {
      const line = this.nextLine();
      if (line === null || line === "") return line;
      if (!this.docLint && startsSectionByFirstWord(line)) return line;
      doc.appendLine(line);
    }
  }

  /**
   * Legacy mode: the rest of a "Note:"/"Example:" section, which runs up to
   * the next member description, "Features:" line or tagged section.
   */
  private readUntilNextSection(doc: QapiDoc): string | null {
    for (;;) {
      const line = this.nextLine();
      if (line === null || startsSection(line)) return line;
      doc.appendLine(line);
    }
  }
}

/** Why a "Note:"/"Example:" style section is rejected under QEMU 10.2's rules, and what replaces it. */
function legacySectionMessage(tag: string): string {
  if (tag.startsWith("Note")) {
    return `'${tag}' sections are gone; write rST's '.. note::' or '.. admonition:: notes' directive, or another admonition`;
  }
  return `'${tag}' sections are gone; write a '.. qmp-example::' directive or other markup`;
}
