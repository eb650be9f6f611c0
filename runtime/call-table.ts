/**
 * The calls of one session between being made and being settled: ids, the
 * pending table (qmp-spec "Commands Responses": replies are matched by id),
 * the queue of in-band calls waiting for the oob window (qmp-spec: at most 8
 * in-band commands in flight once `oob` is on), and the commands that get no
 * reply (`success-response: false`).
 *
 * Each call settles exactly once: `finish` and `giveUp` both go through
 * `settleOnce`. A call that gave up (timeout, abort) stays in the table while
 * it is on the wire, so its late reply is recognised and the in-flight count
 * stays right; a queued one that gave up is skipped when its turn comes.
 *
 * No-reply commands: the server still answers one it refuses (qemu-ga's
 * `guest-shutdown` when disabled, or when the guest cannot shut down) with an
 * error carrying its id. So such a call stays registered after it is written
 * and resolves only once the server had its chance to refuse: when a reply to
 * a later in-band call arrives (replies come in order), after
 * `refusalGraceMs`, or when the session ends. An error with its id before then
 * rejects it; one after that is a late-reply diagnostic, not an unknown id.
 *
 * Data flow: runtime/session.ts `call` → `submit` → `write` (the session's
 * output) … reply → session → `take(id)` → `finish`.
 */
import { Deque } from "./deque.js";
import { InterruptedError } from "./errors.js";
import type { ValidationMode } from "./sdk.js";

/** How long a written no-reply command waits for a refusal before it counts as accepted. */
export const refusalGraceMs = 1_000;
/** qmp-spec: "the client should have at most eight in-band commands in flight" when oob is on. */
export const maxInBandInFlightWithOob = 8;
/** How many accepted no-reply ids are remembered, to recognise a refusal that comes too late. */
const rememberedAccepted = 64;

/** Where a call is. Only `queued`, `sent` and `written` calls are unsettled. */
type Phase = "queued" | "sent" | "written" | "abandoned" | "done";

/** One call, from `submit` to settlement. */
export interface Call {
  readonly id: number;
  readonly command: string;
  /** The whole message as sent, without the line end. */
  readonly text: string;
  readonly inBand: boolean;
  /** False for success-response: false commands. */
  readonly expectsReply: boolean;
  readonly validate: ValidationMode;
  /** Resolve with the whole reply message, error replies too (runtime/proxy.ts forwards it as it came). */
  readonly raw?: boolean;
  /** File descriptors to attach to the command's bytes (runtime/fd-socket.ts). */
  readonly fds?: readonly number[];
  phase: Phase;
  /** Stops the call's time limit and signal watch (runtime/deadline.ts). */
  disarm: () => void;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  acceptTimer?: NodeJS.Timeout;
}

/** What the table needs from the session: putting a call's text on the wire. */
export type CallWriter = (call: Call, written?: (error: Error | null | undefined) => void) => void;

/** Ids, pending calls, the in-band window and the queue behind it. */
export class CallTable {
  private readonly pending = new Map<number, Call>();
  private readonly queue = new Deque<Call>();
  /** Written no-reply calls still open to a refusal, oldest first (usually none). */
  private readonly unanswered: Call[] = [];
  private readonly accepted = new Deque<number>();
  private readonly acceptedIds = new Set<number>();
  private inBandInFlight = 0;
  private unsettled = 0;
  private nextId: number;
  /** In-band calls allowed in flight: unlimited until `oob` is negotiated. */
  private windowSize = Infinity;

  constructor(
    private readonly write: CallWriter,
    firstId: number,
  ) {
    this.nextId = firstId;
  }

  /** Number of calls not yet settled (sent, written or queued). */
  get count(): number {
    return this.unsettled;
  }

  /** The next id to use. */
  allocateId(): number {
    return this.nextId++;
  }

  /** Limits in-band calls in flight (after `oob` was negotiated). */
  limitWindow(size: number): void {
    this.windowSize = size;
  }

  /** Sends the call now, or queues it behind the in-band window. */
  submit(call: Call): void {
    this.unsettled++;
    if (call.inBand && this.inBandInFlight >= this.windowSize) this.queue.push(call);
    else this.send(call);
  }

  /**
   * Removes the call a reply with `id` belongs to and frees its window slot.
   * Returns it (its phase tells whether the caller already gave up), or
   * undefined when no call has that id.
   */
  take(id: number): Call | undefined {
    const call = this.pending.get(id);
    if (!call) return undefined;
    this.pending.delete(id);
    if (call.phase === "written") {
      // A no-reply command answered after all: only a refusal does that.
      this.dropUnanswered(call);
      return call;
    }
    if (call.inBand) {
      this.inBandInFlight--;
      // In-band replies come in order: no-reply calls sent before this one were not refused.
      while (this.unanswered.length > 0 && this.unanswered[0]!.id < call.id) this.accept(this.unanswered[0]!);
      this.pump();
    }
    return call;
  }

  /** True when `id` was a no-reply call accepted for want of a refusal (its refusal came too late). */
  wasAccepted(id: number): boolean {
    return this.acceptedIds.has(id);
  }

  /** Settles a call with a value or an error. Idempotent. */
  finish(call: Call, error: Error | undefined, value?: unknown): void {
    this.settleOnce(call, "done", error, value);
  }

  /**
   * The caller stopped waiting (time limit, abort). A written no-reply call
   * that reaches its time limit unrefused counts as accepted instead.
   */
  giveUp(call: Call, error: Error, byTimeout: boolean): void {
    if (call.phase === "written" && byTimeout) return this.accept(call);
    if (call.phase === "written") (this.dropUnanswered(call), this.pending.delete(call.id));
    // A sent call keeps its entry: its reply will come and must be recognised.
    this.settleOnce(call, "abandoned", error);
  }

  /**
   * Ends every call (connection lost, close, guest agent resync). No-reply
   * calls that were written resolve (nothing refused them); the others reject
   * with `interruption(command)`.
   */
  interruptAll(interruption: (command: string) => Error): void {
    const calls = [...this.pending.values(), ...this.queue];
    this.pending.clear();
    this.queue.clear();
    this.unanswered.length = 0;
    this.inBandInFlight = 0;
    for (const call of calls) {
      if (call.acceptTimer) clearTimeout(call.acceptTimer);
      if (call.phase === "written") this.settleOnce(call, "done", undefined);
      else this.settleOnce(call, "done", interruption(call.command));
    }
  }

  private send(call: Call): void {
    call.phase = "sent";
    if (call.inBand) this.inBandInFlight++;
    this.pending.set(call.id, call);
    if (call.expectsReply) return this.write(call);
    this.write(call, (error) => {
      if (call.inBand) this.inBandInFlight--;
      if (error) {
        this.pending.delete(call.id);
        this.settleOnce(
          call,
          "done",
          new InterruptedError(`${call.command} could not be sent: ${error.message}`, call.command, { cause: error }),
        );
      } else if (call.phase === "sent") {
        call.phase = "written";
        this.unanswered.push(call);
        call.acceptTimer = setTimeout(() => this.accept(call), refusalGraceMs);
      } else {
        this.pending.delete(call.id); // gave up before it was written
      }
      this.pump();
    });
  }

  /** A written no-reply call was not refused in time: it resolves, and its id is remembered. */
  private accept(call: Call): void {
    this.dropUnanswered(call);
    this.pending.delete(call.id);
    this.acceptedIds.add(call.id);
    this.accepted.push(call.id);
    if (this.accepted.length > rememberedAccepted) this.acceptedIds.delete(this.accepted.shift()!);
    this.settleOnce(call, "done", undefined);
  }

  private dropUnanswered(call: Call): void {
    if (call.acceptTimer) clearTimeout(call.acceptTimer);
    const at = this.unanswered.indexOf(call);
    if (at !== -1) this.unanswered.splice(at, 1);
  }

  /** Sends queued in-band calls while the window allows, skipping those that gave up. */
  private pump(): void {
    while (this.queue.length > 0 && this.inBandInFlight < this.windowSize) {
      const call = this.queue.shift()!;
      if (call.phase === "queued") this.send(call);
    }
  }

  private settleOnce(call: Call, phase: "done" | "abandoned", error: Error | undefined, value?: unknown): void {
    if (call.phase === "done" || call.phase === "abandoned") return;
    call.phase = phase;
    call.disarm();
    this.unsettled--;
    if (error) call.reject(error);
    else call.resolve(value);
  }
}
