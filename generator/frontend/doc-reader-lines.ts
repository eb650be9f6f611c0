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

function isDescriptionWord(word: string): boolean {
  return word.startsWith("@") && word.endsWith(":");
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
  text: string;
}

/** Builds one QapiDoc line by line. */
class LineDoc {
  private readonly lexer: Lexer;
  private readonly rules: ReleaseRules;
  private readonly info: QapiDoc["info"];
  doc: QapiDoc | null = null;
  private mode: Mode = "body";
  private section: OpenSection = { name: null, indent: 0, body: true, text: "" };
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
    return this.section.body && this.section.text !== "";
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
    const word = line.split(" ", 1)[0]!;
    if (isDescriptionWord(word)) {
      this.mode = "args";
      this.descriptionLine(line);
    } else if (line === "Features:") {
      this.mode = "features";
    } else if (sectionTags.has(word)) {
      this.mode = "tagged";
      this.taggedLine(line);
    } else {
      this.appendText(this.rules.docIndent === "none" ? strip(line) : line);
    }
  }

  /** A line while member ("args") or feature descriptions are being read. */
  private descriptionLine(line: string): void {
    const word = line.split(" ", 1)[0]!;
    if (isDescriptionWord(word)) {
      const { text, indent } = this.header(line, word, /^@\S*:\s*/);
      this.startDescription(word.slice(1, -1), indent);
      this.appendText(text, true);
    } else if (sectionTags.has(word)) {
      this.mode = "tagged";
      this.taggedLine(line);
    } else if (this.section.text.endsWith("\n\n") && line && !isPythonSpace(line.charCodeAt(0))) {
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
    const word = line.split(" ", 1)[0]!;
    if (isDescriptionWord(word)) {
      throw this.lexer.error(`description '${word}' comes after the '${this.sectionNames[0] ?? "None"}' section`);
    }
    let text = line;
    let header = false;
    if (sectionTags.has(word)) {
      const opened = this.header(line, word, /^\S*:\s*/);
      this.startSection(word.slice(0, -1), opened.indent);
      text = opened.text;
      header = true;
    }
    if (this.rules.docIndent === "none" && !this.section.name?.startsWith("Example")) text = strip(text);
    this.appendText(text, header);
  }

  /** The text on an "@name:" or "Tag:" line and the indentation its continuation lines need. */
  private header(line: string, word: string, prefix: RegExp): { text: string; indent: number | null } {
    switch (this.rules.docIndent) {
      case "none":
        return { text: line.slice(word.length + 1), indent: 0 };
      case "aligned": {
        // Continuation lines line up with the text after the tag.
        const indent = prefix.exec(line)![0].length;
        const text = line.slice(indent);
        return text ? { text: " ".repeat(indent) + text, indent } : { text, indent: 0 };
      }
      case "first":
        return { text: line.slice(prefix.exec(line)![0].length), indent: null };
    }
  }

  private startDescription(name: string, indent: number | null): void {
    const doc = this.doc!;
    const into = this.mode === "args" ? doc.args : doc.features;
    if (!name) throw this.lexer.error("member description without a name");
    if (into.has(name)) throw this.lexer.error(`'${name}' is described twice`);
    this.switchSection({ name, indent, body: false, text: "" });
    if (this.mode === "args") doc.newArgument(this.lexer.info, name);
    else doc.newFeature(this.lexer.info, name);
  }

  private startSection(name: string | null, indent: number | null): void {
    const doc = this.doc!;
    if ((name === "Returns" || name === "Since") && this.sectionNames.includes(name)) {
      throw this.lexer.error(`second '${name}' section in one doc comment`);
    }
    this.switchSection({ name, indent, body: false, text: "" });
    this.sectionNames.push(name);
    if (name === null) doc.ensureUntaggedSection(this.lexer.info);
    else doc.newTaggedSection(this.lexer.info, taggedSectionKinds.get(name)!);
  }

  /** Close the section being read (it needs text unless it is the body). */
  switchSection(next: OpenSection | null): void {
    if (!this.section.body && strip(this.section.text) === "") {
      throw this.lexer.error(`the '${this.section.name}' section needs text`);
    }
    if (next) this.section = next;
  }

  /**
   * Append text to the section being read, as the doc's text and for the
   * emptiness check. `header`: the text on the line that opened the section,
   * which does not set the indentation of the lines after it.
   */
  private appendText(line: string, header = false): void {
    const match = /^(@\S+:)/.exec(line);
    if (match) throw this.lexer.error(`'${match[1]}' cannot appear in free-form documentation`);
    if (line && !(header && this.section.indent === null)) {
      const indent = (this.section.indent ??= indentOf(line));
      if (indentOf(line) < indent) {
        throw this.lexer.error(`line indented less than the ${indent} spaces of the text it continues`);
      }
      line = line.slice(indent);
    }
    line = rstrip(line);
    this.section.text += line + "\n";
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
