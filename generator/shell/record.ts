/**
 * `--record FILE`: the conversation of a shell session as JSON Lines, the log
 * format `qapi-ts validate-log` reads and runtime/mock records (one wire
 * message a line; direction follows from each message's shape).
 *
 * The file starts with the server's greeting and the capabilities
 * negotiation, then holds every command the user sent, its reply (`return` or
 * `error`) and every event received, in the order the shell saw them. Commands
 * are written without the client's `id`s (the log matches replies in order,
 * and the shell waits for each reply before the next command). The shell's
 * own start-up queries (`query-qmp-schema`, `guest-info`) are left out, and so
 * is anything refused before sending. Each line is written at once
 * (synchronously), so a session that ends abruptly still leaves a valid log.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { stringifyJson } from "../../runtime/json.js";
import type { QmpEventMessage, QmpGreeting } from "../../runtime/messages.js";

/** Appends a session's messages to a log file. */
export class ConversationRecorder {
  private fd: number | undefined;

  /** @throws Error (from node:fs) when the file cannot be created */
  constructor(readonly path: string) {
    // Owner-only, as the history file: the conversation may hold passwords and secrets.
    this.fd = openSync(path, "w", 0o600);
  }

  private write(message: object): void {
    if (this.fd !== undefined) writeSync(this.fd, stringifyJson(message) + "\n");
  }

  /** The greeting and negotiation the session started with (none for the guest agent). */
  start(greeting: QmpGreeting | undefined, enabled: readonly string[]): void {
    if (!greeting) return;
    this.write({ QMP: greeting });
    this.write(
      enabled.length > 0
        ? { execute: "qmp_capabilities", arguments: { enable: enabled } }
        : { execute: "qmp_capabilities" },
    );
    this.write({ return: {} });
  }

  command(name: string, args: unknown): void {
    this.write(args === undefined ? { execute: name } : { execute: name, arguments: args });
  }

  reply(value: unknown): void {
    this.write({ return: value });
  }

  error(errorClass: string, desc: string): void {
    this.write({ error: { class: errorClass, desc } });
  }

  event(event: QmpEventMessage): void {
    this.write(
      event.data === undefined
        ? { event: event.event, timestamp: event.timestamp }
        : { event: event.event, data: event.data, timestamp: event.timestamp },
    );
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
