/**
 * The shell's input syntax, before the schema is consulted: a line is cut into
 * words (quotes and brackets keep spaces inside a word), and `key=value` words
 * become a tree whose keys may be dotted (`file.filename=x`) and whose numeric
 * key segments are list indexes (`keys.0=ctrl keys.1=alt`). Leaves stay raw
 * strings (`RawValue`); coerce.ts turns them into JSON by the schema's types,
 * then the validator engine checks the result (run-line.ts).
 *
 * Accepted lines:
 *   query-status
 *   blockdev-add driver=null-co node-name=n0 size=1048576
 *   qom-get path=/machine property=type
 *   device_add {"driver": "virtio-rng-pci"}           (JSON arguments)
 *   {"execute": "query-status", "arguments": {}}       (a whole QMP command)
 */
import { parseJson } from "../../runtime/json.js";

/** A word of the line and where it starts (for completion). */
export interface Word {
  readonly text: string;
  readonly start: number;
}

/** A value as typed, not yet given a JSON type. */
export class RawValue {
  constructor(readonly text: string) {}
}

/** A tree of typed-in arguments: objects, lists, and raw leaves (or JSON already parsed from `{…}`). */
export type ArgTree = RawValue | ArgObject | ArgTree[] | ParsedJson;
/** An object node; a Map keeps the order typed. */
export type ArgObject = Map<string, ArgTree>;
/** JSON given literally (a `{…}` argument object); never coerced again. */
export class ParsedJson {
  constructor(readonly value: unknown) {}
}

/** A syntax error in the line, with a message that names the culprit. */
export class ArgSyntaxError extends Error {
  override name = "ArgSyntaxError";
}

/** What a line asks for: a command with an argument tree (undefined: none given). */
export interface ParsedLine {
  readonly command: string;
  readonly args: ArgObject | ParsedJson | undefined;
}

/**
 * Cuts a line into words. Quotes ('…', "…") group and are removed; a backslash
 * escapes the next character outside single quotes; inside `[…]` / `{…}`
 * spaces do not split (JSON values), and their quotes are kept.
 * An unterminated quote or bracket runs to the end of the line (completion
 * works on half-typed lines); `strict` makes that an error.
 * @throws ArgSyntaxError with `strict` on an unterminated quote or bracket
 */
export function splitWords(line: string, strict = false): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    const start = i;
    let text = "";
    let depth = 0;
    let quote: string | undefined;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) {
          quote = undefined;
          if (depth > 0) text += c;
        } else if (c === "\\" && quote === '"' && i + 1 < line.length) {
          if (depth > 0) text += c;
          text += line[++i]!;
        } else text += c;
      } else if (c === "'" || c === '"') {
        quote = c;
        if (depth > 0) text += c;
      } else if (c === "\\" && i + 1 < line.length && depth === 0) {
        text += line[++i]!;
      } else if (depth === 0 && /\s/.test(c)) {
        break;
      } else {
        if (c === "[" || c === "{") depth++;
        else if ((c === "]" || c === "}") && depth > 0) depth--;
        text += c;
      }
    }
    if (strict && quote) throw new ArgSyntaxError(`unterminated ${quote} quote in '${line.slice(start)}'`);
    if (strict && depth > 0) throw new ArgSyntaxError(`unclosed bracket in '${line.slice(start)}'`);
    words.push({ text, start });
  }
  return words;
}

/** A key path: member names, and list indexes as numbers. */
export type KeyPath = (string | number)[];

/**
 * Splits `a.b.0.c` into `["a", "b", 0, "c"]`.
 * @throws ArgSyntaxError on an empty segment
 */
export function parseKeyPath(key: string): KeyPath {
  const segments = key.split(".");
  if (segments.some((s) => s === "")) throw new ArgSyntaxError(`'${key}': empty name in the key`);
  return segments.map((s) => (/^(0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** Shows a key path the way it is typed. */
export function showKeyPath(path: KeyPath): string {
  return path.join(".");
}

/**
 * Builds the tree of `key=value` words.
 * @throws ArgSyntaxError for a word without `=`, a key set twice, a value and an object at one key, or a list with a gap
 */
export function buildArgTree(words: readonly string[]): ArgObject {
  const root = new Group(false);
  for (const word of words) {
    const eq = word.indexOf("=");
    if (eq <= 0) throw new ArgSyntaxError(`'${word}': expected key=value`);
    const path = parseKeyPath(word.slice(0, eq));
    if (typeof path[0] === "number") throw new ArgSyntaxError(`'${word}': the arguments are an object, not a list`);
    insert(root, path, new RawValue(word.slice(eq + 1)), word);
  }
  return finish(root, []) as ArgObject;
}

/** An object or list being built: lists are keyed by index until `finish` checks them for gaps. */
class Group {
  readonly entries = new Map<string | number, RawValue | Group>();
  constructor(readonly isList: boolean) {}
}

function insert(root: Group, path: KeyPath, value: RawValue, word: string): void {
  let group = root;
  for (let k = 0; k < path.length - 1; k++) {
    const here = path.slice(0, k + 1);
    const childIsList = typeof path[k + 1] === "number";
    const existing = group.entries.get(path[k]!);
    if (existing instanceof RawValue)
      throw new ArgSyntaxError(`'${word}': '${showKeyPath(here)}' already has a value, so it cannot have members`);
    if (existing && existing.isList !== childIsList)
      throw new ArgSyntaxError(`'${word}': '${showKeyPath(here)}' is used both as a list and as an object`);
    const child = existing ?? new Group(childIsList);
    group.entries.set(path[k]!, child);
    group = child;
  }
  const last = path[path.length - 1]!;
  if (group.entries.has(last)) throw new ArgSyntaxError(`'${word}': '${showKeyPath(path)}' is given twice`);
  group.entries.set(last, value);
}

function finish(node: RawValue | Group, path: KeyPath): ArgTree {
  if (node instanceof RawValue) return node;
  if (node.isList) {
    const out: ArgTree[] = [];
    for (let i = 0; i < node.entries.size; i++) {
      const element = node.entries.get(i);
      if (element === undefined) throw new ArgSyntaxError(`list '${showKeyPath(path)}' has no element ${i}`);
      out.push(finish(element, [...path, i]));
    }
    return out;
  }
  const out: ArgObject = new Map();
  for (const [key, child] of node.entries) out.set(String(key), finish(child, [...path, key]));
  return out;
}

/**
 * Reads one input line as a command.
 * @returns undefined for an empty line
 * @throws ArgSyntaxError when the line cannot be read
 */
export function parseLine(line: string): ParsedLine | undefined {
  const trimmed = line.trim();
  if (trimmed === "") return undefined;
  if (trimmed.startsWith("{")) {
    const value = parseJsonText(trimmed, "the command is");
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new ArgSyntaxError("expected a JSON object");
    const m = value as Record<string, unknown>;
    const command = m["execute"] ?? m["exec-oob"];
    if (typeof command !== "string") throw new ArgSyntaxError(`a JSON command needs "execute": NAME`);
    const extra = Object.keys(m).filter((k) => k !== "execute" && k !== "exec-oob" && k !== "arguments" && k !== "id");
    if (extra.length > 0) throw new ArgSyntaxError(`unknown member '${extra[0]}' in the JSON command`);
    return { command, args: "arguments" in m ? new ParsedJson(m["arguments"]) : undefined };
  }
  const words = splitWords(trimmed, true);
  const command = words[0]!.text;
  const rest = words.slice(1).map((w) => w.text);
  if (rest.length === 1 && rest[0]!.startsWith("{"))
    return { command, args: new ParsedJson(parseJsonText(rest[0]!, "the arguments are")) };
  return { command, args: rest.length === 0 ? undefined : buildArgTree(rest) };
}

function parseJsonText(text: string, subject: string): unknown {
  try {
    return parseJson(text);
  } catch (error) {
    throw new ArgSyntaxError(`${subject} not valid JSON: ${(error as Error).message}`);
  }
}
