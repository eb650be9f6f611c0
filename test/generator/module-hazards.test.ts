/**
 * Exported names with a meaning to module loading (issue: a command named
 * `then` made the generated module namespace a thenable, so `await import()`
 * of the SDK called it and failed). The name-clash golden schema has commands
 * `then`, `default`, `constructor`, `to-string`, `value-of` and
 * `has-own-property`; its committed SDK is compiled with the project, and here
 * it is imported for real.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { NameRegistry, isModuleHazard } from "../../generator/printer/names.js";

test("importing an SDK whose schema has a command 'then' gives its namespace, not a call of then()", async () => {
  const sdk = (await import("../golden/name-clash/index.js")) as Record<string, unknown>;
  assert.equal(typeof sdk["sdk"], "object", "the namespace itself, with the descriptor");
  assert.equal("then" in sdk, false);
  assert.equal(typeof sdk["then$"], "function", "the command's function under a salted name");
  const hazards = Object.keys(sdk).filter(isModuleHazard);
  assert.deepEqual(hazards, []);
});

test("value names with a meaning to module loading or to objects are salted; types may keep them", () => {
  const names = new NameRegistry();
  for (const name of ["then", "default", "__esModule", "constructor", "toString", "hasOwnProperty", "__proto__"]) {
    assert.equal(names.claim(name, "value"), `${name}$`, name);
  }
  assert.equal(new NameRegistry().claim("then", "type"), "then");
  assert.equal(new NameRegistry().claim("thenable", "value"), "thenable");
});
