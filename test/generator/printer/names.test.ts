/** Unit tests of generator/printer/names.ts: identifier derivation, keys, the salt loop. */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  NameRegistry,
  camelCase,
  pascalCase,
  typeIdentifier,
  typeKey,
  valueKey,
} from "../../../generator/printer/names.js";

const cases: [string, () => unknown, unknown][] = [
  ["camelCase of a command", () => camelCase("query-status"), "queryStatus"],
  ["camelCase with underscores", () => camelCase("device_add"), "deviceAdd"],
  ["camelCase of a downstream name", () => camelCase("__org.example_extra"), "orgExampleExtra"],
  ["pascalCase of an event", () => pascalCase("BLOCK_JOB_COMPLETED"), "BlockJobCompleted"],
  ["type names stay", () => typeIdentifier("BlockdevOptions"), "BlockdevOptions"],
  ["downstream type name", () => typeIdentifier("__org.example_Extra"), "__org_example_Extra"],
  ["leading digit", () => typeIdentifier("9lives"), "_9lives"],
  ["plain key", () => typeKey("running"), "running"],
  ["quoted key", () => typeKey("node-name"), '"node-name"'],
  ["__proto__ in a type", () => typeKey("__proto__"), "__proto__"],
  ["__proto__ in a value", () => valueKey("__proto__"), '["__proto__"]'],
];

for (const [name, run, want] of cases) test(name, () => assert.deepEqual(run(), want));

test("the registry salts clashes and escapes reserved words", () => {
  const r = new NameRegistry(["CommandMap"]);
  assert.equal(r.claim("CommandMap", "type"), "CommandMap$2");
  assert.equal(r.claim("foo_bar", "value"), "foo_bar");
  assert.equal(r.claim("foo_bar", "value"), "foo_bar$2");
  assert.equal(r.claim("delete", "value"), "delete$");
  assert.equal(r.claim("Promise", "type"), "Promise$");
  assert.equal(r.claim("Promise", "value"), "Promise");
  assert.equal(r.claim("string", "type"), "string$");
});
