/**
 * The connected server's events as an agent sees them: the most recent ones
 * kept in order (the resource `qapi-ts://events/recent`), and each one
 * passed on as it comes to whoever listens (server.ts turns that into an
 * MCP log notification and a resource-updated notification).
 *
 * Data flow: the QMP client's `on("*")` → `EventLog.add` → server.ts.
 */
import type { QmpEventMessage } from "../../runtime/messages.js";

export const recentEventsUri = "qapi-ts://events/recent";

export class EventLog {
  private readonly recent: QmpEventMessage[] = [];
  private readonly listeners = new Set<(event: QmpEventMessage) => void>();

  constructor(readonly capacity: number) {}

  add(event: QmpEventMessage): void {
    this.recent.push(event);
    if (this.recent.length > this.capacity) this.recent.splice(0, this.recent.length - this.capacity);
    for (const listener of this.listeners) listener(event);
  }

  /** The kept events, oldest first. */
  list(): readonly QmpEventMessage[] {
    return this.recent;
  }

  /** Calls `listener` for every event from now on; returns the function that stops it. */
  listen(listener: (event: QmpEventMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
