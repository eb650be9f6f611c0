/**
 * Validators against real QEMU data: starts Debian's qemu-system-x86_64 (7.2),
 * runs every `query-*` command that needs no arguments (validators-session.ts),
 * and checks each reply with the validators generated from QEMU's 7.2.0 schema
 * (committed golden test/golden/qemu-7.2, compiled with the tests): zero
 * rejections in strict mode, and targeted mutations rejected with the exact
 * path. Then `qapi-ts validate-log` must accept the recorded conversation and
 * reject a tampered copy, and a storage daemon conversation must pass against
 * the 7.2.0 storage-daemon schema. RECORD_FIXTURES=1 refreshes
 * test/fixtures/qmp/qemu-7.2-queries.jsonl and qsd-7.2-queries.jsonl.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { parseJson } from "../runtime/json.js";
import type { ValidationResult } from "../runtime/sdk.js";
import { validators } from "./golden/qemu-7.2/wire.js";
import { qemuSourceDir, repoRoot } from "../scripts/lib/qemu-sources.js";
import { type WireMessage, recordQuerySession, toJsonLines } from "./validators-session.js";

let log: WireMessage[] = [];
/** Successful replies by command name. */
const replies = new Map<string, unknown>();
let errorReplies = 0;
const tmp = mkdtempSync(join(repoRoot, "build", "validators-real-"));

before(async () => {
  log = await recordQuerySession();
  const byId = new Map<string, string>();
  for (const m of log) {
    const msg = parseJson(m.text) as Record<string, unknown>;
    if (m.dir === "out" && msg["id"] !== undefined) byId.set(JSON.stringify(msg["id"]), msg["execute"] as string);
    if (m.dir === "in" && msg["id"] !== undefined) {
      const command = byId.get(JSON.stringify(msg["id"]))!;
      if ("return" in msg) replies.set(command, msg["return"]);
      else errorReplies++;
    }
  }
  if (process.env["RECORD_FIXTURES"] === "1")
    writeFileSync(join(repoRoot, "test/fixtures/qmp/qemu-7.2-queries.jsonl"), toJsonLines(log));
});

after(() => rmSync(tmp, { recursive: true, force: true }));

function errors(r: ValidationResult | undefined): string[] {
  assert.ok(r, "the command is in the 7.2.0 schema");
  return r.errors.map((e) => `${e.path}: ${e.message}`);
}

test("the session ran many queries, including the big ones", () => {
  assert.ok(replies.size >= 40, `only ${replies.size} successful replies`);
  for (const name of [
    "query-qmp-schema",
    "query-status",
    "query-version",
    "query-block",
    "query-cpus-fast",
    "query-machines",
  ]) {
    assert.ok(replies.has(name), `no reply to ${name}`);
  }
});

test("every real reply passes strict validation (zero false rejections)", () => {
  const rejected: string[] = [];
  for (const [name, value] of replies) {
    for (const e of errors(validators.commandReturn(name, value, "strict"))) rejected.push(`${name}: ${e}`);
  }
  assert.deepEqual(rejected, []);
});

/** A deep copy (bigint-safe) of a recorded reply, for mutating. */
function copy<T>(name: string): T {
  return structuredClone(replies.get(name)) as T;
}

type Json = Record<string, any>;
const mutations: [string, string, (v: any) => void, string[]][] = [
  [
    "query-status",
    "wrong member type",
    (v: Json) => (v["running"] = 42),
    ["$.return.running: expected boolean, got 42"],
  ],
  [
    "query-status",
    "unknown enum value",
    (v: Json) => (v["status"] = "flying"),
    ['$.return.status: unknown value "flying" of enum RunState'],
  ],
  ["query-version", "unknown member", (v: Json) => (v["qemu"]["extra"] = 1), ["$.return.qemu.extra: unknown member"]],
  [
    "query-version",
    "int out of range",
    (v: Json) => (v["qemu"]["major"] = 2n ** 64n),
    ["$.return.qemu.major: expected int (64-bit integer), got 18446744073709551616"],
  ],
  [
    "query-qmp-schema",
    "missing member deep in a union branch",
    (v: Json[]) => delete v.find((e) => e["meta-type"] === "command")!["ret-type"],
    [], // path depends on the position: checked below
  ],
  [
    "query-block",
    "nested member type",
    (v: Json[]) => (v[0]!["inserted"]["node-name"] = 7),
    ['$.return[0].inserted["node-name"]: expected string, got 7'],
  ],
  [
    "query-cpus-fast",
    "union discriminator",
    (v: Json[]) => (v[0]!["target"] = "pdp11"),
    ['$.return[0].target: unknown value "pdp11" of enum SysEmuTarget'],
  ],
  [
    "query-machines",
    "array instead of object",
    (v: Json[]) => (v[1] = [v[1]]),
    ["$.return[1]: expected object, got an array"],
  ],
];

for (const [command, what, mutate, want] of mutations) {
  test(`mutated ${command} reply is rejected: ${what}`, () => {
    const value = copy<any>(command);
    mutate(value);
    let expected = want;
    if (command === "query-qmp-schema") {
      const i = (value as Json[]).findIndex((e) => e["meta-type"] === "command" && !("ret-type" in e));
      expected = [`$.return[${i}]["ret-type"]: missing required member`];
    }
    assert.deepEqual(errors(validators.commandReturn(command, value, "strict")), expected);
  });
}

test("lenient mode lets unknown members and enum values through as notices", () => {
  const value = copy<Json>("query-status");
  value["status"] = "flying";
  value["extra"] = true;
  const r = validators.commandReturn("query-status", value, "lenient")!;
  assert.deepEqual(r.errors, []);
  assert.deepEqual(
    r.notices.map((n) => `${n.path}: ${n.message}`),
    ['$.return.status: unknown value "flying" of enum RunState', "$.return.extra: unknown member"],
  );
});

function validateLog(
  file: string,
  schemaPath = "qapi/qapi-schema.json",
): { status: number | null; stdout: string; stderr: string } {
  const schema = join(qemuSourceDir("7.2.0"), schemaPath);
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, "build/tools/cli/main.js"), "validate-log", "--schema", schema, file],
    { encoding: "utf8" },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("validate-log accepts the recorded conversation", () => {
  const file = join(tmp, "session.jsonl");
  writeFileSync(file, toJsonLines(log));
  const r = validateLog(file);
  assert.equal(r.stderr, "");
  assert.match(r.stdout, / 0 violation\(s\)/);
  assert.match(r.stdout, new RegExp(`${errorReplies} error replies`));
  assert.equal(r.status, 0);
});

test("validate-log rejects a tampered conversation with the path", () => {
  const file = join(tmp, "tampered.jsonl");
  const text = toJsonLines(log).replace(/"running": ?(true|false)/, '"running": "yes"');
  writeFileSync(file, text);
  const r = validateLog(file);
  assert.match(r.stdout, /\$\.return\.running: expected boolean, got "yes"/);
  assert.match(r.stdout, / 1 violation\(s\)/);
  assert.equal(r.status, 1);
});

test("validate-log accepts a storage daemon conversation against the 7.2.0 storage-daemon schema", async () => {
  const qsd = await recordQuerySession("qemu-storage-daemon");
  const file = join(tmp, "qsd.jsonl");
  writeFileSync(file, toJsonLines(qsd));
  if (process.env["RECORD_FIXTURES"] === "1")
    writeFileSync(join(repoRoot, "test/fixtures/qmp/qsd-7.2-queries.jsonl"), toJsonLines(qsd));
  const r = validateLog(file, "storage-daemon/qapi/qapi-schema.json");
  assert.equal(r.stderr, "");
  assert.match(r.stdout, / [1-9]\d* returns, .* 0 violation\(s\), 0 notice\(s\)/);
  assert.equal(r.status, 0);
});
