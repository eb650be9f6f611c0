/**
 * A condition's text form read back (generator/model/if-cond.ts
 * `ifCondFromText`): every condition of the pinned 10.2.2 schema and of the
 * guest agent's comes back as the same tree from the text a wire view keeps,
 * and text of no such form is not taken for one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../../generator/load-schema.js";
import { IfCondition, ifCondFromText } from "../../../generator/model/if-cond.js";
import { qemuSourceDir } from "../../../scripts/lib/qemu-sources.js";

/** Every condition in a schema: definitions, members, values, branches, alternatives, features. */
function conditions(file: string): IfCondition[] {
  const found: IfCondition[] = [];
  const visit = (value: unknown, seen: Set<unknown>): void => {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof IfCondition) {
      if (value.isPresent()) found.push(value);
      return;
    }
    for (const v of Array.isArray(value) ? value : Object.values(value)) visit(v, seen);
  };
  const seen = new Set<unknown>();
  for (const d of loadSchema(file, { docLint: false }).allDefinitions()) visit(d, seen);
  return found;
}

test("every condition of QEMU 10.2.2's QMP and guest-agent schemas reads back from its text", () => {
  const dir = qemuSourceDir("10.2.2");
  const all = [
    ...conditions(join(dir, "qapi", "qapi-schema.json")),
    ...conditions(join(dir, "qga", "qapi-schema.json")),
  ];
  const forms = new Set(all.map((c) => c.toString()));
  assert.ok(all.length > 100, `${all.length} conditions`);
  assert.ok(
    [...forms].some((t) => t.startsWith("{'any'")) && [...forms].some((t) => t.startsWith("{'not'")),
    [...forms].join(" "),
  );
  for (const c of all) assert.deepEqual(ifCondFromText(c.toString()), c.cond, c.toString());
});

test("nested forms, and text of no such form", () => {
  assert.deepEqual(ifCondFromText("CONFIG_LINUX"), "CONFIG_LINUX");
  assert.deepEqual(ifCondFromText("{'any': ['A', {'not': 'B'}, {'all': ['C', 'D']}]}"), {
    any: ["A", { not: "B" }, { all: ["C", "D"] }],
  });
  assert.equal(ifCondFromText("{'all': ['A'"), undefined);
  assert.equal(ifCondFromText("{'some': ['A']}"), undefined);
  assert.equal(ifCondFromText("{'not': 'A'} trailing"), undefined);
});
