/**
 * `qapi-ts jsonschema` beyond the differential test: docs facts from a
 * source schema (QEMU 7.2's doc comments become descriptions, the
 * `deprecated` feature the keyword), names that are hostile in JSON
 * pointers, URIs or JavaScript (`__proto__`, `/`, `~`, quotes, `*\/`) as type,
 * member and command names that ajv still resolves and checks, and the
 * command's refusals.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import {
  defKey,
  defRef,
  entryKey,
  jsonSchemaDocument,
  standaloneSchema,
  type JsonSchema,
} from "../../../core/json-schema.js";
import { loadDescribedSchema } from "../../../tools/jsonschema/load.js";
import { stringifyJson } from "../../../runtime/json.js";
import { createValidators } from "../../../runtime/validate/index.js";
import type { WireSchema, WireType } from "../../../core/schema.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";
import { hostileWireNames } from "../../support/hostile-input.js";

const cli = join(repoRoot, "build/tools/cli/main.js");
const defs = (doc: JsonSchema) => doc["$defs"] as Record<string, JsonSchema>;

test("--schema: the doc comments' text, Since: and the deprecated feature", () => {
  const described = loadDescribedSchema(
    { schema: join(qemuSourceDir("7.2.0"), "qapi/qapi-schema.json"), sdk: "qemu" },
    "jsonschema",
  );
  const doc = jsonSchemaDocument(described.wire, described.facts);
  const status = defs(doc)[entryKey.arguments("query-status")]!;
  assert.match(String(status["description"]), /Since 0\.14/);
  assert.ok(String(status["description"]).length > 30, "the command's doc text");
  assert.equal(defs(doc)[entryKey.arguments("drive-backup")]!["deprecated"], true, "7.2's drive-backup is deprecated");
  assert.equal(
    defs(doc)[entryKey.arguments("block-job-pause")]!["deprecated"],
    undefined,
    "7.2's block-job-pause is not",
  );
  const info = defs(doc)["StatusInfo"]!;
  const running = (info["properties"] as Record<string, JsonSchema>)["running"]!;
  assert.ok(String(running["description"]).length > 5, "a member's doc text");
  const secret = defs(doc)["SecretProperties"]!;
  const loaded = (secret["properties"] as Record<string, JsonSchema>)["loaded"]!;
  assert.equal(loaded["deprecated"], true, "7.2's SecretProperties.loaded is deprecated");
  assert.match(String(loaded["description"]), /Deprecated\./);
});

test("--release: since when, from the version history", () => {
  const { wire, facts } = loadDescribedSchema({ release: "10.2.2", sdk: "qemu" }, "jsonschema");
  const doc = jsonSchemaDocument(wire, facts);
  assert.match(String(defs(doc)[entryKey.arguments("query-accelerators")]!["description"]), /Since 10\.2\.0/);
  assert.equal(defs(doc)[entryKey.arguments("drive-backup")]!["deprecated"], true);
  const standalone = standaloneSchema(doc, entryKey.arguments("blockdev-add"), true);
  assert.equal(standalone["type"], "object");
  assert.ok(Object.keys(standalone["$defs"] as object).length > 50, "blockdev-add reaches its option types");
});

test("hostile names stay keys and resolve", () => {
  // Lone surrogates cannot be in a URI: such names are keyed with U+FFFD in their place (ajv
  // itself cannot compile a property so named, so they are checked apart, below).
  const all = [...new Set(hostileWireNames.filter((n) => n !== ""))];
  const names = all.filter((n) => defKey(n) === n).slice(0, 40);
  const lone = all.filter((n) => defKey(n) !== n);
  assert.ok(lone.length > 0, "the hostile names include lone surrogates");
  for (const n of lone) {
    const key = defKey(`T ${n}`);
    const doc = jsonSchemaDocument({
      origin: "introspection",
      label: "lone",
      commands: new Map(),
      events: new Map(),
      types: new Map([[`T ${n}`, { name: `T ${n}`, meta: "enum", features: [], values: [] }]]),
    });
    assert.ok(Object.hasOwn(defs(doc), key) && key.includes("\uFFFD"));
    assert.ok(defRef(`T ${n}`).includes("%EF%BF%BD"));
  }
  const types = new Map<string, WireType>();
  types.set("str", { name: "str", meta: "builtin", json: "string", features: [] });
  types.set("int", { name: "int", meta: "builtin", json: "int", features: [] });
  // One struct per hostile name, each with a member of that name pointing to the next type.
  names.forEach((name, i) => {
    const next = i + 1 < names.length ? `T ${names[i + 1]}` : "int";
    types.set(`T ${name}`, {
      name: `T ${name}`,
      meta: "object",
      features: [],
      members: [{ name, type: next, optional: false, features: [] }],
      variants: [],
    });
  });
  const wire: WireSchema = {
    origin: "introspection",
    label: "hostile",
    commands: new Map(
      names.map((n) => [n, { name: n, features: [], argType: `T ${n}`, retType: "str", allowOob: false }]),
    ),
    events: new Map(),
    types,
  };
  const doc = jsonSchemaDocument(wire);
  const ajv = new Ajv2020({ discriminator: true, strict: true });
  const parsed = JSON.parse(stringifyJson(doc)) as JsonSchema;
  assert.equal(Object.getPrototypeOf(defs(parsed)), Object.prototype, "no prototype was replaced");
  ajv.addSchema(parsed, "hostile");
  const engine = createValidators(wire);
  for (const name of names.slice(0, 10)) {
    const validate = ajv.getSchema(`hostile${defRef(entryKey.arguments(name))}`)!;
    let value: unknown = 7;
    for (const n of [...names].reverse().slice(0, names.length - names.indexOf(name))) value = { [n]: value };
    const good = JSON.parse(JSON.stringify(value)) as unknown;
    // ajv 8 reports an own "__proto__" property as additional (its own limitation; the schema lists it).
    if (!JSON.stringify(good).includes('"__proto__"'))
      assert.equal(validate(good), true, `${JSON.stringify(name)}: ${ajv.errorsText(validate.errors)}`);
    assert.equal(engine.commandArgs(name, good, "strict")?.errors.length, 0);
    assert.equal(validate({}), false);
  }
});

test("the command refuses a missing or double choice and an unknown release", () => {
  const none = spawnSync(process.execPath, [cli, "jsonschema", "--out", "x"], { encoding: "utf8" });
  assert.equal(none.status, 2);
  assert.match(none.stderr, /give one of --schema, --introspection and --release/);
  const unknown = spawnSync(process.execPath, [cli, "jsonschema", "--release", "3.0.0", "--out", "x"], {
    encoding: "utf8",
  });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--release 3\.0\.0: not a release of the qemu history \(4\.2\.0…10\.2\.2\)/);
  assert.doesNotMatch(unknown.stderr, /\n\s+at /, "no stack trace");
});
