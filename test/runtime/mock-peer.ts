/**
 * Wiring for the runtime's protocol and fault tests: a mock QEMU
 * (runtime/mock) serves one end of an in-memory duplex pair and the runtime
 * client gets the other, so the tests play their scenarios with the same mock
 * the SDK's users get, its fault knobs standing in for what real QEMU cannot
 * be made to do.
 */
import type { Duplex } from "node:stream";
import {
  createDuplexPair,
  createMockQemu,
  type MockQemu,
  type MockQemuOptions,
  type JsonObject,
} from "../../runtime/mock/index.js";
import type { CommandMapEntry } from "../../runtime/sdk.js";

type GenericCommands = Record<string, CommandMapEntry>;
type GenericEvents = Record<string, object | undefined>;

/** Options of the generic (untyped) mock the runtime tests use. */
export type PeerOptions = MockQemuOptions<GenericCommands, GenericEvents>;

/** A mock with one attached connection and the client's end of it. */
export interface MockPeer {
  readonly mock: MockQemu<GenericEvents>;
  /** The client's end of the duplex pair. */
  readonly stream: Duplex;
  /** The transport target to connect the runtime client with. */
  readonly target: { stream: Duplex };
  /** Every command the mock received, in order (taken from its log). */
  commands(): JsonObject[];
}

/** QEMU 7.2's version, which the greeting assertions expect; the mock's default is its own. */
export const qemu72: JsonObject = { qemu: { major: 7, minor: 2, micro: 0 }, package: "mock" };

/** Creates a mock from `options` (greeting version defaulting to 7.2) and attaches one connection. */
export function mockPeer(options: PeerOptions = {}): MockPeer {
  const mock = createMockQemu<GenericCommands, GenericEvents>({
    ...options,
    greeting: { version: qemu72, ...options.greeting },
  });
  const [clientSide, serverSide] = createDuplexPair();
  mock.attach(serverSide);
  return {
    mock,
    stream: clientSide,
    target: { stream: clientSide },
    commands: () => mock.log.filter((m) => "execute" in m || "exec-oob" in m),
  };
}

/**
 * Resolves once `condition` holds, checking after each turn of the event loop
 * (no clock involved). A condition that already holds resolves at once, so a
 * handler may answer in the very turn the client connected in: what the client
 * read then is still handed over in wire order, even when a fault follows it.
 */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/** A promise that never settles: a handler returning it leaves its command unanswered. */
export function never(): Promise<never> {
  return new Promise(() => undefined);
}
