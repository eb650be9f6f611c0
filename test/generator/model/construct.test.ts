/**
 * The model-construction API (generator/model/construct.ts) and the command
 * flag table (core/command-flags.ts), on real schemas: both builders
 * — source (QEMU 10.2.2's schema) and wire (the recorded 7.2 introspection)
 * — start from the same predefined entities and return a frozen model; every
 * flag goes from schema text through the front end, the model and the wire
 * view and back; a wire view with a dangling reference is refused.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { modelFromIntrospection } from "../../../tools/introspection/model.js";
import { modelFromWire } from "../../../tools/introspection/model-from-wire.js";
import { readIntrospectionFile } from "../../../tools/introspection/read-file.js";
import { loadSchema } from "../../../generator/load-schema.js";
import { ModelBuilder } from "../../../generator/model/construct.js";
import {
  ArrayType,
  BuiltinType,
  type Command,
  EnumType,
  ObjectType,
  type Definition,
} from "../../../generator/model/entities.js";
import type { Schema } from "../../../generator/model/schema.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";
import { commandFlagNames, commandFlags, type CommandFlagName } from "../../../core/command-flags.js";
import type { WireSchema } from "../../../core/schema.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-construct-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const source = loadSchema(join(repoRoot, ".cache", "qemu", "10.2.2", "qapi", "qapi-schema.json"));
const introspected = modelFromIntrospection(
  readIntrospectionFile(join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json")),
  "qemu-system-x86_64-7.2.json",
);

/** The `./builtin` module as the dump would list it: kind, name, prefix (enums), element (arrays). */
function predefineds(schema: Schema): string[] {
  const builtin = schema.modules[0]!;
  assert.ok(builtin.isBuiltin());
  return builtin.entities
    .filter((e): e is Definition => e.kind !== "include" && e.info === null)
    .map((e) => {
      if (e instanceof EnumType) return `enum ${e.name} prefix=${String(e.prefix)}`;
      if (e instanceof ArrayType) return `array ${e.elementTypeName}`;
      return `${e.kind} ${e.name}`;
    });
}

test("source and wire builders start from the same predefined entities", () => {
  const fromSource = predefineds(source);
  assert.ok(fromSource.includes("enum QType prefix=null"), fromSource.join("\n"));
  assert.ok(fromSource.includes("object q_empty"));
  assert.ok(fromSource.includes("array str"));
  assert.deepEqual(predefineds(introspected), fromSource);
});

test("both builders freeze what they return", () => {
  for (const schema of [source, introspected]) {
    for (const module of schema.modules) assert.ok(Object.isFrozen(module) && Object.isFrozen(module.entities));
    for (const defn of schema.allDefinitions()) {
      assert.ok(Object.isFrozen(defn), `${defn.name} is not frozen`);
      if (defn instanceof ObjectType)
        for (const m of defn.members) assert.ok(Object.isFrozen(m), `${defn.name}.${m.name}`);
    }
    const command = schema.lookupEntity("query-status") as Command;
    assert.throws(() => {
      (command as { allowOob: boolean }).allowOob = true;
    }, TypeError);
  }
});

test("a definition may not take a predefined name", () => {
  const model = new ModelBuilder({ fname: "x.json" });
  assert.throws(
    () => model.define(new BuiltinType("str", "string")),
    /built-in type 'str' exists already and cannot be redefined/,
  );
});

test("linking a wire view refuses a reference to a type it does not define", () => {
  const model = new ModelBuilder({ fname: "broken.json" });
  model.arrayOf("Missing", null);
  assert.throws(() => model.link(), /^Error: broken\.json: no type 'Missing'$/);
  const wire: WireSchema = {
    origin: "introspection",
    label: "broken",
    commands: new Map([["go", { name: "go", features: [], argType: "7", retType: "q_empty", allowOob: false }]]),
    events: new Map(),
    types: new Map([["q_empty", { meta: "object", name: "q_empty", features: [], members: [], variants: [] }]]),
  };
  assert.throws(
    () => modelFromWire(wire, { fname: "broken.json", nameOf: (n) => n }),
    /broken\.json: type '7' is used but not defined/,
  );
});

/** A schema file with one command per flag, each writing that flag's non-default value. */
function flagSchema(): string {
  const commands = commandFlagNames.map((f) => {
    const { key, default: unset } = commandFlags[f];
    // boxed needs a data type; the others take none.
    const data = f === "boxed" ? ", 'data': 'Args'" : "";
    return `{ 'command': 'cmd-${key}'${data}, '${key}': ${!unset} }`;
  });
  return ["{ 'struct': 'Args', 'data': { 'x': 'int' } }", ...commands].join("\n") + "\n";
}

test("every flag in the table goes from schema text through model and wire view and back", () => {
  const path = join(dir, "flags.json");
  writeFileSync(path, flagSchema());
  const model = loadSchema(path);
  const wire = wireFromModel(model, "flags");
  const again = modelFromWire(wire, { fname: path, nameOf: (n) => n, source: model });
  for (const f of commandFlagNames) {
    const { key, default: unset, wire: visible } = commandFlags[f];
    const name = `cmd-${key}`;
    for (const schema of [model, again]) {
      const command = schema.lookupEntity(name) as Command;
      for (const g of commandFlagNames) {
        const expected = g === f ? !unset : commandFlags[g].default;
        assert.equal(command[g], expected, `${name}: ${g}`);
      }
    }
    const wireCommand = wire.commands.get(name)! as Partial<Record<CommandFlagName, boolean>>;
    if (visible === "none") assert.equal(f in wireCommand, false, `${f} is not part of the wire view`);
    else assert.equal(wireCommand[f], !unset, `wire view of ${name}`);
  }
});

test("the front end refuses each flag's default value, naming the flag", () => {
  for (const f of commandFlagNames) {
    const { key, default: unset } = commandFlags[f];
    const path = join(dir, `bad-${key}.json`);
    writeFileSync(path, `{ 'command': 'c', '${key}': ${unset} }\n`);
    assert.throws(() => loadSchema(path), new RegExp(`flag '${key}' can only be ${!unset}`));
  }
});
