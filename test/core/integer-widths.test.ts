/**
 * Integer widths put back into a server's own schema (core/integer-widths.ts):
 * Debian QEMU 7.2's `query-qmp-schema` says `int` everywhere; the history's
 * view of 7.2.0 names the widths, and the validator engine then refuses what
 * QEMU refuses. A known schema that disagrees with itself leaves `int`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { wireFromIntrospection, type IntrospectionFile } from "../../core/introspection-file.js";
import { historyAt } from "../../core/history.js";
import { withIntegerWidths } from "../../core/integer-widths.js";
import type { WireObject, WireSchema } from "../../core/schema.js";
import { typeAtPath } from "../../core/walk.js";
import { parseJson } from "../../runtime/json.js";
import { createValidators } from "../../runtime/validate/index.js";
import { readHistory } from "../../tools/history/files.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const server = wireFromIntrospection(
  parseJson(
    readFileSync(join(repoRoot, "test", "fixtures", "introspection", "qemu-system-x86_64-7.2.json"), "utf8"),
  ) as IntrospectionFile,
  "QEMU 7.2",
);
const known = historyAt(readHistory("qemu"), "7.2.0");
const widened = withIntegerWidths(server, known);

function memberType(schema: WireSchema, command: string, path: (string | number)[], value?: unknown): string {
  const type = typeAtPath(schema, schema.commands.get(command)!.argType, path, value === undefined ? {} : { value });
  return type!.meta === "array" ? `[${type!.element}]` : type!.name;
}

test("members introspection calls int take the release's widths: uint8, size, a list of uint16", () => {
  assert.equal(memberType(server, "migrate-set-parameters", ["cpu-throttle-initial"]), "int");
  assert.equal(memberType(widened, "migrate-set-parameters", ["cpu-throttle-initial"]), "uint8");
  assert.equal(memberType(widened, "migrate-set-parameters", ["max-bandwidth"]), "size");
  assert.equal(memberType(widened, "migrate-set-parameters", ["downtime-limit"]), "uint64");
  const node = { type: "node", cpus: [0] };
  assert.equal(memberType(server, "set-numa-node", ["cpus"], node), "[int]");
  assert.equal(memberType(widened, "set-numa-node", ["cpus"], node), "[uint16]");
  // Nothing else changes: the commands, events and other members are the server's.
  assert.equal(widened.commands, server.commands);
  assert.equal(widened.events, server.events);
});

test("the engine over the widened schema refuses what QEMU refuses, at the engine's path", () => {
  const validators = createValidators(widened);
  const errors = (args: unknown) =>
    validators
      .commandArgs("migrate-set-parameters", args, "strict", "$.arguments")!
      .errors.map((e) => `${e.path}: ${e.message}`);
  assert.deepEqual(errors({ "cpu-throttle-initial": 99 }), []);
  assert.deepEqual(errors({ "cpu-throttle-initial": 300 }), [
    `$.arguments["cpu-throttle-initial"]: expected uint8 (integer 0..255), got 300`,
  ]);
  assert.deepEqual(
    createValidators(server).commandArgs("migrate-set-parameters", { "cpu-throttle-initial": 300 }, "strict")!.errors,
    [],
  );
});

test("no known schema, or one that disagrees with itself about a member, leaves int", () => {
  assert.equal(withIntegerWidths(server, undefined), server);
  // The same server type paired with two known types whose member widths differ.
  const object = (name: string, width: string): WireObject => ({
    name,
    meta: "object",
    features: [],
    members: [{ name: "n", type: width, optional: false, features: [] }],
    variants: [],
  });
  const builtin = (name: string) => ({ name, meta: "builtin" as const, features: [], json: "int" });
  const schema = (types: WireObject[], builtins: string[], origin: "source" | "introspection"): WireSchema => ({
    origin,
    label: origin,
    commands: new Map([
      ["a", { name: "a", features: [], argType: types[0]!.name, retType: types[0]!.name, allowOob: false }],
      ["b", { name: "b", features: [], argType: types.at(-1)!.name, retType: types.at(-1)!.name, allowOob: false }],
    ]),
    events: new Map(),
    types: new Map<string, WireObject | ReturnType<typeof builtin>>([
      ...types.map((t): [string, WireObject] => [t.name, t]),
      ...builtins.map((b): [string, ReturnType<typeof builtin>] => [b, builtin(b)]),
    ]),
  });
  const liveServer = schema([object("1", "int")], ["int"], "introspection");
  const disagreeing = schema([object("A", "uint8"), object("B", "int8")], ["uint8", "int8"], "source");
  assert.equal(memberType(withIntegerWidths(liveServer, disagreeing), "a", ["n"]), "int");
  const agreeing = schema([object("A", "uint8"), object("B", "uint8")], ["uint8"], "source");
  assert.equal(memberType(withIntegerWidths(liveServer, agreeing), "a", ["n"]), "uint8");
});
