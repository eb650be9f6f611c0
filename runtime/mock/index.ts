/**
 * A mock QEMU for tests: the server side of QMP, live or replayed.
 *
 * ## Live mock
 *
 *   const mock = createMockQemu<CommandMap, EventMap>({
 *     sdk,                                   // optional: strict argument, reply and event checks
 *     handlers: { "query-status": () => ({ running: true, status: "running" }) },
 *     events: [{ event: "RESUME", after: "cont" }],   // optional scripted events
 *     greeting: { capabilities: ["oob"] },   // optional; version defaults to sdk.qemuVersion
 *     schema,                                // optional query-qmp-schema reply
 *     faults: { commands: { "query-status": { reply: "no-id" } } },
 *   });
 *   const address = await mock.listen({ path: "/tmp/x.sock" }); // or { port: 0 } for TCP
 *   // or, in memory: const [client, server] = createDuplexPair(); mock.attach(server);
 *   mock.emit("STOP");                       // typed by EventMap; validated when sdk is given
 *   mock.recording();                        // the conversation as JSON Lines
 *   mock.problems;                           // invalid handler replies, handler crashes
 *   await mock.close();
 *
 * Behaviour, per connection, as QEMU's monitor: greeting `{"QMP": {version,
 * capabilities}}`; before `qmp_capabilities` every other command gets
 * CommandNotFound; `qmp_capabilities` twice gets CommandNotFound; `enable:
 * ["oob"]` turns on `exec-oob` (which then needs an `id` and, with an sdk, a
 * command that allows oob); in-band commands run one after the other while
 * out-of-band ones overtake them; ids are echoed; unknown top-level members,
 * non-object arguments and unparsable input get GenericError; unknown commands
 * get CommandNotFound; with an sdk, arguments failing `validators.commandArgs`
 * (strict) get GenericError naming the JSON path. Commands with
 * `successResponse: false` get no reply. A handler throws `MockCommandError(class,
 * desc)` for an error reply; returning undefined replies `{}`. Built-in answers
 * unless a handler overrides them: `query-version`, `query-commands`,
 * `query-qmp-schema` when `schema` is given, and `{}` for a command that a
 * scripted event names in `after`.
 *
 * Faults (faults.ts): no greeting, garbage or events before it, garbage
 * instead of it, a delayed greeting; per command (or `*`): delay, no reply,
 * garbage, truncated reply then close, oversize reply, reply without id, reply
 * with an unknown id (`unknownId` picks it), close mid-command, an error
 * instead of running it (`errorReply`, which can fail `qmp_capabilities`),
 * exact raw text instead of the reply (`replaceWith`), raw text in the same
 * write after the reply (`garbageAfter`: one chunk for the client), events
 * just before the reply (`eventsBefore`). These let the runtime's own
 * protocol and fault tests (test/runtime/client-*.test.ts) run against the
 * mock:
 *
 *   faults: { greeting: { eventsBefore: ["EARLY"] },
 *             commands: { qmp_capabilities: { eventsBefore: ["EARLY_2"], garbageAfter: "GARBAGE\r\n" } } }
 *
 * ## Replay
 *
 *   const replay = replayMockQemu(mock.recording());   // or any QMP log text
 *   replay.attach(serverSide);    // or listen(...)
 *   replay.problems;              // commands that matched no recorded one
 *   replay.unused();              // recorded commands never asked for
 *
 * ## Log format
 *
 * Raw QMP messages of both directions, JSON Lines or concatenated JSON
 * objects; direction is inferred from shape (`classifyMessage`, the client's
 * own classifier). Reading and writing are runtime/conversation-log.ts's.
 *
 * @module qapi-ts/mock
 */
// The public types use Node's (streams, sockets, child processes): @types/node is a dependency of the package.
/// <reference types="node" preserve="true" />
export { createMockQemu, MockCommandError } from "./server.js";
export type {
  MockCallContext,
  MockGreeting,
  MockHandler,
  MockHandlers,
  MockQemu,
  MockQemuOptions,
  ScriptedEvent,
} from "./server.js";
export { replayMockQemu } from "./replay.js";
export type { ReplayMockQemu } from "./replay.js";
export type { ListenAddress, MockAddress } from "./listen.js";
export { MockListenError } from "./listen.js";
export type { CommandFault, GreetingFault, MockFaults } from "./faults.js";
export { formatLog, parseLog } from "../conversation-log.js";
export { classifyMessage, directionOf } from "../messages.js";
export type { ClassifiedMessage, MessageKind } from "../messages.js";
export { createDuplexPair } from "./duplex-pair.js";
export type { JsonObject, JsonValue } from "./json-text.js";
