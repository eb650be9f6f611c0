/**
 * Reads one `##` documentation block into QapiDocs with the first doc
 * comment grammar of QEMU (4.2 up to 8.2; release-rules.ts `docGrammar:
 * "lines"`), which decides line by line from each line's first word.
 *
 * The parser (parser.ts) calls readDocs() when the lexer is at a `##` line
 * and the schema's release rules use this grammar (doc-reader.ts has the
 * grammar of 9.0 on). The grammar, as those releases read it:
 * - The first line "@NAME:" makes a definition doc; anything else a free-form one.
 * - In a definition doc, a line whose first word is "@name:" starts a member
 *   description, "Features:" starts feature descriptions, a first word
 *   "Returns:", "Since:", "Note(s):", "Example(s):" or "TODO:" a tagged
 *   section; other lines continue the section being read, except that after
 *   a blank line an unindented line ends the descriptions and starts a plain
 *   section. After a tagged section only tagged sections may follow.
 * - Indentation (`docIndent`): before 5.2 every line is stripped (but those
 *   of examples); from 5.2 continuation lines keep their indentation, which
 *   may not go below the column the text on the "@name:" or "Tag:" line
 *   started at; from 8.1 the first continuation line sets the indentation.
 * - From 5.2 (`docHeadings`) a '=' heading in a free-form block after some
 *   text starts a new block, and one in a definition doc is an error.
 * - Errors are located at the line being read when they are found; an empty
 *   section is found when the next one starts.
 */
import { QapiDoc, taggedSectionKinds } from "./doc.js";
import { isPythonSpace, type Lexer } from "./lexer.js";
import type { ReleaseRules } from "./release-rules.js";

type Mode = "body" | "args" | "features" | "tagged";

/** The section tags of this grammar, as the first word of a line. */
const sectionTags = new Set(["Returns:", "Since:", "Note:", "Notes:", "Example:", "Examples:", "TODO:"]);
/** Text that only a description may start with ("@name:"), wherever it comes. */
const DESCRIPTION_START = /^(@\S+:)/;
const AT = 0x40;
const COLON = 0x3a;

/** Where the first word of a line ends: its first space, or its end (Python's line.split(' ', 1)[0]). */
function firstWordEnd(line: string): number {
  const space = line.indexOf(" ");
  return space < 0 ? line.length : space;
}

/** Whether the first word (ending at `end`) is "@name:". */
function isDescriptionWord(line: string, end: number): boolean {
  return line.charCodeAt(0) === AT && line.charCodeAt(end - 1) === COLON;
}

/** Whether the first word (ending at `end`) is a section tag. */
function isTagWord(line: string, end: number): boolean {
  return end >= 5 && end <= 9 && line.charCodeAt(end - 1) === COLON && sectionTags.has(line.slice(0, end));
}

/** Python's str.strip() / rstrip() / leading-whitespace length. */
function strip(text: string): string {
  return rstrip(text.slice(indentOf(text)));
}

function rstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && isPythonSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The section being read: what it is called in messages, and its indentation. */
interface OpenSection {
  /** The tag, the member or feature name, or null for the body and plain sections. */
  readonly name: string | null;
  /** Continuation lines must be indented at least this much; it is cut off them. Null: set by the next non-blank line. */
  indent: number | null;
  /** Whether it is the body, which alone may stay empty. */
  readonly body: boolean;
  /** Lines appended so far. */
  lines: number;
  /** Whether the last line appended was blank (then the text ends in a blank line: a paragraph ended). */
  lastBlank: boolean;
  /** Whether any line appended has text. */
  hasText: boolean;
}

/** A section with nothing in it yet. */
function openSection(name: string | null, indent: number | null, body = false): OpenSection {
  return { name, indent, body, lines: 0, lastBlank: false, hasText: false };
}

/** Builds one QapiDoc line by line. */
class LineDoc {
  private readonly lexer: Lexer;
  private readonly rules: ReleaseRules;
  private readonly info: QapiDoc["info"];
  doc: QapiDoc | null = null;
  private mode: Mode = "body";
  private section: OpenSection = openSection(null, 0, true);
  /** Names of the tagged and plain sections so far, in order (null: plain). */
  private readonly sectionNames: (string | null)[] = [];

  constructor(lexer: Lexer, rules: ReleaseRules, info: QapiDoc["info"]) {
    this.lexer = lexer;
    this.rules = rules;
    this.info = info;
  }

  get symbol(): string | null {
    return this.doc?.symbol ?? null;
  }

  get hasBodyText(): boolean {
    return this.section.body && this.section.lines > 0;
  }

  /** One comment line as the lexer gives it ("#", "# text"). */
  append(raw: string): void {
    let line = raw.slice(1);
    if (!this.doc) {
      const symbol = line.startsWith(" @") ? this.symbolOf(line.slice(1)) : null;
      this.doc = new QapiDoc(this.info, symbol, this.rules.undocumentedMembers);
      if (symbol !== null) return;
    }
    if (!line) {
      this.appendText("");
      return;
    }
    if (line[0] !== " ") throw this.lexer.error("doc comment lines need a space after #");
    line = line.slice(1);
    if (this.doc.symbol === null) {
      this.appendText(this.rules.docIndent === "none" ? strip(line) : line);
      return;
    }
    switch (this.mode) {
      case "body":
        return this.bodyLine(line);
      case "args":
      case "features":
        return this.descriptionLine(line);
      case "tagged":
        return this.taggedLine(line);
    }
  }

  /** The name on a definition doc's first line. */
  private symbolOf(line: string): string {
    if (!line.endsWith(":")) throw this.lexer.error("the symbol line has to end with ':'");
    const symbol = line.slice(1, -1);
    if (!symbol) throw this.lexer.error("a definition name must follow '@'");
    return symbol;
  }

  private bodyLine(line: string): void {
    const end = firstWordEnd(line);
    if (isDescriptionWord(line, end)) {
      this.mode = "args";
      this.descriptionLine(line);
    } else if (line === "Features:") {
      this.mode = "features";
    } else if (isTagWord(line, end)) {
      this.mode = "tagged";
      this.taggedLine(line);
    } else {
      this.appendText(this.rules.docIndent === "none" ? strip(line) : line);
    }
  }

  /** A line while member ("args") or feature descriptions are being read. */
  private descriptionLine(line: string): void {
    const end = firstWordEnd(line);
    if (isDescriptionWord(line, end)) {
      const indent = this.headerIndent(line, end);
      this.startDescription(line.slice(1, end - 1), indent);
      this.appendHeader(line, end);
    } else if (isTagWord(line, end)) {
      this.mode = "tagged";
      this.taggedLine(line);
    } else if (this.endsParagraph() && line && !isPythonSpace(line.charCodeAt(0))) {
      if (this.mode === "args" && line === "Features:") {
        this.mode = "features";
      } else {
        this.startSection(null, 0);
        this.mode = "tagged";
        this.taggedLine(line);
      }
    } else {
      this.appendText(this.rules.docIndent === "none" ? strip(line) : line);
    }
  }

  /** A line after the descriptions: tagged (and plain) sections only. */
  private taggedLine(line: string): void {
    const end = firstWordEnd(line);
    if (isDescriptionWord(line, end)) {
      const word = line.slice(0, end);
      throw this.lexer.error(`description '${word}' comes after the '${this.sectionNames[0] ?? "None"}' section`);
    }
    if (isTagWord(line, end)) {
      this.startSection(line.slice(0, end - 1), this.headerIndent(line, end));
      this.appendHeader(line, end);
    } else {
      this.appendText(
        this.rules.docIndent === "none" && !this.section.name?.startsWith("Example") ? strip(line) : line,
      );
    }
  }

  /** Where the text after an "@name:" or "Tag:" word (ending at `end`) starts: past the spaces after it. */
  private static textStart(line: string, end: number): number {
    let start = end;
    while (start < line.length && isPythonSpace(line.charCodeAt(start))) start++;
    return start;
  }

  /** The indentation the lines continuing an "@name:" or "Tag:" line need (null: set by the first of them). */
  private headerIndent(line: string, end: number): number | null {
    switch (this.rules.docIndent) {
      case "none":
        return 0;
      case "aligned": {
        // Continuation lines line up with the text after the tag, if there is any.
        const start = LineDoc.textStart(line, end);
        return start < line.length ? start : 0;
      }
      case "first":
        return null;
    }
  }

  /**
   * Append the text on an "@name:" or "Tag:" line. It fits its own
   * indentation, so only releases before 5.2, which stripped it, check it
   * like any other line.
   */
  private appendHeader(line: string, end: number): void {
    if (this.rules.docIndent === "none") {
      const text = line.slice(end + 1);
      this.appendText(this.section.name?.startsWith("Example") && this.mode === "tagged" ? text : strip(text));
    } else {
      this.appendLine(line.slice(LineDoc.textStart(line, end)));
    }
  }

  private startDescription(name: string, indent: number | null): void {
    const doc = this.doc!;
    const into = this.mode === "args" ? doc.args : doc.features;
    if (!name) throw this.lexer.error("member description without a name");
    if (into.has(name)) throw this.lexer.error(`'${name}' is described twice`);
    this.switchSection(openSection(name, indent));
    if (this.mode === "args") doc.newArgument(this.lexer.info, name);
    else doc.newFeature(this.lexer.info, name);
  }

  private startSection(name: string | null, indent: number | null): void {
    const doc = this.doc!;
    if ((name === "Returns" || name === "Since") && this.sectionNames.includes(name)) {
      throw this.lexer.error(`second '${name}' section in one doc comment`);
    }
    this.switchSection(openSection(name, indent));
    this.sectionNames.push(name);
    if (name === null) doc.ensureUntaggedSection(this.lexer.info);
    else doc.newTaggedSection(this.lexer.info, taggedSectionKinds.get(name)!);
  }

  /** Whether the text so far ends in a blank line after some other line (the old parser's test for "\n\n"). */
  private endsParagraph(): boolean {
    return this.section.lines >= 2 && this.section.lastBlank;
  }

  /** Close the section being read (it needs text unless it is the body). */
  switchSection(next: OpenSection | null): void {
    if (!this.section.body && !this.section.hasText) {
      throw this.lexer.error(`the '${this.section.name}' section needs text`);
    }
    if (next) this.section = next;
  }

  /**
   * Append a line of text to the section being read, cut to the section's
   * indentation (which the first such line sets under 8.1's rules).
   */
  private appendText(line: string): void {
    const match = DESCRIPTION_START.exec(line);
    if (match) throw this.lexer.error(`'${match[1]}' cannot appear in free-form documentation`);
    if (line) {
      const indent = (this.section.indent ??= indentOf(line));
      if (indent > 0) {
        if (indentOf(line) < indent) {
          throw this.lexer.error(`line indented less than the ${indent} spaces of the text it continues`);
        }
        line = line.slice(indent);
      }
    }
    this.appendLine(line);
  }

  /** Append text as it is to the section being read, as the doc's text and for the emptiness check. */
  private appendLine(text: string): void {
    const line = rstrip(text);
    const section = this.section;
    section.lines++;
    section.lastBlank = line === "";
    if (line) section.hasText = true;
    this.doc!.appendLine(line);
  }
}

/** Reads doc blocks of one file with the first doc grammar. */
export class LineDocReader {
  private readonly lexer: Lexer;
  private readonly rules: ReleaseRules;

  /**
   * @param lexer the file's lexer
   * @param rules the release rules (indentation and heading switches)
   */
  constructor(lexer: Lexer, rules: ReleaseRules) {
    this.lexer = lexer;
    this.rules = rules;
  }

  /**
   * Read the block starting at the current `##` token: one doc, or several
   * where '=' headings split a free-form block.
   * @throws QapiParseError for anything wrong in it, at the line where it is found
   */
  readDocs(): QapiDoc[] {
    const lexer = this.lexer;
    if (lexer.val !== "##") throw lexer.error("unexpected text after '##' opening a doc comment");
    const info = lexer.info;
    const docs: QapiDoc[] = [];
    let current = new LineDoc(lexer, this.rules, info);
    lexer.accept(false);
    while (lexer.tok === "#") {
      const raw = lexer.val as string;
      if (raw.startsWith("##")) {
        if (raw !== "##") throw lexer.error("unexpected text after '##' closing a doc comment");
        docs.push(finish(current, info));
        lexer.accept();
        return docs;
      }
      if (this.rules.docHeadings && raw.startsWith("# =")) {
        if (current.symbol !== null) throw lexer.error("'=' headings belong in free-form documentation only");
        if (current.hasBodyText) {
          docs.push(finish(current, info));
          current = new LineDoc(lexer, this.rules, info);
        }
      }
      current.append(raw);
      lexer.accept(false);
    }
    throw lexer.error("doc comment not closed by '##'");
  }
}

/** Close the last section and the doc. */
function finish(current: LineDoc, info: QapiDoc["info"]): QapiDoc {
  current.switchSection(null);
  // A block of nothing but "##" lines is an empty free-form doc.
  const doc = current.doc ?? new QapiDoc(info, null);
  doc.end();
  return doc;
}
