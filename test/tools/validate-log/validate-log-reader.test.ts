/**
 * `validate-log` on malformed and large logs: each malformed stretch (text
 * between messages, a string broken by a line end, a message cut off by the
 * next, a log that ends inside a message) is a finding at its line and the
 * messages after it are still checked; cutting is the same whatever the chunk
 * boundaries of the streamed file; replies in reverse order are matched by id
 * at any count (tools/validate-log/pending.ts; the speed is measured by
 * bench/validate-log.bench.ts, not here). On the kitchen-sink golden validators
 * and schema, in process and through the CLI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, test } from "node:test";
import { LogReader, readLogFile, splitLog, type LogEntry } from "../../../runtime/conversation-log.js";
import { checkConversation } from "../../../tools/validate-log/check.js";
import { validators } from "../../golden/kitchen-sink/wire.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const tmp = mkdtempSync(join(repoRoot, "build", "validate-log-reader-test-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

const findings = (texts: Iterable<LogEntry>) =>
  checkConversation(texts, validators, "strict", () => true).findings.map(
    (f) => `${f.message}@${f.line} ${f.path}: ${f.text}`,
  );

const malformed = [
  '{"execute": "get-count", "id": 1}', // 1
  "garbage that is not JSON", // 2
  '{"return": 5, "id": 1}', // 3
  '{"execute": "get-names", "id": "cut', // 4: the string runs past the line
  '{"execute": "make-widget", "arguments": {}, "id": 2}', // 5
  '{"execute": "get-count", "id": 3', // 6: never closed
  '{"return": "not a number", "id": 3}', // 7
  '\u00ff{"return": {"id": 1, "name": "w", "i": 3}, "id": 2}', // 8
  '{"event": "BOOM", "timestamp": {"seconds": 1, "microseconds": 2}}', // 9
  '{"execute": "get-count",', // 10: the log ends inside it
].join("\n");

test("each malformed stretch is a finding at its line, and checking goes on after it", () => {
  assert.deepEqual(findings(splitLog(malformed)), [
    "2@2 $: text outside any JSON message (skipped to the end of its line or the next '{' or '[')",
    "4@4 $: a string runs past the end of its line (the message is skipped)",
    "5@5 $.arguments.name: missing required member",
    "6@6 $: the message does not end before the next one starts on line 7 (the message is skipped)",
    "7@7 $: reply id 3 matches no pending command",
    "10@10 $: the log ends inside this message",
  ]);
});

test("the cut is the same for any chunking of the input", () => {
  const pretty = `${JSON.stringify({ return: { a: "x}{", b: ['"\\', 1] }, id: 7 }, null, 2)}\n\n{"c":\n 3}${malformed}\r\n`;
  const whole = splitLog(pretty);
  for (const size of [1, 2, 3, 7, 64]) {
    const reader = new LogReader();
    const pieces = [];
    for (let i = 0; i < pretty.length; i += size) pieces.push(...reader.push(pretty.slice(i, i + size)));
    pieces.push(...reader.end());
    assert.deepEqual(pieces, whole, `chunks of ${size}`);
  }
  assert.deepEqual(
    whole.slice(0, 2).map((t) => t.line),
    [1, 12],
  );
});

test("a message over the size limit is a finding, and the next message is read", () => {
  const reader = new LogReader(100);
  const texts = [...reader.push(`{"return": "${"x".repeat(300)}"}\n{"return": 1}\n`), ...reader.end()];
  assert.deepEqual(texts, [
    { line: 1, problem: "the message is longer than 100 characters (it is skipped)" },
    { line: 2, value: { return: 1 } },
  ]);
});

test("100 000 replies in reverse order are each matched to their command", () => {
  const n = 100_000;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`{"execute": "get-count", "id": ${i}}`);
  for (let i = n - 1; i >= 0; i--) lines.push(`{"return": ${i}, "id": ${i}}`);
  lines.push('{"return": 1, "id": 0}');
  const file = join(tmp, "reverse.jsonl");
  writeFileSync(file, lines.join("\n"));
  const report = checkConversation(readLogFile(file), validators, "strict", () => true);
  assert.equal(report.messages, 2 * n + 1);
  assert.deepEqual(
    report.findings.map((f) => `${f.line} ${f.text}`),
    [`${2 * n + 1} reply id 0 matches no pending command`],
  );
  assert.equal(report.unanswered, 0);
});

test("the CLI reports FILE:LINE for a malformed message and checks what follows", () => {
  const log = join(tmp, "malformed.jsonl");
  writeFileSync(log, malformed);
  const r = spawnSync(
    process.execPath,
    [
      join(repoRoot, "build/tools/cli/main.js"),
      "validate-log",
      "--schema",
      join(repoRoot, "schema/examples/kitchen-sink.json"),
      log,
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.stderr, "");
  assert.equal(r.status, 1);
  const out = r.stdout.split("\n");
  assert.ok(
    out.includes(
      `${log}:2: message 2: $: text outside any JSON message (skipped to the end of its line or the next '{' or '[')`,
    ),
    r.stdout,
  );
  assert.ok(out.includes(`${log}:5: message 5: $.arguments.name: missing required member`), r.stdout);
  assert.ok(out.includes(`${log}:10: message 10: $: the log ends inside this message`), r.stdout);
  assert.match(
    r.stdout,
    /: 10 messages \(0 greeting, 2 commands, 3 returns, 0 error replies, 1 events\); 6 violation\(s\)/,
  );
});

test("a log that is a device or a directory is a one-line error, not an endless read", () => {
  for (const [log, reason] of [
    ["/dev/zero", "not a regular file or a pipe"],
    [tmp, "it is a directory"],
  ] as const) {
    const r = spawnSync(
      process.execPath,
      [
        join(repoRoot, "build/tools/cli/main.js"),
        "validate-log",
        "--schema",
        join(repoRoot, "schema/examples/kitchen-sink.json"),
        log,
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(r.signal, null, `${log}: the CLI was killed: it read without end`);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `${log}: cannot read the log: ${reason}\n`);
  }
});

test("a finding quoting the log's own text stays on one line", () => {
  const log = join(tmp, "hostile.jsonl");
  writeFileSync(log, `${JSON.stringify({ execute: "evil\u001b[2J\nFORGED\u2028x", id: 1 })}\n`);
  const r = spawnSync(
    process.execPath,
    [
      join(repoRoot, "build/tools/cli/main.js"),
      "validate-log",
      "--schema",
      join(repoRoot, "schema/examples/kitchen-sink.json"),
      log,
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 1);
  assert.ok(
    r.stdout.includes(`${log}:1: message 1: $.execute: unknown command 'evil\\u001b[2J\\u000aFORGED\\u2028x'\n`),
    r.stdout,
  );
  assert.doesNotMatch(r.stdout, /\u001b|\u2028|^FORGED/m);
});
