/**
 * Reading libvirt's recorded conversations (core/replies-file.ts):
 * the real 7.2.0 x86_64 recording, and broken texts that must give one clear
 * error each.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { introspectionFromReplies, RepliesFormatError } from "../../../tools/introspection/replies-file.js";
import { introspectionVersion, wireFromIntrospection } from "../../../core/introspection-file.js";
import { libvirtCaps } from "../../support/libvirt-caps.js";

test("the 7.2.0 x86_64 recording holds 7.2.0's introspection", () => {
  const text = readFileSync(libvirtCaps("7.2.0", "x86_64"), "utf8");
  const { file, arch } = introspectionFromReplies(text, "caps_7.2.0.x86_64.replies");
  assert.equal(introspectionVersion(file), "7.2.0");
  assert.equal(file.version.package, "v7.2.0");
  assert.equal(arch, "x86_64");
  const wire = wireFromIntrospection(file, "7.2");
  assert.ok(wire.commands.has("query-status") && wire.commands.has("blockdev-add"));
  assert.ok(wire.events.has("SHUTDOWN"));
  // Every SchemaInfo entry came through.
  assert.equal(wire.commands.size + wire.events.size + wire.types.size, file.schema.length);
});

test("a big integer in a reply stays exact", () => {
  const text = [
    '{"execute": "query-version", "id": "a"}',
    '{"return": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": ""}, "id": "a"}',
    '{"execute": "query-qmp-schema", "id": "b"}',
    '{"return": [{"name": "x", "meta-type": "enum", "values": [], "big": 18446744073709551615}], "id": "b"}',
  ].join("\n\n");
  const { file } = introspectionFromReplies(text, "t");
  assert.equal((file.schema[0] as Record<string, unknown>)["big"], 18446744073709551615n);
});

test("broken conversations give one clear error", () => {
  const ask = (cmd: string, id: string) => `{"execute": "${cmd}", "id": "${id}"}`;
  const cases: [string, RegExp][] = [
    ["{ nope", /^t: not a recorded conversation: /],
    [ask("query-version", "a"), /^t: no successful reply to query-version$/],
    [
      `${ask("query-version", "a")}{"return": {"qemu": {"major": 7, "minor": 2, "micro": 0}, "package": ""}, "id": "a"}`,
      /^t: no successful reply to query-qmp-schema$/,
    ],
    [
      `${ask("query-version", "a")}{"return": 5, "id": "a"}${ask("query-qmp-schema", "b")}{"return": [], "id": "b"}`,
      /unexpected shape/,
    ],
    // An error reply is not a reply to take the schema from.
    [
      `${ask("query-qmp-schema", "b")}{"error": {"class": "GenericError", "desc": "x"}, "id": "b"}`,
      /no successful reply to query-version/,
    ],
  ];
  for (const [text, message] of cases) {
    assert.throws(
      () => introspectionFromReplies(text, "t"),
      (e: unknown) => e instanceof RepliesFormatError && message.test(e.message) && !e.message.includes("\n"),
    );
  }
});
