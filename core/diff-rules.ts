/**
 * Compatibility rules of the schema diff, after docs/qapi-code-gen.rst
 * "Compatibility considerations": whether one observed change breaks a client
 * built against the OLD schema that meets a NEW server ("forward"), and a
 * client built against NEW that meets an OLD server ("backward"). diff.ts
 * finds the changes; this module only judges them.
 *
 * The rules depend on the direction the changed thing travels in: "send"
 * (command arguments and the types used there) or "receive" (command returns,
 * event data). A type used in both directions breaks if either judges so.
 */

/** Which way data the change touches travels, seen from the client. */
export type Direction = "send" | "receive";

/** The verdict for one audience. */
export type Compat = "breaking" | "safe";

/** Every kind of change the diff reports. */
export type ChangeKind =
  | "command-added"
  | "command-removed"
  | "event-added"
  | "event-removed"
  | "member-added"
  | "member-removed"
  | "member-optional"
  | "member-required"
  | "enum-value-added"
  | "enum-value-removed"
  | "branch-added"
  | "branch-removed"
  | "alternative-added"
  | "alternative-removed"
  | "type-changed"
  | "type-added"
  | "type-removed"
  | "type-renamed"
  | "tag-changed"
  | "feature-added"
  | "feature-removed"
  | "condition-added"
  | "condition-removed"
  | "condition-changed"
  | "flag-changed"
  /** One side is a binary's introspection that lacks something the source builds only under an `if`. */
  | "not-built";

/** What the rules need beyond the kind. */
export interface RuleFacts {
  readonly kind: ChangeKind;
  readonly directions: readonly Direction[];
  /** member-added/-removed: whether the member is optional. */
  readonly optional?: boolean;
  /** type-changed: JSON shapes before and after ("string", "enum", "alternate:string|object", …). */
  readonly from?: string;
  readonly to?: string;
  /** flag-changed: which flag and its values. */
  readonly flag?: string;
  readonly before?: boolean;
  readonly after?: boolean;
}

const inverseKind: Record<ChangeKind, ChangeKind> = {
  "command-added": "command-removed",
  "command-removed": "command-added",
  "event-added": "event-removed",
  "event-removed": "event-added",
  "member-added": "member-removed",
  "member-removed": "member-added",
  "member-optional": "member-required",
  "member-required": "member-optional",
  "enum-value-added": "enum-value-removed",
  "enum-value-removed": "enum-value-added",
  "branch-added": "branch-removed",
  "branch-removed": "branch-added",
  "alternative-added": "alternative-removed",
  "alternative-removed": "alternative-added",
  "type-changed": "type-changed",
  "type-added": "type-removed",
  "type-removed": "type-added",
  "type-renamed": "type-renamed",
  "tag-changed": "tag-changed",
  "feature-added": "feature-removed",
  "feature-removed": "feature-added",
  "condition-added": "condition-removed",
  "condition-removed": "condition-added",
  "condition-changed": "condition-changed",
  "flag-changed": "flag-changed",
  "not-built": "not-built",
};

/** The same change seen from the other side (NEW → OLD). */
function invert(facts: RuleFacts): RuleFacts {
  return {
    ...facts,
    kind: inverseKind[facts.kind],
    ...(facts.from !== undefined ? { from: facts.to, to: facts.from } : {}),
    ...(facts.flag !== undefined ? { before: facts.after, after: facts.before } : {}),
  } as RuleFacts;
}

/** Whether a value of JSON shape `from` is still accepted where shape `to` is expected. */
function accepts(to: string, from: string): boolean {
  if (to === from) return true;
  // An enum travels as a string: a string slot takes every enum value.
  if (to === "string" && from === "enum") return true;
  if (to.startsWith("alternate:")) {
    const options = to.slice("alternate:".length).split("|");
    return options.includes(from) || (from === "enum" && options.includes("string"));
  }
  return false;
}

/** The verdict in one direction for a client built against OLD meeting NEW. */
function judge(facts: RuleFacts, direction: Direction): Compat {
  const send = direction === "send";
  switch (facts.kind) {
    case "type-added":
    case "type-removed":
    case "type-renamed":
      // "Since type names are not visible in the Client JSON Protocol, types may be freely renamed."
      return "safe";
    case "command-added":
    case "event-added":
    case "feature-added":
    case "feature-removed":
    case "condition-removed":
      return "safe";
    case "command-removed":
      return "breaking";
    case "event-removed":
      // "Removing unreachable stuff like events that can't be triggered anymore makes no difference."
      return "safe";
    case "member-added":
      return send && !facts.optional ? "breaking" : "safe";
    case "member-removed":
      // A client may still send it; a receiver may rely on a member that was always there.
      return send || !facts.optional ? "breaking" : "safe";
    case "member-optional":
      return send ? "safe" : "breaking";
    case "member-required":
      return send ? "breaking" : "safe";
    case "enum-value-added":
    case "branch-added":
      return "safe";
    case "enum-value-removed":
    case "branch-removed":
    case "alternative-removed":
      return send ? "breaking" : "safe";
    case "alternative-added":
      return send ? "safe" : "breaking";
    case "type-changed": {
      const from = facts.from ?? "";
      const to = facts.to ?? "";
      // Sending: what the old client sends must still be accepted; receiving: what arrives must fit the old type.
      return (send ? accepts(to, from) : accepts(from, to)) ? "safe" : "breaking";
    }
    case "tag-changed":
      return "breaking";
    case "condition-added":
    case "condition-changed":
      // The thing may now be compiled out of some builds.
      return "breaking";
    case "not-built":
      // A build choice of that binary, not a change of the schema.
      return "safe";
    case "flag-changed":
      if (facts.flag === "success-response") return "breaking";
      // 'gen': false lets extra members through; taking that away refuses what clients send.
      if (facts.flag === "gen") return !facts.before && facts.after ? "breaking" : "safe";
      return facts.before && !facts.after ? "breaking" : "safe";
  }
}

/** Judges a change for both audiences. */
export function classify(facts: RuleFacts): { forward: Compat; backward: Compat } {
  const directions: readonly Direction[] = facts.directions.length > 0 ? facts.directions : ["send"];
  const verdict = (f: RuleFacts): Compat => (directions.some((d) => judge(f, d) === "breaking") ? "breaking" : "safe");
  return { forward: verdict(facts), backward: verdict(invert(facts)) };
}
