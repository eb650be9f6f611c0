/**
 * Delivers QMP events to listeners, async iterators and one-shot waiters.
 *
 * Delivery is synchronous and in wire order: runtime/client.ts calls `dispatch`
 * for each event as it is read, before it settles the promise of any later reply.
 * Listeners therefore see an event before the code awaiting a later reply
 * resumes, and iterators and waiters get their promises resolved first.
 *
 * An iterator that falls behind keeps its backlog in a ring buffer
 * (runtime/deque.ts): O(1) per event to queue, to hand out and, with
 * `maxBuffered`, to drop the oldest, so a consumer 200 000 events behind
 * drains in linear time and the socket's data handler never pays for it.
 *
 * Data flow: runtime/session.ts (`dispatch`, `end`) → user listeners, `for await`
 * loops and `waitFor` promises.
 */
import { AbortError, InterruptedError, TimeoutError } from "./errors.js";
import { armDeadline, checkTimeout } from "./deadline.js";
import { Deque } from "./deque.js";
import type { QmpEventMessage } from "./messages.js";

/** A listener for one event: gets the event's data and the whole message (with its timestamp). */
export type EventListener<Data = unknown, Name extends string = string> = (
  data: Data,
  event: QmpEventMessage<Name, Data>,
) => void;

/** Options of `waitFor`. */
export interface WaitOptions {
  /** Give up after this many milliseconds (rejects with TimeoutError; `Infinity`: never; NaN or negative: UsageError). */
  timeout?: number;
  /** Give up when the signal fires (rejects with AbortError). */
  signal?: AbortSignal;
}

/** Options of `events()`. */
export interface EventStreamOptions {
  /** Most events kept for a slow consumer; older ones are dropped beyond it (default: unbounded). */
  maxBuffered?: number;
}

/** What `on` returns: call `dispose()` (or `off`) to stop listening. */
export interface Subscription {
  dispose(): void;
}

type AnyListener = (event: QmpEventMessage) => void;

/** Routes events by name; `*` listeners get all. */
export class EventHub {
  private readonly byName = new Map<string, Set<AnyListener>>();
  private readonly all = new Set<AnyListener>();
  private readonly wrappers = new WeakMap<EventListener<any, any>, Map<string, AnyListener>>();
  private readonly enders = new Set<(error: Error | undefined) => void>();
  private endedWith: { error: Error | undefined } | undefined;

  /** @param onListenerError gets what a listener threw, so one bad listener cannot stop delivery. */
  constructor(private readonly onListenerError: (error: unknown) => void) {}

  /** Adds a listener for one event name (or `*` for every event). */
  on(name: string, listener: EventListener<any, any>): Subscription {
    let forListener = this.wrappers.get(listener);
    if (!forListener) this.wrappers.set(listener, (forListener = new Map()));
    const existing = forListener.get(name);
    if (existing) return { dispose: () => this.off(name, listener) };
    const wrapped: AnyListener = (event) => listener(event.data, event);
    forListener.set(name, wrapped);
    this.add(name, wrapped);
    return { dispose: () => this.off(name, listener) };
  }

  /** Removes a listener added with `on`. */
  off(name: string, listener: EventListener<any, any>): void {
    const wrapped = this.wrappers.get(listener)?.get(name);
    if (!wrapped) return;
    this.wrappers.get(listener)!.delete(name);
    this.remove(name, wrapped);
  }

  /** Delivers one event to everyone interested, in registration order. */
  dispatch(event: QmpEventMessage): void {
    const named = this.byName.get(event.event);
    if (named) for (const listener of [...named]) this.call(listener, event);
    if (this.all.size > 0) for (const listener of [...this.all]) this.call(listener, event);
  }

  /**
   * Ends the stream: iterators finish (or throw `error`), waiters reject with
   * an InterruptedError carrying `error`.
   */
  end(error: Error | undefined): void {
    if (this.endedWith) return;
    this.endedWith = { error };
    for (const ender of [...this.enders]) ender(error);
    this.enders.clear();
  }

  /**
   * Resolves with the first matching event after this call.
   * @throws TimeoutError, AbortError, or InterruptedError when the connection ends first.
   */
  waitFor(
    name: string,
    predicate: ((data: any, event: QmpEventMessage) => boolean) | undefined,
    options: WaitOptions = {},
  ): Promise<QmpEventMessage> {
    return new Promise((resolve, reject) => {
      if (this.endedWith) return reject(interrupted(name, this.endedWith.error));
      const timeout = checkTimeout(options.timeout, "timeout");
      const signal = options.signal;
      if (signal?.aborted) return reject(new AbortError(`waiting for ${name} was aborted`, { cause: signal.reason }));
      let disarm = (): void => undefined;
      const cleanup = () => {
        this.remove(name, listener);
        this.enders.delete(ender);
        disarm();
      };
      const listener: AnyListener = (event) => {
        let matched: boolean;
        try {
          matched = predicate ? predicate(event.data, event) : true;
        } catch (error) {
          cleanup();
          return reject(error);
        }
        if (matched) (cleanup(), resolve(event));
      };
      const ender = (error: Error | undefined) => (cleanup(), reject(interrupted(name, error)));
      this.add(name, listener);
      this.enders.add(ender);
      disarm = armDeadline({
        timeout,
        signal,
        onTimeout: () => (cleanup(), reject(new TimeoutError(`no ${name} event within ${timeout} ms`, timeout!))),
        onAbort: () => (
          cleanup(),
          reject(new AbortError(`waiting for ${name} was aborted`, { cause: signal?.reason }))
        ),
      });
    });
  }

  /** An async iterator over events whose name is in `names` (all events when empty). */
  stream(names: readonly string[], options: EventStreamOptions = {}): AsyncIterableIterator<QmpEventMessage> {
    const buffer = new Deque<QmpEventMessage>();
    const waiting = new Deque<{
      resolve: (r: IteratorResult<QmpEventMessage>) => void;
      reject: (e: unknown) => void;
    }>();
    let finished: { error: Error | undefined } | undefined = this.endedWith;
    const max = options.maxBuffered ?? Infinity;
    const listener: AnyListener = (event) => {
      const next = waiting.shift();
      if (next) return next.resolve({ value: event, done: false });
      buffer.push(event);
      if (buffer.length > max) buffer.shift();
    };
    const stop = (error: Error | undefined) => {
      if (finished) return;
      finished = { error };
      for (const name of keys) this.remove(name, listener);
      this.enders.delete(stop);
      for (const w of waiting.drain()) error ? w.reject(error) : w.resolve({ value: undefined, done: true });
    };
    const keys = names.length === 0 ? ["*"] : [...new Set(names)];
    if (!finished) {
      for (const name of keys) this.add(name, listener);
      this.enders.add(stop);
    }
    const iterator: AsyncIterableIterator<QmpEventMessage> = {
      next: () => {
        if (buffer.length > 0) return Promise.resolve({ value: buffer.shift()!, done: false });
        if (finished)
          return finished.error ? Promise.reject(finished.error) : Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return: () => {
        stop(undefined);
        buffer.clear();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  private add(name: string, listener: AnyListener): void {
    if (name === "*") return void this.all.add(listener);
    let set = this.byName.get(name);
    if (!set) this.byName.set(name, (set = new Set()));
    set.add(listener);
  }

  private remove(name: string, listener: AnyListener): void {
    if (name === "*") return void this.all.delete(listener);
    const set = this.byName.get(name);
    set?.delete(listener);
    if (set?.size === 0) this.byName.delete(name);
  }

  private call(listener: AnyListener, event: QmpEventMessage): void {
    try {
      listener(event);
    } catch (error) {
      this.onListenerError(error);
    }
  }
}

function interrupted(name: string, cause: Error | undefined): InterruptedError {
  return new InterruptedError(`the connection ended while waiting for ${name}`, undefined, { cause });
}
