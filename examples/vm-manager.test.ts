/**
 * Example: unit-testing code that drives QEMU, without QEMU. The mock from
 * `qapi-ts/mock` checks what the code sends against the SDK's schema (a
 * misspelled argument fails the test), answers from handlers, and sends
 * scripted events.
 *
 *   node --test vm-manager.test.js
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createDuplexPair, createMockQemu, MockCommandError } from "qapi-ts/mock";
import { connectWith } from "qapi-ts/runtime";
import { sdk, type CommandMap, type EventMap } from "qapi-ts/qemu";
import { ensureRunning } from "./vm-manager.js";

/** A mock QEMU in memory, and a client of it. */
async function mockVm(status: "running" | "paused" | "shutdown") {
  const mock = createMockQemu<CommandMap, EventMap>({
    sdk,
    handlers: {
      "query-status": () => ({ running: status === "running", status }),
      cont: () => {
        if (status === "shutdown") throw new MockCommandError("GenericError", "the VM has shut down");
      },
    },
    events: [{ event: "RESUME", after: "cont" }],
  });
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  const qmp = await connectWith<CommandMap, EventMap>(sdk, { stream: clientSide, validate: "strict" });
  return { mock, qmp };
}

test("a paused VM is resumed", async () => {
  const { mock, qmp } = await mockVm("paused");
  assert.equal(await ensureRunning(qmp), true);
  assert.ok(
    mock.log.some((message) => message["execute"] === "cont"),
    "cont was sent",
  );
  assert.deepEqual(mock.problems, []);
  await qmp.close();
  await mock.close();
});

test("a running VM is left alone", async () => {
  const { mock, qmp } = await mockVm("running");
  assert.equal(await ensureRunning(qmp), false);
  assert.ok(!mock.log.some((message) => message["execute"] === "cont"), "no cont");
  await qmp.close();
  await mock.close();
});

test("a VM that shut down is reported, not resumed", async () => {
  const { mock, qmp } = await mockVm("shutdown");
  await assert.rejects(ensureRunning(qmp), /cannot resume a VM that is shutdown/);
  await qmp.close();
  await mock.close();
});
