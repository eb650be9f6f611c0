/**
 * The fixed support code at the top of every generated `validators.ts`.
 *
 * Generated validators are self-contained (they import only types from the
 * runtime), so this text is emitted verbatim into each SDK. It holds the
 * finding collector `Ctx` and the integer-range helpers. Findings record their
 * path segments innermost first and only when something is wrong: the parent
 * adds its segment (`c.at(mark, seg)`) after a child reported, so a valid
 * value never pays for building paths.
 *
 * TypeScript-only text is written between ⟦ and ⟧: `stripTypes` keeps it for
 * the TypeScript output and drops it for the plain JavaScript that
 * `qapi-ts validate-log` loads.
 */

/** The prelude's source text, already valid TypeScript. */
/** The prelude's source text, with TypeScript-only parts marked ⟦…⟧. */
const marked = String.raw`
⟦type Seg = string | number;
/** One finding: path segments innermost first, message, and whether it is only a notice. */
interface Finding {
  segs: Seg[];
  message: string;
  notice: boolean;
}
type Check = (v: any, c: Ctx) => void;
⟧
/** Collects findings of one validation run. */
class Ctx {
  ⟦readonly ⟧strict⟦: boolean⟧;
  ⟦readonly ⟧found⟦: Finding[]⟧ = [];
  /** found.length, kept as a field so parents can compare cheaply. */
  n = 0;
  constructor(strict⟦: boolean⟧) {
    this.strict = strict;
  }
  /** A value of the wrong JSON type or out of range. */
  bad(expected⟦: string⟧, got⟦: unknown⟧, seg⟦?: Seg⟧)⟦: void⟧ {
    this.push("expected " + expected + ", got " + show(got), false, seg);
  }
  /** A required member is absent. */
  miss(seg⟦: Seg⟧)⟦: void⟧ {
    this.push("missing required member", false, seg);
  }
  /** An enum value the schema does not list: an error when strict, else a notice. */
  enumValue(value⟦: string⟧, type⟦: string⟧, seg⟦?: Seg⟧)⟦: void⟧ {
    this.push("unknown value " + JSON.stringify(value) + " of enum " + type, !this.strict, seg);
  }
  /** Reports the members of v not in known: errors when strict, else notices. */
  extra(v⟦: object⟧, known⟦: ReadonlySet<string>⟧)⟦: void⟧ {
    for (const key of Object.keys(v)) if (!known.has(key)) this.push("unknown member", !this.strict, key);
  }
  push(message⟦: string⟧, notice⟦: boolean⟧, seg⟦: Seg | undefined⟧)⟦: void⟧ {
    this.found.push({ segs: seg === undefined ? [] : [seg], message, notice });
    this.n++;
  }
  /** Adds seg to the paths of the findings made since mark. */
  at(mark⟦: number⟧, seg⟦: Seg⟧)⟦: void⟧ {
    for (let i = mark; i < this.n; i++) this.found[i]⟦!⟧.segs.push(seg);
  }
}

function show(v⟦: unknown⟧)⟦: string⟧ {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (v === undefined) return "nothing";
  return String(v);
}

function isObject(v⟦: unknown⟧)⟦: v is Record<string, unknown>⟧ {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function keyCount(v⟦: object⟧)⟦: number⟧ {
  let n = 0;
  for (const _ in v) n++;
  return n;
}

function isInt64(x⟦: unknown⟧)⟦: boolean⟧ {
  return typeof x === "number"
    ? Number.isInteger(x) && x >= -9223372036854775808 && x <= 9223372036854775807
    : typeof x === "bigint" && x >= -9223372036854775808n && x <= 9223372036854775807n;
}

function isUint64(x⟦: unknown⟧)⟦: boolean⟧ {
  return typeof x === "number"
    ? Number.isInteger(x) && x >= 0 && x <= 18446744073709551615
    : typeof x === "bigint" && x >= 0n && x <= 18446744073709551615n;
}

function isIntIn(x⟦: unknown⟧, min⟦: number⟧, max⟦: number⟧)⟦: boolean⟧ {
  return typeof x === "number" && Number.isInteger(x) && x >= min && x <= max;
}

function segText(seg⟦: Seg⟧)⟦: string⟧ {
  if (typeof seg === "number") return "[" + seg + "]";
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(seg) ? "." + seg : "[" + JSON.stringify(seg) + "]";
}

const valid⟦: ValidationResult⟧ = Object.freeze({ errors: Object.freeze([]), notices: Object.freeze([]) });

function run(check⟦: Check⟧, value⟦: unknown⟧, mode⟦: "lenient" | "strict"⟧, root⟦: string⟧)⟦: ValidationResult⟧ {
  const c = new Ctx(mode === "strict");
  check(value, c);
  if (c.n === 0) return valid;
  const errors⟦: ValidationIssue[]⟧ = [];
  const notices⟦: ValidationIssue[]⟧ = [];
  for (const f of c.found) {
    let path = root;
    for (let i = f.segs.length - 1; i >= 0; i--) path += segText(f.segs[i]⟦!⟧);
    (f.notice ? notices : errors).push({ path, message: f.message });
  }
  return { errors, notices };
}
`;

/**
 * Keeps (`ts`) or removes (JavaScript) the parts of a marked text between ⟦ and ⟧.
 * Emitters mark their own type annotations the same way.
 */
export function stripTypes(text: string, ts: boolean): string {
  return ts ? text.replace(/[⟦⟧]/g, "") : text.replace(/⟦[^⟦⟧]*⟧/g, "");
}

/** The prelude for TypeScript (`ts`) or plain JavaScript output. */
export function validatorPrelude(ts: boolean): string {
  return stripTypes(marked, ts);
}
