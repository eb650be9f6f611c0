/**
 * Validation that follows the server (runtime/follow-server.ts), without
 * starting QEMU: the conversations recorded from Debian's QEMU 7.2 and
 * qemu-storage-daemon 7.2 (test/fixtures/qmp/) replayed to the committed
 * 10.2.2 SDKs in strict mode, tampered copies of them, and the mock with a
 * greeting that names other releases (newer, development, older, the SDK's
 * own) for the connect-time diagnostics. The real-QEMU counterpart is
 * follow-server-real.qemu.test.ts.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { sdk } from "../../generated/qemu/index.js";
import { sdk as qsdSdk } from "../../generated/qsd/index.js";
import { sdk as qgaSdk } from "../../generated/qga/index.js";
import { sdk as sdk72 } from "../golden/qemu-7.2/index.js";
import { FakePeer } from "./fake-peer.js";
import { connectWith, type QmpDiagnostic, type SdkDescriptor, ValidationError } from "../../runtime/index.js";
import { followServer } from "../../runtime/follow-server.js";
import {
  classifyMessage,
  createDuplexPair,
  createMockQemu,
  parseLog,
  replayMockQemu,
  type JsonObject,
} from "../../runtime/mock/index.js";
import { repoRoot } from "../../scripts/lib/qemu-sources.js";

const fixture = (name: string) => readFileSync(join(repoRoot, "test", "fixtures", "qmp", name), "utf8");
const qemuLog = fixture("qemu-7.2-queries.jsonl");
const qsdLog = fixture("qsd-7.2-queries.jsonl");

interface Outcome {
  accepted: string[];
  errorReplies: string[];
  rejected: string[];
  diagnostics: QmpDiagnostic[];
}

/** Replays `log` to `descriptor` in strict mode and runs every recorded command once. */
async function replayAll(
  descriptor: SdkDescriptor,
  log: string | JsonObject[],
  validateAgainst?: "server" | "sdk",
): Promise<Outcome> {
  const replay = replayMockQemu(log);
  const [clientSide, serverSide] = createDuplexPair();
  replay.attach(serverSide);
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectWith(descriptor, {
    stream: clientSide,
    validate: "strict",
    onDiagnostic: (d) => diagnostics.push(d),
    ...(validateAgainst ? { validateAgainst } : {}),
  });
  const out: Outcome = { accepted: [], errorReplies: [], rejected: [], diagnostics };
  for (const message of typeof log === "string" ? parseLog(log) : log) {
    if (classifyMessage(message).kind !== "command" || message["execute"] === "qmp_capabilities") continue;
    const name = message["execute"] as string;
    try {
      await client.executeWith(name as never, message["arguments"] as never);
      out.accepted.push(name);
    } catch (error) {
      if (error instanceof ValidationError) out.rejected.push(`${name}: ${error.message}`);
      else out.errorReplies.push(name);
    }
  }
  await client.close();
  await replay.close();
  assert.deepEqual(replay.problems, []);
  return out;
}

/** The recorded log with the reply to `command` changed by `tamper`. */
function tampered(log: string, command: string, tamper: (reply: any) => void): JsonObject[] {
  const messages = parseLog(log);
  const i = messages.findIndex((m) => m["execute"] === command);
  const reply = messages.slice(i + 1).find((m) => "return" in m)!;
  tamper(reply["return"]);
  return messages;
}

test("the 10.2.2 SDK in strict mode accepts every reply of the recorded QEMU 7.2 conversation", async () => {
  const r = await replayAll(sdk, qemuLog);
  assert.deepEqual(r.rejected, []);
  assert.ok(r.accepted.length >= 50, `only ${r.accepted.length} accepted`);
  for (const name of ["query-status", "query-machines", "query-cpus-fast", "query-block", "query-migrate-parameters"])
    assert.ok(r.accepted.includes(name), name);
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.kind}: ${d.message}`),
    [
      "server-release: QEMU 7.2.22 is not a release the qemu SDK's history lists: checked as 7.2.15, the newest listed release of 7.2 at or below it",
    ],
  );
});

test("validateAgainst: \"sdk\" keeps the SDK's own schema, which rejects 7.2's replies", async () => {
  const r = await replayAll(sdk, qemuLog, "sdk");
  const names = r.rejected.map((e) => e.split(":")[0]);
  for (const name of ["query-status", "query-machines", "query-cpus-fast"])
    assert.ok(names.includes(name), `${name} not rejected: ${names.join(", ")}`);
  assert.ok(
    r.rejected.some((e) => e.includes("$.return.singlestep: unknown member")),
    r.rejected.join("\n"),
  );
});

const tamperings: [string, string, (reply: any) => void, string][] = [
  [
    "query-status",
    "a member 7.2 requires removed (10.2.2 has none)",
    (v) => delete v["singlestep"],
    "$.return.singlestep: missing required member",
  ],
  [
    "query-status",
    "a wrong member type",
    (v) => (v["running"] = "yes"),
    '$.return.running: expected boolean, got "yes"',
  ],
  [
    "query-machines",
    "a member 8.0 added, in a 7.2 reply",
    (v) => (v[0]["acpi"] = true),
    "$.return[0].acpi: unknown member",
  ],
  [
    "query-cpus-fast",
    "an unknown enum value",
    (v) => (v[0]["target"] = "pdp11"),
    '$.return[0].target: unknown value "pdp11" of enum SysEmuTarget',
  ],
];

for (const [command, what, tamper, finding] of tamperings) {
  test(`a tampered 7.2 reply is still rejected at its path: ${command}, ${what}`, async () => {
    const r = await replayAll(sdk, tampered(qemuLog, command, tamper));
    assert.deepEqual(r.rejected, [`${command}: reply of ${command}: ${finding}`]);
  });
}

test("the 10.2.2 storage daemon SDK in strict mode accepts every reply of the recorded qemu-storage-daemon 7.2 conversation", async () => {
  const r = await replayAll(qsdSdk, qsdLog);
  assert.deepEqual(r.rejected, []);
  assert.ok(r.accepted.length >= 10, `only ${r.accepted.length} accepted`);
  const tamperedRun = await replayAll(
    qsdSdk,
    tampered(qsdLog, "query-named-block-nodes", (v) => (v[0]["ro"] = 1)),
  );
  assert.deepEqual(tamperedRun.rejected, [
    "query-named-block-nodes: reply of query-named-block-nodes: $.return[0].ro: expected boolean, got 1",
  ]);
});

/** A mock announcing `version`, with a query-status handler; connects the 10.2.2 SDK to it. */
async function mockAnnouncing(
  version: [number, number, number],
  status: object,
  options: { validate?: "off" | "strict" | "lenient"; validateAgainst?: "server" | "sdk" } = {},
) {
  const [major, minor, micro] = version;
  const mock = createMockQemu({
    greeting: { version: { qemu: { major, minor, micro }, package: "" } },
    handlers: { "query-status": () => status as JsonObject, "query-machines": () => [] },
  });
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectWith(sdk, {
    stream: clientSide,
    validate: options.validate ?? "strict",
    onDiagnostic: (d) => diagnostics.push(d),
    ...options,
  });
  return {
    client,
    diagnostics,
    async close() {
      await client.close();
      await mock.close();
    },
  };
}

const newerStatus = { running: true, status: "running", "new-in-11": 1 };

test("a server newer than the SDK: one diagnostic at connect; strict checks what is known and reports the rest as notices", async () => {
  const m = await mockAnnouncing([11, 0, 0], newerStatus);
  assert.deepEqual(
    m.diagnostics.map((d) => [d.kind, d.message]),
    [
      [
        "server-release",
        "QEMU 11.0.0 is newer than the qemu SDK (10.2.2): what it added is unknown to the SDK and reported as notices",
      ],
    ],
  );
  assert.deepEqual(await m.client.execute("query-status"), newerStatus);
  const notice = m.diagnostics.find((d) => d.kind === "validation-notice")!;
  assert.deepEqual(notice.issues, [{ path: '$.return["new-in-11"]', message: "unknown member" }]);
  await m.close();

  const wrong = await mockAnnouncing([11, 0, 0], { running: "yes", status: "running" });
  await assert.rejects(
    wrong.client.execute("query-status"),
    (e: Error) => e instanceof ValidationError && e.message.includes('$.return.running: expected boolean, got "yes"'),
  );
  await wrong.close();
});

test("a development build and a server older than the history get their own diagnostic", async () => {
  const dev = await mockAnnouncing([10, 1, 50], newerStatus);
  assert.deepEqual(
    dev.diagnostics.map((d) => d.kind),
    ["server-release"],
  );
  assert.match(dev.diagnostics[0]!.message, /^QEMU 10\.1\.50 is a development build/);
  await dev.client.execute("query-status"); // unknown member: a notice, not a rejection
  await dev.close();

  const old = await mockAnnouncing([4, 1, 0], { running: true, status: "running" });
  assert.deepEqual(
    old.diagnostics.map((d) => [d.kind, d.message]),
    [["server-release", "QEMU 4.1.0 is older than the qemu SDK's history (4.2.0–10.2.2): validation cannot follow it"]],
  );
  await old.close();
});

test("a development build between two releases is checked as its line's release", async () => {
  // 7.2.50 is on the way to 8.0: 7.2's required singlestep is checked, what is newer is a notice.
  const dev = await mockAnnouncing([7, 2, 50], { running: true, status: "running", "new-in-8": 1 });
  await assert.rejects(
    dev.client.execute("query-status"),
    (e: Error) => e instanceof ValidationError && e.message.includes("$.return.singlestep: missing required member"),
  );
  await dev.close();
});

test("the SDK's own release (and its stable updates): no diagnostic, strict stays strict", async () => {
  for (const version of [
    [10, 2, 2],
    [10, 2, 5],
  ] as [number, number, number][]) {
    const m = await mockAnnouncing(version, newerStatus);
    assert.deepEqual(m.diagnostics, [], version.join("."));
    await assert.rejects(
      m.client.execute("query-status"),
      (e: Error) => e instanceof ValidationError && e.message.includes('$.return["new-in-11"]: unknown member'),
    );
    await m.close();
  }
});

test("arguments are checked against the connected release: an argument 7.2 lacks is refused before it is sent", async () => {
  const m = await mockAnnouncing([7, 2, 0], { running: true, status: "running", singlestep: false });
  await assert.rejects(
    m.client.execute("query-machines", { "compat-props": true }),
    (e: Error) => e instanceof ValidationError && e.message.includes('$.arguments["compat-props"]: unknown member'),
  );
  await m.close();
  const own = await mockAnnouncing([10, 2, 2], { running: true, status: "running" });
  assert.deepEqual(await own.client.execute("query-machines", { "compat-props": true }), []);
  await own.close();
});

test('validate: "off" and validateAgainst: "sdk" follow nothing and report nothing', async () => {
  const off = await mockAnnouncing([11, 0, 0], newerStatus, { validate: "off" });
  assert.deepEqual(off.diagnostics, []);
  await off.close();
  const own = await mockAnnouncing([11, 0, 0], newerStatus, { validateAgainst: "sdk" });
  assert.deepEqual(own.diagnostics, []);
  await assert.rejects(own.client.execute("query-status"), ValidationError);
  await own.close();
});

test('per-call validation with validate: "off" follows the server when asked to', async () => {
  const m = await mockAnnouncing(
    [7, 2, 0],
    { running: true, status: "running", singlestep: false },
    { validate: "off", validateAgainst: "server" },
  );
  assert.deepEqual(await m.client.executeWith("query-status", undefined, { validate: "strict" }), {
    running: true,
    status: "running",
    singlestep: false,
  });
  await m.close();
});

test("events are checked as the connected release has them", async () => {
  // 7.2's BLOCK_IO_ERROR has no qom-path (10.2.2 requires it); MEM_UNPLUG_ERROR is gone by 10.2.2.
  const blockIoError = {
    device: "hd0",
    "node-name": "disk0",
    operation: "read",
    action: "stop",
    reason: "Input/output error",
  };
  const memUnplugError = { device: "dimm0", msg: "unplug refused" };
  const run = async (version: [number, number, number], validateAgainst: "server" | "sdk") => {
    const [major, minor, micro] = version;
    const mock = createMockQemu({ greeting: { version: { qemu: { major, minor, micro }, package: "" } } });
    const [clientSide, serverSide] = createDuplexPair();
    mock.attach(serverSide);
    const diagnostics: QmpDiagnostic[] = [];
    const client = await connectWith(sdk, {
      stream: clientSide,
      validate: "strict",
      validateAgainst,
      onDiagnostic: (d) => diagnostics.push(d),
    });
    const arrived = Promise.all([
      client.waitFor("BLOCK_IO_ERROR" as never),
      client.waitFor("MEM_UNPLUG_ERROR" as never),
    ]);
    mock.emit("BLOCK_IO_ERROR", blockIoError);
    mock.emit("MEM_UNPLUG_ERROR", memUnplugError);
    await arrived;
    await client.close();
    await mock.close();
    return diagnostics
      .filter((d) => d.kind === "invalid-event")
      .map((d) => `${d.message}: ${d.issues!.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  };
  assert.deepEqual(await run([7, 2, 0], "server"), []);
  assert.deepEqual(await run([7, 2, 0], "sdk"), [
    'event BLOCK_IO_ERROR: $.data["qom-path"]: missing required member',
    'event MEM_UNPLUG_ERROR: $.event: unknown event "MEM_UNPLUG_ERROR"',
  ]);
  assert.deepEqual(await run([10, 2, 2], "server"), [
    'event BLOCK_IO_ERROR: $.data["qom-path"]: missing required member',
    'event MEM_UNPLUG_ERROR: $.event: unknown event "MEM_UNPLUG_ERROR"',
  ]);
});

/** A scripted guest agent stating `version` in guest-info (undefined: guest-info disabled; "no answer": never answered). */
async function agentSaying(version: string | undefined, fsinfo: unknown) {
  const peer = new FakePeer({
    onCommand: (c, p) => {
      if (c.execute === "guest-sync-delimited") {
        p.raw(Buffer.from([0xff]));
        return p.reply(c, c.arguments!["id"]);
      }
      if (c.execute === "guest-info") {
        if (version === undefined)
          return p.send({ error: { class: "GenericError", desc: "command disabled" }, id: c.id });
        if (version === "no answer") return;
        return p.reply(c, { version, supported_commands: [] });
      }
      p.reply(c, fsinfo);
    },
  });
  const diagnostics: QmpDiagnostic[] = [];
  const client = await connectWith(qgaSdk, {
    ...peer.target,
    validate: "strict",
    syncTimeout: 200,
    onDiagnostic: (d) => diagnostics.push(d),
  });
  const outcome = await client.executeWith("guest-get-fsinfo" as never, undefined as never).then(
    () => "accepted",
    (e: Error) => e.message,
  );
  await client.close();
  return { outcome, diagnostics: diagnostics.map((d) => `${d.kind}: ${d.message}`) };
}

test("the guest agent: guest-info's version picks the release", async () => {
  // total-bytes-privileged came after 7.2: in a 7.2 agent's reply it is an unknown member.
  const fsinfo = [{ name: "sda1", mountpoint: "/", type: "ext4", disk: [], "total-bytes-privileged": 1 }];
  assert.deepEqual(await agentSaying("7.2.22", fsinfo), {
    outcome: 'reply of guest-get-fsinfo: $.return[0]["total-bytes-privileged"]: unknown member',
    diagnostics: [
      "server-release: QEMU 7.2.22 is not a release the qga SDK's history lists: checked as 7.2.15, the newest listed release of 7.2 at or below it",
    ],
  });
  assert.deepEqual(await agentSaying("10.2.2", fsinfo), { outcome: "accepted", diagnostics: [] });
  const newer = await agentSaying("11.0.0", fsinfo);
  assert.deepEqual(newer.diagnostics, [
    "server-release: QEMU 11.0.0 is newer than the qga SDK (10.2.2): what it added is unknown to the SDK and reported as notices",
  ]);
  const silent = await agentSaying(undefined, fsinfo);
  assert.deepEqual(silent.diagnostics, [
    "server-release: the server did not say its version: validating against the qga SDK's own schema (QEMU 10.2.2), unknown parts as notices",
  ]);
  assert.equal(silent.outcome, "accepted");
  // An agent that never answers guest-info: connecting still succeeds, bounded like a sync attempt.
  const mute = await agentSaying("no answer", fsinfo);
  assert.deepEqual(mute.diagnostics, silent.diagnostics);
});

test("an SDK the shipped history does not describe validates against its own schema, and says so for another line", async () => {
  // The SDK generated from 7.2.0 (a user's own SDK named "qemu"): the shipped history ends at 10.2.2, not 7.2.0.
  const mine: SdkDescriptor = { ...sdk72, qemuVersion: "7.2.0" };
  const same = await followServer(mine, { major: 7, minor: 2, micro: 22 });
  assert.equal(same.validators, mine.validators);
  assert.equal(same.diagnostic, undefined);
  const other = await followServer(mine, { major: 10, minor: 2, micro: 2 });
  assert.equal(other.validators, mine.validators);
  assert.equal(other.unknownAsNotices, true);
  assert.equal(other.diagnostic?.kind, "server-release");
  assert.match(
    other.diagnostic!.message,
    /^QEMU 10\.2\.2: the qemu SDK \(QEMU 7\.2\.0\) has no version history to follow it/,
  );
  // Without its release (the golden SDK was generated without one) there is nothing to compare: as before.
  assert.deepEqual(await followServer(sdk72, { major: 10, minor: 2, micro: 2 }), {
    validators: sdk72.validators,
    wire: sdk72.wire,
    unknownAsNotices: false,
  });
});

test("one cut per (SDK, release): connections to the same release share its validators", async () => {
  const a = await followServer(sdk, { major: 7, minor: 2, micro: 0 });
  const b = await followServer(sdk, { major: 7, minor: 2, micro: 0 });
  const c = await followServer(sdk, { major: 8, minor: 0, micro: 0 });
  const d = await followServer(sdk, { major: 7, minor: 2, micro: 22 });
  assert.equal(a.release, "7.2.0");
  assert.equal(d.release, "7.2.15");
  assert.notEqual(a.validators, d.validators, "7.2.15 is a release of its own");
  assert.equal(a.validators, b.validators);
  assert.notEqual(a.validators, c.validators);
  const own = await followServer(sdk, { major: 10, minor: 2, micro: 2 });
  assert.equal(own.validators, sdk.validators);
});

test("the version history is loaded only when a connection validates, once per SDK", async () => {
  let loads = 0;
  const counted: SdkDescriptor = { ...sdk, history: () => (loads++, sdk.history!()) };
  const open = async (validate: "off" | "strict") => {
    const mock = createMockQemu({ greeting: { version: { qemu: { major: 7, minor: 2, micro: 0 }, package: "" } } });
    const [c, s] = createDuplexPair();
    mock.attach(s);
    const client = await connectWith(counted, { stream: c, validate });
    await client.close();
    await mock.close();
  };
  await open("off");
  assert.equal(loads, 0, "not by a connection that does not validate");
  await open("strict");
  await open("strict");
  assert.equal(loads, 1, "once, by the first connection that validates");
});

test("the history an SDK carries is the committed one", async () => {
  for (const [descriptor, name] of [
    [sdk, "qemu"],
    [qgaSdk, "qga"],
    [qsdSdk, "qsd"],
  ] as const) {
    const committed: unknown = JSON.parse(readFileSync(join(repoRoot, "generated", "history", `${name}.json`), "utf8"));
    assert.deepEqual(await descriptor.history!(), committed, name);
  }
});

test("a user's own SDK named qemu gets no history unless it is given one", async () => {
  // Generated from a patched 10.2.2 schema without --history: the same name and release as the shipped SDK.
  const { history: _none, ...mine } = sdk;
  const followed = await followServer(mine, { major: 7, minor: 2, micro: 0 });
  assert.equal(followed.validators, mine.validators, "its own schema, not the shipped history's cut");
  assert.equal(followed.release, undefined);
  assert.equal(followed.unknownAsNotices, true);
  assert.match(followed.diagnostic!.message, /^QEMU 7\.2\.0: the qemu SDK \(QEMU 10\.2\.2\) has no version history/);
  // Given one, it follows the server.
  const given = await followServer({ ...mine, history: sdk.history! }, { major: 7, minor: 2, micro: 0 });
  assert.equal(given.release, "7.2.0");
  assert.notEqual(given.validators, mine.validators);
});

test("strict validation refuses, before sending, what the connected release lacks, naming the release", async () => {
  const r = await replayAll(sdk, [
    ...parseLog(qemuLog).slice(0, 2),
    { execute: "query-accelerators" },
    { return: { enabled: "tcg", present: ["tcg"] } },
  ]);
  assert.deepEqual(r.accepted, [], "nothing the 7.2 server lacks was sent");
  assert.deepEqual(r.rejected, [
    "query-accelerators: arguments of query-accelerators: $.execute: no command 'query-accelerators' in QEMU 7.2.15",
  ]);
  const v80 = await followServer(sdk, { major: 8, minor: 0, micro: 0 });
  const channels = v80.validators.commandArgs("migrate", { uri: "unix:/tmp/m.sock", channels: [] }, "strict");
  assert.deepEqual(channels?.errors, [
    { path: "$.arguments.channels", message: "unknown member in QEMU 8.0.0", release: "8.0.0" },
  ]);
  // The caller's own mistakes stay plain: the SDK's schema finds them too.
  const typo = v80.validators.commandArgs("migrate", { uri: 42 }, "strict");
  assert.equal(typo?.errors[0]?.release, undefined);
  // Lenient: sent, with a notice that names the release.
  const lenient = v80.validators.commandArgs("query-accelerators", {}, "lenient");
  assert.deepEqual(lenient, {
    errors: [],
    notices: [{ path: "$.execute", message: "no command 'query-accelerators' in QEMU 8.0.0", release: "8.0.0" }],
  });
  // An 8.2.2 server takes migrate without uri; 8.2.1 requires it.
  const v822 = await followServer(sdk, { major: 8, minor: 2, micro: 2 });
  const v821 = await followServer(sdk, { major: 8, minor: 2, micro: 1 });
  const channel = [{ "channel-type": "main", addr: { transport: "socket", type: "unix", path: "/tmp/m.sock" } }];
  assert.deepEqual(v822.validators.commandArgs("migrate", { channels: channel }, "strict")?.errors, []);
  assert.equal(v821.validators.commandArgs("migrate", { channels: channel }, "strict")?.errors[0]?.release, "8.2.1");
});
