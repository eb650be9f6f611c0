/**
 * Connecting the ready-made SDKs' clients to a scripted hostile peer, for
 * hostile-peer.test.ts and fuzz-hostile.test.ts: QMP through `qapi-ts/qemu`,
 * the guest agent through `qapi-ts/qga`, untyped so the tests can call
 * commands no schema has.
 */
import { connect as connectQemu } from "../../generated/qemu/index.js";
import { connect as connectQga } from "../../generated/qga/index.js";
import { QmpError, type ConnectOptions } from "../../runtime/index.js";
import type { QmpClient } from "../../runtime/client.js";

/** A client whose calls the test names freely. */
export type UntypedClient = QmpClient<never, never> & {
  executeWith(name: string, args: undefined, options: object): Promise<unknown>;
};

/** Connects with the SDK of `protocol`. @throws what connect throws */
export async function connectEither(protocol: "qmp" | "qga", options: ConnectOptions): Promise<UntypedClient> {
  const client = await (protocol === "qmp" ? connectQemu(options) : connectQga(options));
  return client as unknown as UntypedClient;
}

/** Every error the runtime raises for a peer's fault is a QmpError. */
export const typed = (e: unknown): boolean => e instanceof QmpError;
