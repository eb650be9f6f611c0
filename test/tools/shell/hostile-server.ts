/**
 * A hostile QMP server and a hostile guest agent on unix sockets, for the
 * shell's terminal tests (hostile-terminal.qemu.test.ts): every text they
 * send — the greeting's package, command and event names in their schema,
 * replies, error classes and descriptions, event names and timestamps, the
 * bytes that end the connection, the agent's `guest-info` — carries terminal
 * escape sequences (`payload`). Byte-level on purpose: the mock (runtime/mock)
 * would refuse most of this.
 *
 * Data flow: test → `serveHostile(path, kind)` → the shell connects → each
 * command answered per `answer` below.
 */
import { createServer, type Server, type Socket } from "node:net";
import { JsonTextSplitter } from "../../../runtime/json-stream.js";
import { parseJson, stringifyJson } from "../../../runtime/json.js";
import { createPrng, type Prng } from "../../support/prng.js";
import { hostileMessage } from "../../support/hostile-values.js";

/** Sets the title, fills the clipboard, clears the screen, links, reorders, overwrites, and a C1 CSI. */
export const payload =
  "\x1b]0;PWNED-TITLE\x07\x1b]52;c;UFdORUQtQ0xJUA==\x07\x1b[2J\x1b[H" +
  "\x1b]8;;http://evil.example/\x07link\x1b]8;;\x07 \u202eevil\u202c TAIL\rCR \x9b2J";

/** The names the hostile schema gives its commands (the shell checks commands against the schema). */
export const hostileCommands = ["hostile-reply", "hostile-error", "hostile-event", "hostile-close", "hostile-fuzz"];

function introspection(): unknown[] {
  const commands = [...hostileCommands, `evil${payload}`].map((name) => ({
    name,
    "meta-type": "command",
    "arg-type": "0",
    "ret-type": "any",
  }));
  return [
    ...commands,
    { name: `EVENT${payload}`, "meta-type": "event", "arg-type": "0" },
    { name: "0", "meta-type": "object", members: [] },
    { name: "any", "meta-type": "builtin", "json-type": "value" },
  ];
}

function answer(socket: Socket, message: Record<string, unknown>, rng: Prng): void {
  const send = (m: unknown): void => void socket.write(stringifyJson(m) + "\r\n");
  const id = message["id"];
  const name = message["execute"];
  switch (name) {
    case "guest-sync-delimited":
      socket.write(Buffer.from([0xff]));
      return send({ return: (message["arguments"] as Record<string, unknown>)["id"], id });
    case "guest-info":
      return send({
        return: { version: `../../..${payload}`, supported_commands: [{ name: "guest-ping", enabled: true }] },
        id,
      });
    case "qmp_capabilities":
      return send({ return: {}, id });
    case "query-qmp-schema":
      return send({ return: introspection(), id });
    case "hostile-reply":
      return send({ return: { [`key${payload}`]: payload, text: payload }, id });
    case "hostile-event":
      send({ event: `EVENT${payload}`, data: { x: payload }, timestamp: { seconds: 1e300, microseconds: payload } });
      send({ event: "STOP", timestamp: payload });
      return send({ return: payload, id });
    case "hostile-fuzz":
      // Seeded hostile messages (test/support/hostile-values.ts), then, sometimes, the reply.
      for (let i = rng.int(1, 3); i > 0; i--) socket.write(hostileMessage(rng, String(id)) + "\r\n");
      if (rng.next() < 0.5) send({ return: {}, id });
      return;
    case "hostile-close":
      socket.end(`${payload}\r\n`); // not JSON: the session ends, and its reason quotes the bytes
      return;
    default:
      // hostile-error, guest-ping and anything else: an error all of whose text is hostile.
      return send({ error: { class: `Class${payload}`, desc: `desc${payload}` }, id });
  }
}

/** Serves one hostile peer per connection at `path`; `hostile-fuzz` draws from a generator seeded by `seed` and the connection. */
export function serveHostile(path: string, kind: "qmp" | "qga", seed = 1): Promise<Server> {
  let connections = 0;
  const server = createServer((socket) => {
    const rng = createPrng(seed + connections++);
    socket.on("error", () => undefined);
    const splitter = new JsonTextSplitter();
    if (kind === "qmp")
      socket.write(
        stringifyJson({
          QMP: { version: { qemu: { major: "/../../etc", minor: 2, micro: 0 }, package: payload }, capabilities: [] },
        }) + "\r\n",
      );
    socket.on("data", (chunk: Buffer) => {
      const text = [...chunk]
        .filter((b) => b !== 0xff)
        .map((b) => String.fromCharCode(b))
        .join("");
      for (const json of splitter.push(text)) answer(socket, parseJson(json) as Record<string, unknown>, rng);
    });
  });
  return new Promise((resolve) => server.listen(path, () => resolve(server)));
}
