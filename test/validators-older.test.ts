/**
 * What an SDK generated from a schema of QEMU before 6.2 accepts: the golden
 * case test/golden/older-simple-unions/ (from our own schema in
 * test/fixtures/older-releases/, with simple unions, a C condition and an old
 * pragma name), compiled with the tests. A simple union travels as
 * `{"type": BRANCH, "data": VALUE}`, as those releases sent it; the flat form
 * of a modern union is not it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ValidationResult } from "../runtime/sdk.js";
import type { PeerAddress } from "./golden/older-simple-unions/types.js";
import { validators } from "./golden/older-simple-unions/wire.js";

function errors(result: ValidationResult | undefined): string[] {
  assert.ok(result, "the validator exists");
  return result.errors.map((e) => `${e.path}: ${e.message}`);
}

test("a simple union branch is {type, data}, in arguments and in replies", () => {
  const net: PeerAddress = { type: "net", data: { host: "h", port: 80 } };
  const aliases: PeerAddress = { type: "aliases", data: ["a", "b"] };
  assert.deepEqual(errors(validators.commandArgs("connect-peer", { addr: net }, "strict")), []);
  assert.deepEqual(errors(validators.commandReturn("connect-peer", aliases, "strict")), []);
  assert.deepEqual(errors(validators.type("PeerAddress", { type: "path", data: "/run/peer" }, "strict")), []);
});

test("the wrong shapes are rejected where they go wrong", () => {
  assert.deepEqual(errors(validators.type("PeerAddress", { type: "net", host: "h", port: 80 }, "strict")), [
    "$.data: missing required member",
    "$.host: unknown member",
    "$.port: unknown member",
  ]);
  assert.deepEqual(errors(validators.type("PeerAddress", { type: "path", data: 5 }, "strict")), [
    "$.data: expected string, got 5",
  ]);
  assert.deepEqual(
    errors(validators.type("PeerAddress", { type: "net", data: { host: "h", port: 70000 } }, "strict")),
    ["$.data.port: expected uint16 (integer 0..65535), got 70000"],
  );
  assert.deepEqual(errors(validators.type("PeerAddress", { type: "tunnel", data: {} }, "strict")), [
    '$.type: unknown value "tunnel" of enum PeerAddressKind',
  ]);
});

test("a command allowed a non-object return by an old pragma name returns it", () => {
  assert.deepEqual(errors(validators.commandReturn("get-tally", 3, "strict")), []);
  assert.deepEqual(errors(validators.commandReturn("get-tally", "3", "strict")), [
    '$.return: expected int (64-bit integer), got "3"',
  ]);
});
