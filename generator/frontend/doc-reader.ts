/**
 * Reads one `##` documentation block from the lexer into a QapiDoc, with
 * the doc-comment grammar of QEMU 9.0 on (release-rules.ts `docGrammar:
 * "blocks"`; doc-reader-lines.ts has the one before).
 *
 * The parser (parser.ts) calls readDoc() when the lexer is at a `##` line;
 * the lexer is left at the first token after the closing `##`. A block whose
 * first line is "@NAME:" documents definition NAME: a body, member
 * descriptions ("@member: text"), "Features:" with feature descriptions,
 * tagged sections ("Returns:", "Errors:", "Since:", "TODO:") and plain
 * paragraphs. Any other block is free-form documentation.
 *
 * The release rules switch what changed on the way to 10.2: before 9.2
 * "Note(s):" and "Example(s):" start tagged sections like the others,
 * instead of being errors; 9.0 cut the indentation off indented text; up to
 * 10.0 '=' headings are checked; from 10.2 every line outside literal blocks
 * passes the lint.
 */
import { checkDocLineFormat } from "./doc-lint.js";
import { QapiDoc, taggedSectionKinds } from "./doc.js";
import { isPythonSpace, type Lexer } from "./lexer.js";
import type { ReleaseRules } from "./release-rules.js";

/** "@NAME: " at the start of a line; NAME may be empty or contain anything but ':'. */
const AT_NAME_COLON = /^@([^:]*): */;
/** A tagged section line; "Tag::" is rST markup, not a section. */
const TAGGED_SECTION = /^(Returns|Errors|Since|Notes?|Examples?|TODO)(?!::): */;
/** A line that opens a literal block ("::" alone, or ".. qmp-example::"). */
const LITERAL_BLOCK_START = /^(?:\.\. +qmp-example)? *::$/;

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
  private readonly rules: ReleaseRules;
  private literalMode = false;
  private literalModeIndent = 0;

  /**
   * @param lexer   the file's lexer
   * @param rules the release rules to read by (release-rules.ts)
   */
  constructor(lexer: Lexer, rules: ReleaseRules) {
    this.lexer = lexer;
    this.rules = rules;
  }

  /** Read the block starting at the current `##` token (a one-element list, as LineDocReader's can be longer). */
  readDocs(): QapiDoc[] {
    return [this.readDoc()];
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
      doc = new QapiDoc(info, symbol, this.rules.undocumentedMembers);
      line = this.nextLine();
      this.readDefinitionDoc(doc, line);
    } else {
      doc = new QapiDoc(info, null, this.rules.undocumentedMembers);
      doc.ensureUntaggedSection(lexer.info);
      let first = true;
      while (line !== null) {
        const match = AT_NAME_COLON.exec(line);
        if (match) throw lexer.error(`'@${match[1]}:' cannot appear in free-form documentation`);
        if (this.rules.docHeadings && !first && line.startsWith("=")) {
          throw lexer.error("a '=' heading must come first in its doc comment block");
        }
        doc.appendLine(line);
        line = this.nextLine();
        first = false;
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
        if (legacy && !this.rules.legacyDocSections) throw lexer.error(legacySectionMessage(tag));
        doc.newTaggedSection(lexer.info, taggedSectionKinds.get(tag)!);
        const text = line.slice(match[0].length);
        if (text) doc.appendLine(text);
        line = this.readIndented(doc);
        noMoreArgs = true;
      } else {
        if (this.rules.docHeadings && line.startsWith("=")) {
          throw lexer.error("'=' headings belong in free-form documentation only");
        }
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
      const name = match[1]!;
      if (what === "member") doc.newArgument(this.lexer.info, name);
      else doc.newFeature(this.lexer.info, name);
      const text = line.slice(match[0].length);
      if (text) doc.appendLine(text);
      line = this.readIndented(doc);
    }
    return line;
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
    if (this.rules.docLineLint) this.lint(line);
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
   * @throws QapiParseError for a de-indented line right after the first indented one
   */
  private readIndented(doc: QapiDoc): string | null {
    let line = this.nextLine();
    while (line === "") {
      doc.appendLine(line);
      line = this.nextLine();
    }
    if (line === null) return null;
    const indent = indentOf(line);
    if (!indent) return line;
    // 9.0 kept the text without the indentation of its first line.
    const cut = this.rules.docDedent ? indent : 0;
    doc.appendLine(line.slice(cut));
    // QEMU only rejects a de-indent on the line right after the first
    // indented one; later de-indented lines end the section quietly.
    let previousCounts = false;
    for (;;) {
      line = this.nextLine();
      if (line === null) return null;
      if (AT_NAME_COLON.test(line)) return line;
      if (line !== "" && indentOf(line) < indent) {
        if (previousCounts) return line;
        throw this.lexer.error(`line indented less than the ${indent} spaces of the text it continues`);
      }
      doc.appendLine(line.slice(cut));
      previousCounts = true;
    }
  }

  /** The rest of a plain paragraph: up to a blank line (returned) or the end (null). */
  private readParagraph(doc: QapiDoc): string | null {
    for (;;) {
      const line = this.nextLine();
      if (line === null || line === "") return line;
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
