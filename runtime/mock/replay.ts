/**
 * Serves a recorded QMP conversation back as a server.
 *
 * The log (runtime/conversation-log.ts) is cut into the greeting, the server messages that
 * came before any command, and one exchange per recorded command: its reply
 * (matched by `id`, or in-band order for id-less replies) and the events that
 * followed that reply. When a client sends a command, the first unused
 * exchange with the same name and equal arguments is played: the reply gets
 * the client's id, the events follow. A command with no recorded match gets a
 * GenericError and is listed in `problems`. The replaying server records its
 * own conversation too, so a test can compare it with the original.
 */
import type { Duplex } from "node:stream";
import { MockConnection, type Incoming } from "./connection.js";
import { formatLog, parseLog } from "../conversation-log.js";
import { classifyMessage } from "../messages.js";
import { Listeners, type ListenAddress, type MockAddress } from "./listen.js";
import type { JsonObject, JsonValue } from "./json-text.js";

interface Exchange {
  readonly command: JsonObject;
  /** The command's name and whether it came as `exec-oob` (from classifyMessage). */
  readonly name: string;
  readonly oob: boolean;
  reply?: JsonObject;
  readonly after: JsonObject[];
  used: boolean;
}

/** A server that replays a recorded conversation. */
export interface ReplayMockQemu {
  listen(address: ListenAddress): Promise<MockAddress>;
  attach(stream: Duplex): void;
  /** The replayed conversation, recorded like the live mock's. */
  readonly log: readonly JsonObject[];
  recording(): string;
  /** Commands that matched no recorded one, and other mismatches. */
  readonly problems: readonly string[];
  /** Recorded commands that were never asked for. */
  unused(): JsonObject[];
  close(): Promise<void>;
}

/** Deep equality of JSON values, ignoring member order. */
function sameValue(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (typeof a === "bigint" || typeof b === "bigint") return String(a) === String(b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  const ak = Object.keys(a as JsonObject);
  const bo = b as JsonObject;
  return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && sameValue((a as JsonObject)[k], bo[k]));
}

/** Splits a log into greeting, pre-command server messages and exchanges. */
function index(messages: readonly JsonObject[]): {
  greeting?: JsonObject;
  preamble: JsonObject[];
  exchanges: Exchange[];
} {
  let greeting: JsonObject | undefined;
  const preamble: JsonObject[] = [];
  const exchanges: Exchange[] = [];
  let lastAnswered: Exchange | undefined;
  for (const message of messages) {
    const m = classifyMessage(message);
    const kind = m.kind;
    if (kind === "greeting" && !greeting) greeting = message;
    else if (m.kind === "command")
      exchanges.push({ command: message, name: m.name, oob: m.oob, after: [], used: false });
    else if (kind === "return" || kind === "error") {
      const open = exchanges.filter((e) => e.reply === undefined);
      const owner =
        "id" in message ? open.find((e) => sameValue(e.command["id"], message["id"])) : open.find((e) => !e.oob);
      if (owner) {
        owner.reply = message;
        lastAnswered = owner;
      } else (lastAnswered?.after ?? preamble).push(message);
    } else (lastAnswered?.after ?? preamble).push(message);
  }
  return { ...(greeting ? { greeting } : {}), preamble, exchanges };
}

/**
 * Creates a server that answers like the recorded one.
 * @param log the recording, as text (JSON Lines or concatenated JSON) or messages
 * @throws Error when the log has no greeting or cannot be parsed
 */
export function replayMockQemu(log: string | readonly JsonObject[]): ReplayMockQemu {
  const recorded = typeof log === "string" ? parseLog(log) : log;
  const { greeting, preamble, exchanges } = index(recorded);
  if (!greeting) throw new Error("QMP log has no greeting to replay");
  const out: JsonObject[] = [];
  const problems: string[] = [];
  const listeners = new Listeners();
  const connections = new Set<MockConnection>();

  function serve(stream: Duplex): void {
    const connection: MockConnection = new MockConnection(
      stream,
      out,
      (incoming) => receive(connection, incoming),
      () => connections.delete(connection),
    );
    connections.add(connection);
    connection.send(greeting!);
    for (const message of preamble) connection.send(message);
  }

  function receive(connection: MockConnection, incoming: Incoming): void {
    if ("bad" in incoming) {
      problems.push(`unparsable input: ${incoming.bad.slice(0, 80)}`);
      return connection.send({ error: { class: "GenericError", desc: `JSON parse error, ${incoming.reason}` } });
    }
    const message = incoming.message;
    const m = classifyMessage(message);
    const name = m.kind === "command" ? m.name : undefined;
    const oob = m.kind === "command" && m.oob;
    const exchange = exchanges.find(
      (e) => !e.used && e.name === name && e.oob === oob && sameValue(e.command["arguments"], message["arguments"]),
    );
    const id = message["id"];
    if (!exchange) {
      problems.push(`no recorded command matches ${JSON.stringify(message)}`);
      const body: JsonObject = {
        error: { class: "GenericError", desc: `replay: no recorded '${name}' with these arguments` },
      };
      return connection.send(id === undefined ? body : { ...body, id });
    }
    exchange.used = true;
    if (exchange.reply) {
      // The reply carries the id the client used now, not the recorded one.
      const { id: _recorded, ...body } = exchange.reply;
      connection.send(id === undefined ? body : { ...body, id });
    }
    for (const message of exchange.after) connection.send(message);
  }

  return {
    listen(address) {
      return listeners.listen(address, serve);
    },
    attach: serve,
    get log() {
      return out;
    },
    recording() {
      return formatLog(out);
    },
    get problems() {
      return problems;
    },
    unused() {
      return exchanges.filter((e) => !e.used).map((e) => e.command);
    },
    async close() {
      for (const connection of connections) connection.close();
      await listeners.close();
    },
  };
}
