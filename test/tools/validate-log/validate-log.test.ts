/**
 * `qapi-ts validate-log`: message classification, reply matching by id and by
 * order, the checks per message kind (on the kitchen-sink golden validators),
 * line numbers in pretty-printed logs, and the command line's exit status and
 * error messages (with the committed QEMU 7.2 fixture and 7.2.0 schema).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { splitLog } from "../../../runtime/conversation-log.js";
import { checkConversation } from "../../../tools/validate-log/check.js";
import { validators } from "../../golden/kitchen-sink/wire.js";
import { qemuSourceDir, repoRoot } from "../../../scripts/lib/qemu-sources.js";

const tmp = mkdtempSync(join(repoRoot, "build", "validate-log-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function check(log: string) {
  const report = checkConversation(splitLog(log), validators, "strict", (c) => c !== "fire-and-forget");
  return { ...report, findings: report.findings.map((f) => `${f.message}@${f.line} ${f.path}: ${f.text}`) };
}

const greeting =
  '{"QMP": {"version": {"qemu": {"micro": 0, "minor": 0, "major": 1}, "package": ""}, "capabilities": []}}';

test("a pretty-printed conversation with ids, out-of-order replies and an event", () => {
  const log = [
    greeting,
    '{"execute": "make-widget", "arguments": {"name": "w"}, "id": 1}',
    '{"execute": "get-names", "id": "two"}',
    JSON.stringify({ return: ["a", "b"], id: "two" }, null, 2),
    '{"return": {"id": 1, "name": "w", "i": 3}, "id": 1}',
    '{"event": "BOOM", "timestamp": {"seconds": 1, "microseconds": 2}}',
  ].join("\n");
  const r = check(log);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.counts, { greetings: 1, commands: 2, replies: 2, errors: 0, events: 1 });
  assert.equal(r.unanswered, 0);
});

test("replies without ids are matched in order; fire-and-forget commands expect none", () => {
  const log = [
    '{"execute": "fire-and-forget", "arguments": {"what": "x"}}',
    '{"execute": "get-count"}',
    '{"execute": "get-names"}',
    '{"return": 5}',
    '{"return": ["x", 1]}',
  ].join("\n");
  assert.deepEqual(check(log).findings, ["5@5 $.return[1]: expected string, got 1"]);
});

test("each kind of violation is reported with message number, line and path", () => {
  const log = [
    '{"execute": "make-widget", "arguments": {}, "id": 1}',
    '{"execute": "nope", "id": 2}',
    '{"error": {"class": "CommandNotFound", "desc": "no command nope here"}, "id": 2}',
    '{"return": {}, "id": 99}',
    '{"event": "WIDGET_CHANGED", "data": {"name": 1}, "timestamp": {"seconds": 1, "microseconds": 2}}',
    '{"event": "NO_SUCH", "timestamp": {"seconds": 1, "microseconds": 2}}',
    '{"hello": 1}',
  ].join("\n");
  const r = check(log);
  assert.deepEqual(r.findings, [
    "1@1 $.arguments.name: missing required member",
    "2@2 $.execute: unknown command 'nope'",
    "4@4 $: reply id 99 matches no pending command",
    "5@5 $.data.name: expected string, got 1",
    '6@6 $.event: unknown event "NO_SUCH"',
    "7@7 $: not a QMP message (keys: hello)",
  ]);
  assert.equal(r.unanswered, 1);
});

test("line numbers follow pretty-printed messages", () => {
  const texts = splitLog('{\n  "a": 1\n}\n\n{"b": "}\\n{"}\n  {"c":\n3}');
  assert.deepEqual(
    texts.map((t) => t.line),
    [1, 5, 6],
  );
});

test("the guest agent's 0xFF delimiter before a reply is skipped", () => {
  assert.deepEqual(
    splitLog('{"execute": "guest-sync-delimited", "arguments": {"id": 1}}\n\u00ff{"return": 1}\n').map((t) => t.line),
    [1, 2],
  );
});

test("lenient mode reports unknown members as notices, not violations", () => {
  const texts = splitLog('{"execute": "ping", "arguments": {"x": 1}}\n{"return": {}}\n');
  const report = checkConversation(texts, validators, "lenient", () => true);
  assert.deepEqual(
    report.findings.map((f) => [f.path, f.text, f.notice]),
    [["$.arguments.x", "unknown member", true]],
  );
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "build/tools/cli/main.js"), "validate-log", ...args], {
    encoding: "utf8",
  });
}

test("the recorded QEMU 7.2 fixture passes against the 7.2.0 schema", () => {
  const r = cli(
    "--schema",
    join(qemuSourceDir("7.2.0"), "qapi/qapi-schema.json"),
    join(repoRoot, "test/fixtures/qmp/qemu-7.2-queries.jsonl"),
  );
  assert.equal(r.stderr, "");
  assert.match(r.stdout, /qemu-7\.2-queries\.jsonl: \d+ messages .* 0 violation\(s\), 0 notice\(s\)\n$/);
  assert.equal(r.status, 0);
});

test("a missing schema is a clear error without a stack trace", () => {
  const log = join(tmp, "empty.jsonl");
  writeFileSync(log, "");
  const r = cli("--schema", join(tmp, "no-such-schema.json"), log);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no-such-schema\.json/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test("an unreadable log is a clear error", () => {
  const r = cli("--schema", join(repoRoot, "schema/examples/kitchen-sink.json"), join(tmp, "missing.jsonl"));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /missing\.jsonl: cannot read the log/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test("a violation makes the exit status 1", () => {
  const log = join(tmp, "bad.jsonl");
  writeFileSync(log, '{"execute": "ping", "arguments": {"x": 1}}\n{"return": {}}\n');
  const r = cli("--schema", join(repoRoot, "schema/examples/kitchen-sink.json"), log);
  assert.match(r.stdout, /bad\.jsonl:1: message 1: \$\.arguments\.x: unknown member/);
  assert.equal(r.status, 1);
});
