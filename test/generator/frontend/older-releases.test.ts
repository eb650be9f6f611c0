/**
 * The constructs of older QEMU releases, read by their release's rules (given
 * as qemuVersion, or found as the newest rules that accept the schema, which
 * sits in no QEMU tree), each in a small schema of our own: pragma names before 6.0,
 * C preprocessor `if` strings (and lists of them) before 6.2, '_' in member
 * and command names before 6.0, doc layouts older parsers took, and simple
 * unions before 6.2 with their implicit enum, wrapper objects and `type` tag,
 * in the model, the dump and the wire view. Each is also checked to stay an
 * error under QEMU 10.2's rules (`docLint: true`), and constructs no release
 * had to stay errors in both modes, with a location.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { parseCppCondition } from "../../../generator/frontend/cpp-condition.js";
import { QapiError } from "../../../generator/frontend/errors.js";
import { loadSchema } from "../../../generator/load-schema.js";
import { dumpSchema } from "../../../generator/model/dump.js";
import { type Command, EnumType, ObjectType, WrapperType } from "../../../generator/model/entities.js";
import type { Schema } from "../../../generator/model/schema.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-older-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Writes `text` as s.json in a fresh directory and returns its path. */
function write(text: string): string {
  const path = join(dir, String(counter++), "s.json");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/**
 * Loads `text`: `true` by QEMU 10.2's rules (`docLint`), a release number by
 * that release's, `false` by the newest rules that accept it (no VERSION file
 * says whose schema it is).
 */
function load(text: string, rules: boolean | string = false): Schema {
  return loadSchema(write(text), typeof rules === "string" ? { qemuVersion: rules } : { docLint: rules });
}

/** The error report of loading `text` (see load()), which must fail. */
function errorOf(text: string, rules: boolean | string = false): string {
  try {
    load(text, rules);
  } catch (error) {
    assert.ok(error instanceof QapiError, `not a QapiError: ${String(error)}`);
    return error.report();
  }
  assert.fail(`loaded without error (rules ${rules})`);
}

/** The dump (module names are relative to each schema's own directory, so two cases compare equal). */
function dumpOf(schema: Schema): string {
  return dumpSchema(schema);
}

test("pragma names before 6.0: returns-whitelist, name-case-whitelist", () => {
  const text = `{ 'pragma': { 'returns-whitelist': [ 'get-count' ], 'name-case-whitelist': [ 'Legacy' ] } }
{ 'command': 'get-count', 'returns': 'int' }
{ 'struct': 'Legacy', 'data': { 'CamelMember': 'str' } }
`;
  const schema = load(text);
  assert.equal((schema.lookupEntity("get-count") as Command).retType?.name, "int");
  assert.deepEqual(
    (schema.lookupType("Legacy") as ObjectType).members.map((m) => m.name),
    ["CamelMember"],
  );
  // The renamed pragmas give the same model.
  const renamed = load(
    text
      .replace("returns-whitelist", "command-returns-exceptions")
      .replace("name-case-whitelist", "member-name-exceptions"),
  );
  assert.equal(dumpOf(renamed), dumpOf(schema));
  assert.match(errorOf(text, true), /s\.json:1: no such pragma 'returns-whitelist'/);
  // The old names keep their old meaning only: an unlisted command still may not return 'int'.
  assert.match(
    errorOf("{ 'pragma': { 'returns-whitelist': [ ] } }\n{ 'command': 'get-count', 'returns': 'int' }\n"),
    /s\.json:2: .*'int'/,
  );
  assert.match(
    errorOf("{ 'pragma': { 'returns-allowlist': [ ] } }\n"),
    /s\.json:1: no such pragma 'returns-allowlist'/,
  );
});

test("C preprocessor 'if' strings give the condition tree of the modern form", () => {
  const older = `{ 'struct': 'Gadget', 'data': { 'serial': 'str',
    'wheels': { 'type': 'int', 'if': 'defined(CONFIG_WHEELS) && !defined(CONFIG_HOVER)' } },
  'if': 'defined(CONFIG_GADGET)' }
{ 'enum': 'Colour', 'data': [ 'red', { 'name': 'infrared', 'if': '(defined(CONFIG_A) || defined(CONFIG_B)) && defined(CONFIG_C)' } ] }
{ 'command': 'paint', 'data': { 'colour': 'Colour' }, 'if': [ 'defined(CONFIG_PAINT)', 'defined(CONFIG_BRUSH)' ],
  'features': [ { 'name': 'quick', 'if': 'defined(CONFIG_X) || defined(CONFIG_Y) || defined(CONFIG_Z)' } ] }
{ 'event': 'DRIED', 'if': '!(defined(CONFIG_WET))' }
{ 'command': 'plain', 'if': [ 'defined(CONFIG_ONE)' ] }
{ 'command': 'bare', 'if': 'defined CONFIG_BARE' }
`;
  const modern = `{ 'struct': 'Gadget', 'data': { 'serial': 'str',
    'wheels': { 'type': 'int', 'if': { 'all': [ 'CONFIG_WHEELS', { 'not': 'CONFIG_HOVER' } ] } } },
  'if': 'CONFIG_GADGET' }
{ 'enum': 'Colour', 'data': [ 'red', { 'name': 'infrared', 'if': { 'all': [ { 'any': [ 'CONFIG_A', 'CONFIG_B' ] }, 'CONFIG_C' ] } } ] }
{ 'command': 'paint', 'data': { 'colour': 'Colour' }, 'if': { 'all': [ 'CONFIG_PAINT', 'CONFIG_BRUSH' ] },
  'features': [ { 'name': 'quick', 'if': { 'any': [ 'CONFIG_X', 'CONFIG_Y', 'CONFIG_Z' ] } } ] }
{ 'event': 'DRIED', 'if': { 'not': 'CONFIG_WET' } }
{ 'command': 'plain', 'if': 'CONFIG_ONE' }
{ 'command': 'bare', 'if': 'CONFIG_BARE' }
`;
  const olderSchema = load(older);
  assert.equal(dumpOf(olderSchema), dumpOf(load(modern)));
  assert.deepEqual((olderSchema.lookupEntity("paint") as Command).ifcond.cond, {
    all: ["CONFIG_PAINT", "CONFIG_BRUSH"],
  });
  // Under QEMU 10.2's rules a condition string is one symbol.
  assert.match(
    errorOf(older, true),
    /s\.json:1: 'data' member 'wheels' has 'if' condition 'defined\(CONFIG_WHEELS\).*', which is not a valid identifier/,
  );
});

test("C conditions no release wrote are located errors", () => {
  for (const [cond, why] of [
    ["defined(CONFIG_A) == 1", /'=' where an operator or the end belongs/],
    ["defined(CONFIG_A", /expected '\)' at the end/],
    ["defined(config_a)", /expected a configuration symbol .* at 'config_a'/],
    ["CONFIG_A &&", /expected a configuration symbol .* at the end/],
    ["   ", /says nothing/],
  ] as const) {
    const report = errorOf(`\n{ 'struct': 'S', 'data': { }, 'if': '${cond}' }\n`, "5.2.0");
    assert.match(report, /s\.json:2: struct has 'if' condition/, cond);
    assert.match(report, why, cond);
  }
  assert.match(errorOf("{ 'struct': 'S', 'data': { }, 'if': [ ] }\n", "5.2.0"), /s\.json:1: .*useless/);
  assert.match(errorOf("{ 'struct': 'S', 'data': { }, 'if': [ true ] }\n", "5.2.0"), /s\.json:1: .*only strings/);
  // Deep nesting is refused, not a stack overflow.
  assert.throws(() => parseCppCondition(`${"(".repeat(5000)}A${")".repeat(5000)}`), /deeper than 200/);
});

test("'_' in member, command and enum value names, as before 6.0", () => {
  const text = `{ 'struct': 'AgentInfo', 'data': { 'supported_commands': [ 'str' ] } }
{ 'enum': 'Mode', 'data': [ 'read_only', 'read_write' ] }
{ 'command': 'block_resize', 'data': { 'size_in_bytes': 'int' } }
`;
  const schema = load(text);
  assert.deepEqual(
    (schema.lookupType("AgentInfo") as ObjectType).members.map((m) => m.name),
    ["supported_commands"],
  );
  assert.deepEqual((schema.lookupType("Mode") as EnumType).memberNames(), ["read_only", "read_write"]);
  assert.match(
    errorOf(text, true),
    /s\.json:1: 'data' member 'supported_commands': the name may not contain uppercase letters or '_'/,
  );
  // Capitals always needed the pragma.
  assert.match(
    errorOf("{ 'struct': 'S', 'data': { 'camelCase': 'str' } }\n", "5.2.0"),
    /s\.json:1: .*'camelCase'.*uppercase/,
  );
  // And the q_ namespace was always reserved.
  assert.match(
    errorOf("{ 'struct': 'S', 'data': { 'q_member': 'str' } }\n", "5.2.0"),
    /s\.json:1: .*'q_member' does not have a valid name/,
  );
});

test("doc layouts of older parsers: a section tag right after an indented continuation or a paragraph", () => {
  const text = `##
# @eject-tray:
#
# Opens the tray.
#
# @name: the drive
#
# Returns: - nothing when it worked
#          - an error for an unknown drive
# Notes:   a drive without a medium opens too
#
# Since: 1.0
##
{ 'command': 'eject-tray', 'data': { 'name': 'str' } }

##
# @spin:
# Turns the platter.
# Features:
# @slow: takes a while
##
{ 'command': 'spin', 'features': [ 'slow' ] }
`;
  const schema = load(text);
  const eject = schema.lookupEntity("eject-tray")!.doc!;
  assert.deepEqual(
    eject.sections.map((s) => s.kind),
    ["Returns", "Notes", "Since"],
  );
  assert.ok(
    eject.sections.some((s) => s.kind === "Notes" && s.text.includes("without a medium")),
    "the Notes section",
  );
  assert.ok(!eject.sections.some((s) => s.kind === "Returns" && s.text.includes("medium")), "Returns runs into Notes");
  assert.ok(schema.lookupEntity("spin")!.doc!.features.has("slow"), "the feature description after a paragraph");
  assert.match(errorOf(text, true), /s\.json:10:\d+: /);
});

const simpleUnion = `{ 'struct': 'Point', 'data': { 'x': 'int', 'y': 'int' } }
{ 'struct': 'Secret', 'data': { 'key': 'str' }, 'if': 'defined(CONFIG_SECRETS)' }
{ 'union': 'Shape',
  'data': { 'dot': 'Point', 'label': 'str', 'path': [ 'Point' ],
            'hidden': { 'type': 'Secret', 'if': 'defined(CONFIG_SECRETS)' } } }
{ 'union': 'Note', 'data': { 'text': 'str', 'late': 'Later' }, 'if': 'defined(CONFIG_NOTES)' }
{ 'struct': 'Later', 'data': { 'when': 'int' }, 'if': 'defined(CONFIG_LATER)' }
{ 'command': 'draw', 'data': { 'shape': 'Shape' }, 'returns': 'Shape' }
`;

test("simple unions: implicit Kind enum, wrapper objects with member 'data', tag 'type' (dump)", () => {
  const dump = dumpOf(load(simpleUnion));
  const entities = dump.slice(dump.indexOf("object Point"), dump.indexOf("object q_obj_draw-arg"));
  assert.equal(
    entities,
    `object Point
    member x: int optional=False
    member y: int optional=False
object Secret
    member key: str optional=False
    if CONFIG_SECRETS
object q_obj_Point-wrapper
    member data: Point optional=False
object q_obj_str-wrapper
    member data: str optional=False
array PointList Point
object q_obj_PointList-wrapper
    member data: PointList optional=False
object q_obj_Secret-wrapper
    member data: Secret optional=False
    if CONFIG_SECRETS
enum ShapeKind
    member dot
    member label
    member path
    member hidden
        if CONFIG_SECRETS
object Shape
    member type: ShapeKind optional=False
    tag type
    case dot: q_obj_Point-wrapper
    case label: q_obj_str-wrapper
    case path: q_obj_PointList-wrapper
    case hidden: q_obj_Secret-wrapper
        if CONFIG_SECRETS
object q_obj_Later-wrapper
    member data: Later optional=False
enum NoteKind
    member text
    member late
    if CONFIG_NOTES
object Note
    member type: NoteKind optional=False
    tag type
    case text: q_obj_str-wrapper
    case late: q_obj_Later-wrapper
    if CONFIG_NOTES
object Later
    member when: int optional=False
    if CONFIG_LATER
`,
  );
});

test("simple unions: the model and the wire view a binary of that era reports", () => {
  const schema = load(simpleUnion);
  const shape = schema.lookupType("Shape") as ObjectType;
  const kind = schema.lookupType("ShapeKind") as EnumType;
  assert.ok(kind.isImplicit() && kind.tagOf === "Shape");
  assert.equal(shape.branches?.tagMember.name, "type");
  assert.equal(shape.branches?.tagMember.type, kind);
  const wrapper = schema.lookupType("q_obj_str-wrapper");
  assert.ok(wrapper instanceof WrapperType && wrapper.isImplicit());
  // One wrapper per wrapped type, shared by every union.
  assert.equal((schema.lookupType("Note") as ObjectType).branches?.variants[0]?.type, wrapper);
  // A wrapper takes the condition of a type defined before it, as QEMU looked it up then.
  assert.equal(schema.lookupType("q_obj_Secret-wrapper")!.ifcond.toString(), "CONFIG_SECRETS");
  assert.equal(schema.lookupType("q_obj_Later-wrapper")!.ifcond.isPresent(), false);

  const wire = wireFromModel(schema, "older");
  assert.deepEqual(wire.types.get("Shape"), {
    name: "Shape",
    features: [],
    meta: "object",
    members: [{ name: "type", type: "ShapeKind", optional: false, features: [] }],
    tag: "type",
    variants: [
      { case: "dot", type: "q_obj_Point-wrapper" },
      { case: "label", type: "q_obj_str-wrapper" },
      { case: "path", type: "q_obj_PointList-wrapper" },
      { case: "hidden", type: "q_obj_Secret-wrapper", if: "CONFIG_SECRETS" },
    ],
  });
  assert.deepEqual(wire.types.get("q_obj_PointList-wrapper"), {
    name: "q_obj_PointList-wrapper",
    features: [],
    meta: "object",
    members: [{ name: "data", type: "PointList", optional: false, features: [] }],
    variants: [],
  });
  assert.deepEqual(wire.types.get("ShapeKind"), {
    name: "ShapeKind",
    features: [],
    meta: "enum",
    values: [
      { name: "dot", features: [] },
      { name: "label", features: [] },
      { name: "path", features: [] },
      { name: "hidden", features: [], if: "CONFIG_SECRETS" },
    ],
  });
});

test("simple unions stay errors under QEMU 10.2's rules, and mistakes in them are located", () => {
  assert.match(
    errorOf("\n{ 'union': 'Shape', 'data': { 'dot': 'str' } }\n", true),
    /s\.json:2: union lacks required keys 'base', 'discriminator'/,
  );
  // Half a flat union is no simple union.
  assert.match(
    errorOf("{ 'union': 'U', 'base': { 'k': 'str' }, 'data': { 'a': 'str' } }\n", "5.2.0"),
    /s\.json:1: 'base' needs 'discriminator' too/,
  );
  assert.match(
    errorOf("{ 'union': 'U', 'data': { 'Bad': 'str' } }\n", "5.2.0"),
    /s\.json:1: 'data' member 'Bad'.*uppercase/,
  );
  assert.match(errorOf("{ 'union': 'U', 'data': { 'a': 'Nope' } }\n", "5.2.0"), /s\.json:1: .*'Nope'/);
  assert.match(errorOf("{ 'union': 'U', 'data': [ 'a' ] }\n", "5.2.0"), /s\.json:1: 'data' takes an object/);
  // Names ending in 'Kind' are the implicit enums' while simple unions exist; from 6.2 they are free.
  const kind = "{ 'enum': 'UnionKind', 'data': [ 'x' ] }\n{ 'union': 'Union', 'data': { 'a': 'str' } }\n";
  assert.match(errorOf(kind, "6.1.0"), /s\.json:1: enum names ending in 'Kind' are reserved/);
  assert.match(errorOf(kind, "6.2.0"), /s\.json:2: union lacks required keys 'base', 'discriminator'/);
});

test("the mix of 6.0 and 6.1: the new pragma names with C conditions and simple unions", () => {
  const schema =
    load(`{ 'pragma': { 'command-name-exceptions': [ 'agent_ping' ], 'member-name-exceptions': [ 'AgentStat' ] } }
{ 'struct': 'AgentStat', 'data': { 'Uptime': 'int' }, 'if': 'defined(CONFIG_POSIX)' }
{ 'union': 'AgentEvent', 'data': { 'stat': 'AgentStat', 'note': 'str' }, 'if': 'defined(CONFIG_POSIX)' }
{ 'command': 'agent_ping', 'returns': 'AgentEvent', 'if': 'defined(CONFIG_POSIX)' }
`);
  const union = schema.lookupType("AgentEvent") as ObjectType;
  assert.deepEqual(
    union.branches?.variants.map((v) => `${v.name}:${v.type.name}:${v.type.ifcond.toString()}`),
    ["stat:q_obj_AgentStat-wrapper:CONFIG_POSIX", "note:q_obj_str-wrapper:"],
  );
  assert.equal(schema.lookupType("AgentEventKind")?.ifcond.toString(), "CONFIG_POSIX");
  assert.equal((schema.lookupEntity("agent_ping") as Command).retType, union);
});
