/**
 * Which QEMU release's rules read a schema: the rule switches of the front
 * end and the model, as data keyed by the first release that applies them.
 *
 * `rulesFor(version)` folds the table up to a release; the parser
 * (parser.ts) puts the result on the schema's shared pragma record, where the
 * doc reader, the checks (check-exprs.ts, check-names.ts, check-parts.ts)
 * and the model (generator/model/check-definitions.ts) read the switch they
 * need. `eraReleases` lists the releases where some switch changes, newest
 * first, for reading a schema of unknown release by the newest rules that
 * accept it (generator/load-schema.ts). Where the release comes from is
 * schema-release.ts's business.
 */
import { compareReleases } from "../../core/release.js";

/** The rules that changed between QEMU releases. */
export interface ReleaseRules {
  /** The first release these rules are those of (a key of the table). */
  readonly release: string;
  /** Pragmas `returns-whitelist` and `name-case-whitelist` (renamed in 6.0). */
  readonly whitelistPragmas: boolean;
  /**
   * Only definition names are checked for validity, not their case; '_' is
   * allowed in lower-case names (commands, members, enum values) without an
   * exception (both tightened in 6.0).
   */
  readonly looseNameCase: boolean;
  /** `if` takes C preprocessor expressions, or a list of them that all hold (6.2 took symbols and objects). */
  readonly cppConditions: boolean;
  /**
   * A union without `base` and `discriminator` is a simple union, and type
   * names ending in 'Kind' are reserved for their implicit enums (both gone
   * in 6.2).
   */
  readonly simpleUnions: boolean;
  /**
   * An expression has exactly one of the keys naming its kind; before 6.2
   * the first of 'enum', 'union', 'alternate', 'struct', 'command', 'event'
   * decided and any other was an unknown key.
   */
  readonly oneMetaKey: boolean;
  /** A top-level value that is not an object is a syntax error at its first character (before 6.1). */
  readonly topLevelObjectSyntax: boolean;
  /**
   * `null` is a value (before 6.0). Those releases read it as Python's None,
   * which their checks took for an absent value; a member whose value is
   * null is left out here.
   */
  readonly nullValue: boolean;
  /** Alternates may have array branches (from 7.1). */
  readonly alternateArrays: boolean;
  /** Members with conditions in non-boxed command or event arguments are an error (from 8.1). */
  readonly conditionalArgumentsNeedBoxed: boolean;
  /**
   * The doc comment grammar: "lines" for QEMU's first doc parser, which
   * decided section by section on each line's first word and let tagged
   * sections run to the next section; "blocks" for the parser of 9.0 on,
   * which reads indented blocks and paragraphs.
   */
  readonly docGrammar: "lines" | "blocks";
  /**
   * Indentation of doc text continuing a description or tagged section
   * (first doc grammar): "none" strips every line; "aligned" (from 5.2)
   * keeps it, and continuation lines may not start left of the text on the
   * "@name:" or "Tag:" line; "first" (from 8.1) lets the first continuation
   * line set the indentation the later ones may not go below.
   */
  readonly docIndent: "none" | "aligned" | "first";
  /** "Note:", "Notes:", "Example:" and "Examples:" are tagged sections (errors from 9.2). */
  readonly legacyDocSections: boolean;
  /** Text of an indented block loses the indentation of its first line (9.0 only). */
  readonly docDedent: boolean;
  /** Members without a description are tolerated (from 9.0 they need `documentation-exceptions`). */
  readonly undocumentedMembers: boolean;
  /** Doc rules for commands ('Returns' needs a return type) apply (from 9.0). */
  readonly commandDocChecks: boolean;
  /**
   * '=' headings: an error in a definition doc; in a free-form doc one after
   * text starts a new doc ("lines" grammar) or is an error ("blocks")
   * (from 5.2 to 10.0).
   */
  readonly docHeadings: boolean;
  /** Doc lines outside literal blocks pass the line-format lint (doc-lint.ts; from 10.2). */
  readonly docLineLint: boolean;
}

type RuleSwitches = Omit<ReleaseRules, "release">;

/** The rules of the oldest release read, 4.2 (every switch, so the compiler checks none is missing). */
const oldestRules: RuleSwitches = {
  whitelistPragmas: true,
  looseNameCase: true,
  cppConditions: true,
  simpleUnions: true,
  oneMetaKey: false,
  topLevelObjectSyntax: true,
  alternateArrays: false,
  nullValue: true,
  conditionalArgumentsNeedBoxed: false,
  docGrammar: "lines",
  docIndent: "none",
  legacyDocSections: true,
  undocumentedMembers: true,
  docDedent: false,
  commandDocChecks: false,
  docLineLint: false,
  docHeadings: false,
};

/** Each release that changed a rule, oldest first, with what it changed. */
const ruleChanges: readonly { readonly release: string; readonly rules: Partial<RuleSwitches> }[] = [
  { release: "4.2.0", rules: oldestRules },
  { release: "5.2.0", rules: { docIndent: "aligned", docHeadings: true } },
  { release: "6.0.0", rules: { whitelistPragmas: false, looseNameCase: false, nullValue: false } },
  { release: "6.1.0", rules: { topLevelObjectSyntax: false } },
  { release: "6.2.0", rules: { cppConditions: false, simpleUnions: false, oneMetaKey: true } },
  { release: "7.1.0", rules: { alternateArrays: true } },
  { release: "8.1.0", rules: { conditionalArgumentsNeedBoxed: true, docIndent: "first" } },
  {
    release: "9.0.0",
    rules: { docGrammar: "blocks", commandDocChecks: true, undocumentedMembers: false, docDedent: true },
  },
  { release: "9.1.0", rules: { docDedent: false } },
  { release: "9.2.0", rules: { legacyDocSections: false } },
  { release: "10.1.0", rules: { docHeadings: false } },
  { release: "10.2.0", rules: { docLineLint: true } },
];

const cache = new Map<string, ReleaseRules>();

/**
 * The rules of `version` ("X.Y.Z"): the oldest known rules for anything
 * older than the table, the newest for anything newer.
 */
export function rulesFor(version: string): ReleaseRules {
  let key = ruleChanges[0]!.release;
  for (const change of ruleChanges) if (compareReleases(change.release, version) <= 0) key = change.release;
  let rules = cache.get(key);
  if (!rules) {
    const merged: RuleSwitches = { ...oldestRules };
    for (const change of ruleChanges) {
      if (compareReleases(change.release, key) > 0) break;
      Object.assign(merged, change.rules);
    }
    rules = Object.freeze({ release: key, ...merged });
    cache.set(key, rules);
  }
  return rules;
}

/** The releases where the rules change, newest first: each era's first release. */
export const eraReleases: readonly string[] = ruleChanges.map((c) => c.release).reverse();

/** The newest rules. */
export const newestRules: ReleaseRules = rulesFor(eraReleases[0]!);
