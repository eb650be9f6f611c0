/**
 * Compiles the types of a wire schema (runtime/wire/schema.ts) into checking
 * closures, one per type, on first use and once: no `eval`, no `new Function`.
 *
 * Any WireSchema will do: a generated SDK's own (decoded from its wire.ts),
 * a server's `query-qmp-schema` (masked type names), or one cut down to a
 * release. Members with an `if` condition are never required (the server may
 * have been built without them). Type names appear in messages as the schema
 * spells them.
 *
 * Objects are checked in two passes only when something is wrong. The fast
 * pass walks the value's own keys against a precomputed member table and
 * allocates nothing. When it meets an unknown key, a missing required member
 * or a finding below, the object is checked again from scratch in schema
 * order (members first, then unknown keys), so messages come out in the same
 * order whatever order the keys were in. index.ts wraps this into SdkValidators.
 */
import type { WireObject, WireSchema, WireType } from "../wire/schema.js";
import type { Findings } from "./findings.js";

/** A compiled check of one value; reports into the findings, returns nothing. */
export type Check = (v: unknown, f: Findings) => void;

/** One member of an object shape, with its compiled check. */
class Member {
  constructor(
    readonly name: string,
    readonly check: Check,
    readonly required: boolean,
    /** The name is also a property of every object (`constructor`, `__proto__`): read it only as an own property. */
    readonly inherited: boolean,
  ) {}
}

/**
 * The members an object may have, in schema order, with a name table. A union
 * has one shape per case (its own members and the branch's) and its `base`
 * for values whose tag has no branch.
 */
class Shape {
  readonly byName = new Map<string, Member>();
  readonly requiredCount: number;
  /** Fast pass usable: no member needs the own-property guard. */
  readonly plain: boolean;
  constructor(
    readonly members: readonly Member[],
    /** Union only: the tag member's name and the shape for each case. */
    readonly tag: string | undefined = undefined,
    readonly cases: ReadonlyMap<string, Shape> | undefined = undefined,
    readonly tagInherited = false,
  ) {
    let required = 0;
    let plain = true;
    for (const m of members) {
      this.byName.set(m.name, m);
      if (m.required) required++;
      if (m.inherited) plain = false;
    }
    this.requiredCount = required;
    this.plain = plain;
  }
}

const hasOwn = Object.hasOwn;
const isArray = Array.isArray;

function isInt64(x: unknown): boolean {
  return typeof x === "number"
    ? Number.isInteger(x) && x >= -9223372036854775808 && x <= 9223372036854775807
    : typeof x === "bigint" && x >= -9223372036854775808n && x <= 9223372036854775807n;
}

function isUint64(x: unknown): boolean {
  return typeof x === "number"
    ? Number.isInteger(x) && x >= 0 && x <= 18446744073709551615
    : typeof x === "bigint" && x >= 0n && x <= 18446744073709551615n;
}

const intRanges: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
};

const passes: Check = () => {};

function intRangeCheck(name: string, min: number, max: number): Check {
  const expected = `${name} (integer ${min}..${max})`;
  return (v, f) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) f.bad(expected, v);
  };
}

/** The check of a built-in type, by name, else by its JSON type (introspection names builtins by JSON type). */
function builtinCheck(name: string, json: string): Check {
  const range = intRanges[name];
  if (range) return intRangeCheck(name, range[0], range[1]);
  switch (name) {
    case "str":
      return (v, f) => {
        if (typeof v !== "string") f.bad("string", v);
      };
    case "bool":
      return (v, f) => {
        if (typeof v !== "boolean") f.bad("boolean", v);
      };
    case "number":
      return (v, f) => {
        if (typeof v !== "number" && typeof v !== "bigint") f.bad("number", v);
      };
    case "int":
    case "int64": {
      const expected = `${name} (64-bit integer)`;
      return (v, f) => {
        if (!isInt64(v)) f.bad(expected, v);
      };
    }
    case "uint64":
    case "size": {
      const expected = `${name} (unsigned 64-bit integer)`;
      return (v, f) => {
        if (!isUint64(v)) f.bad(expected, v);
      };
    }
    case "null":
      return (v, f) => {
        if (v !== null) f.bad("null", v);
      };
    case "any":
      return passes;
  }
  switch (json) {
    case "string":
      return builtinCheck("str", json);
    case "boolean":
      return builtinCheck("bool", json);
    case "number":
      return builtinCheck("number", json);
    case "int":
      return builtinCheck("int", json);
    case "null":
      return builtinCheck("null", json);
    default:
      return passes;
  }
}

/** Small enums are scanned (internalized strings compare by pointer), large ones looked up. */
function enumCheck(typeName: string, values: readonly string[]): Check {
  if (values.length <= 8) {
    return (v, f) => {
      if (typeof v !== "string") {
        f.bad("string", v);
        return;
      }
      for (let i = 0; i < values.length; i++) if (values[i] === v) return;
      f.enumValue(v, typeName);
    };
  }
  const set = new Set(values);
  return (v, f) => {
    if (typeof v !== "string") f.bad("string", v);
    else if (!set.has(v)) f.enumValue(v, typeName);
  };
}

function arrayCheck(element: () => Check): Check {
  let el: Check | undefined;
  return (v, f) => {
    if (!isArray(v)) {
      f.bad("array", v);
      return;
    }
    const check = (el ??= element());
    for (let i = 0; i < v.length; i++) {
      const mark = f.n;
      check(v[i], f);
      if (f.n !== mark) f.at(mark, i);
    }
  };
}

function keyCount(v: object): number {
  let n = 0;
  for (const _ in v) n++;
  return n;
}

/**
 * Schema-order pass: members in order (type findings, missing required ones),
 * then, with `extras`, the unknown keys in the value's order.
 */
function checkOrdered(s: Shape, v: Record<string, unknown>, f: Findings, extras: boolean): void {
  let k = 0;
  const members = s.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const x = m.inherited ? (hasOwn(v, m.name) ? v[m.name] : undefined) : v[m.name];
    if (x !== undefined) {
      k++;
      const mark = f.n;
      m.check(x, f);
      if (f.n !== mark) f.at(mark, m.name);
    } else if (m.required) f.missing(m.name);
  }
  if (extras && k !== keyCount(v)) {
    for (const key of Object.keys(v)) if (!s.byName.has(key)) f.unknownMember(key);
  }
}

/** An object value against a shape: the fast pass, and the ordered one when it finds anything. */
function checkShape(s: Shape, v: Record<string, unknown>, f: Findings): void {
  if (s.tag !== undefined) {
    const t = s.tagInherited ? (hasOwn(v, s.tag) ? v[s.tag] : undefined) : v[s.tag];
    const branch = typeof t === "string" ? s.cases!.get(t) : undefined;
    // A tag without a branch: its own check reports it; the members it would allow are unknowable.
    if (branch === undefined) checkOrdered(s, v, f, false);
    else checkShape(branch, v, f);
    return;
  }
  if (s.plain) {
    const mark = f.n;
    const byName = s.byName;
    let required = 0;
    let clean = true;
    for (const key in v) {
      const m = byName.get(key);
      if (m === undefined) {
        clean = false;
        break;
      }
      const x = v[key];
      if (x === undefined) continue;
      if (m.required) required++;
      m.check(x, f);
    }
    if (clean && required === s.requiredCount && f.n === mark) return;
    f.rewind(mark);
  }
  checkOrdered(s, v, f, true);
}

function objectCheck(shape: () => Shape): Check {
  let s: Shape | undefined;
  return (v, f) => {
    if (typeof v !== "object" || v === null || isArray(v)) {
      f.bad("object", v);
      return;
    }
    checkShape((s ??= shape()), v as Record<string, unknown>, f);
  };
}

const inheritedName = (name: string) => name in Object.prototype;

/** Names of the JSON types an alternative accepts, as messages spell them. */
const jsonTypeWords: Readonly<Record<string, string>> = { int: "integer" };

/** Compiles and caches the checks of one schema's types. */
export class Compiler {
  private readonly checks = new Map<string, Check>();

  constructor(readonly schema: WireSchema) {}

  /**
   * The check of the named type, compiled on first request.
   * @throws Error when the schema does not define the type
   */
  check(typeName: string): Check {
    const known = this.checks.get(typeName);
    if (known) return known;
    const t = this.lookup(typeName);
    // Recursive types meet themselves while compiling: they get a forwarder to the finished check.
    let finished: Check | undefined;
    this.checks.set(typeName, (v, f) => finished!(v, f));
    finished = this.compile(t);
    this.checks.set(typeName, finished);
    return finished;
  }

  /** The check of an object with the given members (for commands QEMU never answers: `{}`). */
  objectOf(members: WireObject["members"]): Check {
    const shape = this.shape(members, undefined, []);
    return objectCheck(() => shape);
  }

  private lookup(typeName: string): WireType {
    const t = this.schema.types.get(typeName);
    if (!t) throw new Error(`${this.schema.label}: type '${typeName}' is used but not defined`);
    return t;
  }

  private compile(t: WireType): Check {
    switch (t.meta) {
      case "builtin":
        return builtinCheck(t.name, t.json);
      case "enum":
        return enumCheck(
          t.name,
          t.values.map((v) => v.name),
        );
      case "array":
        return arrayCheck(() => this.check(t.element));
      case "object":
        return objectCheck(() => this.shape(t.members, t.tag, t.variants));
      case "alternate":
        return this.alternate(t);
    }
  }

  private member(m: WireObject["members"][number]): Member {
    return new Member(m.name, this.check(m.type), !m.optional && m.if === undefined, inheritedName(m.name));
  }

  /** The shape of an object; for a union, one shape per case with the branch's members added (recursively for a union branch). */
  private shape(members: WireObject["members"], tag: string | undefined, variants: WireObject["variants"]): Shape {
    const own = members.map((m) => this.member(m));
    if (tag === undefined) return new Shape(own);
    const cases = new Map<string, Shape>();
    for (const v of variants) {
      const branch = this.lookup(v.type);
      if (branch.meta !== "object") throw new Error(`${this.schema.label}: union branch '${v.case}' is not an object type`);
      const names = new Set(members.map((m) => m.name));
      const merged = [...members, ...branch.members.filter((m) => !names.has(m.name))];
      cases.set(v.case, this.shape(merged, branch.tag, branch.variants));
    }
    return new Shape(own, tag, cases, inheritedName(tag));
  }

  private alternate(t: WireType & { meta: "alternate" }): Check {
    let onString: Check | undefined;
    let onBoolean: Check | undefined;
    let onNumber: Check | undefined;
    let onNull: Check | undefined;
    let onArray: Check | undefined;
    let onObject: Check | undefined;
    let onAny: Check | undefined;
    const expected: string[] = [];
    for (const a of t.alternatives) {
      const at = this.lookup(a.type);
      const json = at.meta === "builtin" ? at.json : at.meta === "enum" ? "string" : at.meta;
      const check = this.check(a.type);
      switch (json) {
        case "string":
          onString = check;
          break;
        case "boolean":
          onBoolean = check;
          break;
        case "int":
        case "number":
          onNumber = check;
          break;
        case "null":
          onNull = check;
          break;
        case "array":
          onArray = check;
          break;
        case "object":
          onObject = check;
          break;
        default:
          onAny = check;
          continue;
      }
      expected.push(jsonTypeWords[json] ?? json);
    }
    const expectedText = expected.join(" or ");
    return (v, f) => {
      let check: Check | undefined;
      switch (typeof v) {
        case "string":
          check = onString;
          break;
        case "boolean":
          check = onBoolean;
          break;
        case "number":
        case "bigint":
          check = onNumber;
          break;
        case "object":
          check = v === null ? onNull : isArray(v) ? onArray : onObject;
          break;
      }
      check ??= onAny;
      if (check) check(v, f);
      else f.bad(expectedText, v);
    };
  }
}
