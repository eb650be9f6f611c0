/**
 * Stage 2 (check-exprs) on its own: the normalised records the model builder
 * receives, and the defaults and sugar QEMU's suite only sees through dumps.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CheckedExpr, checkExprs } from "../../../generator/frontend/check-exprs.js";
import { QapiSemanticError } from "../../../generator/frontend/errors.js";
import { SourceInfo } from "../../../generator/frontend/source-info.js";

/** Builds parser-shaped values: plain objects become ordered Maps. */
function value(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(value);
  if (v !== null && typeof v === "object") return new Map(Object.entries(v).map(([k, x]) => [k, value(x)]));
  return v;
}

function check(expr: Record<string, unknown>, info = new SourceInfo("t.json", null)): CheckedExpr {
  return checkExprs([{ expr: value(expr) as Map<string, unknown>, info, doc: null }])[0]!;
}

test("struct: '*name' sugar, type shorthand, arrays, member if and features", () => {
  const checked = check({
    struct: "Sugar",
    data: {
      "*opt": "str",
      list: ["int"],
      full: { type: "bool", if: "HAVE_FULL", features: ["f", { name: "g", if: "G" }] },
    },
  });
  assert.equal(checked.meta, "struct");
  if (checked.meta !== "struct") return;
  assert.deepEqual(checked.members, [
    { name: "opt", optional: true, type: "str", ifcond: undefined, features: [] },
    { name: "list", optional: false, type: ["int"], ifcond: undefined, features: [] },
    {
      name: "full",
      optional: false,
      type: "bool",
      ifcond: "HAVE_FULL",
      features: [
        { name: "f", ifcond: undefined },
        { name: "g", ifcond: "G" },
      ],
    },
  ]);
  assert.equal(checked.base, null);
});

test("enum: string values become records; prefix kept; values may start with a digit", () => {
  const checked = check({ enum: "Values", prefix: "VAL", data: ["1st", { name: "two", if: { not: "X" } }] });
  assert.ok(checked.meta === "enum");
  assert.deepEqual(checked.values, [
    { name: "1st", ifcond: undefined, features: [] },
    { name: "two", ifcond: { not: "X" }, features: [] },
  ]);
  assert.equal(checked.prefix, "VAL");
});

test("command: flag defaults, inline data, array returns; the definition is recorded on the info", () => {
  const info = new SourceInfo("t.json", null);
  const checked = check({ command: "do-it", data: { x: "int" }, returns: ["Thing"], "allow-oob": true }, info);
  assert.ok(checked.meta === "command");
  assert.deepEqual(checked.flags, {
    allowOob: true,
    successResponse: true,
    allowPreconfig: false,
    gen: true,
    boxed: false,
    coroutine: false,
  });
  assert.deepEqual(checked.returns, ["Thing"]);
  assert.equal(Array.isArray(checked.data), true);
  assert.equal(info.defnMeta, "command");
  assert.equal(info.defnName, "do-it");
});

test("union and alternate: branches normalised, inline base kept as members", () => {
  const union = check({
    union: "Choice",
    base: { kind: "Kind" },
    discriminator: "kind",
    data: { a: "A", b: { type: "B", if: "HB" } },
  });
  assert.ok(union.meta === "union");
  assert.deepEqual(union.branches, [
    { name: "a", type: "A", ifcond: undefined },
    { name: "b", type: "B", ifcond: "HB" },
  ]);
  assert.deepEqual(union.base, [{ name: "kind", optional: false, type: "Kind", ifcond: undefined, features: [] }]);
  const alternate = check({ alternate: "Either", data: { s: "str", l: ["int"] } });
  assert.ok(alternate.meta === "alternate");
  assert.deepEqual(
    alternate.branches.map((b) => b.type),
    ["str", ["int"]],
  );
});

test("if conditions: all/any/not trees; malformed ones are located errors naming the condition", () => {
  const checked = check({ event: "EVT", if: { all: ["A", { any: ["B", { not: "C" }] }] } });
  assert.deepEqual(checked.meta === "event" && checked.ifcond, { all: ["A", { any: ["B", { not: "C" }] }] });
  for (const [cond, token] of [
    ["lower", "'lower'"],
    [{ all: [] }, "'if'"],
    [{ all: "A" }, "'all'"],
    [{ any: ["A"], not: "B" }, "'if'"],
    [{ nope: "A" }, "'nope'"],
  ] as const) {
    assert.throws(
      () => check({ event: "EVT", if: cond }),
      (error: unknown) =>
        error instanceof QapiSemanticError &&
        error.report().includes(token) &&
        error.report().startsWith("t.json: In event 'EVT':\nt.json:1: "),
    );
  }
});

test("unknown and missing keys list what is allowed", () => {
  assert.throws(
    () => check({ struct: "Sugar", data: {}, bogus: true }),
    (error: unknown) =>
      error instanceof QapiSemanticError &&
      /'bogus'/.test(error.report()) &&
      /'base', 'data', 'features', 'if', 'struct'/.test(error.report()),
  );
  assert.throws(
    () => check({ union: "Uni", data: {} }),
    (error: unknown) => error instanceof QapiSemanticError && /'base', 'discriminator'/.test(error.report()),
  );
});
