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
 * is anything refused before sending. The runtime's log writer
 * (runtime/conversation-log.ts) writes each line at once, so a session that
 * ends abruptly still leaves a valid log.
 */
import { LogFileWriter } from "../../runtime/conversation-log.js";
import type { QmpEventMessage, QmpGreeting } from "../../runtime/messages.js";

/** Turns what a shell session did into the QMP messages of a log file. */
export class ConversationRecorder {
  private readonly writer: LogFileWriter;

  /** @throws Error (from node:fs) when the file cannot be created */
  constructor(readonly path: string) {
    this.writer = new LogFileWriter(path);
  }

  private write(message: object): void {
    this.writer.append(message);
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
    this.writer.close();
  }
}
