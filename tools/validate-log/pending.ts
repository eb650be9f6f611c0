/**
 * The commands of a recorded conversation still waiting for their reply, for
 * `validate-log` (check.ts), with constant-time matching: a reply with
 * an id takes the earliest pending command of that id, a reply without one the
 * earliest answerable command sent without an id. (A list searched per reply
 * made 100 000 replies in reverse order quadratic.)
 */

/** A command waiting for its reply; `noReply` for one that is never answered (`success-response: false`). */
export interface PendingCommand {
  readonly name: string;
  readonly id: string | undefined;
  readonly noReply: boolean;
}

/** First-in, first-out queue with O(1) take (Array#shift is linear on large arrays). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  take(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const item = this.items[this.head++];
    // Drop the taken prefix now and then, so memory follows what is still queued.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** The pending commands of one conversation. */
export class PendingCommands {
  private readonly byId = new Map<string, Fifo<PendingCommand>>();
  private readonly withoutId = new Fifo<PendingCommand>();
  private waiting = 0;

  /** How many pending commands expect a reply (the rest are never answered). */
  get answerable(): number {
    return this.waiting;
  }

  add(command: PendingCommand): void {
    if (command.id === undefined) {
      // A command without id that gets no reply can never be matched: nothing to keep.
      if (command.noReply) return;
      this.withoutId.push(command);
    } else {
      let queue = this.byId.get(command.id);
      if (!queue) this.byId.set(command.id, (queue = new Fifo()));
      queue.push(command);
    }
    if (!command.noReply) this.waiting++;
  }

  /** The command a reply with this id (or none) answers, removed from the pending ones; undefined when none matches. */
  take(id: string | undefined): PendingCommand | undefined {
    let command: PendingCommand | undefined;
    if (id === undefined) command = this.withoutId.take();
    else {
      const queue = this.byId.get(id);
      command = queue?.take();
      if (queue && queue.size === 0) this.byId.delete(id);
    }
    if (command && !command.noReply) this.waiting--;
    return command;
  }
}
