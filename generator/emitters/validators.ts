/**
 * Emits `validators.ts` of a generated SDK: straight-line checking code per
 * type, no table interpreter and no `eval`/`new Function` at run time.
 *
 * For each object type `m_T(v, c)` checks T's members on an object and returns
 * how many known members were present; `v_T` checks that the value is an
 * object, runs `m_T` (plus the branch's for a union) and, only when the member
 * count differs from the object's key count, looks for unknown members.
 * Built-in and enum checks are inlined at their use. Findings carry a JSON path
 * and say what was expected (`$.return[0]["node-name"]: expected string, got
 * 42`). Strict mode rejects unknown members and enum values; lenient mode
 * reports them as notices. Members with an `if` condition are not required
 * (the server may have been built without them).
 *
 * The file exports `validators: SdkValidators`, which index-file.ts puts into
 * the SDK descriptor the runtime uses. The same code is available as plain
 * JavaScript (`emitValidatorsJs`, type annotations are marked ⟦…⟧ and
 * dropped) for `qapi-ts validate-log`, which loads it for any schema.
 */
import { GeneratedFile, type Printable } from "../printer/generated-file.js";
import { NameRegistry, isIdentifierName, stringLiteral, typeIdentifier } from "../printer/names.js";
import type { AnyType, EnumType, ObjectMember, ObjectType } from "../model/entities.js";
import type { GenContext } from "./context.js";
import { fileHeader } from "./header.js";
import { stripTypes, validatorPrelude } from "./validator-prelude.js";

/** Builds validators.ts. */
export function emitValidators(ctx: GenContext): GeneratedFile {
  return buildValidators(ctx, true);
}

/**
 * The same validators as plain JavaScript (an ES module without imports),
 * for tools that load validators for a schema at run time from a file, such
 * as `qapi-ts validate-log`.
 */
export function emitValidatorsJs(ctx: GenContext): string {
  return buildValidators(ctx, false).toString();
}

function buildValidators(ctx: GenContext, ts: boolean): GeneratedFile {
  const f = new GeneratedFile(ts ? "validators.ts" : "validators.js", fileHeader(ctx, "Validators for every type, command argument/return and event data."));
  f.declare("validators", false);
  const e = new ValidatorEmitter(ctx);
  const prelude: Printable[] = validatorPrelude(ts)
    .split(/\b(ValidationResult|ValidationIssue)\b/)
    .map((part, i) => (i % 2 === 0 ? part : part === "ValidationResult" ? ctx.runtime.ValidationResult : ctx.runtime.ValidationIssue));
  f.print(prelude);

  const commandArgs: string[] = [];
  const commandReturns: string[] = [];
  for (const c of ctx.commands) {
    commandArgs.push(`[${stringLiteral(c.name)}, ${e.check(c.argType ?? e.empty())}]`);
    const ret = c.successResponse && c.retType ? c.retType : e.empty();
    commandReturns.push(`[${stringLiteral(c.name)}, ${e.check(ret)}]`);
  }
  const events = ctx.events.map((ev) => `[${stringLiteral(ev.name)}, ${e.check(ev.argType ?? e.empty())}]`);
  const types = ctx.types.filter((t) => !t.isImplicit() || t.kind === "enum").map((t) => `[${stringLiteral(t.name)}, ${e.check(t)}]`);
  e.drain();

  for (const line of e.out) f.print(stripTypes(line, ts));
  f.print();
  const table = (name: string, rows: string[]) => {
    f.print(`const ${name} = new Map${ts ? "<string, Check>" : ""}([`);
    for (const r of rows) f.print("  ", r, ",");
    f.print("]);");
  };
  table("commandArgChecks", commandArgs);
  table("commandReturnChecks", commandReturns);
  table("eventChecks", events);
  table("typeChecks", types);
  f.print();
  f.print("/** Validators for this schema; absent arguments or event data count as `{}`. */");
  f.print("export const validators", ts ? [": ", ctx.runtime.SdkValidators] : "", " = {");
  f.print("  commandArgs(command, value, mode, root = \"$.arguments\") {");
  f.print("    const check = commandArgChecks.get(command);");
  f.print("    return check && run(check, value === undefined ? {} : value, mode, root);");
  f.print("  },");
  f.print("  commandReturn(command, value, mode, root = \"$.return\") {");
  f.print("    const check = commandReturnChecks.get(command);");
  f.print("    return check && run(check, value, mode, root);");
  f.print("  },");
  f.print("  event(event, data, mode, root = \"$.data\") {");
  f.print("    const check = eventChecks.get(event);");
  f.print("    return check && run(check, data === undefined ? {} : data, mode, root);");
  f.print("  },");
  f.print("  type(typeName, value, mode, root = \"$\") {");
  f.print("    const check = typeChecks.get(typeName);");
  f.print("    return check && run(check, value, mode, root);");
  f.print("  },");
  f.print("};");
  return f;
}

/** Members whose name is also a property of every object: read only when they are own properties. */
function inheritedName(name: string): boolean {
  return name in Object.prototype;
}

class ValidatorEmitter {
  readonly out: string[] = [];
  private readonly names = new NameRegistry();
  /** QAPI type name → check function name (generated lazily, once). */
  private readonly checkFns = new Map<string, string>();
  private readonly memberFns = new Map<string, string>();
  private readonly enumSets = new Map<string, string>();
  private readonly pending: (() => void)[] = [];
  private readonly ctx: GenContext;

  constructor(ctx: GenContext) {
    this.ctx = ctx;
  }

  /** The built-in `q_empty` object type (arguments or data of commands and events that take none). */
  empty(): ObjectType {
    const t = this.ctx.schema.lookupType("q_empty");
    if (!t || t.kind !== "object") throw new Error("the model has no q_empty type");
    return t;
  }

  /** Generates everything requested so far (and what that requests in turn). */
  drain(): void {
    while (this.pending.length > 0) this.pending.shift()!();
  }

  /** Name of the function checking a whole value of type t. */
  check(t: AnyType): string {
    let fn = this.checkFns.get(t.name);
    if (fn) return fn;
    fn = this.names.claim("v_" + typeIdentifier(t.name), "value");
    this.checkFns.set(t.name, fn);
    const name = fn;
    this.pending.push(() => this.emitCheck(t, name));
    return fn;
  }

  private members(t: ObjectType): string {
    let fn = this.memberFns.get(t.name);
    if (fn) return fn;
    fn = this.names.claim("m_" + typeIdentifier(t.name), "value");
    this.memberFns.set(t.name, fn);
    const name = fn;
    this.pending.push(() => this.emitMembers(t, name));
    return fn;
  }

  /**
   * Name of the function telling whether a string is a value of enum t: a
   * `switch` for small enums (cheapest for V8's internalized strings), a Set
   * lookup for large ones.
   */
  private enumTest(t: EnumType): string {
    let fn = this.enumSets.get(t.name);
    if (fn) return fn;
    fn = this.names.claim("is_" + typeIdentifier(t.name), "value");
    this.enumSets.set(t.name, fn);
    const values = t.members.map((m) => stringLiteral(m.name));
    if (values.length <= 24) {
      const cases = values.map((v) => `case ${v}:`).join(" ");
      this.out.push(`function ${fn}(x⟦: string⟧)⟦: boolean⟧ {\nswitch (x) {\n${cases ? cases + " return true;\n" : ""}default: return false;\n}\n}`);
    } else {
      const set = this.names.claim("E_" + typeIdentifier(t.name), "value");
      this.out.push(`const ${set}⟦: ReadonlySet<string>⟧ = new Set([${values.join(", ")}]);`);
      this.out.push(`function ${fn}(x⟦: string⟧)⟦: boolean⟧ {\nreturn ${set}.has(x);\n}`);
    }
    return fn;
  }

  private knownSet(label: string, names: Iterable<string>): string {
    const set = this.names.claim("K_" + label, "value");
    this.out.push(`const ${set}⟦: ReadonlySet<string>⟧ = new Set([${[...names].map(stringLiteral).join(", ")}]);`);
    return set;
  }

  /**
   * Statements checking variable `x` against t; findings get segment `seg`
   * (a JS expression), or none when null.
   */
  private inline(t: AnyType, x: string, seg: string | null): string {
    const s = seg === null ? "" : `, ${seg}`;
    switch (t.kind) {
      case "builtin":
        return this.inlineBuiltin(t.name, x, s);
      case "enum": {
        const test = this.enumTest(t);
        return `if (typeof ${x} !== "string") c.bad("string", ${x}${s}); else if (!${test}(${x})) c.enumValue(${x}, ${stringLiteral(t.name)}${s});`;
      }
      default: {
        const fn = this.check(t);
        if (seg === null) return `${fn}(${x}, c);`;
        return `{ const m = c.n; ${fn}(${x}, c); if (c.n !== m) c.at(m, ${seg}); }`;
      }
    }
  }

  private inlineBuiltin(name: string, x: string, s: string): string {
    const bad = (cond: string, expected: string) => `if (${cond}) c.bad(${stringLiteral(expected)}, ${x}${s});`;
    const ranges: Record<string, [number, number]> = {
      int8: [-128, 127],
      int16: [-32768, 32767],
      int32: [-2147483648, 2147483647],
      uint8: [0, 255],
      uint16: [0, 65535],
      uint32: [0, 4294967295],
    };
    const range = ranges[name];
    if (range) return bad(`!isIntIn(${x}, ${range[0]}, ${range[1]})`, `${name} (integer ${range[0]}..${range[1]})`);
    switch (name) {
      case "str":
        return bad(`typeof ${x} !== "string"`, "string");
      case "bool":
        return bad(`typeof ${x} !== "boolean"`, "boolean");
      case "number":
        return bad(`typeof ${x} !== "number" && typeof ${x} !== "bigint"`, "number");
      case "int":
      case "int64":
        return bad(`!isInt64(${x})`, `${name} (64-bit integer)`);
      case "uint64":
      case "size":
        return bad(`!isUint64(${x})`, `${name} (unsigned 64-bit integer)`);
      case "null":
        return bad(`${x} !== null`, "null");
      case "any":
        return "";
      default:
        throw new Error(`no validator for built-in type '${name}'`);
    }
  }

  private emitCheck(t: AnyType, fn: string): void {
    const lines: string[] = [`function ${fn}(v⟦: any⟧, c⟦: Ctx⟧)⟦: void⟧ {`];
    switch (t.kind) {
      case "builtin":
      case "enum":
        lines.push(this.inline(t, "v", null));
        break;
      case "array":
        lines.push(`if (!Array.isArray(v)) { c.bad("array", v); return; }`);
        lines.push(`for (let i = 0; i < v.length; i++) { const x = v[i]; ${this.inline(t.elementType, "x", "i")} }`);
        break;
      case "object": {
        lines.push(`if (!isObject(v)) { c.bad("object", v); return; }`);
        lines.push(`const k = ${this.members(t)}(v, c);`);
        lines.push(`if (k !== keyCount(v)) { const known = ${this.known(t)}; if (known) c.extra(v, known); }`);
        break;
      }
      case "alternate":
        lines.push(...this.alternateBody(t));
        break;
    }
    lines.push("}");
    this.out.push(lines.join("\n"));
  }

  /** An expression giving the set of member names valid for object v of type t (null: unknown branch). */
  private known(t: ObjectType): string {
    if (!t.branches) return this.knownSet(typeIdentifier(t.name), this.allNames(t, null));
    const tag = t.branches.tagMember.name;
    const cases = t.branches.variants.map((br) => `case ${stringLiteral(br.name)}: return ${this.knownSet(typeIdentifier(t.name + "_" + br.name), this.allNames(t, br.type))};`);
    const fn = this.names.claim("known_" + typeIdentifier(t.name), "value");
    this.out.push(`function ${fn}(v⟦: any⟧)⟦: ReadonlySet<string> | null⟧ {\nswitch (${this.read("v", tag)}) {\n${cases.join("\n")}\ndefault: return null;\n}\n}`);
    return `${fn}(v)`;
  }

  /** Every member name of t (and of the given branch type, with its branches). */
  private allNames(t: ObjectType, branch: AnyType | null): Set<string> {
    const names = new Set(t.members.map((m) => m.name));
    if (branch && branch.kind === "object") {
      for (const m of branch.members) names.add(m.name);
      for (const v of branch.branches?.variants ?? []) if (v.type.kind === "object") for (const m of v.type.members) names.add(m.name);
    }
    return names;
  }

  private read(obj: string, name: string): string {
    const access = isIdentifierName(name) ? `${obj}.${name}` : `${obj}[${stringLiteral(name)}]`;
    return inheritedName(name) ? `(Object.hasOwn(${obj}, ${stringLiteral(name)}) ? ${access} : undefined)` : access;
  }

  private emitMembers(t: ObjectType, fn: string): void {
    const lines: string[] = [`function ${fn}(v⟦: any⟧, c⟦: Ctx⟧)⟦: number⟧ {`, "let k = 0;"];
    if (t.members.length > 0) lines.push("let x⟦: any⟧;");
    for (const m of t.members) lines.push(this.memberCheck(m));
    if (t.branches) {
      lines.push(`switch (${this.read("v", t.branches.tagMember.name)}) {`);
      for (const br of t.branches.variants) {
        if (br.type.kind !== "object" || br.type.isEmpty()) continue;
        lines.push(`case ${stringLiteral(br.name)}: k += ${this.members(br.type)}(v, c); break;`);
      }
      lines.push("}");
    }
    lines.push("return k;", "}");
    this.out.push(lines.join("\n"));
  }

  private memberCheck(m: ObjectMember): string {
    const seg = stringLiteral(m.name);
    const required = !m.optional && !m.ifcond.isPresent();
    const body = this.inline(m.type, "x", seg);
    return `x = ${this.read("v", m.name)};\nif (x !== undefined) { k++; ${body} }${required ? ` else c.miss(${seg});` : ""}`;
  }

  private alternateBody(t: AnyType & { kind: "alternate" }): string[] {
    const lines: string[] = [];
    const expected: string[] = [];
    let objectBranch: AnyType | undefined;
    let arrayBranch: AnyType | undefined;
    let nullBranch: AnyType | undefined;
    for (const v of t.alternatives.variants) {
      const bt = v.type;
      const json = bt.jsonType();
      switch (json) {
        case "string":
          lines.push(`if (typeof v === "string") { ${bt.kind === "enum" ? this.inline(bt, "v", null) : ""} return; }`);
          expected.push("string");
          break;
        case "boolean":
          lines.push(`if (typeof v === "boolean") return;`);
          expected.push("boolean");
          break;
        case "number":
        case "int":
          lines.push(`if (typeof v === "number" || typeof v === "bigint") { ${this.inline(bt, "v", null)} return; }`);
          expected.push(json === "int" ? "integer" : "number");
          break;
        case "null":
          nullBranch = bt;
          expected.push("null");
          break;
        case "array":
          arrayBranch = bt;
          expected.push("array");
          break;
        case "object":
          objectBranch = bt;
          expected.push("object");
          break;
        default:
          lines.push(`${this.inline(bt, "v", null)} return;`);
      }
    }
    if (nullBranch) lines.push(`if (v === null) return;`);
    if (arrayBranch) lines.push(`if (Array.isArray(v)) { ${this.inline(arrayBranch, "v", null)} return; }`);
    if (objectBranch) lines.push(`if (isObject(v)) { ${this.inline(objectBranch, "v", null)} return; }`);
    lines.push(`c.bad(${stringLiteral(expected.join(" or "))}, v);`);
    return lines;
  }
}
