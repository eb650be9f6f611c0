/**
 * The schema diff against facts checked by hand in QEMU's schemas (7.2.0 and
 * 10.2.2 sources, and the introspection recorded from Debian's 7.2 binaries).
 * Each fact names the schema lines that show it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { diffSchemas, type SchemaChange } from "../../core/diff.js";
import { failsOn, formatDiff, summarize } from "../../tools/diff/format.js";
import { wireFromIntrospection } from "../../core/introspection-file.js";
import { readIntrospectionFile } from "../../tools/introspection/read-file.js";
import { loadSide } from "../../tools/diff/load-side.js";
import type { WireSchema } from "../../core/schema.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const fixtures = join(repoRoot, "test", "fixtures", "introspection");
const schemaOf = (version: string) => join(repoRoot, ".cache", "qemu", version, "qapi", "qapi-schema.json");
const introspected = (file: string): WireSchema =>
  wireFromIntrospection(readIntrospectionFile(join(fixtures, file)), file);

let cached: Map<string, WireSchema> | undefined;
function source(version: string): WireSchema {
  cached ??= new Map();
  let schema = cached.get(version);
  if (!schema) cached.set(version, (schema = loadSide(schemaOf(version))));
  return schema;
}

type Fact = Pick<SchemaChange, "kind" | "path" | "name"> & Partial<Pick<SchemaChange, "forward" | "backward">>;

/** Facts that hold for both the 7.2.0 source and the 7.2 x86_64 binary as OLD, 10.2.2 source as NEW. */
const facts: [why: string, fact: Fact][] = [
  [
    "7.2 machine.json defines x-query-profile; 10.2.2 has none",
    {
      kind: "command-removed",
      path: "command 'x-query-profile'",
      name: "x-query-profile",
      forward: "breaking",
      backward: "safe",
    },
  ],
  [
    "10.2.2 accelerator.json adds query-accelerators",
    {
      kind: "command-added",
      path: "command 'query-accelerators'",
      name: "query-accelerators",
      forward: "safe",
      backward: "breaking",
    },
  ],
  [
    "10.2.2 block-core.json adds blockdev-set-active",
    { kind: "command-added", path: "command 'blockdev-set-active'", name: "blockdev-set-active" },
  ],
  [
    "7.2 machine.json has event MEM_UNPLUG_ERROR; 10.2.2 does not",
    { kind: "event-removed", path: "event 'MEM_UNPLUG_ERROR'", name: "MEM_UNPLUG_ERROR", forward: "safe" },
  ],
  [
    "10.2.2 vfio.json adds event VFIO_MIGRATION",
    { kind: "event-added", path: "event 'VFIO_MIGRATION'", name: "VFIO_MIGRATION" },
  ],
  [
    "7.2 StatusInfo has required 'singlestep'; 10.2.2 dropped it",
    {
      kind: "member-removed",
      path: "command 'query-status' return.singlestep",
      name: "singlestep",
      forward: "breaking",
      backward: "safe",
    },
  ],
  [
    "10.2.2 DriveBackup (via BackupCommon) has '*discard-source'",
    {
      kind: "member-added",
      path: "command 'drive-backup' arguments.discard-source",
      name: "discard-source",
      forward: "safe",
      backward: "breaking",
    },
  ],
  [
    "10.2.2 BlockDeviceStats adds required 'zone_append_bytes' (a reply: safe for old clients)",
    {
      kind: "member-added",
      path: "command 'query-blockstats' return[].stats.zone_append_bytes",
      name: "zone_append_bytes",
      forward: "safe",
      backward: "breaking",
    },
  ],
  [
    "10.2.2 block-job-pause has 'features': ['deprecated']",
    { kind: "feature-added", path: "command 'block-job-pause'", name: "deprecated", forward: "safe", backward: "safe" },
  ],
  [
    "10.2.2 BlockdevDriver value 'gluster' has feature deprecated",
    { kind: "feature-added", path: "command 'query-blockstats' return[].driver-specific.driver", name: "deprecated" },
  ],
  [
    "10.2.2 QCryptoCipherAlgo (7.2: QCryptoCipherAlgorithm, renamed) adds 'sm4'",
    {
      kind: "enum-value-added",
      path: "command 'query-block' return[].inserted.image.format-specific{type=qcow2}.data.encrypt{format=luks}.cipher-alg",
      name: "sm4",
    },
  ],
  [
    "7.2 BlockJobInfo 'type' is 'str'; 10.2.2 it is the JobType enum",
    {
      kind: "type-changed",
      path: "command 'query-block-jobs' return[].type",
      name: "command 'query-block-jobs' return[].type",
      forward: "safe",
      backward: "breaking",
    },
  ],
  [
    "7.2 SGXInfo has required 'section-size'; 10.2.2 SgxInfo does not",
    {
      kind: "member-removed",
      path: "command 'query-sgx' return.section-size",
      name: "section-size",
      forward: "breaking",
    },
  ],
];

function assertFacts(changes: readonly SchemaChange[]): void {
  for (const [why, fact] of facts) {
    const found = changes.find((c) => c.kind === fact.kind && c.path === fact.path && c.name === fact.name);
    assert.ok(found, `missing: ${why} (${JSON.stringify(fact)})`);
    if (fact.forward) assert.equal(found.forward, fact.forward, `forward verdict: ${why}`);
    if (fact.backward) assert.equal(found.backward, fact.backward, `backward verdict: ${why}`);
  }
}

test("7.2 binary (introspection) → 10.2.2 source: hand-checked changes, verdicts and renamed types", () => {
  const diff = diffSchemas(introspected("qemu-system-x86_64-7.2.json"), source("10.2.2"));
  assertFacts(diff.changes);
  // The renamed enum is found at its place of use and named by its new name.
  const sm4 = diff.changes.find((c) => c.name === "sm4");
  assert.equal(sm4?.type, "QCryptoCipherAlgo");
  assert.equal(failsOn(diff, "breaking"), true);
  assert.ok(summarize(diff).deprecations >= 2);
});

test("7.2.0 source → 10.2.2 source: the same facts, plus conditions only sources know", () => {
  const diff = diffSchemas(source("7.2.0"), source("10.2.2"));
  assertFacts(diff.changes);
  // 7.2 misc-target.json: query-sgx 'if': 'TARGET_I386'; 10.2.2 misc-i386.json: no condition.
  const sgx = diff.changes.find((c) => c.kind === "condition-removed" && c.path === "command 'query-sgx'");
  assert.ok(sgx, "query-sgx lost its TARGET_I386 condition");
  // 7.2 crypto.json: 'enum': 'QCryptoCipherAlgorithm'; 10.2.2: 'enum': 'QCryptoCipherAlgo', same place of use.
  const renamed = diff.changes.find((c) => c.kind === "type-renamed" && c.name === "QCryptoCipherAlgo");
  assert.equal(renamed?.detail, "type QCryptoCipherAlgorithm is now called QCryptoCipherAlgo");
  // 10.2.2 accelerator.json defines AcceleratorInfo for query-accelerators.
  assert.ok(diff.changes.some((c) => c.kind === "type-added" && c.name === "AcceleratorInfo"));
});

test("a schema diffed against itself is empty", () => {
  const diff = diffSchemas(source("10.2.2"), source("10.2.2"));
  assert.deepEqual(diff.changes, []);
  assert.equal(failsOn(diff, "any"), false);
  const qsd = introspected("qemu-storage-daemon-7.2.json");
  assert.deepEqual(diffSchemas(qsd, qsd).changes, []);
});

/** Every change must be a removal of something the source makes conditional. */
function assertOnlyConditionalRemovals(src: WireSchema, changes: readonly SchemaChange[]): void {
  for (const change of changes) {
    // What a binary lacks because of an `if` is a build choice, safe both ways, never a removal.
    assert.equal(change.kind, "not-built", `unexpected ${change.kind}: ${change.path}: ${change.detail}`);
    assert.equal(change.forward, "safe");
    assert.equal(change.backward, "safe");
    const type = change.type === undefined ? undefined : src.types.get(change.type);
    let condition: string | undefined;
    if (change.path === `command '${change.name}'`) condition = src.commands.get(change.name)?.if;
    else if (change.path === `event '${change.name}'`) condition = src.events.get(change.name)?.if;
    else if (type?.meta === "enum") condition = type.values.find((v) => v.name === change.name)?.if;
    else if (type?.meta === "object" && change.detail.startsWith("union branch"))
      condition = type.variants.find((v) => v.case === change.name)?.if;
    else if (type?.meta === "object") condition = type.members.find((m) => m.name === change.name)?.if;
    assert.ok(condition, `${change.path}: ${change.detail} has no 'if' in the source`);
    assert.ok(change.detail.includes(`built only if ${condition}`), change.detail);
  }
}

test("source vs introspection of the same version reports only what the build left out", () => {
  const src = source("7.2.0");
  const diff = diffSchemas(src, introspected("qemu-system-x86_64-7.2.json"));
  assert.ok(diff.changes.length > 0, "a Linux x86_64 build leaves out other targets' commands");
  assertOnlyConditionalRemovals(src, diff.changes);
  // 7.2 misc-target.json: rtc-reset-reinjection is 'if': 'TARGET_I386', so an x86 build keeps it...
  assert.ok(!diff.changes.some((c) => c.name === "rtc-reset-reinjection"));
  // ...while query-gic-capabilities is 'if': 'TARGET_ARM' and is left out.
  assert.ok(diff.changes.some((c) => c.kind === "not-built" && c.name === "query-gic-capabilities"));
});

test("the same for the storage daemon: its source schema vs the Debian binary", () => {
  const src = loadSide(join(repoRoot, ".cache", "qemu", "7.2.0", "storage-daemon", "qapi", "qapi-schema.json"));
  const diff = diffSchemas(src, introspected("qemu-storage-daemon-7.2.json"));
  assertOnlyConditionalRemovals(src, diff.changes);
  // Debian's 7.2 is built without libblkio: block-core.json's 'io_uring' driver is 'if': 'CONFIG_BLKIO'.
  assert.ok(
    diff.changes.some(
      (c) => c.kind === "not-built" && c.path === "command 'blockdev-add' arguments" && c.name === "io_uring",
    ),
  );
});

test("output formats: text lines, Markdown table, JSON with a summary", () => {
  const diff = diffSchemas(introspected("qemu-storage-daemon-7.2.json"), introspected("qemu-system-x86_64-7.2.json"));
  const text = formatDiff(diff, "text");
  assert.match(text, /^safe\/BREAKING +command 'query-status': added$/m);
  const markdown = formatDiff(diff, "markdown");
  assert.match(markdown, /^\| Old client → new server \| New client → old server \| Where \| Change \|$/m);
  const json = JSON.parse(formatDiff(diff, "json")) as { summary: { total: number }; changes: unknown[] };
  assert.equal(json.summary.total, json.changes.length);
});
