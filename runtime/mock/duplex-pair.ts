/**
 * An in-memory pair of connected duplex streams: what one side writes, the
 * other reads. Lets a client and a mock server (server.ts, replay.ts) talk in
 * one process without sockets, as vscode-jsonrpc's tests do with TestDuplex.
 */
import { Duplex } from "node:stream";

/** Creates two connected streams; ending one ends the other's readable side. */
export function createDuplexPair(): [Duplex, Duplex] {
  let left: Duplex | undefined;
  let right: Duplex | undefined;
  const ended = new WeakSet<Duplex>();
  const endOf = (side: Duplex) => {
    if (ended.has(side) || side.destroyed) return;
    ended.add(side);
    side.push(null);
  };
  const make = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        if (!ended.has(peer())) peer().push(chunk);
        callback();
      },
      final(callback) {
        endOf(peer());
        callback();
      },
      destroy(error, callback) {
        // A destroyed side looks to its peer like a hang-up.
        endOf(peer());
        callback(error);
      },
    });
  left = make(() => right!);
  right = make(() => left!);
  return [left, right];
}
