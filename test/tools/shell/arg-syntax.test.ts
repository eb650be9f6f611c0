/**
 * The shell's input syntax (tools/shell/arg-syntax.ts): words with quotes
 * and brackets, dotted keys, list indexes, JSON arguments and whole QMP
 * commands, and the one-line errors for lines it cannot read. Values stay raw
 * here (coerce.ts types them; see schema-checks.test.ts).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ArgSyntaxError,
  ParsedJson,
  RawValue,
  parseLine,
  splitWords,
  type ArgTree,
} from "../../../tools/shell/arg-syntax.js";

/** The tree as plain JSON with raw leaves as `raw:TEXT`, for comparison. */
function plainTree(tree: ArgTree | undefined): unknown {
  if (tree === undefined) return undefined;
  if (tree instanceof RawValue) return `raw:${tree.text}`;
  if (tree instanceof ParsedJson) return { json: tree.value };
  if (Array.isArray(tree)) return tree.map(plainTree);
  return Object.fromEntries([...tree].map(([k, v]) => [k, plainTree(v)]));
}

const parses: [string, string, unknown][] = [
  ["no arguments", "query-status", { command: "query-status", args: undefined }],
  [
    "flat keys",
    "qom-get path=/machine property=type",
    { command: "qom-get", args: { path: "raw:/machine", property: "raw:type" } },
  ],
  [
    "nested keys",
    "blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filename=/tmp/a.qcow2",
    {
      command: "blockdev-add",
      args: { driver: "raw:qcow2", "node-name": "raw:d0", file: { driver: "raw:file", filename: "raw:/tmp/a.qcow2" } },
    },
  ],
  [
    "list indexes, with objects inside",
    "send-key keys.0.type=qcode keys.0.data=ctrl keys.1.type=qcode keys.1.data=alt",
    {
      command: "send-key",
      args: {
        keys: [
          { type: "raw:qcode", data: "raw:ctrl" },
          { type: "raw:qcode", data: "raw:alt" },
        ],
      },
    },
  ],
  [
    "quotes keep spaces",
    `human-monitor-command command-line="info block"`,
    { command: "human-monitor-command", args: { "command-line": "raw:info block" } },
  ],
  ["a JSON value keeps its spaces and quotes", `x a=[1, "b c"]`, { command: "x", args: { a: `raw:[1, "b c"]` } }],
  ["an = inside a value", "x a=b=c", { command: "x", args: { a: "raw:b=c" } }],
  [
    "JSON arguments",
    `device_add {"driver": "virtio-rng-pci", "id": "rng0"}`,
    { command: "device_add", args: { json: { driver: "virtio-rng-pci", id: "rng0" } } },
  ],
  ["a whole QMP command", `{"execute": "query-status"}`, { command: "query-status", args: undefined }],
  [
    "a whole QMP command with arguments",
    `{"execute": "qom-list", "arguments": {"path": "/"}}`,
    { command: "qom-list", args: { json: { path: "/" } } },
  ],
];

for (const [name, line, want] of parses) {
  test(`parses: ${name}`, () => {
    const got = parseLine(line)!;
    assert.deepEqual({ command: got.command, args: plainTree(got.args) }, want);
  });
}

test("an empty line is nothing", () => {
  assert.equal(parseLine("   "), undefined);
});

test("64-bit integers in JSON arguments are kept exactly", () => {
  const got = parseLine(`x {"n": 18446744073709551615}`)!;
  assert.deepEqual((got.args as ParsedJson).value, { n: 18446744073709551615n });
});

const refusals: [string, string, RegExp][] = [
  ["a word without =", "qom-get path", /'path': expected key=value/],
  ["a key given twice", "x a=1 a=2", /'a' is given twice/],
  ["a value and members at one key", "x a=1 a.b=2", /'a' already has a value/],
  ["a list and an object at one key", "x a.0=1 a.b=2", /'a' is used both as a list and as an object/],
  ["a list with a gap", "x a.0=1 a.2=3", /list 'a' has no element 1/],
  ["an empty key segment", "x a..b=1", /empty name/],
  ["an unterminated quote", `x a="b`, /unterminated " quote/],
  ["bad JSON arguments", "x {nope}", /not valid JSON/],
  ["a JSON command without execute", `{"arguments": {}}`, /needs "execute"/],
];

for (const [name, line, message] of refusals) {
  test(`refuses: ${name}`, () => {
    assert.throws(
      () => parseLine(line),
      (error: unknown) => error instanceof ArgSyntaxError && message.test(error.message),
    );
  });
}

test("words of a half-typed line carry their start (for completion)", () => {
  assert.deepEqual(splitWords(`blockdev-add driver=qcow2 file.fi`), [
    { text: "blockdev-add", start: 0 },
    { text: "driver=qcow2", start: 13 },
    { text: "file.fi", start: 26 },
  ]);
  // Not strict: an open quote runs to the end of the line instead of failing.
  assert.deepEqual(splitWords(`x a="b c`), [
    { text: "x", start: 0 },
    { text: "a=b c", start: 2 },
  ]);
});
