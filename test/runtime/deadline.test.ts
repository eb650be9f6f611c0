/**
 * runtime/deadline.ts on its own, with node's mock timers: a limit beyond
 * setTimeout's 2^31 − 1 ms fires when it should, not after 1 ms and not early;
 * a signal shared by many parties has one listener, dropped when the last
 * party leaves; the checks of user-given limits.
 */
import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { armDeadline, checkTimeout, watchAbort } from "../../runtime/deadline.js";
import { UsageError } from "../../runtime/errors.js";

test("a limit of 2^31 + 1 000 ms fires once, at its time", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    let fired = 0;
    armDeadline({ timeout: 2 ** 31 + 1_000, onTimeout: () => fired++ });
    mock.timers.tick(2 ** 31 - 1);
    assert.equal(fired, 0);
    mock.timers.tick(1_000);
    assert.equal(fired, 0, "1 ms early");
    mock.timers.tick(1);
    assert.equal(fired, 1);
    mock.timers.tick(2 ** 32);
    assert.equal(fired, 1);
    const disarm = armDeadline({ timeout: 3 * 2 ** 31, onTimeout: () => fired++ });
    mock.timers.tick(2 ** 32);
    disarm();
    mock.timers.tick(2 ** 32);
    assert.equal(fired, 1, "disarmed in its second chunk");
  } finally {
    mock.timers.reset();
  }
});

test("a signal shared by 100 parties has one abort listener; it goes when the last party leaves", () => {
  const controller = new AbortController();
  const leave = Array.from({ length: 100 }, () => watchAbort(controller.signal, () => undefined));
  assert.equal(getEventListeners(controller.signal, "abort").length, 1);
  for (const one of leave) one();
  assert.equal(getEventListeners(controller.signal, "abort").length, 0);
  let aborted = 0;
  armDeadline({ signal: controller.signal, onAbort: () => aborted++ });
  armDeadline({ signal: controller.signal, onAbort: () => aborted++ });
  controller.abort();
  assert.equal(aborted, 2);
});

test("checkTimeout: Infinity and undefined are no limit; NaN, negative and non-numbers are a UsageError", () => {
  assert.equal(checkTimeout(undefined, "t"), undefined);
  assert.equal(checkTimeout(Infinity, "t"), undefined);
  assert.equal(checkTimeout(0, "t"), 0);
  assert.equal(checkTimeout(2 ** 40, "t"), 2 ** 40);
  for (const bad of [NaN, -1, "10", null])
    assert.throws(
      () => checkTimeout(bad, "commandTimeout"),
      (e: unknown) => e instanceof UsageError && /^commandTimeout must be/.test(e.message),
    );
});
