/**
 * What one validation run found, and how it becomes a ValidationResult.
 *
 * The compiled checks (compile.ts) report into a `Findings`. Paths are built
 * only when something is wrong: a finding records its segments innermost
 * first, and a parent adds its own segment (`at(mark, seg)`) after a child
 * reported, so a valid value never pays for paths. `result` turns the
 * findings into `$.return[0]["node-name"]`-style paths under a root.
 */
import type { ValidationIssue, ValidationResult } from "../sdk.js";

/** A path segment: member name or array index. */
export type Segment = string | number;

/** One finding: path segments innermost first, message, and whether it is only a notice. */
interface Finding {
  readonly segs: Segment[];
  readonly message: string;
  readonly notice: boolean;
}

/**
 * Findings kept per run. A value wrong at every level of a deep chain has
 * findings in proportion to its size, each with a path as long as the chain:
 * past the cap they are only counted, so reporting stays linear.
 */
export const maxFindings = 100;

/** The findings of one run. */
export class Findings {
  readonly found: Finding[] = [];
  /** found.length, kept as a field so checks can compare marks cheaply. */
  n = 0;
  /** Findings past `maxFindings`: errors and notices, counted only. */
  moreErrors = 0;
  moreNotices = 0;

  constructor(readonly strict: boolean) {}

  /** A value of the wrong JSON type or out of range. */
  bad(expected: string, got: unknown, seg?: Segment): void {
    this.push("expected " + expected + ", got " + show(got), false, seg);
  }

  /** A required member is absent. */
  missing(seg: Segment): void {
    this.push("missing required member", false, seg);
  }

  /** An enum value the schema does not list: an error when strict, else a notice. */
  enumValue(value: string, type: string): void {
    this.push("unknown value " + JSON.stringify(value) + " of enum " + type, !this.strict, undefined);
  }

  /** A member the type does not have: an error when strict, else a notice. */
  unknownMember(name: string): void {
    this.push("unknown member", !this.strict, name);
  }

  /** The value nests deeper than the validators go: it is not valid, and not checked further. */
  tooDeep(limit: number): void {
    this.push("nested deeper than " + limit + " objects: not validated", false, undefined);
  }

  push(message: string, notice: boolean, seg: Segment | undefined): void {
    if (this.n === maxFindings) {
      if (notice) this.moreNotices++;
      else this.moreErrors++;
      return;
    }
    this.found.push({ segs: seg === undefined ? [] : [seg], message, notice });
    this.n++;
  }

  /** Adds seg to the paths of the findings made since mark. */
  at(mark: number, seg: Segment): void {
    for (let i = mark; i < this.n; i++) this.found[i]!.segs.push(seg);
  }
}

/** How a value appears in a message: strings quoted and cut at 40 characters, containers by kind. */
export function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (v === undefined) return "nothing";
  return String(v);
}

function segmentText(seg: Segment): string {
  if (typeof seg === "number") return "[" + seg + "]";
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg) ? "." + seg : "[" + JSON.stringify(seg) + "]";
}

/**
 * The segments of a path `result` wrote, below `root` (`$.return[0]["node-name"]`
 * under "$" is `["return", 0, "node-name"]`): the one reader of the engine's
 * paths, for Standard Schema's key lists and the shell's explanations.
 * Undefined for text `result` does not write.
 */
export function pathSegments(path: string, root = "$"): Segment[] | undefined {
  if (!path.startsWith(root)) return undefined;
  const out: Segment[] = [];
  const step = /^(?:\.([A-Za-z_$][A-Za-z0-9_$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  let rest = path.slice(root.length);
  while (rest !== "") {
    const m = step.exec(rest);
    if (!m) return undefined;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** The result of a run without findings; shared, so success allocates nothing. */
export const valid: ValidationResult = Object.freeze({ errors: Object.freeze([]), notices: Object.freeze([]) });

/** The findings as a ValidationResult, paths under `root`. */
export function result(f: Findings, root: string): ValidationResult {
  if (f.n === 0) return valid;
  const errors: ValidationIssue[] = [];
  const notices: ValidationIssue[] = [];
  for (const finding of f.found) {
    let path = root;
    for (let i = finding.segs.length - 1; i >= 0; i--) path += segmentText(finding.segs[i]!);
    (finding.notice ? notices : errors).push({ path, message: finding.message });
  }
  const more = (n: number) => ({ path: root, message: `${n} more finding${n === 1 ? "" : "s"} not listed` });
  if (f.moreErrors > 0) errors.push(more(f.moreErrors));
  if (f.moreNotices > 0) notices.push(more(f.moreNotices));
  return { errors, notices };
}
