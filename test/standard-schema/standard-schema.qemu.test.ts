/**
 * Standard Schema validators that follow the connected server
 * (`standardSchemasFor`), against a real QEMU 7.2 and qemu-ga 7.2 with the
 * 10.2.2 SDKs: 7.2's `query-status` reply carries `singlestep`, which the
 * SDK's own schema no longer has (an issue there) and 7.2's has (valid when
 * following the server), and so do their JSON Schemas; the guest agent's
 * release comes from `guest-info`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { after, test } from "node:test";
import { connect, standardSchemas } from "../../generated/qemu/index.js";
import { connect as connectAgent, standardSchemas as agentSchemas } from "../../generated/qga/index.js";
import { standardSchemasFor } from "../../runtime/standard-schema.js";
import {
  bareMachineArgs,
  cleanupAll,
  makeTempDir,
  qemuGa,
  qemuSystem,
  startProcess,
  waitForPath,
} from "../runtime/qemu-helpers.js";
import { waitUntilListening } from "../support/monitor-ready.js";

after(cleanupAll);

test("standardSchemasFor follows QEMU 7.2: its query-status reply is valid there, not in the 10.2.2 schema", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qmp.sock");
  const child = startProcess(qemuSystem, [...bareMachineArgs, "-qmp", `unix:${path},server=on,wait=off`]);
  await waitForPath(path, child);
  const qmp = await connect({ path });
  try {
    assert.equal(qmp.greeting?.version.qemu.major, 7);
    const reply = await qmp.execute("query-status");
    assert.ok("singlestep" in reply, "QEMU 7.2 still sends singlestep");
    const own = await standardSchemas.result("query-status")["~standard"].validate(reply);
    assert.deepEqual(own.issues, [{ message: "unknown member", path: ["singlestep"] }]);
    const followed = await standardSchemasFor(qmp);
    assert.deepEqual(await followed.result("query-status")["~standard"].validate(reply), { value: reply });
    const wrong = await followed.result("query-status")["~standard"].validate({ ...reply, running: "yes" });
    assert.deepEqual(wrong.issues, [{ message: 'expected boolean, got "yes"', path: ["running"] }]);
    // Their JSON Schema follows too: 7.2's has singlestep, the SDK's own refuses it.
    const jsonSchema = (s: typeof followed | typeof standardSchemas) =>
      new Ajv2020({ strict: false }).compile(
        s.result("query-status")["~standard"].jsonSchema.output({ target: "draft-2020-12" }),
      );
    assert.equal(jsonSchema(followed)(reply), true);
    assert.equal(jsonSchema(standardSchemas)(reply), false);
  } finally {
    await qmp.close();
  }
});

test("standardSchemasFor a guest agent asks guest-info for its release", async () => {
  const dir = makeTempDir();
  const path = join(dir, "qga.sock");
  const child = startProcess(qemuGa, ["-m", "unix-listen", "-p", path, "-t", dir, "-b", "guest-shutdown"]);
  await waitForPath(path, child);
  await waitUntilListening(path, () => child.exitCode === null);
  const agent = await connectAgent({ path });
  try {
    const followed = await standardSchemasFor(agent);
    const info = await agent.execute("guest-info");
    assert.deepEqual(await followed.result("guest-info")["~standard"].validate(info), { value: info });
    // Commands newer than the agent's 7.2 are not in the schema it follows, though the SDK has them.
    assert.equal((await agentSchemas.arguments("guest-get-load")["~standard"].validate({})).issues, undefined);
    const cut = await followed.arguments("guest-get-load")["~standard"].validate({});
    assert.match(String(cut.issues?.[0]?.message), /no command 'guest-get-load'/);
  } finally {
    await agent.close();
  }
});
