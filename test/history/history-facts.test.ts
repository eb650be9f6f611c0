/**
 * Hand-checked facts of the committed QMP version history, each from where
 * it can be seen: the sources (.cache/qemu/), libvirt's recordings, or a
 * doc comment's Since:. Also: the range encoding round-trips, and historyAt
 * gives each release's view.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readHistory } from "../../generator/history/files.js";
import { lookUpVersions } from "../../generator/history/lookup.js";
import { decodeRanges, encodeRanges, historyAt, HistoryReader } from "../../core/history.js";

const history = readHistory("qemu");
const read = new HistoryReader(history);
const releasesOf = (name: string) => lookUpVersions(history, name).map((a) => `${a.what}: ${a.releases}`);

test("the history covers every x.y.0 from 4.2.0 and the pinned release, from sources and recordings", () => {
  assert.equal(history.releases[0], "4.2.0");
  assert.equal(history.releases.at(-1), "10.2.2");
  assert.equal(history.releases.length, 20);
  const sources = history.snapshots.filter((s) => s.kind === "source").map((s) => s.release);
  assert.deepEqual(sources.slice(0, 3), ["10.2.2", "10.0.0", "7.2.0"]);
  const recorded = new Set(history.snapshots.filter((s) => s.kind === "recording").map((s) => s.release));
  assert.deepEqual([...recorded].sort(), [
    "4.2.0",
    "5.0.0",
    "5.1.0",
    "5.2.0",
    "6.0.0",
    "6.1.0",
    "6.2.0",
    "7.0.0",
    "7.1.0",
    "7.2.0",
  ]);
});

test("ranges round-trip", () => {
  const set = decodeRanges(history.releases, "4.2.0-5.1.0,7.2.0,10.1.0-10.2.2");
  assert.deepEqual([...set], ["4.2.0", "5.0.0", "5.1.0", "7.2.0", "10.1.0", "10.2.0", "10.2.2"]);
  assert.equal(encodeRanges(history.releases, set), "4.2.0-5.1.0,7.2.0,10.1.0-10.2.2");
  assert.throws(() => decodeRanges(history.releases, "3.0.0"), /unknown release/);
});

test("commands: removed (seen only in recordings), added (Since: for releases without a snapshot), deprecated", () => {
  // query-cpus: in the 4.2–5.2 recordings, gone from 6.0's; no source of ours has it.
  assert.deepEqual(releasesOf("query-cpus"), ["command 'query-cpus': 4.2.0-5.2.0"]);
  assert.deepEqual(history.commands["query-cpus"]?.features, { deprecated: "5.0.0-5.2.0" });
  // query-accelerators: only 10.2.2 has it among the snapshots; its Since: 10.2 adds 10.2.0.
  assert.deepEqual(releasesOf("query-accelerators"), ["command 'query-accelerators': 10.2.0-10.2.2"]);
  assert.equal(history.commands["query-accelerators"]?.since, "10.2.0");
  // x-query-rdma: 6.2 to 7.2 seen; 10.0 lacks it; whether 8.0–9.2 had it no snapshot says.
  assert.equal(history.commands["x-query-rdma"]?.in, "6.2.0-7.2.0");
  assert.equal(history.commands["x-query-rdma"]?.maybe, "8.0.0-9.2.0");
});

test("members, enum values and branches, followed across renamed and masked types", () => {
  assert.deepEqual(releasesOf("StatusInfo.singlestep"), ["member 'singlestep' of type 'StatusInfo': 4.2.0-7.2.0"]);
  assert.deepEqual(releasesOf("MachineInfo.acpi"), ["member 'acpi' of type 'MachineInfo': 8.0.0-10.2.2"]);
  assert.deepEqual(releasesOf("BlockdevOptionsFile.aio-max-batch"), [
    "member 'aio-max-batch' of type 'BlockdevOptionsFile': 6.2.0-10.2.2",
  ]);
  assert.deepEqual(releasesOf("BlockdevDriver.compress"), ["value 'compress' of enum 'BlockdevDriver': 5.0.0-10.2.2"]);
  // QCryptoCipherAlgorithm (7.2) is QCryptoCipherAlgo (10.2): one history type.
  assert.equal(history.types["QCryptoCipherAlgorithm"], undefined);
  assert.ok(
    read.has(
      history.types["QCryptoCipherAlgo"]!.values!["aes-256"]!,
      "4.2.0",
      false,
      history.types["QCryptoCipherAlgo"],
    ),
  );
  assert.ok(
    !read.has(history.types["QCryptoCipherAlgo"]!.values!["sm4"]!, "7.2.0", false, history.types["QCryptoCipherAlgo"]),
  );
  assert.deepEqual(releasesOf("drive-backup.discard-source"), [
    "argument 'discard-source' of command 'drive-backup': 9.1.0-10.2.2",
  ]);
});

test("build conditions: from the nearest source, changing where a source shows it", () => {
  // RTC_CHANGE: target-conditional in 5.2's source, built for every target from 6.0 on.
  const rtc = history.events["RTC_CHANGE"]!;
  assert.match(read.condition(rtc, "5.2.0") ?? "", /TARGET_I386/);
  assert.equal(read.condition(rtc, "6.0.0"), undefined);
  assert.equal(read.condition(rtc, "10.2.2"), undefined);
  // Target-specific commands were conditional up to 10.0 and built everywhere since (one binary for all targets).
  const skeys = history.commands["dump-skeys"]!;
  assert.equal(read.condition(skeys, "6.0.0"), "TARGET_S390X");
  assert.equal(read.condition(skeys, "10.0.0"), "TARGET_S390X");
  assert.equal(read.condition(skeys, "10.2.2"), undefined);
});

test("historyAt: each release's view", () => {
  const v42 = historyAt(history, "4.2.0");
  const v72 = historyAt(history, "7.2.0");
  assert.ok(v42.commands.has("query-cpus") && !v72.commands.has("query-cpus"));
  assert.ok(!v72.commands.has("query-accelerators") && historyAt(history, "10.2.0").commands.has("query-accelerators"));
  const status = v72.types.get("StatusInfo");
  assert.ok(status?.meta === "object" && status.members.some((m) => m.name === "singlestep"));
  assert.throws(() => historyAt(history, "3.1.0"), /not covered/);
});

test("each program's history starts at its first release: the storage daemon came with 5.0", () => {
  assert.equal(readHistory("qsd").releases[0], "5.0.0");
  assert.equal(readHistory("qga").releases[0], "4.2.0");
  assert.ok(historyAt(readHistory("qga"), "4.2.0").commands.has("guest-ping"));
});

test("the runtime reads the same shipped history (qapi-ts/history)", async () => {
  const { shippedHistory } = await import("../../runtime/history.js");
  assert.deepEqual(shippedHistory("qemu"), history);
});
