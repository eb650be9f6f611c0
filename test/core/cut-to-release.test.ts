/**
 * The 10.2.2 SDK's wire view cut to QEMU 7.2 by the version history
 * (core/cut-to-release.ts), against real replies recorded from
 * Debian's QEMU 7.2 (test/fixtures/qmp/qemu-7.2-queries.jsonl): the full
 * 10.2.2 view rejects some (the false rejections), the cut view
 * accepts every one, and a tampered reply is still rejected.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadSchema } from "../../generator/load-schema.js";
import { readHistory } from "../../tools/history/files.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";
import { parseJson } from "../../runtime/json.js";
import { cutToRelease, placeServerRelease } from "../../core/cut-to-release.js";
import { releaseOfVersion } from "../../core/history.js";
import { checkWireValue } from "../support/wire-check.js";
import { qemuSourceDir, repoRoot } from "../../scripts/lib/qemu-sources.js";

const history = readHistory("qemu");
const sdk = wireFromModel(
  loadSchema(join(qemuSourceDir("10.2.2"), "qapi", "qapi-schema.json"), { docLint: false }),
  "10.2.2",
  "10.2.2",
);

/** The recorded conversation: greeting, then each command with its reply (by id). */
const messages = readFileSync(join(repoRoot, "test", "fixtures", "qmp", "qemu-7.2-queries.jsonl"), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => parseJson(l) as Record<string, unknown>);
const greeting = messages[0]!["QMP"] as { version: { qemu: { major: number; minor: number; micro: number } } };
const asked = new Map<unknown, string>();
const replies: { command: string; value: unknown }[] = [];
for (const m of messages) {
  if (typeof m["execute"] === "string" && m["id"] !== undefined) asked.set(m["id"], m["execute"]);
  else if ("return" in m && asked.has(m["id"]) && asked.get(m["id"]) !== "query-qmp-schema")
    replies.push({ command: asked.get(m["id"])!, value: m["return"] });
}

const errorsAgainst = (wire: typeof sdk, command: string, value: unknown) => {
  const c = wire.commands.get(command);
  return c ? checkWireValue(wire, c.retType, value, command) : [`${command}: no such command`];
};

test("the greeting's 7.2.22 counts as 7.2.15, the newest listed 7.2 release at or below it, and says so", () => {
  assert.equal(releaseOfVersion(history, greeting.version.qemu), "7.2.15");
  assert.equal(releaseOfVersion(history, { major: 7, minor: 2, micro: 3 }), "7.2.3", "a listed stable release");
  assert.equal(releaseOfVersion(history, { major: 10, minor: 0, micro: 5 }), "10.0.0", "between 10.0.0 and 10.0.13");
  assert.deepEqual(placeServerRelease(history, greeting.version.qemu), {
    release: "7.2.15",
    relation: "older",
    diagnostic:
      "QEMU 7.2.22 is not a release the qemu SDK's history lists: checked as 7.2.15, the newest listed release of 7.2 at or below it",
  });
  assert.equal(placeServerRelease(history, { major: 7, minor: 2, micro: 15 }).diagnostic, undefined);
  assert.equal(releaseOfVersion(history, { major: 7, minor: 2, micro: 50 }), undefined, "a development build");
  assert.equal(releaseOfVersion(history, { major: 11, minor: 1, micro: 0 }), undefined, "newer than the history");
});

test("the uncut 10.2.2 view rejects real 7.2 replies (what the cut is for)", () => {
  assert.ok(replies.length >= 40, `only ${replies.length} replies recorded`);
  const rejected = replies.filter((r) => errorsAgainst(sdk, r.command, r.value).length > 0).map((r) => r.command);
  assert.ok(rejected.includes("query-status"), `rejected: ${rejected.join(", ")}`);
  assert.ok(rejected.includes("query-machines"), `rejected: ${rejected.join(", ")}`);
});

test("cut to 7.2, the 10.2.2 view accepts every recorded 7.2 reply", () => {
  const cut = cutToRelease(sdk, history, releaseOfVersion(history, greeting.version.qemu));
  assert.equal(cut.covered, true);
  const errors = replies.flatMap((r) => errorsAgainst(cut.wire, r.command, r.value));
  assert.deepEqual(errors, []);
  // 7.2 lacks query-accelerators; StatusInfo has 7.2's singlestep again.
  assert.equal(cut.wire.commands.has("query-accelerators"), false);
  const status = cut.wire.types.get("StatusInfo");
  assert.ok(status?.meta === "object" && status.members.some((m) => m.name === "singlestep"));
});

test("cut to 7.2, a tampered reply is still rejected", () => {
  const cut = cutToRelease(sdk, history, "7.2.0");
  const status = replies.find((r) => r.command === "query-status")!.value as Record<string, unknown>;
  assert.deepEqual(errorsAgainst(cut.wire, "query-status", status), []);
  assert.deepEqual(errorsAgainst(cut.wire, "query-status", { ...status, running: "yes" }), [
    "query-status.running: expected boolean",
  ]);
  assert.deepEqual(errorsAgainst(cut.wire, "query-status", { ...status, status: "napping" }), [
    'query-status.status: "napping" is not a value of RunState',
  ]);
  assert.deepEqual(errorsAgainst(cut.wire, "query-status", { ...status, bogus: 1 }), [
    "query-status.bogus: unknown member",
  ]);
  const { running: _running, ...withoutRunning } = status;
  assert.deepEqual(errorsAgainst(cut.wire, "query-status", withoutRunning), [
    "query-status.running: missing required member",
  ]);
});

test("a release the history does not cover leaves the SDK's view as it is, marked uncovered", () => {
  const cut = cutToRelease(sdk, history, undefined);
  assert.equal(cut.covered, false);
  assert.equal(cut.wire, sdk);
});

test("what the SDK has and the history never saw is kept and listed as unknown", () => {
  const extra = {
    ...sdk,
    commands: new Map([
      ...sdk.commands,
      ["x-made-up", { name: "x-made-up", features: [], argType: "q_empty", retType: "q_empty", allowOob: false }],
    ]),
  };
  const cut = cutToRelease(extra, history, "7.2.0");
  assert.ok(cut.wire.commands.has("x-made-up"));
  assert.deepEqual(
    cut.unknown.filter((u) => u.kind === "command"),
    [{ kind: "command", name: "x-made-up" }],
  );
});

test("placing a server against the history: one diagnostic line when the SDK cannot vouch for it", () => {
  assert.deepEqual(placeServerRelease(history, { major: 7, minor: 2, micro: 0 }), {
    release: "7.2.0",
    relation: "older",
  });
  assert.deepEqual(placeServerRelease(history, { major: 10, minor: 2, micro: 2 }), {
    release: "10.2.2",
    relation: "same",
  });
  const newer = placeServerRelease(history, { major: 11, minor: 1, micro: 3 });
  assert.equal(newer.relation, "newer");
  assert.equal(
    newer.diagnostic,
    "QEMU 11.1.3 is newer than the qemu SDK (10.2.2): what it added is unknown to the SDK and reported as notices",
  );
  assert.equal(placeServerRelease(history, { major: 7, minor: 2, micro: 50 }).relation, "development");
  assert.equal(placeServerRelease(history, { major: 3, minor: 1, micro: 0 }).relation, "uncovered");
  // A stable release counts as the newest listed release of its line at or before it.
  assert.deepEqual(placeServerRelease(history, { major: 10, minor: 2, micro: 5 }), {
    release: "10.2.2",
    relation: "same",
  });
  assert.deepEqual(placeServerRelease(history, { major: 10, minor: 2, micro: 1 }), {
    release: "10.2.0",
    relation: "older",
    diagnostic:
      "QEMU 10.2.1 is not a release the qemu SDK's history lists: checked as 10.2.0, the newest listed release of 10.2 at or below it",
  });
});
