/**
 * The linked form of a schema (core/linked.ts), over the pinned 10.2.2
 * source and Debian QEMU 7.2's introspection: references are the types
 * themselves, a union branch lists the base's members and the branch's,
 * shapes and categories are those QMP values have, reachability follows the
 * commands and events, the graph is frozen and built once, and a hostile
 * introspection file (an alternate inside itself) is cut short.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../generator/load-schema.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";
import { wireFromIntrospection, type IntrospectionFile } from "../../core/introspection-file.js";
import { linkSchema, withBranch } from "../../core/linked.js";
import { branchMembers, reachableTypes } from "../../core/walk.js";
import { parseJson } from "../../runtime/json.js";
import { qemuSourceDir, repoRoot } from "../../scripts/lib/qemu-sources.js";

const source = wireFromModel(
  loadSchema(join(qemuSourceDir("10.2.2"), "qapi", "qapi-schema.json"), { docLint: false }),
  "10.2.2",
  "10.2.2",
);
const introspected = wireFromIntrospection(
  parseJson(
    readFileSync(join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json"), "utf8"),
  ) as IntrospectionFile,
  "7.2",
);

test("a reference is the type itself; the same name gives the same reference", () => {
  const linked = linkSchema(source);
  const status = linked.commands.get("query-status")!;
  assert.equal(status.ret.typeName, "StatusInfo");
  assert.equal(status.ret.type, linked.types.get("StatusInfo"));
  const runState = status.ret.type!.members.find((m) => m.member.name === "status")!;
  assert.equal(runState.type, linked.types.get("RunState"));
  assert.equal(linked.ref("StatusInfo"), status.ret);
  assert.equal(linked.ref("NoSuchType").type, undefined);
  assert.equal(linkSchema(source), linked, "built once per schema object");
});

test("a union branch lists the base's members, then the branch's own", () => {
  const options = linkSchema(source).types.get("BlockdevOptions")!;
  const qcow2 = options.variants.find((v) => v.variant.case === "qcow2")!;
  const names = qcow2.members.map((m) => m.member.name);
  const base = options.members.map((m) => m.member.name);
  assert.deepEqual(names.slice(0, base.length), base);
  for (const name of ["driver", "node-name", "file", "backing", "lazy-refcounts"])
    assert.ok(names.includes(name), `${name} in ${names.join(", ")}`);
  assert.equal(new Set(names).size, names.length, "no member twice");
  assert.deepEqual(withBranch(options.members, qcow2.type), [...qcow2.members]);
  // walk.ts answers by name from the same lists.
  const wire = source.types.get("BlockdevOptions")!;
  assert.equal(wire.meta, "object");
  assert.deepEqual(
    branchMembers(source, wire as Extract<typeof wire, { meta: "object" }>, "qcow2").map((m) => m.name),
    names,
  );
});

test("the union branches of an introspected schema carry the base too (SchemaInfo's command branch)", () => {
  const linked = linkSchema(introspected);
  const schemaInfo = linked.commands.get("query-qmp-schema")!.ret.type!.element!.type!;
  const command = schemaInfo.variants.find((v) => v.variant.case === "command")!;
  assert.deepEqual(
    command.members.map((m) => m.member.name),
    ["name", "meta-type", "features", "arg-type", "ret-type", "allow-oob"],
  );
});

test("shapes and categories are those of the values: numbers, enums as strings, alternates by their alternatives", () => {
  const types = linkSchema(source).types;
  const facts = (name: string) => [types.get(name)!.shape, types.get(name)!.category];
  assert.deepEqual(facts("int"), ["number", "number"]);
  assert.deepEqual(facts("uint8"), ["number", "number"]);
  assert.deepEqual(facts("number"), ["number", "number"]);
  assert.deepEqual(facts("str"), ["string", "string"]);
  assert.deepEqual(facts("RunState"), ["enum", "string"]);
  assert.deepEqual(facts("StrOrNull"), ["alternate:string|null", "alternate:string|null"]);
  assert.deepEqual(facts("BlockdevRef"), ["alternate:object|string", "alternate:object|string"]);
  assert.deepEqual(facts("StatusInfo"), ["object", "object"]);
});

test("reachable types follow commands and events, and only the roots asked for", () => {
  const everything = reachableTypes(source);
  assert.ok(everything.has("BlockdevOptionsQcow2"));
  const fromStatus = [...reachableTypes(source, ["StatusInfo"]).keys()].sort();
  assert.deepEqual(fromStatus, ["RunState", "StatusInfo", "bool"]);
  // Every type reached is the schema's own, and every type a command or event uses is reached.
  const linked = linkSchema(source);
  for (const c of linked.commands.values()) for (const r of [c.arg, c.ret]) assert.ok(everything.has(r.typeName));
  for (const t of everything.values()) assert.equal(source.types.get(t.name), t);
});

test("the linked graph is frozen", () => {
  const linked = linkSchema(source);
  const options = linked.types.get("BlockdevOptions")!;
  assert.ok(Object.isFrozen(linked));
  assert.ok(Object.isFrozen(options));
  assert.ok(Object.isFrozen(options.members));
  assert.ok(Object.isFrozen(options.variants[0]));
  assert.ok(Object.isFrozen(options.variants[0]!.members));
  assert.throws(() => (options.members as unknown[]).push(null));
});

test("an introspection file with an alternate inside itself is linked without looping", () => {
  const hostile = wireFromIntrospection(
    {
      version: { qemu: { major: 7, minor: 2, micro: 0 }, package: "" },
      schema: [
        { name: "x", "meta-type": "command", "arg-type": "1", "ret-type": "1" },
        { name: "1", "meta-type": "alternate", members: [{ type: "1" }, { type: "2" }] },
        { name: "2", "meta-type": "builtin", "json-type": "string" },
      ],
    } as unknown as IntrospectionFile,
    "hostile",
  );
  const t = linkSchema(hostile).types.get("1")!;
  assert.equal(t.shape, "alternate:alternate|string");
  assert.deepEqual(
    linkSchema(hostile)
      .reachable()
      .map((x) => x.name),
    ["1", "2"],
  );
});
