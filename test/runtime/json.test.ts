/**
 * Tests of the lossless JSON reader/writer (runtime/json.ts) and the stream
 * splitter (runtime/json-stream.ts): exact 64-bit integers, `__proto__` safety,
 * chunk boundaries, CRLF, pretty-printed messages, garbage and size limits.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseJson, stringifyJson } from "../../runtime/json.js";
import { JsonStreamError, JsonTextSplitter, splitJsonTexts } from "../../runtime/json-stream.js";

test("integers beyond 2^53 - 1 come back exact as bigint, and are written back unchanged", () => {
  const text =
    '{"return":{"max":18446744073709551615,"min":-9223372036854775808,"safe":9007199254740991,"f":1.5e+300},"id":1}';
  const value = parseJson(text) as { return: Record<string, unknown> };
  assert.equal(value.return.max, 18446744073709551615n);
  assert.equal(value.return.min, -9223372036854775808n);
  assert.equal(value.return.safe, 9007199254740991);
  assert.equal(value.return.f, 1.5e300);
  assert.equal(stringifyJson(value), text);
});

test("texts without long digit runs parse exactly as JSON.parse", () => {
  const text =
    '{"event":"STOP","timestamp":{"seconds":1700000000,"microseconds":123456},"data":{"s":"a\\"b\\u00e9\\n","a":[1,-0.5,true,null,{}]}}';
  assert.deepEqual(parseJson(text), JSON.parse(text));
});

test("the lossless path agrees with JSON.parse on everything but big integers", () => {
  const text =
    '{"big":12345678901234567890,"s":"1234567890123456789 in a string \\\\ \\" \\ud83d\\ude00","n":[0,-1,2.5e-3,1E+2,true,false,null],"e":{},"x":[]}';
  const ours = parseJson(text) as Record<string, unknown>;
  const plain = JSON.parse(text) as Record<string, unknown>;
  assert.equal(ours.big, 12345678901234567890n);
  assert.deepEqual({ ...ours, big: 0 }, { ...plain, big: 0 });
});

test("a __proto__ member is an own property on both paths, never the prototype", () => {
  for (const text of ['{"__proto__":{"polluted":1}}', '{"__proto__":{"polluted":1},"n":12345678901234567890}']) {
    const value = parseJson(text) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value).includes("__proto__"), true);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
});

test("invalid JSON raises SyntaxError on both paths", () => {
  for (const text of [
    '{"a":}',
    '{"a":12345678901234567890,}',
    '{"a":12345678901234567890',
    "[1,2]x",
    '{"a":"\u0001 12345678901234567"}',
  ]) {
    assert.throws(() => parseJson(text), SyntaxError, text);
  }
});

test("stringifyJson follows JSON.stringify for undefined members, toJSON and non-finite numbers", () => {
  const value = { a: undefined, b: [undefined, NaN], c: new Date(0), d: 1n };
  assert.equal(stringifyJson(value), '{"b":[null,null],"c":"1970-01-01T00:00:00.000Z","d":1}');
  const circular: Record<string, unknown> = { n: 1n };
  circular.self = circular;
  assert.throws(() => stringifyJson(circular), TypeError);
});

test("the splitter handles CRLF, several messages per chunk, and a message cut anywhere", () => {
  const messages = ['{"return": {}, "id": 1}', '{"event": "STOP", "data": {"reason": "a}b{\\"c"}}', '[1, {"x": "]"}]'];
  const stream = messages.join("\r\n") + "\r\n";
  for (let cut = 0; cut <= stream.length; cut++) {
    const splitter = new JsonTextSplitter();
    const got = [...splitter.push(stream.slice(0, cut)), ...splitter.push(stream.slice(cut))];
    assert.deepEqual(got, messages, `cut at ${cut}`);
  }
  const oneByOne = new JsonTextSplitter();
  assert.deepEqual(
    [...stream].flatMap((c) => oneByOne.push(c)),
    messages,
  );
});

test("the splitter reads pretty-printed multi-line messages and concatenated objects", () => {
  const pretty = '{\n    "return": {\n        "status": "running"\n    },\n    "id": 3\n}\n{"a":1}{"b":2}';
  assert.deepEqual(
    splitJsonTexts(pretty).map((t) => JSON.parse(t)),
    [{ return: { status: "running" }, id: 3 }, { a: 1 }, { b: 2 }],
  );
});

test("the splitter rejects text between messages and messages over the limit", () => {
  assert.throws(
    () => new JsonTextSplitter().push('{"a":1} oops'),
    (e: unknown) => e instanceof JsonStreamError && e.reason === "garbage",
  );
  const small = new JsonTextSplitter(16);
  assert.deepEqual(small.push('{"a":"12345"}'), ['{"a":"12345"}']);
  assert.throws(
    () => small.push('{"a":"1234567890123"}'),
    (e: unknown) => e instanceof JsonStreamError && e.reason === "oversize",
  );
  // A message growing over the limit across chunks is caught before it completes.
  const growing = new JsonTextSplitter(16);
  growing.push('{"a":"1234');
  assert.throws(
    () => growing.push("5678901234"),
    (e: unknown) => e instanceof JsonStreamError && e.reason === "oversize",
  );
  assert.throws(() => splitJsonTexts('{"a":1}{"b":'), JsonStreamError);
});

test("every unsafe integer is found, whatever its length and position (the fast-path check samples)", () => {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const digit = () => String(Math.floor(random() * 10));
  for (let round = 0; round < 3000; round++) {
    const tokens: string[] = [];
    for (let t = Math.floor(random() * 6); t >= 0; t--) {
      let token = String(1 + Math.floor(random() * 9));
      for (let d = Math.floor(random() * 21); d > 0; d--) token += digit();
      tokens.push(token);
    }
    const text = " ".repeat(Math.floor(random() * 16)) + "[" + tokens.join(",") + "]";
    const expected = tokens.map((token) =>
      BigInt(token) > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(token) : Number(token),
    );
    assert.deepEqual(parseJson(text), expected, text);
  }
});

test("a long message arriving in many small chunks is joined once; a byte-order mark is skipped", () => {
  const message = JSON.stringify({
    return: Array.from({ length: 20_000 }, (_, i) => ({ name: `cmd-${i}`, "x{y": "}]" })),
  });
  const splitter = new JsonTextSplitter();
  const got: string[] = [];
  for (let at = 0; at < message.length; at += 1000) got.push(...splitter.push(message.slice(at, at + 1000)));
  assert.deepEqual(got, [message]);
  assert.deepEqual(splitJsonTexts('\uFEFF{"a":1}\n'), ['{"a":1}']);
});
