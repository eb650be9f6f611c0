/**
 * Reconnect without QEMU: the backoff's bounds and jitter, option checks, and
 * the ends of reconnecting (close() while it waits, maxAttempts, the signal)
 * against the mock on a unix socket that goes away. Real programs restarted
 * under a client: reconnect.qemu.test.ts.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, InterruptedError, UsageError, type ConnectionEvent } from "../../runtime/index.js";
import { backoffDelay, checkReconnectOptions } from "../../runtime/reconnect.js";
import { createMockQemu } from "../../runtime/mock/index.js";
import { createDuplexPair } from "../../runtime/mock/duplex-pair.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-reconnect-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("backoff doubles from initialDelay, stops at maxDelay, and jitter only shortens it", () => {
  const backoff = checkReconnectOptions({ initialDelay: 100, maxDelay: 1_000, jitter: 0.5 })!;
  assert.deepEqual(
    [1, 2, 3, 4, 5, 60, 5_000].map((attempt) => backoffDelay(backoff, attempt, () => 0)),
    [100, 200, 400, 800, 1_000, 1_000, 1_000],
  );
  assert.deepEqual(
    [1, 2, 5].map((attempt) => backoffDelay(backoff, attempt, () => 0.999999)),
    [50, 100, 500],
  );
  assert.equal(checkReconnectOptions(false), undefined);
  assert.equal(checkReconnectOptions(true)!.maxAttempts, Infinity);
});

test("bad reconnect options and targets that cannot be reached again are UsageErrors", async () => {
  for (const bad of [{ initialDelay: -1 }, { maxDelay: NaN }, { maxAttempts: 0 }, { maxAttempts: 1.5 }, { jitter: 2 }])
    assert.throws(() => checkReconnectOptions(bad), UsageError, JSON.stringify(bad));
  const [clientSide] = createDuplexPair();
  await assert.rejects(connect({ stream: clientSide, reconnect: true }), UsageError);
});

/** A mock on a unix path and a reconnecting client of it; the mock is closed, not restarted. */
async function lostServer(reconnect: object) {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
  const mock = createMockQemu();
  await mock.listen({ path });
  const client = await connect({ path, reconnect: { initialDelay: 5, maxDelay: 20, ...reconnect } });
  const events: ConnectionEvent[] = [];
  client.onConnectionEvent((event) => events.push(event));
  const iterator = client.events();
  await mock.close();
  return { client, events, iterator };
}

test("maxAttempts: the client gives up, closes with the last reason, and iterators end with it", async () => {
  const { client, events, iterator } = await lostServer({ maxAttempts: 3 });
  const reason = await client.closed;
  assert.ok(reason instanceof Error);
  assert.equal(client.state, "closed");
  assert.deepEqual(
    events.map((e) => [e.kind, e.attempt]),
    [
      ["disconnected", 0],
      ["attempt-failed", 1],
      ["attempt-failed", 2],
      ["gave-up", 3],
    ],
  );
  assert.match((events[3] as { reason: Error }).reason.message, /ENOENT|ECONNREFUSED/);
  await assert.rejects(iterator.next(), InterruptedError);
  await assert.rejects(client.waitFor("STOP"), { name: "StateError" });
});

test("close() while reconnecting cancels it: a deliberate end, iterators finish", async () => {
  const { client, events, iterator } = await lostServer({});
  while (!events.some((e) => e.kind === "attempt-failed")) await new Promise((r) => setTimeout(r, 5));
  assert.equal(client.state, "reconnecting");
  await assert.rejects(client.execute("query-status"), { name: "StateError", state: "reconnecting" });
  await client.close();
  assert.equal(await client.closed, undefined);
  assert.equal(events.at(-1)?.kind, "gave-up");
  assert.equal((await iterator.next()).done, true);
});

test("the reconnect signal stops reconnecting: the client closes with an InterruptedError", async () => {
  const controller = new AbortController();
  const { client, events } = await lostServer({ signal: controller.signal, initialDelay: 60_000 });
  while (events.length === 0) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  const reason = await client.closed;
  assert.ok(reason instanceof InterruptedError && /aborted/.test(reason.message));
  assert.deepEqual(
    events.map((e) => e.kind),
    ["disconnected", "gave-up"],
  );
});
