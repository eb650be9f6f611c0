/**
 * The committed QMP version history against every recorded binary libvirt
 * has (.cache/libvirt-caps/): for each release-build recording of release V,
 * the history's V and the recording differ only by build conditions, in both
 * directions (every difference the diff finds is "not built into this
 * binary"). Development-build recordings are left out of the history; for
 * them the test checks that the history says so.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { diffSchemas } from "../../../core/diff.js";
import { historyAt } from "../../../core/history.js";
import { readHistory } from "../../../tools/history/files.js";
import { readRecordings } from "../../../tools/history/snapshots.js";
import { libvirtCapsDir } from "../../support/libvirt-caps.js";

const history = readHistory("qemu");
const recordings = readRecordings(libvirtCapsDir);

test("the recordings are there and most are release builds", () => {
  assert.ok(recordings.length >= 20, `only ${recordings.length} recordings in ${libvirtCapsDir}`);
  assert.ok(recordings.filter((r) => !r.skipped).length >= 20);
});

for (const { snapshot, skipped } of recordings) {
  const { release, label } = snapshot.info;
  if (skipped) {
    test(`${label}: left out of the history (${skipped})`, () => {
      assert.ok(!history.snapshots.some((s) => s.label === label));
    });
    continue;
  }
  test(`${label}: the history's ${release} and the recording differ only by build conditions`, () => {
    assert.ok(
      history.snapshots.some((s) => s.label === label),
      "the history lists it among its snapshots",
    );
    const view = historyAt(history, release);
    for (const [old, neu] of [
      [view, snapshot.wire],
      [snapshot.wire, view],
    ] as const) {
      const other = diffSchemas(old, neu).changes.filter((c) => c.kind !== "not-built");
      assert.deepEqual(
        other.map((c) => `${c.kind} ${c.path}: ${c.detail}`),
        [],
        `${old.label} → ${neu.label}`,
      );
    }
  });
}
