/**
 * The validator engine (runtime/validate/) on schemas that are not an SDK's
 * own: a real server's introspection (masked type names, as the capability
 * probes and version-aware checks get it), against the replies recorded from
 * that same server; and the wire data format (core/data.ts) on QEMU's
 * full 10.2.2 schema, which must decode to exactly what was encoded. The
 * SDK's own validators are covered by test/validators*.test.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../generator/load-schema.js";
import { readIntrospectionFile } from "../../tools/introspection/read-file.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";
import { parseJson } from "../../runtime/json.js";
import { createValidators } from "../../runtime/validate/index.js";
import { decodeWireSchema, encodeWireSchema } from "../../core/data.js";
import { wireFromIntrospection } from "../../core/introspection-file.js";
import type { WireType } from "../../core/schema.js";
import { qemuSourceDir, repoRoot } from "../../scripts/lib/qemu-sources.js";

/** The successful replies of the recorded 7.2 session, with the command each answers. */
function recordedReplies(): { command: string; value: unknown }[] {
  const commands = new Map<string, string>();
  const replies: { command: string; value: unknown }[] = [];
  for (const line of readFileSync(join(repoRoot, "test/fixtures/qmp/qemu-7.2-queries.jsonl"), "utf8")
    .trim()
    .split("\n")) {
    const m = parseJson(line) as Record<string, unknown>;
    const id = JSON.stringify(m["id"]);
    if (typeof m["execute"] === "string") commands.set(id, m["execute"]);
    else if ("return" in m && commands.has(id)) replies.push({ command: commands.get(id)!, value: m["return"] });
  }
  return replies;
}

const server = wireFromIntrospection(
  readIntrospectionFile(join(repoRoot, "test/fixtures/introspection/qemu-system-x86_64-7.2.json")),
  "7.2",
);
const validators = createValidators(server);

test("every recorded 7.2 reply passes against the 7.2 server's own introspected schema", () => {
  const replies = recordedReplies();
  assert.ok(replies.length >= 40, `only ${replies.length} replies`);
  const rejected = replies.flatMap(({ command, value }) => {
    const r = validators.commandReturn(command, value, "strict");
    assert.ok(r, `${command} is a command of the server`);
    return r.errors.map((e) => `${command}: ${e.path}: ${e.message}`);
  });
  assert.deepEqual(rejected, []);
});

test("masked type names appear in messages as the server spells them", () => {
  const status = server.commands.get("query-status")!;
  const statusInfo = server.types.get(status.retType);
  assert.ok(statusInfo?.meta === "object");
  const runState = statusInfo.members.find((m) => m.name === "status")!.type;
  assert.match(runState, /^\d+$/, "introspection masks the enum's name");
  const r = validators.commandReturn("query-status", { running: "no", status: "flying", singlestep: false }, "strict")!;
  assert.deepEqual(
    r.errors.map((e) => `${e.path}: ${e.message}`),
    ['$.return.running: expected boolean, got "no"', `$.return.status: unknown value "flying" of enum ${runState}`],
  );
  assert.deepEqual(validators.type(runState, "running", "strict"), { errors: [], notices: [] });
});

test("a member whose value is undefined counts as absent (required: missing; any-typed too; optional: fine)", () => {
  const show = (r: ReturnType<typeof validators.commandArgs>) => r!.errors.map((e) => `${e.path}: ${e.message}`);
  const status = { running: true, status: "running", singlestep: undefined };
  assert.deepEqual(show(validators.commandReturn("query-status", status, "strict")), [
    "$.return.singlestep: missing required member",
  ]);
  assert.deepEqual(
    show(validators.commandArgs("qom-set", { path: "/machine", property: "p", value: undefined }, "strict")),
    ["$.arguments.value: missing required member"],
  );
  assert.deepEqual(validators.commandArgs("qom-list-types", { implements: undefined, abstract: true }, "strict"), {
    errors: [],
    notices: [],
  });
});

test("a member named __proto__ is a member like any other (a JSON parser makes it an own key)", () => {
  const types = new Map<string, WireType>([
    ["int", { name: "int", meta: "builtin", json: "int", features: [] }],
    [
      "A",
      {
        name: "A",
        meta: "object",
        features: [],
        members: [{ name: "__proto__", type: "int", optional: false, features: [] }],
        variants: [],
      },
    ],
  ]);
  const engine = createValidators({
    origin: "introspection",
    label: "proto",
    commands: new Map([["c", { name: "c", features: [], argType: "A", retType: "int", allowOob: false }]]),
    events: new Map(),
    types,
  });
  assert.deepEqual(engine.commandArgs("c", JSON.parse('{"__proto__": 7}'), "strict"), { errors: [], notices: [] });
  assert.deepEqual(
    engine.commandArgs("c", JSON.parse('{"__proto__": "x"}'), "strict")!.errors.map((e) => `${e.path}: ${e.message}`),
    ['$.arguments.__proto__: expected int (64-bit integer), got "x"'],
  );
  assert.deepEqual(
    engine.commandArgs("c", {}, "strict")!.errors.map((e) => `${e.path}: ${e.message}`),
    ["$.arguments.__proto__: missing required member"],
  );
});

test("union arguments by discriminator against the server's schema", () => {
  assert.deepEqual(
    validators.commandArgs("blockdev-add", { driver: "null-co", "node-name": "n0" }, "strict")?.errors,
    [],
  );
  const r = validators.commandArgs("blockdev-add", { driver: "null-co", "node-name": "n0", filename: "x" }, "strict")!;
  assert.deepEqual(
    r.errors.map((e) => `${e.path}: ${e.message}`),
    ["$.arguments.filename: unknown member"],
  );
  const lenient = validators.commandArgs(
    "blockdev-add",
    { driver: "null-co", "node-name": "n0", filename: "x" },
    "lenient",
  )!;
  assert.deepEqual([lenient.errors.length, lenient.notices.map((n) => n.path)], [0, ["$.arguments.filename"]]);
});

test("wire data of QEMU's 10.2.2 schema decodes to exactly the wire schema it was made from", () => {
  const wire = wireFromModel(
    loadSchema(join(qemuSourceDir("10.2.2"), "qapi/qapi-schema.json")),
    "QEMU 10.2.2",
    "10.2.2",
  );
  const data = encodeWireSchema(wire);
  assert.ok(data.entities.length > 1000);
  assert.deepEqual(decodeWireSchema(data), wire);
});
