/**
 * Guest agent synchronisation in QmpClient, against the scripted byte-level
 * peer (test/runtime/fake-peer.ts): the 0xFF resync byte, guest-sync-delimited,
 * stale output before the sentinel, a sync attempt that is retried, and
 * pending calls rejected by a resync. The mock server (runtime/mock) speaks
 * QMP only, so these stay on the scripted peer; see fake-peer.ts for why.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { FakePeer } from "./fake-peer.js";
import { mockPeer } from "./mock-peer.js";
import {
  connect,
  connectWith,
  createGenericSdk,
  InterruptedError,
  StateError,
  type GenericCommandMap,
  type GenericEventMap,
} from "../../runtime/index.js";

test("guest agent: 0xFF resync, guest-sync-delimited, stale output before the sentinel is discarded", async () => {
  const peer = new FakePeer({
    onCommand: (c, p) => {
      if (c.execute === "guest-sync-delimited") {
        // Stale output of an earlier client, a partial message, then the sentinel and the reply.
        p.raw('{"return": {"stale": true}, "id": 1}\n{"return": {"half');
        p.raw(Buffer.from([0xff]));
        p.reply(c, c.arguments!.id);
      } else p.reply(c, { pong: c.execute });
    },
  });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(createGenericSdk("qga", "qga"), peer.target);
  assert.equal(client.greeting, undefined);
  assert.equal(peer.resyncBytes, 1);
  assert.deepEqual(await client.execute("guest-ping"), { pong: "guest-ping" });
  await client.close();
});

test("guest agent: a sync attempt that times out is retried", async () => {
  let attempts = 0;
  const peer = new FakePeer({
    onCommand: (c, p) => {
      if (c.execute !== "guest-sync-delimited") return p.reply(c);
      if (++attempts === 1) return; // the agent is busy: no answer
      p.raw(Buffer.from([0xff]));
      p.reply(c, c.arguments!.id);
    },
  });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(createGenericSdk("qga", "qga"), {
    ...peer.target,
    syncTimeout: 50,
  });
  assert.equal(attempts, 2);
  assert.equal(peer.resyncBytes, 2);
  await client.close();
});

test("guest agent resync: calls still pending reject (their replies would be dropped as stale), then the session goes on", async () => {
  let hold = true;
  const peer = new FakePeer({
    onCommand: (c, p) => {
      if (c.execute === "guest-sync-delimited") {
        p.raw(Buffer.from([0xff]));
        return p.reply(c, c.arguments!.id);
      }
      if (c.execute === "guest-exec-status" && hold) return; // busy
      p.reply(c, {});
    },
  });
  const client = await connectWith<GenericCommandMap, GenericEventMap>(createGenericSdk("qga", "qga"), peer.target);
  const stuck = client.execute("guest-exec-status", { pid: 1 });
  while (!peer.received.some((c) => c.execute === "guest-exec-status"))
    await new Promise((resolve) => setImmediate(resolve));
  await client.resync();
  await assert.rejects(stuck, InterruptedError);
  hold = false;
  assert.deepEqual(await client.execute("guest-ping"), {});
  // A QMP session (the mock, which greets) has nothing to resynchronise.
  await assert.rejects(
    connect(mockPeer().target).then((c) => c.resync()),
    StateError,
  );
});
