/**
 * QAPI documentation comments as data: QapiDoc and its sections.
 *
 * doc-reader.ts fills a QapiDoc while it reads a `##` block; the parser
 * attaches it to the definition that follows. The model stage then calls
 * connectMember()/connectFeature() for every member and feature of that
 * definition, checkExpr() with the definition's expression and finally
 * check(), which reports documented names that do not exist. dumpDoc() gives
 * the doc part of QEMU's test dump (the `.out` files).
 *
 * Section kinds print the way QEMU prints them ("Plain", "Member", "Feature",
 * "Returns", "Errors", "Since", "Todo"). Schemas of releases before 9.2
 * (release-rules.ts `legacyDocSections`) can also have "Note", "Notes",
 * "Example" and "Examples" sections.
 */
import { QapiSemanticError } from "./errors.js";
import type { QapiObject } from "./parser.js";
import type { SourceInfo } from "./source-info.js";

/** What a section is; the strings are QEMU's printed kind names. */
export type SectionKind =
  "Plain" | "Member" | "Feature" | "Returns" | "Errors" | "Since" | "Todo" | "Note" | "Notes" | "Example" | "Examples";

/** The tags a tagged section line can start with, mapped to the section kind. */
export const taggedSectionKinds: ReadonlyMap<string, SectionKind> = new Map<string, SectionKind>([
  ["Returns", "Returns"],
  ["Errors", "Errors"],
  ["Since", "Since"],
  ["TODO", "Todo"],
  ["Note", "Note"],
  ["Notes", "Notes"],
  ["Example", "Example"],
  ["Examples", "Examples"],
]);

/**
 * What the model hands to connectMember()/connectFeature(): QEMU's
 * QAPISchemaMember / QAPISchemaFeature reduced to what doc checks need.
 * `role` is the word QEMU uses for it in messages: "member" (object and
 * command/event members), "value" (enum values), "branch" (union/alternate
 * branches), "feature".
 */
export interface DocumentedMember {
  readonly name: string;
  readonly info: SourceInfo | null;
  readonly role: string;
}

/** A run of doc text: the body, a plain paragraph group, or a tagged section. */
export class Section {
  /** Where the section begins. */
  info: SourceInfo;
  /** The section's kind. */
  readonly kind: SectionKind;
  /** The text without the tag; leading/trailing blank lines are trimmed by QapiDoc.end(). */
  text = "";

  constructor(info: SourceInfo, kind: SectionKind) {
    this.info = info;
    this.kind = kind;
  }

  /** Append one line of text. */
  appendLine(line: string): void {
    this.text += line + "\n";
  }
}

/** The description of one member ("@name: ...") or feature. */
export class ArgSection extends Section {
  /** The documented name. */
  readonly name: string;
  /** The schema member or feature this describes, once the model connected it. */
  member: DocumentedMember | null = null;

  constructor(info: SourceInfo, kind: SectionKind, name: string) {
    super(info, kind);
    this.name = name;
  }

  /** Record the schema member or feature this section describes. */
  connect(member: DocumentedMember): void {
    this.member = member;
  }
}

/**
 * One doc comment block: a definition doc (symbol set) or a free-form doc
 * (symbol null, only a body).
 */
export class QapiDoc {
  /** The first line of the block (the `##` line). */
  readonly info: SourceInfo;
  /** The documented definition's name; null for free-form documentation. */
  readonly symbol: string | null;
  /**
   * Whether missing member documentation is tolerated (release-rules.ts `undocumentedMembers`): the
   * schemas before QEMU 9.0 leave members undocumented without a
   * 'documentation-exceptions' pragma.
   */
  readonly tolerateUndocumentedMembers: boolean;
  /** Every section in textual order, the body first; stubs get inserted by connectMember(). */
  readonly allSections: Section[];
  /** The body: the text between the symbol line and the first other section. */
  readonly body: Section;
  /** Member descriptions by name, in the order written (stubs appended on connect). */
  readonly args = new Map<string, ArgSection>();
  /** Feature descriptions by name, in the order written. */
  readonly features = new Map<string, ArgSection>();
  /** The "Returns:" section, if any. */
  returns: Section | null = null;
  /** The "Errors:" section, if any. */
  errors: Section | null = null;
  /** The "Since:" section, if any. */
  since: Section | null = null;
  /** Sections other than the body, members and features, in textual order. */
  readonly sections: Section[] = [];

  /**
   * @param info   the block's first line
   * @param symbol the definition's name, or null for free-form documentation
   * @param tolerateUndocumentedMembers see the property of that name
   */
  constructor(info: SourceInfo, symbol: string | null = null, tolerateUndocumentedMembers = false) {
    this.info = info;
    this.symbol = symbol;
    this.tolerateUndocumentedMembers = tolerateUndocumentedMembers;
    this.body = new Section(info, "Plain");
    this.allSections = [this.body];
  }

  /**
   * Finish the block: trim blank lines around every section's text.
   * @throws QapiSemanticError when a tagged, member or feature section has no text
   */
  end(): void {
    for (const section of this.allSections) {
      section.text = trimNewlines(section.text);
      if (section.kind !== "Plain" && section.text === "") {
        throw new QapiSemanticError(section.info, `'${section.kind}:' needs text`);
      }
    }
  }

  /** Continue the current plain section, or start a new one at `info`. */
  ensureUntaggedSection(info: SourceInfo): void {
    const last = this.allSections[this.allSections.length - 1]!;
    if (last.kind === "Plain") {
      // An empty section so far starts where its first text is.
      if (!last.text) last.info = info;
      last.text += "\n";
      return;
    }
    const section = new Section(info, "Plain");
    this.sections.push(section);
    this.allSections.push(section);
  }

  /**
   * Start a tagged section ("Returns:", "Since:", ...).
   * @throws QapiSemanticError for a second Returns, Errors or Since section
   */
  newTaggedSection(info: SourceInfo, kind: SectionKind): void {
    const section = new Section(info, kind);
    if (kind === "Returns" || kind === "Errors" || kind === "Since") {
      const slot = kind === "Returns" ? "returns" : kind === "Errors" ? "errors" : "since";
      if (this[slot]) throw new QapiSemanticError(info, `second '${kind}' section in one doc comment`);
      this[slot] = section;
    }
    this.sections.push(section);
    this.allSections.push(section);
  }

  /**
   * Start the description of member `name`.
   * @throws QapiSemanticError for an empty or duplicated name
   */
  newArgument(info: SourceInfo, name: string): void {
    this.newDescription(info, name, "Member", this.args);
  }

  /**
   * Start the description of feature `name`.
   * @throws QapiSemanticError for an empty or duplicated name
   */
  newFeature(info: SourceInfo, name: string): void {
    this.newDescription(info, name, "Feature", this.features);
  }

  private newDescription(info: SourceInfo, name: string, kind: SectionKind, into: Map<string, ArgSection>): void {
    if (!name) throw new QapiSemanticError(info, "member description without a name");
    if (into.has(name)) throw new QapiSemanticError(info, `'${name}' is described twice`);
    const section = new ArgSection(info, kind, name);
    this.allSections.push(section);
    into.set(name, section);
  }

  /** Append a line to the section being read. */
  appendLine(line: string): void {
    this.allSections[this.allSections.length - 1]!.appendLine(line);
  }

  /**
   * Connect a member of the documented definition to its description. An
   * undocumented member gets an empty stub description after the last
   * member description, when the definition is listed in the
   * 'documentation-exceptions' pragma (or before 9.0).
   * @throws QapiSemanticError naming ROLE and NAME otherwise
   */
  connectMember(member: DocumentedMember): void {
    let section = this.args.get(member.name);
    if (!section) {
      const exceptions = (member.info ?? this.info).pragma.documentationExceptions;
      if (!this.tolerateUndocumentedMembers && !(this.symbol !== null && exceptions.includes(this.symbol))) {
        throw new QapiSemanticError(member.info, `${member.role} '${member.name}' has no description`);
      }
      section = new ArgSection(this.info, "Member", member.name);
      this.args.set(member.name, section);
      // Index 0 is the body, even when empty; stubs go after the member descriptions.
      let index = 1;
      while (index < this.allSections.length && this.allSections[index]!.kind === "Member") index++;
      this.allSections.splice(index, 0, section);
    }
    section.connect(member);
  }

  /**
   * Connect a feature of the documented definition to its description.
   * @throws QapiSemanticError when the feature has no description
   */
  connectFeature(feature: DocumentedMember): void {
    const section = this.features.get(feature.name);
    if (!section) throw new QapiSemanticError(feature.info, `feature '${feature.name}' has no description`);
    section.connect(feature);
  }

  /**
   * Give an undocumented return value an empty "Returns" stub, placed after
   * the member descriptions, else before "Errors", else before the features,
   * else right after the body (QEMU does this for commands that return
   * something, for its doc generator).
   */
  ensureReturns(info: SourceInfo): void {
    if (this.allSections.some((s) => s.kind === "Returns")) return;
    const stub = new Section(info, "Returns");
    const placements: [SectionKind, boolean][] = [
      ["Member", true],
      ["Errors", false],
      ["Feature", false],
    ];
    for (const [kind, after] of placements) {
      for (let i = this.allSections.length - 1; i >= 0; i--) {
        if (this.allSections[i]!.kind === kind) {
          this.allSections.splice(after ? i + 1 : i, 0, stub);
          return;
        }
      }
    }
    this.allSections.splice(1, 0, stub);
  }

  /**
   * Check the sections against the definition they document.
   * @throws QapiSemanticError for "Returns"/"Errors" where they make no sense
   */
  checkExpr(expr: QapiObject): void {
    if (expr.has("command")) {
      if (this.returns && !expr.has("returns")) {
        throw new QapiSemanticError(this.where(this.returns), "command has a 'Returns' section but returns nothing");
      }
    } else {
      if (this.returns) {
        // The first doc grammar's releases named the section by its tag line.
        const tag = this.info.pragma.rules.docGrammar === "lines" ? "'Returns:'" : "'Returns'";
        throw new QapiSemanticError(this.where(this.returns), `only commands can have a ${tag} section`);
      }
      if (this.errors)
        throw new QapiSemanticError(this.where(this.errors), "only commands can have an 'Errors' section");
    }
  }

  /** Where to report a problem with `section`: the block's start under the first doc grammar, as those releases did. */
  private where(section: Section): SourceInfo {
    return this.info.pragma.rules.docGrammar === "lines" ? this.info : section.info;
  }

  /**
   * Check that every documented member and feature exists (was connected).
   * @throws QapiSemanticError naming every documented member or feature that does not exist
   */
  check(): void {
    checkDescriptions(this.args, "member", (s) => this.where(s));
    checkDescriptions(this.features, "feature", (s) => this.where(s));
  }
}

function checkDescriptions(
  descriptions: Map<string, ArgSection>,
  what: string,
  where: (section: Section) => SourceInfo,
): void {
  const bogus = [...descriptions.values()].filter((section) => !section.member);
  if (bogus.length === 0) return;
  const plural = bogus.length > 1;
  const names = bogus.map((section) => section.name).join("', '");
  const verb = plural ? "are documented but do" : "is documented but does";
  throw new QapiSemanticError(where(bogus[0]!), `${what}${plural ? "s" : ""} '${names}' ${verb} not exist`);
}

/** Python's str.strip('\n'). */
function trimNewlines(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) === 0x0a) start++;
  while (end > start && text.charCodeAt(end - 1) === 0x0a) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * The doc part of QEMU's test dump for one doc block: "doc symbol=NAME" or
 * "doc freeform", then body, member, feature and other sections, each line
 * ending in a newline.
 */
export function dumpDoc(doc: QapiDoc): string {
  let out = doc.symbol !== null ? `doc symbol=${doc.symbol}\n` : "doc freeform\n";
  out += `    body=\n${doc.body.text}\n`;
  for (const [name, section] of doc.args) out += `    arg=${name}\n${section.text}\n`;
  for (const [name, section] of doc.features) out += `    feature=${name}\n${section.text}\n`;
  for (const section of doc.sections) out += `    section=${section.kind}\n${section.text}\n`;
  return out;
}
