/**
 * The compatibility rules of the diff on small made-up schemas, one rule of
 * docs/qapi-code-gen.rst "Compatibility considerations" per row, plus the
 * CLI's exit status for CI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { diffSchemas } from "../../core/diff.js";
import type { WireSchema, WireType } from "../../core/schema.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const builtins: WireType[] = [
  { meta: "builtin", name: "str", json: "string", features: [] },
  { meta: "builtin", name: "int", json: "int", features: [] },
  { meta: "object", name: "q_empty", members: [], variants: [], features: [] },
];

/** A schema with one command `cmd` taking `Args` and returning `Ret`, one event `EV` with `Data`, and the given types. */
function schema(label: string, types: WireType[]): WireSchema {
  return {
    origin: "source",
    label,
    commands: new Map([["cmd", { name: "cmd", argType: "Args", retType: "Ret", allowOob: false, features: [] }]]),
    events: new Map([["EV", { name: "EV", argType: "Data", features: [] }]]),
    types: new Map([...builtins, ...types].map((t) => [t.name, t])),
  };
}
const obj = (name: string, members: [string, string, boolean?][]): WireType => ({
  meta: "object",
  name,
  features: [],
  variants: [],
  members: members.map(([n, type, optional]) => ({ name: n, type, optional: optional ?? false, features: [] })),
});
const enm = (name: string, values: string[]): WireType => ({
  meta: "enum",
  name,
  features: [],
  values: values.map((v) => ({ name: v, features: [] })),
});
const base = [obj("Args", [["a", "str"]]), obj("Ret", [["r", "str"]]), obj("Data", [["d", "str"]])];
const replace = (types: WireType[]) => [...base.filter((b) => !types.some((t) => t.name === b.name)), ...types];

type Row = [
  name: string,
  before: WireType[],
  after: WireType[],
  kind: string,
  forward: "breaking" | "safe",
  backward: "breaking" | "safe",
];
const rows: Row[] = [
  [
    "optional argument added",
    [],
    [
      obj("Args", [
        ["a", "str"],
        ["b", "str", true],
      ]),
    ],
    "member-added",
    "safe",
    "breaking",
  ],
  [
    "mandatory argument added",
    [],
    [
      obj("Args", [
        ["a", "str"],
        ["b", "str"],
      ]),
    ],
    "member-added",
    "breaking",
    "breaking",
  ],
  ["argument made optional", [], [obj("Args", [["a", "str", true]])], "member-optional", "safe", "breaking"],
  [
    "argument made mandatory",
    [obj("Args", [["a", "str", true]])],
    [obj("Args", [["a", "str"]])],
    "member-required",
    "breaking",
    "safe",
  ],
  ["argument removed", [], [obj("Args", [])], "member-removed", "breaking", "breaking"],
  [
    "optional argument removed",
    [
      obj("Args", [
        ["a", "str"],
        ["o", "str", true],
      ]),
    ],
    [obj("Args", [["a", "str"]])],
    "member-removed",
    "breaking",
    "safe",
  ],
  [
    "return member added",
    [],
    [
      obj("Ret", [
        ["r", "str"],
        ["s", "str"],
      ]),
    ],
    "member-added",
    "safe",
    "breaking",
  ],
  ["return member removed", [], [obj("Ret", [])], "member-removed", "breaking", "safe"],
  [
    "optional return member removed",
    [
      obj("Ret", [
        ["r", "str"],
        ["o", "str", true],
      ]),
    ],
    [obj("Ret", [["r", "str"]])],
    "member-removed",
    "safe",
    "safe",
  ],
  [
    "event data member added",
    [],
    [
      obj("Data", [
        ["d", "str"],
        ["e", "str"],
      ]),
    ],
    "member-added",
    "safe",
    "breaking",
  ],
  [
    "argument enum value added",
    [enm("E", ["x"]), obj("Args", [["a", "E"]])],
    [enm("E", ["x", "y"]), obj("Args", [["a", "E"]])],
    "enum-value-added",
    "safe",
    "breaking",
  ],
  [
    "argument enum value removed",
    [enm("E", ["x", "y"]), obj("Args", [["a", "E"]])],
    [enm("E", ["x"]), obj("Args", [["a", "E"]])],
    "enum-value-removed",
    "breaking",
    "safe",
  ],
  [
    "returned enum value removed",
    [enm("E", ["x", "y"]), obj("Ret", [["r", "E"]])],
    [enm("E", ["x"]), obj("Ret", [["r", "E"]])],
    "enum-value-removed",
    "safe",
    "safe",
  ],
  [
    "argument type turned into an alternate of it",
    [],
    [
      { meta: "alternate", name: "Alt", features: [], alternatives: [{ type: "str" }, { type: "int" }] },
      obj("Args", [["a", "Alt"]]),
    ],
    "type-changed",
    "safe",
    "breaking",
  ],
  ["argument type changed incompatibly", [], [obj("Args", [["a", "int"]])], "type-changed", "breaking", "breaking"],
];

for (const [name, before, after, kind, forward, backward] of rows) {
  test(`rule: ${name}`, () => {
    const changes = diffSchemas(schema("old", replace(before)), schema("new", replace(after))).changes;
    const found = changes.filter((c) => c.kind === kind);
    assert.equal(found.length, 1, JSON.stringify(changes));
    assert.equal(found[0]!.forward, forward, "old client on new server");
    assert.equal(found[0]!.backward, backward, "new client on old server");
  });
}

test("renaming a type changes nothing on the wire: reported for readers, safe both ways", () => {
  const old = schema("old", replace([enm("Colour", ["red"]), obj("Args", [["a", "Colour"]])]));
  const renamed = schema("new", replace([enm("Color", ["red"]), obj("Args", [["a", "Color"]])]));
  const changes = diffSchemas(old, renamed).changes;
  assert.deepEqual(
    changes.map((c) => [c.kind, c.detail, c.forward, c.backward]),
    [["type-renamed", "type Colour is now called Color", "safe", "safe"]],
  );
});

test("the CLI's exit status follows --fail-on", () => {
  const fixture = join(repoRoot, "test", "fixtures", "introspection", "qemu-storage-daemon-7.2.json");
  const system = join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json");
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(repoRoot, "bin", "qapi-ts"), "diff", ...args], { encoding: "utf8" });
  assert.equal(run(fixture, fixture, "--fail-on", "any").status, 0);
  // The daemon lacks most of the system emulator's commands: breaking for a client of the emulator.
  assert.equal(run(system, fixture, "--fail-on", "breaking").status, 1);
  assert.equal(run(fixture, system, "--fail-on", "breaking").status, 0, "only additions for a client of the daemon");
  assert.equal(run(fixture, system).status, 0, "no --fail-on: always 0");
  // Fetched versions by name; ':qga' picks the guest agent's schema (10.2.2 qga/qapi-schema.json adds guest-get-load).
  const qga = run("7.2.0:qga", "10.2.2:qga");
  assert.equal(qga.status, 0, qga.stderr);
  assert.match(qga.stdout, /^safe\/BREAKING +command 'guest-get-load': added$/m);
});
