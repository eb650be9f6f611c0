/**
 * runtime/deque.ts against a plain array as the model: random pushes and
 * shifts across wrap-arounds and growth keep FIFO order, length and iteration.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { Deque } from "../../runtime/deque.js";
import { createPrng } from "../support/prng.js";

test("the deque behaves as an array used as a queue, through wrap-around and growth", () => {
  const rng = createPrng(42);
  const deque = new Deque<number>();
  const model: number[] = [];
  let next = 0;
  for (let step = 0; step < 20_000; step++) {
    if (rng.next() < 0.55) {
      deque.push(next);
      model.push(next++);
    } else assert.equal(deque.shift(), model.shift());
    assert.equal(deque.length, model.length);
    assert.equal(deque.peek(), model[0]);
    if (step % 997 === 0) assert.deepEqual([...deque], model);
  }
  assert.deepEqual(deque.drain(), model.splice(0));
  assert.equal(deque.length, 0);
  assert.equal(deque.shift(), undefined);
});
