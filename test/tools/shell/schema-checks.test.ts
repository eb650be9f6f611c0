/**
 * The shell's schema knowledge on a real server schema — the committed
 * `query-qmp-schema` of Debian's QEMU 7.2 (test/fixtures/introspection/),
 * whose type names are masked as the shell sees them live: typing values by
 * the schema (coerce.ts), checks before sending with JSON paths (the
 * validator engine, worded by explain.ts), Tab completion of names, nested arguments, union branches
 * and enum values (completion.ts), and help (help.ts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseLine } from "../../../tools/shell/arg-syntax.js";
import { coerceArguments } from "../../../tools/shell/coerce.js";
import { explainArguments } from "../../../tools/shell/explain.js";
import { completeLine } from "../../../tools/shell/completion.js";
import { renderHelp } from "../../../tools/shell/help.js";
import { wireFromIntrospection, type IntrospectionFile } from "../../../core/introspection-file.js";
import { withSourceFlags } from "../../../core/command-flags.js";
import type { WireSchema } from "../../../core/schema.js";
import { createValidators } from "../../../runtime/validate/index.js";
import { loadSchema } from "../../../generator/load-schema.js";
import { wireFromModel } from "../../../generator/model/wire-from-model.js";
import { sdk } from "../../../generated/qemu/index.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const file = JSON.parse(
  readFileSync(join(repoRoot, "test/fixtures/introspection/qemu-system-x86_64-7.2.json"), "utf8"),
) as IntrospectionFile;
// As the shell loads it (schema-source.ts): flags introspection does not show come from the SDK's schema.
const wire = withSourceFlags(wireFromIntrospection(file, "QEMU 7.2"), sdk.wire!());
const validators = createValidators(wire);

/** The JSON a line's arguments become, and what the check says about them, as run-line.ts does it. */
function typed(line: string, schema: WireSchema = wire, engine = validators): { args: unknown; issues: string[] } {
  const parsed = parseLine(line)!;
  const command = schema.commands.get(parsed.command)!;
  const args =
    parsed.args === undefined ? undefined : coerceArguments(schema, schema.types.get(command.argType), parsed.args);
  const errors = engine.commandArgs(parsed.command, args ?? {}, "strict")!.errors;
  return { args, issues: explainArguments(schema, command.argType, args ?? {}, errors) };
}

test("values get the member's JSON type: integers, bools, strings that look like numbers", () => {
  assert.deepEqual(typed("block-set-write-threshold node-name=123 write-threshold=4096"), {
    args: { "node-name": "123", "write-threshold": 4096 },
    issues: [],
  });
  assert.deepEqual(typed("set_link name=net0 up=off").args, { name: "net0", up: false });
  // Beyond 2^53: exact, as a bigint.
  assert.deepEqual(typed("block-set-write-threshold node-name=n write-threshold=18446744073709551615").args, {
    "node-name": "n",
    "write-threshold": 18446744073709551615n,
  });
});

test("a union's branch types its members: blockdev-add with a nested file node", () => {
  const { args, issues } = typed(
    "blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filename=/tmp/a.qcow2 file.read-only=on",
  );
  assert.deepEqual(args, {
    driver: "qcow2",
    "node-name": "d0",
    file: { driver: "file", filename: "/tmp/a.qcow2", "read-only": true },
  });
  assert.deepEqual(issues, []);
});

test("lists by index, with union elements", () => {
  const { args, issues } = typed("send-key keys.0.type=qcode keys.0.data=ctrl keys.1.type=number keys.1.data=56");
  assert.deepEqual(args, {
    keys: [
      { type: "qcode", data: "ctrl" },
      { type: "number", data: 56 },
    ],
  });
  assert.deepEqual(issues, []);
});

test("what is wrong is named by its JSON path", () => {
  assert.deepEqual(
    typed("blockdev-add driver=nul-co node-name=n0").issues.map((i) => i.replace(/; expected .*/, "")),
    ['$.arguments.driver: unknown value "nul-co"'],
  );
  assert.deepEqual(typed("block-set-write-threshold node-name=n0 write-threshold=lots").issues, [
    '$.arguments["write-threshold"]: expected int (64-bit integer), got "lots"',
  ]);
  assert.deepEqual(typed("qom-get path=/machine").issues, ["$.arguments.property: missing required member"]);
  assert.deepEqual(typed("qom-get path=/machine property=type colour=red").issues, [
    "$.arguments.colour: unknown member",
  ]);
  assert.deepEqual(typed("blockdev-add driver=qcow2 node-name=d0 file.driver=file file.filenam=/tmp/a").issues, [
    "$.arguments.file.filename: missing required member",
    "$.arguments.file.filenam: unknown member",
  ]);
  assert.deepEqual(
    typed("send-key keys.0.type=qcode keys.0.data=ctr").issues.map((i) => i.replace(/; expected .*/, "")),
    ['$.arguments.keys[0].data: unknown value "ctr"'],
  );
  assert.deepEqual(typed("query-status").issues, []);
  assert.deepEqual(typed("query-status verbose=1").issues, ["$.arguments.verbose: unknown member"]);
});

test("an enum's choices are named, and a masked enum name is left out", () => {
  const [issue] = typed("blockdev-add driver=nul-co node-name=n0").issues;
  assert.match(issue!, /^\$\.arguments\.driver: unknown value "nul-co"; expected one of blkdebug, blklogwrites, /);
});

test("device_add takes the device's properties ('gen': false), its declared members still checked", () => {
  const hotplug = typed("device_add driver=virtio-blk-pci drive=disk0 id=vd0 bootindex=1");
  assert.deepEqual(hotplug, {
    args: { driver: "virtio-blk-pci", drive: "disk0", id: "vd0", bootindex: 1 },
    issues: [],
  });
  assert.deepEqual(typed("device_add drive=disk0").issues, ["$.arguments.driver: missing required member"]);
  assert.deepEqual(typed(`device_add {"driver": 1}`).issues, ["$.arguments.driver: expected string, got 1"]);
});

test("integer ranges: int8 300 is refused with the engine's path (a source schema names the builtin)", () => {
  const source = wireFromModel(loadSchema(join(repoRoot, "schema/examples/kitchen-sink.json")), "kitchen-sink");
  const engine = createValidators(source);
  assert.deepEqual(typed("make-widget name=w ref.id=1 ref.name=w ref.i=1 ref.i8=300", source, engine).issues, [
    "$.arguments.ref.i8: expected int8 (integer -128..127), got 300",
  ]);
  assert.deepEqual(typed("make-widget name=w ref.id=1 ref.name=w ref.i=1 ref.i8=-128", source, engine).issues, []);
});

test("JSON arguments are checked as given", () => {
  assert.deepEqual(typed(`qom-get {"path": "/machine", "property": 5}`).issues, [
    "$.arguments.property: expected string, got 5",
  ]);
});

const complete = (line: string) => completeLine(wire, line);

test("Tab completes command names and the shell's own words", () => {
  assert.deepEqual(complete("query-sta"), [["query-stats", "query-stats-schemas", "query-status"], "query-sta"]);
  assert.deepEqual(complete("blockdev-ad"), [["blockdev-add"], "blockdev-ad"]);
  assert.deepEqual(complete("hel"), [["help"], "hel"]);
  assert.equal(complete("").length, 2);
  assert.ok(complete("")[0].length > 200);
});

test("Tab completes argument names, at any depth and by union branch", () => {
  assert.deepEqual(complete("qom-get "), [["path=", "property="], ""]);
  assert.deepEqual(complete("qom-get path=/machine "), [["property="], ""]);
  assert.deepEqual(complete("blockdev-add dri"), [["driver="], "dri"]);
  // Without a driver, only the base members; with one, that branch's too.
  assert.ok(!complete("blockdev-add fi")[0].includes("file."));
  assert.deepEqual(complete("blockdev-add driver=qcow2 fi"), [["file="], "fi"]);
  assert.deepEqual(complete("blockdev-add driver=qcow2 file.driver=file file.file"), [["file.filename="], "file.file"]);
  assert.deepEqual(complete("send-key keys.0.ty"), [["keys.0.type="], "keys.0.ty"]);
  // A list of objects is typed by index: the member offers index 0, the list the next free one.
  assert.deepEqual(complete("send-key ke"), [["keys.0."], "ke"]);
  assert.deepEqual(complete("send-key keys.0.type=qcode keys.0.data=ctrl keys."), [["keys.1."], "keys."]);
  // Members of list elements are completed like any others.
  assert.deepEqual(complete("migrate-set-capabilities capabilities.0.capa"), [
    ["capabilities.0.capability="],
    "capabilities.0.capa",
  ]);
});

test("Tab completes enum values, union tags (branches) and bools", () => {
  assert.deepEqual(complete("blockdev-add driver=null-"), [["driver=null-aio", "driver=null-co"], "driver=null-"]);
  assert.deepEqual(complete("blockdev-add driver=qcow2 file.driver=fil"), [["file.driver=file"], "file.driver=fil"]);
  assert.deepEqual(complete("send-key keys.0.type=qcode keys.0.data=ctrl_"), [
    ["keys.0.data=ctrl_r"],
    "keys.0.data=ctrl_",
  ]);
  assert.deepEqual(complete("set_link name=n up="), [["up=false", "up=true"], "up="]);
  assert.deepEqual(complete("help query-statu"), [["query-status"], "query-statu"]);
  assert.deepEqual(complete("help blockdev-add driver=null-"), [["driver=null-aio", "driver=null-co"], "driver=null-"]);
  assert.deepEqual(complete("events SHUTDOW"), [["SHUTDOWN"], "SHUTDOW"]);
});

test("help names arguments, their types, and whether they are required", () => {
  const shell = { wire, validators, docs: () => undefined, docText: true, origin: "test", serverVersion: "7.2.22" };
  const { text, ok } = renderHelp(shell, ["qom-get"]);
  assert.equal(ok, true);
  assert.match(text, /^qom-get — command\n/);
  assert.match(text, /\n {4}path {6}str {2}\(required\)\n/);
  const branch = renderHelp(shell, ["blockdev-add", "driver=file"]).text;
  assert.match(branch, /driver .*\(required, union tag\)/);
  assert.match(branch, /\n {4}filename +str {2}\(required\)/);
  assert.match(renderHelp(shell, ["blockdev-add"]).text, /help … driver=VALUE, one of blkdebug, /);
  // Facts from the server's features.
  assert.match(renderHelp(shell, ["drive-backup"]).text, /^drive-backup — command, deprecated\n/);
  assert.match(renderHelp(shell, ["x-blockdev-change"]).text, /^x-blockdev-change — command, unstable\n/);
  assert.match(
    renderHelp(shell, ["blockdev-snapshot"]).text,
    /^blockdev-snapshot — command, features: allow-write-only-overlay\n/,
  );
  assert.deepEqual(renderHelp(shell, ["no-such"]), {
    text: "help: no command or event 'no-such' in the server's schema",
    ok: false,
  });
});
