/**
 * Ways to break a QAPI schema file, for the front-end fuzz test
 * (test/generator/frontend/fuzz.test.ts). Each mutation takes real schema text and
 * returns new bytes; the test writes them next to the original so that the
 * file's own `include` directives still resolve, then loads the result.
 * Bytes rather than strings, so a mutation can produce invalid UTF-8.
 */
import type { Prng } from "./prng.js";

/** Bytes that keep a file valid UTF-8: control characters and QAPI's syntax characters. */
const asciiJunk = [
  0x00,
  0x01,
  0x07,
  0x08,
  0x0b,
  0x0c,
  0x1b,
  0x7f,
  ..."{}[]:,'\"#\\\t\r\n ".split("").map((c) => c.charCodeAt(0)),
];
/** Bytes that are never valid UTF-8 on their own or make broken sequences. */
const nonUtf8Junk = [0x80, 0xbf, 0xc3, 0xe2, 0xf0, 0xfe, 0xff];

/** The first `length` bytes. */
export function truncate(source: Buffer, length: number): Buffer {
  return source.subarray(0, Math.max(0, Math.min(length, source.length)));
}

/** `count` single quotes, chosen at random, turned into double quotes (which QAPI rejects). */
export function swapQuotes(source: Buffer, rng: Prng, count: number): Buffer {
  const quotes: number[] = [];
  source.forEach((byte, index) => byte === 0x27 && quotes.push(index));
  const out = Buffer.from(source);
  for (let i = 0; i < count && quotes.length > 0; i++) out[rng.pick(quotes)] = 0x22;
  return out;
}

/** 1–8 junk bytes inserted at a random offset; with `breakUtf8`, some may be invalid UTF-8. */
export function insertJunk(source: Buffer, rng: Prng, breakUtf8: boolean): Buffer {
  const at = rng.int(0, source.length);
  const palette = breakUtf8 ? [...asciiJunk, ...nonUtf8Junk] : asciiJunk;
  const junk = Buffer.from(Array.from({ length: rng.int(1, 8) }, () => rng.pick(palette)));
  return Buffer.concat([source.subarray(0, at), junk, source.subarray(at)]);
}

/** A random span of 1–64 bytes removed. */
export function deleteSpan(source: Buffer, rng: Prng): Buffer {
  const at = rng.int(0, Math.max(0, source.length - 1));
  return Buffer.concat([source.subarray(0, at), source.subarray(at + rng.int(1, 64))]);
}

/** Two random lines exchanged (breaks bracket and doc-comment structure). */
export function swapLines(source: Buffer, rng: Prng): Buffer {
  const lines = source.toString("latin1").split("\n");
  const a = rng.int(0, lines.length - 1);
  const b = rng.int(0, lines.length - 1);
  [lines[a], lines[b]] = [lines[b]!, lines[a]!];
  return Buffer.from(lines.join("\n"), "latin1");
}

/** `text` inserted at the start of a random line. */
export function insertAtLineStart(source: Buffer, rng: Prng, text: string): Buffer {
  const starts = [0];
  source.forEach((byte, index) => byte === 0x0a && starts.push(index + 1));
  const at = rng.pick(starts);
  return Buffer.concat([source.subarray(0, at), Buffer.from(text, "utf8"), source.subarray(at)]);
}

/** A struct whose member type is nested `depth` arrays deep: balanced, so only the depth is at fault. */
export function deeplyNestedStruct(depth: number): string {
  return `{ 'struct': 'Deep', 'data': { 'member': ${"[".repeat(depth)}'int'${"]".repeat(depth)} } }\n`;
}

/** `depth` opening braces and nothing else. */
export function unclosedNesting(depth: number): string {
  return `{ 'struct': 'Deep', 'data': ${"{ 'a': ".repeat(depth)}\n`;
}

/** A struct whose 'if' condition is `depth` nested 'not's: valid QAPI, only deep. */
export function deeplyNestedCondition(depth: number): string {
  return `{ 'struct': 'Deep', 'data': { 'a': 'int' }, 'if': ${"{ 'not': ".repeat(depth)}'X'${" }".repeat(depth)} }\n`;
}
