/**
 * Tab completion from the server's schema: command names (and the shell's own
 * words) first; then, after a command, argument names at any depth
 * (`file.` → `file.filename=`, `file.driver=`, …; a list of objects by index,
 * `keys.` → `keys.1.` after `keys.0.…`), the members of the union
 * branch that the tag typed so far selects, and the values of enums (a union's
 * tag values are its branches) and bools after `=`. `help` completes command
 * and event names (then that command's arguments), `events` event names.
 *
 * Data flow: the line left of the cursor (node:readline's completer, repl.ts)
 * → `completeLine` → [candidates, the text they replace].
 */
import type { WireSchema } from "../../core/schema.js";
import { inertText } from "../terminal-text.js";
import { parseKeyPath, splitWords, type KeyPath } from "./arg-syntax.js";
import { branchMembers, type JsonPath, typeAtPath } from "../../core/walk.js";
import { asObject, takesMembers, valueChoices } from "./schema-walk.js";

/** The shell's own commands, completed with the server's. */
export const shellWords = ["help", "events", "hmp", "watch", "exit"] as const;

function safeKeyPath(key: string): KeyPath | undefined {
  try {
    return key === "" ? [] : parseKeyPath(key);
  } catch {
    return undefined;
  }
}

const sorted = (names: Iterable<string>) => [...names].sort();

/** What follows a member name: `.` for an object, `.0.` for a list of objects (typed by index), else `=`. */
function memberSuffix(schema: WireSchema, typeName: string): string {
  const type = schema.types.get(typeName);
  if (takesMembers(type)) return ".";
  if (type?.meta === "array" && takesMembers(schema.types.get(type.element))) return ".0.";
  return "=";
}

/**
 * The completions of the word being typed at the end of `line`.
 * @returns the full candidate words and the word they would replace (readline's completer result)
 */
export function completeLine(schema: WireSchema, line: string): [string[], string] {
  if (line.trimStart().startsWith("{")) return [[], ""];
  const words = splitWords(line);
  const endsInSpace = line === "" || /\s$/.test(line);
  const current = endsInSpace ? "" : (words.pop()?.text ?? "");
  // readline lists candidates raw: a name holding control characters (a hostile server's schema,
  // never a QAPI name) is not offered.
  const pick = (candidates: Iterable<string>) =>
    [sorted(new Set([...candidates].filter((c) => c.startsWith(current) && inertText(c) === c))), current] as [
      string[],
      string,
    ];
  if (words.length === 0) return pick([...schema.commands.keys(), ...shellWords]);
  const first = words[0]!.text;
  if (first === "help") {
    if (words.length === 1) return pick([...schema.commands.keys(), ...schema.events.keys(), ...shellWords]);
    // `help blockdev-add driver=…`: the branch is chosen as when running the command.
    return completeLine(schema, line.slice(words[1]!.start));
  }
  if (first === "events") return pick([...schema.events.keys(), "all", "none"]);
  if (first === "watch") return words.length === 1 ? pick(["job", "migration"]) : [[], current];
  if (first === "hmp" || first === "exit") return [[], current];
  const command = schema.commands.get(first);
  if (!command) return [[], current];
  // The values typed so far, by key: union tags among them choose the branch whose members are offered.
  const typed = new Map<string, string>();
  for (const w of words.slice(1)) {
    const eq = w.text.indexOf("=");
    if (eq > 0) typed.set(w.text.slice(0, eq), w.text.slice(eq + 1));
  }
  const tagAt = (prefix: JsonPath, tag: string) => typed.get([...prefix, tag].join("."));
  const eq = current.indexOf("=");
  if (eq >= 0) {
    const key = current.slice(0, eq);
    const path = safeKeyPath(key);
    if (!path) return [[], current];
    return pick(valueChoices(schema, typeAtPath(schema, command.argType, path, { tagAt })).map((v) => `${key}=${v}`));
  }
  const dot = current.lastIndexOf(".");
  const parentKey = dot < 0 ? "" : current.slice(0, dot);
  const parentPath = safeKeyPath(parentKey);
  if (!parentPath) return [[], current];
  const parentType = typeAtPath(schema, command.argType, parentPath, { tagAt });
  const element = parentType?.meta === "array" ? schema.types.get(parentType.element) : undefined;
  if (element) {
    // `keys.` → the next index not typed yet.
    let next = 0;
    while (typed.has(`${parentKey}.${next}`) || [...typed.keys()].some((k) => k.startsWith(`${parentKey}.${next}.`)))
      next++;
    return pick([`${parentKey}.${next}${takesMembers(element) ? "." : "="}`]);
  }
  const object = asObject(schema, parentType);
  if (!object) return [[], current];
  const tagValue = object.tag === undefined ? undefined : tagAt(parentPath, object.tag);
  const prefix = parentKey === "" ? "" : parentKey + ".";
  const candidates = branchMembers(schema, object, tagValue)
    .filter((m) => !typed.has(prefix + m.name))
    .map((m) => prefix + m.name + memberSuffix(schema, m.type));
  return pick(candidates);
}
