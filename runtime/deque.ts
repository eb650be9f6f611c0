/**
 * A first-in first-out queue with O(1) push, shift and drop-oldest: a ring
 * buffer that doubles when full. Plain arrays cost O(n) per `shift` once they
 * are large (V8 moves the elements), which made a 200 000-event backlog take
 * quadratic time to drain.
 *
 * Data flow: used by runtime/event-hub.ts (event iterators' buffers, held
 * events) and runtime/call-table.ts (calls waiting for the oob window).
 */

/** A FIFO queue; `shift` on an empty queue returns undefined. */
export class Deque<T> {
  private items: (T | undefined)[] = new Array(16);
  private head = 0;
  private size = 0;

  /** Number of items queued. */
  get length(): number {
    return this.size;
  }

  /** Adds an item at the back. */
  push(item: T): void {
    if (this.size === this.items.length) this.grow();
    this.items[(this.head + this.size) & (this.items.length - 1)] = item;
    this.size++;
  }

  /** Removes and returns the front item. */
  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined; // let it be collected
    this.head = (this.head + 1) & (this.items.length - 1);
    this.size--;
    return item;
  }

  /** The front item, left in place. */
  peek(): T | undefined {
    return this.size === 0 ? undefined : this.items[this.head];
  }

  /** Empties the queue and returns what it held, front first. */
  drain(): T[] {
    const out: T[] = [];
    while (this.size > 0) out.push(this.shift()!);
    return out;
  }

  /** Forgets every item. */
  clear(): void {
    this.items = new Array(16);
    this.head = 0;
    this.size = 0;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) yield this.items[(this.head + i) & (this.items.length - 1)]!;
  }

  private grow(): void {
    // Capacity stays a power of two so the index wraps with a mask.
    const bigger: (T | undefined)[] = new Array(this.items.length * 2);
    for (let i = 0; i < this.size; i++) bigger[i] = this.items[(this.head + i) & (this.items.length - 1)];
    this.items = bigger;
    this.head = 0;
  }
}
