/**
 * Compiles the types of a wire schema (core/schema.ts) into closures,
 * one pair per type, on first use and once: no `eval`, no `new Function`.
 *
 * Any WireSchema will do: a generated SDK's own (decoded from its wire.ts),
 * a server's `query-qmp-schema` (masked type names), or one cut down to a
 * release. Members with an `if` condition are never required (the server may
 * have been built without them). Type names appear in messages as the schema
 * spells them.
 *
 * Each type compiles to a slot description (`Slot`: its kind, and for
 * containers a member table built at the first value) and a reporting
 * closure:
 *   - `slotOk(slot, v)`: is v valid in strict mode? Answers without
 *     allocating and without a call per member: leaves (strings, integers,
 *     enums…), arrays of strings and arrays of objects are tested inline in
 *     the member loop, with one call per object value (unions included);
 *     object keys are matched by pointer (internalized strings) against the
 *     member that followed the previous key last time, then the members
 *     after it in schema order, and only then the name table.
 *   - `check(v, f)`: reports every finding into `f` (findings.ts), in schema
 *     order (members first, then unknown keys), with paths. It runs only when
 *     `slotOk` said no; it tests leaves inline and descends into every
 *     container once (testing a container with `slotOk` first would walk the
 *     part below it again at each level: quadratic on a deep chain).
 * Types may be recursive (`BlockStats.backing`, `ImageInfo.backing-image`),
 * so both walks count the objects they are inside (`nesting`): past
 * `maxNesting` a value is not valid, and `check` reports why at that point,
 * instead of recursing until the stack overflows.
 * index.ts wraps both, through `valueOk` and `reportFindings`, into SdkValidators.
 */
import type { WireMember, WireSchema } from "../../core/schema.js";
import {
  linkSchema,
  withBranch,
  type LinkedMember,
  type LinkedRef,
  type LinkedSchema,
  type LinkedType,
} from "../../core/linked.js";
import type { Findings } from "./findings.js";

/** Reports the findings about one value; returns nothing. */
export type Check = (v: unknown, f: Findings) => void;

/** How a value of some type is tested: inline for leaves, by table for containers. */
const enum Kind {
  any,
  str,
  bool,
  number,
  int64,
  uint64,
  range,
  null,
  enumList,
  enumSet,
  object,
  array,
  alternate,
}

/** A container's table, built at the first value that needs it (types may refer to themselves). */
class Lazy<T> {
  private value: T | undefined;
  constructor(private readonly build: () => T) {}
  get(): T {
    return (this.value ??= this.build());
  }
}

/** The alternatives of an alternate, by JSON type. */
class Alternatives {
  constructor(
    readonly onString: Slot | undefined,
    readonly onBoolean: Slot | undefined,
    readonly onNumber: Slot | undefined,
    readonly onNull: Slot | undefined,
    readonly onArray: Slot | undefined,
    readonly onObject: Slot | undefined,
    readonly onAny: Slot | undefined,
    /** `string or object or null`: the JSON types accepted, for messages. */
    readonly expected: string,
  ) {}

  pick(v: unknown): Slot | undefined {
    let branch: Slot | undefined;
    switch (typeof v) {
      case "string":
        branch = this.onString;
        break;
      case "boolean":
        branch = this.onBoolean;
        break;
      case "number":
      case "bigint":
        branch = this.onNumber;
        break;
      case "object":
        branch = v === null ? this.onNull : isArray(v) ? this.onArray : this.onObject;
        break;
    }
    return branch ?? this.onAny;
  }
}

/** How values of one type are tested and checked, before a member name is attached. */
interface SlotType {
  readonly kind: Kind;
  readonly min: number;
  readonly max: number;
  readonly values: readonly string[];
  readonly set: ReadonlySet<string> | undefined;
  readonly shape: Lazy<Shape> | undefined;
  readonly element: Lazy<Slot> | undefined;
  readonly alternatives: Lazy<Alternatives> | undefined;
  readonly check: Check;
}

/**
 * A typed slot: a member of an object, the elements of an array, a root. One
 * class for all, so the test below reads every slot with the same layout.
 */
export class Slot implements SlotType {
  constructor(
    /** Member name (interned), or "" when not a member. */
    readonly name: string,
    readonly required: boolean,
    /** The name is also a property of every object (`constructor`, `__proto__`): read it only as an own property. */
    readonly inherited: boolean,
    readonly kind: Kind,
    readonly min: number,
    readonly max: number,
    readonly values: readonly string[],
    readonly set: ReadonlySet<string> | undefined,
    readonly shape: Lazy<Shape> | undefined,
    readonly element: Lazy<Slot> | undefined,
    readonly alternatives: Lazy<Alternatives> | undefined,
    readonly check: Check,
  ) {
    this.count = required ? 1 : 0;
  }

  /** 1 for a required member, else 0: added up, without a branch, per present key. */
  readonly count: number;
  /** Position among its shape's members (-1 for the shape's head). */
  index = -1;
  /**
   * The members that followed this one in values of its type: the latest and
   * the one before (optional members present in some values only make two
   * orders alternate). See objectOk.
   */
  next: Slot | undefined = undefined;
  next2: Slot | undefined = undefined;
}

/** Strict validity of x in a leaf slot (kind before `object`); small, so it is inlined into the loops. */
function leafOk(s: Slot, x: unknown): boolean {
  switch (s.kind) {
    case Kind.any:
      return true;
    case Kind.str:
      return typeof x === "string";
    case Kind.bool:
      return typeof x === "boolean";
    case Kind.number:
      return typeof x === "number" || typeof x === "bigint";
    case Kind.int64:
      return isInt64(x);
    case Kind.uint64:
      return isUint64(x);
    case Kind.range:
      return typeof x === "number" && Number.isInteger(x) && x >= s.min && x <= s.max;
    case Kind.null:
      return x === null;
    case Kind.enumList: {
      if (typeof x !== "string") return false;
      const values = s.values;
      for (let i = 0; i < values.length; i++) if (values[i] === x) return true;
      return false;
    }
    default:
      return typeof x === "string" && s.set!.has(x);
  }
}

/**
 * Objects nested deeper than this are not validated (a finding says so): the
 * depth the client's reader admits (runtime/json-stream.ts), far above real
 * replies (one or two levels per backing image), and a third of the depth at
 * which the recursive tests below would overflow the stack.
 */
export const maxNesting = 1_024;
/** Objects the running test or check is inside; reset at each entry point. */
let nesting = 0;

/** Strict validity of a whole value. */
export function valueOk(s: Slot, x: unknown): boolean {
  nesting = 0;
  return slotOk(s, x);
}

/** Reports the findings about a whole value. */
export function reportFindings(s: Slot, x: unknown, f: Findings): void {
  nesting = 0;
  s.check(x, f);
}

/** Strict validity of x in slot s, allocation-free. */
function slotOk(s: Slot, x: unknown): boolean {
  switch (s.kind) {
    case Kind.object:
      return (
        typeof x === "object" && x !== null && !isArray(x) && objectOk(s.shape!.get(), x as Record<string, unknown>)
      );
    case Kind.array:
      return arrayOk(s.element!.get(), x);
    case Kind.alternate: {
      const branch = s.alternatives!.get().pick(x);
      return branch !== undefined && slotOk(branch, x);
    }
    default:
      return leafOk(s, x);
  }
}

/** Strict validity of an array whose elements fill slot el; strings and objects are tested in the loop. */
function arrayOk(el: Slot, x: unknown): boolean {
  if (!isArray(x)) return false;
  switch (el.kind) {
    case Kind.str:
      for (let i = 0; i < x.length; i++) if (typeof x[i] !== "string") return false;
      return true;
    case Kind.object: {
      const shape = el.shape!.get();
      if (shape.flat) {
        for (let i = 0; i < x.length; i++) {
          const e: unknown = x[i];
          if (typeof e !== "object" || e === null || isArray(e) || !flatOk(shape, e as Record<string, unknown>))
            return false;
        }
      } else
        for (let i = 0; i < x.length; i++) {
          const e: unknown = x[i];
          if (typeof e !== "object" || e === null || isArray(e) || !objectOk(shape, e as Record<string, unknown>))
            return false;
        }
      return true;
    }
    default:
      if (el.kind < Kind.object) {
        for (let i = 0; i < x.length; i++) if (!leafOk(el, x[i])) return false;
      } else for (let i = 0; i < x.length; i++) if (!slotOk(el, x[i])) return false;
      return true;
  }
}

/**
 * The members an object may have, in schema order, with a name table. A union
 * has one shape per case (its own members and the branch's; recursively for
 * a union branch); values whose tag has no branch are checked against its own.
 */
class Shape {
  readonly byName = new Map<string, Slot>();
  readonly requiredCount: number;
  /** Stands before the first member: its `next` is where key matching starts. */
  readonly head: Slot;
  /** Union only: the cases and their shapes, as lists for a scan. */
  readonly caseNames: readonly string[];
  readonly caseShapes: readonly Shape[];
  /** No member needs the own-property guard, so `slotOk` may walk keys. */
  readonly plain: boolean;
  /** Plain, no tag, and every member a leaf or an array of strings: `flatOk` applies (no calls at all). */
  readonly flat: boolean;
  constructor(
    readonly members: readonly Slot[],
    readonly tag: string | undefined,
    readonly cases: ReadonlyMap<string, Shape> | undefined,
    readonly tagInherited: boolean,
    /** The arguments of a command that takes members beyond its declared ones (`'gen': false`). */
    readonly open = false,
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
    this.flat =
      plain &&
      !open &&
      tag === undefined &&
      members.every((m) => m.kind < Kind.object || (m.kind === Kind.array && m.element!.get().kind === Kind.str));
    members.forEach((m, i) => (m.index = i));
    this.caseNames = cases ? [...cases.keys()].map(intern) : [];
    this.caseShapes = cases ? [...cases.values()] : [];
    this.head = slotOf(
      "",
      false,
      leaf(Kind.any, () => {}),
    );
    this.head.next = members[0];
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

/** The same string, internalized (a property key), so equal names compare by pointer. */
function intern(s: string): string {
  // No prototype: "__proto__" must become a key, not replace the prototype.
  const o = Object.create(null) as Record<string, number>;
  o[s] = 0;
  return Object.keys(o)[0]!;
}

const inheritedName = (name: string) => name in Object.prototype;

const noValues: readonly string[] = [];

function leaf(kind: Kind, check: Check, min = 0, max = 0): SlotType {
  return {
    kind,
    min,
    max,
    values: noValues,
    set: undefined,
    shape: undefined,
    element: undefined,
    alternatives: undefined,
    check,
  };
}

function badUnless(test: (v: unknown) => boolean, expected: string): Check {
  return (v, f) => {
    if (!test(v)) f.bad(expected, v);
  };
}

/** A built-in type, by name, else by its JSON type (introspection names builtins by JSON type). */
function builtin(name: string, json: string): SlotType {
  const range = intRanges[name];
  if (range) {
    const [min, max] = range;
    return leaf(
      Kind.range,
      badUnless(
        (v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max,
        `${name} (integer ${min}..${max})`,
      ),
      min,
      max,
    );
  }
  switch (name) {
    case "str":
      return leaf(
        Kind.str,
        badUnless((v) => typeof v === "string", "string"),
      );
    case "bool":
      return leaf(
        Kind.bool,
        badUnless((v) => typeof v === "boolean", "boolean"),
      );
    case "number":
      return leaf(
        Kind.number,
        badUnless((v) => typeof v === "number" || typeof v === "bigint", "number"),
      );
    case "int":
    case "int64":
      return leaf(Kind.int64, badUnless(isInt64, `${name} (64-bit integer)`));
    case "uint64":
    case "size":
      return leaf(Kind.uint64, badUnless(isUint64, `${name} (unsigned 64-bit integer)`));
    case "null":
      return leaf(
        Kind.null,
        badUnless((v) => v === null, "null"),
      );
    case "any":
      return leaf(Kind.any, () => {});
  }
  const byJson: Record<string, string> = { string: "str", boolean: "bool", number: "number", int: "int", null: "null" };
  return builtin(byJson[json] ?? "any", "value");
}

function enumType(typeName: string, names: readonly string[]): SlotType {
  const values = names.map(intern);
  const set = new Set(values);
  return {
    ...leaf(values.length <= 8 ? Kind.enumList : Kind.enumSet, (v, f) => {
      if (typeof v !== "string") f.bad("string", v);
      else if (!set.has(v)) f.enumValue(v, typeName);
    }),
    values,
    set,
  };
}

function slotOf(name: string, required: boolean, t: SlotType): Slot {
  return new Slot(
    intern(name),
    required,
    inheritedName(name),
    t.kind,
    t.min,
    t.max,
    t.values,
    t.set,
    t.shape,
    t.element,
    t.alternatives,
    t.check,
  );
}

function keyCount(v: object): number {
  let n = 0;
  for (const _ in v) n++;
  return n;
}

/** The branch shape a union value's tag picks, or undefined (no string tag, or no branch for it). */
function branchOf(s: Shape, v: Record<string, unknown>): Shape | undefined {
  const tag = s.tag!;
  let t: unknown;
  // The tag is among the first keys; a keyed read by name would be megamorphic.
  if (s.tagInherited) t = hasOwn(v, tag) ? v[tag] : undefined;
  else
    for (const key in v) {
      if (key === tag) {
        t = v[key];
        break;
      }
    }
  if (typeof t !== "string") return undefined;
  // Few cases: compared in turn (tag values are short, so internalized: pointer comparisons).
  const names = s.caseNames;
  if (names.length <= 8) {
    for (let i = 0; i < names.length; i++) if (names[i] === t) return s.caseShapes[i];
    return undefined;
  }
  return s.cases!.get(t);
}

/**
 * objectOk for a flat shape (no tag; leaves and arrays of strings only). It
 * calls nothing, so the loops over arrays of such objects inline it.
 */
function flatOk(s: Shape, v: Record<string, unknown>): boolean {
  const members = s.members;
  const n = members.length;
  let prev = s.head;
  let required = 0;
  for (const key in v) {
    let m = prev.next;
    if (m === undefined || m.name !== key) {
      m = prev.next2;
      if (m === undefined || m.name !== key) {
        m = undefined;
        for (let j = prev.index + 1; j < n; j++) {
          const c = members[j]!;
          if (c.name === key) {
            m = c;
            break;
          }
        }
        if (m === undefined) {
          m = s.byName.get(key);
          if (m === undefined) return false;
        }
      }
      prev.next2 = prev.next;
      prev.next = m;
    }
    prev = m;
    const x = v[key];
    // An undefined value fails every test below but `any`'s (check() treats it as absent).
    required += m.count;
    switch (m.kind) {
      case Kind.str:
        if (typeof x !== "string") return false;
        break;
      case Kind.array:
        if (!isArray(x)) return false;
        for (let i = 0; i < x.length; i++) if (typeof x[i] !== "string") return false;
        break;
      case Kind.any:
        if (x === undefined) return false;
        break;
      default:
        if (!leafOk(m, x)) return false;
    }
  }
  return required === s.requiredCount;
}

/** objectOk within the nesting bound: a value past it is not valid (check() says why). */
function objectOk(s: Shape, v: Record<string, unknown>): boolean {
  if (nesting === maxNesting) return false;
  nesting++;
  const ok = membersOk(s, v);
  nesting--;
  return ok;
}

/**
 * Strict validity of an object value of a shape: a union's tag picks the
 * branch shape first; then every key must be a member, every member's value
 * valid, every required member present. One function for all of it, so a
 * value costs one call (nested objects another each).
 */
function membersOk(s: Shape, v: Record<string, unknown>): boolean {
  while (s.tag !== undefined) {
    const branch = branchOf(s, v);
    if (branch === undefined) return false;
    s = branch;
  }
  if (!s.plain) return false; // check() decides, with the own-property guards
  // Keys come in schema order (absent optional members skipped) from QEMU's
  // visitors, in an order of their own from some other writers: each key is
  // matched by pointer (both sides are internalized) against the member that
  // followed the previous one last time, then against the members after it
  // in schema order, and only then looked up by name; what followed is remembered.
  const members = s.members;
  const n = members.length;
  let prev = s.head;
  let required = 0;
  for (const key in v) {
    let m = prev.next;
    if (m === undefined || m.name !== key) {
      m = prev.next2;
      if (m === undefined || m.name !== key) {
        m = undefined;
        for (let j = prev.index + 1; j < n; j++) {
          const c = members[j]!;
          if (c.name === key) {
            m = c;
            break;
          }
        }
        if (m === undefined) {
          m = s.byName.get(key);
          if (m === undefined) {
            if (s.open) continue;
            return false;
          }
        }
      }
      prev.next2 = prev.next;
      prev.next = m;
    }
    prev = m;
    const x = v[key];
    // An undefined value fails every test below but `any`'s (check() treats it as absent).
    required += m.count;
    // The common kinds are tested right here: a call per member would cost more than the test.
    switch (m.kind) {
      case Kind.str:
        if (typeof x !== "string") return false;
        break;
      case Kind.bool:
        if (typeof x !== "boolean") return false;
        break;
      case Kind.int64:
        if (
          typeof x === "number"
            ? !Number.isInteger(x) || x < -9223372036854775808 || x > 9223372036854775807
            : !isInt64(x)
        )
          return false;
        break;
      case Kind.enumList: {
        if (typeof x !== "string") return false;
        const values = m.values;
        let i = 0;
        while (i < values.length && values[i] !== x) i++;
        if (i === values.length) return false;
        break;
      }
      case Kind.enumSet:
        if (typeof x !== "string" || !m.set!.has(x)) return false;
        break;
      case Kind.any:
        if (x === undefined) return false;
        break;
      case Kind.object:
        if (
          typeof x !== "object" ||
          x === null ||
          isArray(x) ||
          !objectOk(m.shape!.get(), x as Record<string, unknown>)
        )
          return false;
        break;
      case Kind.array: {
        // Arrays of strings and of objects, the common ones, without a call per array.
        if (!isArray(x)) return false;
        const el = m.element!.get();
        if (el.kind === Kind.str) {
          for (let i = 0; i < x.length; i++) if (typeof x[i] !== "string") return false;
        } else if (el.kind === Kind.object) {
          const shape = el.shape!.get();
          if (shape.flat) {
            for (let i = 0; i < x.length; i++) {
              const e: unknown = x[i];
              if (typeof e !== "object" || e === null || isArray(e) || !flatOk(shape, e as Record<string, unknown>))
                return false;
            }
          } else
            for (let i = 0; i < x.length; i++) {
              const e: unknown = x[i];
              if (typeof e !== "object" || e === null || isArray(e) || !objectOk(shape, e as Record<string, unknown>))
                return false;
            }
        } else if (!arrayOk(el, x)) return false;
        break;
      }
      default:
        if (x === undefined || !slotOk(m, x)) return false;
    }
  }
  return required === s.requiredCount;
}

/**
 * Reports the findings about an object value in schema order: members
 * (types, missing required ones), then, with `extras`, the unknown keys in
 * the value's order.
 */
function checkShape(s: Shape, v: Record<string, unknown>, f: Findings, extras = true): void {
  if (nesting === maxNesting) return f.tooDeep(maxNesting);
  nesting++;
  checkMembers(s, v, f, extras);
  nesting--;
}

function checkMembers(s: Shape, v: Record<string, unknown>, f: Findings, extras: boolean): void {
  if (s.tag !== undefined) {
    const t = s.tagInherited ? (hasOwn(v, s.tag) ? v[s.tag] : undefined) : v[s.tag];
    const branch = typeof t === "string" ? s.cases!.get(t) : undefined;
    // A tag without a branch: its own check reports it; the members it would allow are unknowable.
    if (branch === undefined) extras = false;
    else return checkMembers(branch, v, f, extras);
  }
  let k = 0;
  const members = s.members;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    const x = m.inherited ? (hasOwn(v, m.name) ? v[m.name] : undefined) : v[m.name];
    if (x !== undefined) {
      k++;
      if (m.kind < Kind.object && leafOk(m, x)) continue;
      const mark = f.n;
      m.check(x, f);
      if (f.n !== mark) f.at(mark, m.name);
    } else if (m.required) f.missing(m.name);
  }
  if (extras && !s.open && k !== keyCount(v)) {
    for (const key of Object.keys(v)) if (!s.byName.has(key)) f.unknownMember(key);
  }
}

/** A union's tag inside one of its branches: the value picked the branch, so it is valid. */
const decidedTag = leaf(Kind.any, () => {});

/** Names of the JSON types an alternative accepts, as messages spell them. */
/** The JSON categories an alternate picks its alternative by; any other (`any`) takes what none of these did. */
const pickedBy: ReadonlySet<string> = new Set(["string", "boolean", "number", "null", "array", "object"]);

/** Compiles and caches the tables and closures of one schema's types, walking its linked form (core/linked.ts). */
export class Compiler {
  private readonly types = new Map<LinkedType, SlotType>();
  private readonly linked: LinkedSchema;

  constructor(readonly schema: WireSchema) {
    this.linked = linkSchema(schema);
  }

  /** The slot of a whole value of the named type, for `slotOk`. @throws Error when the schema does not define the type */
  root(typeName: string): Slot {
    return slotOf("", false, this.slotType(this.lookup(this.linked.ref(typeName))));
  }

  /** The reporting check of the named type. @throws Error when the schema does not define the type */
  check(typeName: string): Check {
    return this.slotType(this.lookup(this.linked.ref(typeName))).check;
  }

  /**
   * The root slot of a command's arguments that may carry members beyond the
   * declared ones (`'gen': false`): the declared ones are checked, the others let through.
   */
  openRoot(typeName: string): Slot {
    const t = this.lookup(this.linked.ref(typeName));
    if (t.wire.meta !== "object") return this.root(typeName);
    return slotOf("", false, this.object(new Lazy(() => this.shape(t, t.members, [], true))));
  }

  /** The root slot of an object with the given members (for commands QEMU never answers: `{}`). */
  objectOf(members: readonly WireMember[]): Slot {
    const linked = members.map((member) => ({ ...this.linked.ref(member.type), member }));
    return slotOf("", false, this.object(new Lazy(() => this.shape(undefined, linked, []))));
  }

  private slotType(t: LinkedType): SlotType {
    let compiled = this.types.get(t);
    if (!compiled) {
      compiled = this.compile(t);
      this.types.set(t, compiled);
    }
    return compiled;
  }

  private lookup(ref: LinkedRef): LinkedType {
    if (!ref.type) throw new Error(`${this.schema.label}: type '${ref.typeName}' is used but not defined`);
    return ref.type;
  }

  private compile(t: LinkedType): SlotType {
    const wire = t.wire;
    switch (wire.meta) {
      case "builtin":
        return builtin(wire.name, wire.json);
      case "enum":
        return enumType(
          wire.name,
          wire.values.map((v) => v.name),
        );
      case "array":
        return this.array(t.element!);
      case "object":
        return this.object(new Lazy(() => this.shape(t, t.members)));
      case "alternate":
        return this.alternate(t);
    }
  }

  private array(element: LinkedRef): SlotType {
    const el = new Lazy(() => slotOf("", false, this.slotType(this.lookup(element))));
    const check: Check = (v, f) => {
      if (!isArray(v)) {
        f.bad("array", v);
        return;
      }
      const s = el.get();
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (s.kind < Kind.object && leafOk(s, x)) continue;
        const mark = f.n;
        s.check(x, f);
        if (f.n !== mark) f.at(mark, i);
      }
    };
    return { ...leaf(Kind.array, check), element: el };
  }

  private object(shape: Lazy<Shape>): SlotType {
    const check: Check = (v, f) => {
      if (typeof v !== "object" || v === null || isArray(v)) f.bad("object", v);
      else checkShape(shape.get(), v as Record<string, unknown>, f);
    };
    return { ...leaf(Kind.object, check), shape };
  }

  /**
   * The shape of an object value with `members`: of type `t`'s, or of one of
   * its branches (the members `withBranch` gives). A union (`t` with a tag)
   * gets one shape per branch, recursively for a branch that is itself a
   * union. `decided`: the tags of the unions whose branch this shape is. Their
   * values already picked the branch (so they are valid), and are not tested again.
   */
  private shape(
    t: LinkedType | undefined,
    members: readonly LinkedMember[],
    decided: readonly string[] = [],
    open = false,
  ): Shape {
    const own = members.map(({ member, ...ref }) =>
      slotOf(
        member.name,
        !member.optional && member.if === undefined,
        decided.includes(member.name) ? decidedTag : this.slotType(this.lookup(ref)),
      ),
    );
    const tag = t?.wire.meta === "object" ? t.wire.tag : undefined;
    if (tag === undefined) return new Shape(own, undefined, undefined, false, open);
    const cases = new Map<string, Shape>();
    for (const v of t!.variants) {
      const branch = this.lookup(v);
      if (branch.wire.meta !== "object")
        throw new Error(`${this.schema.label}: union branch '${v.variant.case}' is not an object type`);
      cases.set(v.variant.case, this.shape(branch, withBranch(members, branch), [...decided, tag], open));
    }
    return new Shape(own, intern(tag), cases, inheritedName(tag), open);
  }

  private alternate(t: LinkedType): SlotType {
    const alternatives = new Lazy(() => {
      const on: Record<string, Slot> = {};
      const expected: string[] = [];
      for (const a of t.alternatives) {
        const at = this.lookup(a);
        const key = pickedBy.has(at.category) ? at.category : "any";
        on[key] = slotOf("", false, this.slotType(at));
        if (key !== "any") expected.push(at.wire.meta === "builtin" && at.wire.json === "int" ? "integer" : key);
      }
      return new Alternatives(
        on["string"],
        on["boolean"],
        on["number"],
        on["null"],
        on["array"],
        on["object"],
        on["any"],
        expected.join(" or "),
      );
    });
    const check: Check = (v, f) => {
      const alts = alternatives.get();
      const branch = alts.pick(v);
      if (branch) branch.check(v, f);
      else f.bad(alts.expected, v);
    };
    return { ...leaf(Kind.alternate, check), alternatives };
  }
}
