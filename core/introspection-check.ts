/**
 * Validates an introspection file (`{ "version": …, "schema": [SchemaInfo…] }`)
 * before anything builds on it, so a malformed or hostile file is one located
 * message instead of a crash deep in the wire form, the model or an emitter.
 *
 * Checked: the shape of `version` and of every SchemaInfo entry of each
 * meta-type (names, type references, member lists, features), that names are
 * unique, that every reference names a type the file defines (of the kind the
 * place needs: an object for arguments and union branches, an enum for a tag),
 * that a union's tag is one of its members and its cases are values of the
 * tag's enum, and that arrays of arrays end (no cycle, bounded nesting).
 *
 * introspection-file.ts `wireFromIntrospection` calls it, so every reader
 * (generate --introspection, diff, the capability probes) gets the check; the
 * generator's file readers call it first to print the file name.
 * Messages look like `schema[123] (name 'x'): …` and never span lines.
 */

/** A problem found in an introspection file; `index` is the SchemaInfo's position in `schema`. */
export class IntrospectionFileError extends Error {
  override readonly name = "IntrospectionFileError";
  constructor(
    /** The problem, located within the file: `schema[123] (name 'x'): …` or a top-level phrase. */
    readonly problem: string,
    /** What the file is called in messages (its path, a label); prefixed to the message when given. */
    readonly label?: string,
  ) {
    super(label === undefined ? problem : `${label}: ${problem}`);
  }
}

/** Arrays of arrays QEMU never reports (QAPI has no nested arrays); this many levels is plenty. */
const maxArrayNesting = 32;

/** A name as messages show it: quoted, printable ASCII only, cut when long (it may be hostile). */
export function quoteWireName(name: unknown): string {
  if (typeof name !== "string")
    return name === undefined ? "(none)" : (JSON.stringify(name)?.slice(0, 40) ?? String(name));
  const cut = name.length > 60 ? `${name.slice(0, 60)}…` : name;
  if (/^[\x20-\x26\x28-\x7e]*$/.test(cut)) return `'${cut}'`;
  return JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

type Entry = Record<string, unknown>;

const isObject = (value: unknown): value is Entry =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isName = (value: unknown): value is string => typeof value === "string" && value.length > 0;

/** What a reference needs to point at. */
type Need = "type" | "object" | "enum";

interface Reference {
  readonly at: number;
  readonly what: string;
  readonly target: string;
  readonly need: Need;
}

/** How much to check. */
export interface IntrospectionCheckOptions {
  /**
   * true (default): references must resolve, tags and cases fit, arrays end, as in a whole
   * `query-qmp-schema` reply. false: the shape of each entry only, for partial schemas
   * the runtime assembles itself (the guest agent's, from `guest-info`).
   */
  readonly references?: boolean;
}

/**
 * Checks a parsed introspection file.
 * @param label what to call the file in the message (omitted: the message has no prefix)
 * @throws IntrospectionFileError at the first problem
 */
export function checkIntrospectionFile(value: unknown, label?: string, options: IntrospectionCheckOptions = {}): void {
  const fail = (problem: string): never => {
    throw new IntrospectionFileError(problem, label);
  };
  if (!isObject(value)) fail('not an introspection file (expected {"version": …, "schema": [...]})');
  const file = value as Entry;
  const version = file["version"];
  const qemu = isObject(version) ? version["qemu"] : undefined;
  const isCount = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!isObject(qemu) || !isCount(qemu["major"]) || !isCount(qemu["minor"]) || !isCount(qemu["micro"])) {
    fail('\'version\' must be a query-version reply: {"qemu": {"major", "minor", "micro"}, "package"}');
  }
  if ((version as Entry)["package"] !== undefined && typeof (version as Entry)["package"] !== "string")
    fail("'version.package' must be a string");
  const schema = file["schema"];
  if (!Array.isArray(schema)) fail("'schema' must be the array query-qmp-schema returns");
  const entries = schema as unknown[];

  const byName = new Map<string, { at: number; meta: string; entry: Entry }>();
  const references: Reference[] = [];
  const where = (at: number) => {
    const entry = entries[at];
    return `schema[${at}]${isObject(entry) && entry["name"] !== undefined ? ` (name ${quoteWireName(entry["name"])})` : ""}`;
  };
  const failAt = (at: number, problem: string): never => fail(`${where(at)}: ${problem}`);

  for (let at = 0; at < entries.length; at++) {
    const entry = entries[at];
    if (!isObject(entry))
      failAt(
        at,
        `expected a SchemaInfo object, got ${entry === null ? "null" : Array.isArray(entry) ? "an array" : typeof entry}`,
      );
    const info = entry as Entry;
    const name = info["name"];
    if (!isName(name)) failAt(at, "'name' must be a non-empty string");
    const meta = info["meta-type"];
    if (typeof meta !== "string") failAt(at, "'meta-type' must be a string");
    const seen = byName.get(name as string);
    if (seen) failAt(at, `the name is already defined by schema[${seen.at}]`);
    byName.set(name as string, { at, meta: meta as string, entry: info });
    checkFeatures(info["features"], (p) => failAt(at, p));
    const ref = (what: string, need: Need) => {
      const target = info[what];
      if (!isName(target)) failAt(at, `'${what}' must be a type name`);
      references.push({ at, what: `'${what}'`, target: target as string, need });
    };
    const list = (key: string, required: boolean): unknown[] => {
      const items = info[key];
      if (items === undefined && !required) return [];
      if (!Array.isArray(items)) return failAt(at, `'${key}' must be an array`);
      return items;
    };
    const uniqueNames = (key: string, nameKey: string, items: unknown[], check: (item: Entry, i: number) => void) => {
      const names = new Set<string>();
      items.forEach((item, i) => {
        if (!isObject(item)) failAt(at, `${key}[${i}] must be an object`);
        const itemName = (item as Entry)[nameKey];
        if (!isName(itemName)) failAt(at, `${key}[${i}] needs a non-empty string '${nameKey}'`);
        if (names.has(itemName as string)) failAt(at, `${key}[${i}]: ${quoteWireName(itemName)} appears twice`);
        names.add(itemName as string);
        checkFeatures((item as Entry)["features"], (p) => failAt(at, `${key}[${i}]: ${p}`));
        check(item as Entry, i);
      });
      return names;
    };
    switch (meta) {
      case "command":
        ref("arg-type", "object");
        ref("ret-type", "type");
        if (info["allow-oob"] !== undefined && typeof info["allow-oob"] !== "boolean")
          failAt(at, "'allow-oob' must be a boolean");
        break;
      case "event":
        ref("arg-type", "object");
        break;
      case "builtin":
        if (!isName(info["json-type"])) failAt(at, "'json-type' must be a string");
        break;
      case "enum":
        if (info["members"] !== undefined) uniqueNames("members", "name", list("members", true), () => {});
        else {
          const values = list("values", true);
          values.forEach((v, i) => isName(v) || failAt(at, `values[${i}] must be a non-empty string`));
          if (new Set(values).size !== values.length) failAt(at, "'values' has a value twice");
        }
        break;
      case "array":
        ref("element-type", "type");
        break;
      case "object": {
        const members = uniqueNames("members", "name", list("members", false), (m, i) => {
          if (!isName(m["type"])) failAt(at, `members[${i}] needs a type name 'type'`);
          references.push({
            at,
            what: `member ${quoteWireName(m["name"])}`,
            target: m["type"] as string,
            need: "type",
          });
        });
        const tag = info["tag"];
        const variants = list("variants", false);
        if (tag === undefined) {
          if (variants.length > 0) failAt(at, "'variants' without a 'tag'");
          break;
        }
        if (!isName(tag)) failAt(at, "'tag' must be a member name");
        if (!members.has(tag as string)) failAt(at, `the tag ${quoteWireName(tag)} is not one of its members`);
        uniqueNames("variants", "case", variants, (v, i) => {
          if (!isName(v["type"])) failAt(at, `variants[${i}] needs a type name 'type'`);
          references.push({
            at,
            what: `the variant for ${quoteWireName(v["case"])}`,
            target: v["type"] as string,
            need: "object",
          });
        });
        break;
      }
      case "alternate": {
        const alternatives = list("members", true);
        if (alternatives.length === 0) failAt(at, "an alternate needs at least one member");
        alternatives.forEach((m, i) => {
          if (!isObject(m) || !isName(m["type"])) failAt(at, `members[${i}] needs a type name 'type'`);
          references.push({ at, what: `members[${i}]`, target: (m as Entry)["type"] as string, need: "type" });
        });
        break;
      }
      default:
        failAt(
          at,
          `unknown meta-type ${quoteWireName(meta)} (known: builtin, enum, array, object, alternate, command, event)`,
        );
    }
  }

  if (options.references === false) return;
  for (const { at, what, target, need } of references) {
    const defined = byName.get(target);
    if (!defined) failAt(at, `${what} refers to ${quoteWireName(target)}, which the file does not define`);
    const meta = defined!.meta;
    if (meta === "command" || meta === "event")
      failAt(at, `${what} refers to ${quoteWireName(target)}, a ${meta}, not a type`);
    if (need !== "type" && meta !== need)
      failAt(at, `${what} must be an ${need} type; ${quoteWireName(target)} is a ${meta}`);
  }
  for (const { entry, at, meta } of byName.values()) {
    if (meta === "array") checkArrayChain(entry, byName, (p) => failAt(at, p));
    if (meta === "object" && entry["tag"] !== undefined) checkTagCases(entry, byName, (p) => failAt(at, p));
  }
}

/** `features`, when present, is a list of names. */
function checkFeatures(features: unknown, fail: (problem: string) => never): void {
  if (features === undefined) return;
  if (!Array.isArray(features) || !features.every(isName)) fail("'features' must be an array of names");
}

/** An array's element chain ends at a non-array type within the nesting bound (a cycle would recurse forever). */
function checkArrayChain(
  entry: Entry,
  byName: ReadonlyMap<string, { meta: string; entry: Entry }>,
  fail: (problem: string) => never,
): void {
  let current = entry;
  for (let depth = 1; ; depth++) {
    const element = byName.get(current["element-type"] as string)!;
    if (element.meta !== "array") return;
    if (element.entry === entry) fail("the array type contains itself (its element types form a cycle)");
    if (depth >= maxArrayNesting) fail(`arrays nest more than ${maxArrayNesting} levels deep (a cycle?)`);
    current = element.entry;
  }
}

/** A union's tag is an enum member, and each case is one of that enum's values. */
function checkTagCases(
  entry: Entry,
  byName: ReadonlyMap<string, { meta: string; entry: Entry }>,
  fail: (problem: string) => never,
): void {
  const tag = entry["tag"] as string;
  const member = (entry["members"] as Entry[]).find((m) => m["name"] === tag)!;
  const tagType = byName.get(member["type"] as string)!;
  if (tagType.meta !== "enum")
    fail(
      `the tag ${quoteWireName(tag)} must be of an enum type; ${quoteWireName(member["type"])} is a ${tagType.meta}`,
    );
  const values = new Set<unknown>(
    Array.isArray(tagType.entry["members"])
      ? (tagType.entry["members"] as Entry[]).map((m) => m["name"])
      : (tagType.entry["values"] as unknown[]),
  );
  for (const variant of (entry["variants"] as Entry[] | undefined) ?? []) {
    if (!values.has(variant["case"]))
      fail(
        `the case ${quoteWireName(variant["case"])} is not a value of the tag's enum ${quoteWireName(member["type"])}`,
      );
  }
}
