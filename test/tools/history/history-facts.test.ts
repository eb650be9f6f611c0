/**
 * Hand-checked facts of the committed QMP version history, each from where
 * it can be seen: the sources (.cache/qemu/), libvirt's recordings, or a
 * doc comment's Since:. Also: the range encoding round-trips, and historyAt
 * gives each release's view.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { readHistory } from "../../../tools/history/files.js";
import { lookUpVersions } from "../../../tools/history/lookup.js";
import { decodeRanges, encodeRanges, historyAt, HistoryReader } from "../../../core/history.js";

const history = readHistory("qemu");
const read = new HistoryReader(history);
const releasesOf = (name: string) => lookUpVersions(history, name).map((a) => `${a.what}: ${a.releases}`);

test("the history covers every release with a source, each from its own source", () => {
  assert.equal(history.releases[0], "4.2.0");
  assert.equal(history.releases.at(-1), "10.2.2");
  assert.equal(history.releases.length, 64);
  for (const r of ["4.2.1", "7.2.15", "8.2.2", "10.0.0", "10.0.13"]) assert.ok(history.releases.includes(r), r);
  const sources = history.snapshots.filter((s) => s.kind === "source");
  assert.deepEqual(
    sources.slice(0, 3).map((s) => s.label),
    ["QEMU 10.2.2 qapi/qapi-schema.json", "QEMU 10.2.0 qapi/qapi-schema.json", "QEMU 10.1.0 qapi/qapi-schema.json"],
  );
  for (const s of sources) assert.equal(s.label, `QEMU ${s.release} qapi/qapi-schema.json`);
  // libvirt's recordings are listed (checked against their release), never a source of facts for it.
  assert.ok(history.snapshots.some((s) => s.kind === "recording" && s.release === "7.2.0"));
});

test("ranges round-trip", () => {
  const set = decodeRanges(history.releases, "4.2.0-5.0.1,7.2.15,10.1.0-10.2.2");
  assert.deepEqual([...set], ["4.2.0", "4.2.1", "5.0.0", "5.0.1", "7.2.15", "10.1.0", "10.2.0", "10.2.2"]);
  assert.equal(encodeRanges(history.releases, set), "4.2.0-5.0.1,7.2.15,10.1.0-10.2.2");
  assert.throws(() => decodeRanges(history.releases, "3.0.0"), /unknown release/);
});

test("commands: removed, added, deprecated, unstable — as each release's source has them", () => {
  assert.deepEqual(releasesOf("query-cpus"), ["command 'query-cpus': 4.2.0-5.2.0"]);
  assert.deepEqual(history.commands["query-cpus"]?.features, { deprecated: "5.0.0-5.2.0" });
  assert.deepEqual(releasesOf("query-accelerators"), ["command 'query-accelerators': 10.2.0-10.2.2"]);
  assert.equal(history.commands["query-accelerators"]?.since, "10.2.0");
  // x-query-rdma: 6.2 to the last 9.0 stable release; 9.1 dropped RDMA migration.
  assert.equal(history.commands["x-query-rdma"]?.in, "6.2.0-9.0.4");
  assert.equal(history.commands["x-query-rdma"]?.maybe, undefined);
});

test("stable releases are releases: 10.0.13 has blkdebug's delay-ns, 10.0.0 does not", () => {
  const members = (r: string) => {
    const t = historyAt(history, r).types.get("BlkdebugInjectErrorOptions");
    return t?.meta === "object" ? t.members.map((m) => m.name) : [];
  };
  assert.ok(members("10.0.13").includes("delay-ns"));
  assert.ok(!members("10.0.0").includes("delay-ns"));
});

test("members, enum values and branches, followed across renamed and masked types", () => {
  assert.deepEqual(releasesOf("StatusInfo.singlestep"), ["member 'singlestep' of type 'StatusInfo': 4.2.0-8.2.8"]);
  assert.deepEqual(releasesOf("MachineInfo.acpi"), ["member 'acpi' of type 'MachineInfo': 8.0.0-10.2.2"]);
  assert.deepEqual(releasesOf("BlockdevOptionsFile.aio-max-batch"), [
    "member 'aio-max-batch' of type 'BlockdevOptionsFile': 6.2.0-10.2.2",
  ]);
  assert.deepEqual(releasesOf("BlockdevDriver.compress"), ["value 'compress' of enum 'BlockdevDriver': 5.0.0-10.2.2"]);
  // QCryptoCipherAlgorithm (7.2) is QCryptoCipherAlgo (10.2): one history type, which knows its old name.
  assert.equal(history.types["QCryptoCipherAlgorithm"], undefined);
  assert.ok(read.set(history.types["QCryptoCipherAlgo"]!.as?.["QCryptoCipherAlgorithm"]).has("7.2.0"));
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
  // RTC_CHANGE: target-conditional up to 6.2 (6.1 dropped moxie), built for every target from 7.0 on.
  const rtc = history.events["RTC_CHANGE"]!;
  assert.match(read.condition(rtc, "5.2.0") ?? "", /TARGET_MOXIE/);
  assert.doesNotMatch(read.condition(rtc, "6.2.0") ?? "", /TARGET_MOXIE/);
  assert.equal(read.condition(rtc, "7.0.0"), undefined);
  assert.equal(read.condition(rtc, "10.2.2"), undefined);
  // Target-specific commands were conditional up to 10.0 and built everywhere since (one binary for all targets).
  const skeys = history.commands["dump-skeys"]!;
  assert.equal(read.condition(skeys, "6.0.0"), "TARGET_S390X");
  assert.equal(read.condition(skeys, "10.0.13"), "TARGET_S390X");
  assert.equal(read.condition(skeys, "10.1.0"), undefined);
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
  const { shippedHistory } = await import("../../../runtime/history.js");
  assert.deepEqual(shippedHistory("qemu"), history);
});

test("recordings add what a source cannot know: the conditions each recorded build was without", () => {
  const x86 = history.snapshots.find((s) => s.label.endsWith("caps_7.2.0.x86_64.replies"))!;
  assert.equal(x86.arch, "x86_64");
  assert.ok(x86.notBuilt?.includes("TARGET_S390X"), String(x86.notBuilt));
  assert.ok(!x86.notBuilt?.includes("TARGET_I386"), "an x86_64 build has the x86 target");
  const ppc = history.snapshots.find((s) => s.label.endsWith("caps_7.1.0.ppc64.replies"))!;
  assert.ok(ppc.notBuilt?.includes("TARGET_I386"));
  // Sources carry no such list: a source has every condition.
  assert.ok(history.snapshots.filter((s) => s.kind === "source").every((s) => s.notBuilt === undefined));
});
