/**
 * Seeded hostile JSON texts for the peer fuzzers (test/runtime/fuzz-hostile.test.ts,
 * test/tools/shell/hostile-terminal.qemu.test.ts): values holding bigints (2^64,
 * −2^63 − 1, 20-digit ids), nesting past the reader's depth limit or just
 * within it, recursive-type chains (BlockStats `backing`), strings and keys
 * with terminal escape sequences, bare CRs, C1 and bidi characters, keys
 * named like Object.prototype's members, and version lies in greetings.
 * Texts, not values: a depth past the limit cannot be built as a value and
 * written by JSON.stringify without overflowing its stack.
 *
 * Data flow: a Prng (prng.ts) → `hostileValue` / `hostileMessage` /
 * `hostileGreeting` → bytes a fake peer writes.
 */
import type { Prng } from "./prng.js";

const bigints = ["18446744073709551616", "-9223372036854775809", "18446744073709551615", "99999999999999999999"];
const nasty = [
  "\u001b]0;FUZZ-TITLE\u0007",
  "\u001b]52;c;RlVaWg==\u0007",
  "\u001b[2J\u001b[H",
  "\u001b]8;;http://evil.example/\u0007x\u001b]8;;\u0007",
  "over\rwrite",
  "\u009b2J",
  "\u202eevil\u202c",
  "\u0000\u007f\u0085",
  "\u2028\u2029",
];
const protoKeys = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "then"];

/** A JSON string literal with hostile content. */
export function hostileString(rng: Prng): string {
  const parts = Array.from({ length: rng.int(1, 3) }, () => (rng.next() < 0.7 ? rng.pick(nasty) : "text"));
  return JSON.stringify(parts.join(""));
}

/** A JSON text of a hostile value; `depth` caps its nesting (past the reader's limit or not). */
export function hostileValue(rng: Prng, depth = rng.pick([1, 3, 600, 1_030, 5_000])): string {
  const roll = rng.next();
  if (depth > 50) {
    // Deep: a plain nest, or a recursive-type chain.
    if (roll < 0.5) return "[".repeat(depth) + rng.pick(bigints) + "]".repeat(depth);
    return '{"backing":'.repeat(depth) + `{"stats":${hostileString(rng)}}` + "}".repeat(depth);
  }
  if (depth <= 0 || roll < 0.3) return rng.pick([rng.pick(bigints), hostileString(rng), "null", "true", "-0", "1e400"]);
  if (roll < 0.5) return `[${Array.from({ length: rng.int(0, 3) }, () => hostileValue(rng, depth - 1)).join(",")}]`;
  const members = Array.from({ length: rng.int(0, 4) }, () => {
    const key = rng.next() < 0.4 ? JSON.stringify(rng.pick(protoKeys)) : hostileString(rng);
    return `${key}:${hostileValue(rng, depth - 1)}`;
  });
  return `{${members.join(",")}}`;
}

/** A hostile server message; `id` is the id of a call in flight (text), for replies that may belong to it. */
export function hostileMessage(rng: Prng, id: string): string {
  const someId = () => rng.pick([id, id, rng.pick(bigints), hostileValue(rng, 2), "null"]);
  const ts = () =>
    rng.next() < 0.5 ? '{"seconds":1,"microseconds":2}' : rng.pick([hostileValue(rng, 2), rng.pick(bigints), "-1"]);
  switch (rng.int(0, 6)) {
    case 0:
      return `{"return":${hostileValue(rng)},"id":${someId()}}`;
    case 1:
      return `{"error":{"class":${hostileString(rng)},"desc":${hostileValue(rng)}},"id":${someId()}}`;
    case 2:
      return `{"error":${hostileValue(rng)}}`; // id-less: ends a QMP session
    case 3:
      return `{"event":${rng.next() < 0.5 ? '"STOP"' : hostileString(rng)},"data":${hostileValue(rng)},"timestamp":${ts()}}`;
    case 4:
      return `{"return":${hostileValue(rng)},"id":${someId()},${JSON.stringify(rng.pick(protoKeys))}:${hostileValue(rng, 2)}}`;
    case 5:
      return hostileValue(rng); // neither reply nor event
    default:
      return `{"QMP":${hostileGreetingBody(rng)}}`; // a second greeting
  }
}

function hostileGreetingBody(rng: Prng): string {
  const number = () =>
    rng.pick(["7", "10", '"/../../etc"', rng.pick(bigints), "-1", "1.5", "null", hostileString(rng)]);
  const version =
    rng.next() < 0.2
      ? rng.pick(["null", "{}", hostileValue(rng, 2)])
      : `{"qemu":{"major":${number()},"minor":${number()},"micro":${number()}},"package":${hostileString(rng)}}`;
  const capabilities =
    rng.next() < 0.8 ? `[${rng.next() < 0.5 ? '"oob"' : hostileValue(rng, 1)}]` : hostileValue(rng, 1);
  return rng.next() < 0.1 ? hostileValue(rng, 2) : `{"version":${version},"capabilities":${capabilities}}`;
}

/** A greeting that lies about its version (or is no greeting at all). */
export function hostileGreeting(rng: Prng): string {
  return rng.next() < 0.15 ? hostileValue(rng, 3) : `{"QMP":${hostileGreetingBody(rng)}}`;
}
