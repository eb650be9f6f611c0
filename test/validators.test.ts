/**
 * Behaviour of the generated validators, on the committed golden output of our
 * kitchen-sink and name-clash schemas (test/golden/, compiled with the tests):
 * every kind of type, strict and lenient mode, integer ranges with bigint, and
 * exact JSON paths and messages. Real QEMU data: validators-real.qemu.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseJson } from "../runtime/json.js";
import type { ValidationResult } from "../runtime/sdk.js";
import { validators as ks } from "./golden/kitchen-sink/wire.js";
import { validators as clash } from "./golden/name-clash/wire.js";

const widget = { id: 1, name: "w", i: 5 };

function lines(r: ValidationResult | undefined): { errors: string[]; notices: string[] } {
  assert.ok(r, "the validator exists");
  return {
    errors: r.errors.map((e) => `${e.path}: ${e.message}`),
    notices: r.notices.map((e) => `${e.path}: ${e.message}`),
  };
}

type Case = [name: string, run: () => ValidationResult | undefined, errors: string[], notices?: string[]];

const cases: Case[] = [
  ["minimal struct with base; conditional member not required", () => ks.type("Widget", widget, "strict"), []],
  ["int accepts bigint beyond 2^53", () => ks.type("Widget", { ...widget, i: 2n ** 60n }, "strict"), []],
  [
    "int rejects beyond int64",
    () => ks.type("Widget", { ...widget, i: 2n ** 63n }, "strict"),
    ["$.i: expected int (64-bit integer), got 9223372036854775808"],
  ],
  [
    "int rejects a fraction",
    () => ks.type("Widget", { ...widget, i: 1.5 }, "strict"),
    ["$.i: expected int (64-bit integer), got 1.5"],
  ],
  [
    "uint8 range",
    () => ks.type("Widget", { ...widget, u8: 256 }, "strict"),
    ["$.u8: expected uint8 (integer 0..255), got 256"],
  ],
  [
    "uint64 accepts its maximum as bigint",
    () => ks.type("Widget", { ...widget, u64: 18446744073709551615n, sz: 0 }, "strict"),
    [],
  ],
  [
    "size rejects negatives",
    () => ks.type("Widget", { ...widget, sz: -1 }, "strict"),
    ["$.sz: expected size (unsigned 64-bit integer), got -1"],
  ],
  [
    "int8 rejects bigint",
    () => ks.type("Widget", { ...widget, i8: 1n }, "strict"),
    ["$.i8: expected int8 (integer -128..127), got 1"],
  ],
  ["null and any", () => ks.type("Widget", { ...widget, nothing: null, anything: { x: [1] } }, "strict"), []],
  [
    "null rejects other values",
    () => ks.type("Widget", { ...widget, nothing: 0 }, "strict"),
    ["$.nothing: expected null, got 0"],
  ],
  ["missing required member", () => ks.type("Widget", { id: 1, i: 5 }, "strict"), ["$.name: missing required member"]],
  [
    "inherited member checked",
    () => ks.type("Widget", { ...widget, id: "1" }, "strict"),
    ['$.id: expected int (64-bit integer), got "1"'],
  ],
  [
    "unknown member: strict error",
    () => ks.type("Widget", { ...widget, bogus: 1 }, "strict"),
    ["$.bogus: unknown member"],
  ],
  [
    "unknown member: lenient notice",
    () => ks.type("Widget", { ...widget, bogus: 1 }, "lenient"),
    [],
    ["$.bogus: unknown member"],
  ],
  [
    "quoted path segments",
    () => ks.type("Widget", { ...widget, "x-experimental": "no" }, "strict"),
    ['$["x-experimental"]: expected int (64-bit integer), got "no"'],
  ],
  [
    "unknown enum value: strict",
    () => ks.type("Widget", { ...widget, color: "blue" }, "strict"),
    ['$.color: unknown value "blue" of enum Color'],
  ],
  [
    "unknown enum value: lenient",
    () => ks.type("Widget", { ...widget, color: "blue" }, "lenient"),
    [],
    ['$.color: unknown value "blue" of enum Color'],
  ],
  ["enum value starting with a digit", () => ks.type("Color", "9-lives", "strict"), []],
  [
    "array element path",
    () => ks.type("Widget", { ...widget, tags: ["a", 1] }, "strict"),
    ["$.tags[1]: expected string, got 1"],
  ],
  ["not an object", () => ks.type("Widget", [widget], "strict"), ["$: expected object, got an array"]],
  [
    "nested path",
    () => ks.type("Nested", { widgets: [widget, { ...widget, name: 42 }], matrix: [1, 200] }, "strict"),
    ["$.widgets[1].name: expected string, got 42", "$.matrix[1]: expected int8 (integer -128..127), got 200"],
  ],
  ["union branch", () => ks.type("Drawing", { kind: "circle", radius: 1.5, label: "x" }, "strict"), []],
  ["union branch without type", () => ks.type("Drawing", { kind: "line" }, "strict"), []],
  [
    "union wrong branch members",
    () => ks.type("Drawing", { kind: "circle", side: 1 }, "strict"),
    ["$.radius: missing required member", "$.side: unknown member"],
  ],
  [
    "union unknown tag: strict",
    () => ks.type("Drawing", { kind: "hexagon" }, "strict"),
    ['$.kind: unknown value "hexagon" of enum Shape'],
  ],
  [
    "union unknown tag: lenient",
    () => ks.type("Drawing", { kind: "hexagon", corners: 6 }, "lenient"),
    [],
    ['$.kind: unknown value "hexagon" of enum Shape'],
  ],
  ["union with named base", () => ks.type("Tagged", { shape: "line", id: 1, widgets: [] }, "strict"), []],
  ["alternate: string", () => ks.type("Ref", "name", "strict"), []],
  ["alternate: null", () => ks.type("Ref", null, "strict"), []],
  [
    "alternate: object branch checked",
    () => ks.type("Ref", { id: 1, i: 1 }, "strict"),
    ["$.name: missing required member"],
  ],
  ["alternate: no branch", () => ks.type("Ref", 5, "strict"), ["$: expected string or object or null, got 5"]],
  [
    "alternate: number branch range",
    () => ks.type("Level", 300, "strict"),
    ["$: expected uint8 (integer 0..255), got 300"],
  ],
  ["alternate: enum branch", () => ks.type("Level", "hexagon", "strict"), ['$: unknown value "hexagon" of enum Shape']],
  ["command without arguments", () => ks.commandArgs("ping", undefined, "strict"), []],
  [
    "command without arguments given some",
    () => ks.commandArgs("ping", { x: 1 }, "strict"),
    ["$.arguments.x: unknown member"],
  ],
  [
    "required argument missing",
    () => ks.commandArgs("make-widget", undefined, "strict"),
    ["$.arguments.name: missing required member"],
  ],
  ["boxed union arguments", () => ks.commandArgs("draw", { kind: "square", side: 2 }, "strict"), []],
  ["array return", () => ks.commandReturn("get-names", ["a", 2], "strict"), ["$.return[1]: expected string, got 2"]],
  ["builtin return", () => ks.commandReturn("get-count", 2n ** 62n, "strict"), []],
  ["empty return", () => ks.commandReturn("ping", {}, "strict"), []],
  ["event data", () => ks.event("WIDGET_CHANGED", { name: 1 }, "strict"), ["$.data.name: expected string, got 1"]],
  ["event without data", () => ks.event("BOOM", undefined, "strict"), []],
  [
    "member named constructor is not inherited",
    () => clash.type("Object", {}, "strict"),
    ["$.constructor: missing required member"],
  ],
  [
    "member named constructor",
    () => clash.type("Object", { constructor: "x", toString: "y", valueOf: 1 }, "strict"),
    [],
  ],
  [
    "an own __proto__ member is unknown, not the prototype",
    () => clash.type("Object", parseJson('{"constructor": "x", "__proto__": 1}'), "strict"),
    ["$.__proto__: unknown member"],
  ],
  ["names differing by - and _", () => clash.type("Keys", { "a-b": "x", c_d: "y", Upper: "z" }, "strict"), []],
];

for (const [name, run, errors, notices = []] of cases) {
  test(name, () => assert.deepEqual(lines(run()), { errors, notices }));
}

test("unknown names give undefined", () => {
  assert.equal(ks.commandArgs("no-such-command", {}, "strict"), undefined);
  assert.equal(ks.commandReturn("no-such-command", {}, "strict"), undefined);
  assert.equal(ks.event("NO_SUCH_EVENT", {}, "strict"), undefined);
  assert.equal(ks.type("NoSuchType", {}, "strict"), undefined);
  assert.equal(ks.commandArgs("__proto__", {}, "strict"), undefined);
});

test("a custom root prefixes paths", () => {
  assert.deepEqual(lines(ks.type("Widget", { ...widget, u8: -1 }, "strict", "$.return[3]")).errors, [
    "$.return[3].u8: expected uint8 (integer 0..255), got -1",
  ]);
});
