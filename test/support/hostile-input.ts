/**
 * Builders of hostile generator input for the generated-code fuzz test
 * (test/generator/hostile-generate.test.ts): small QAPI source schemas and
 * introspection files, drawn from a seeded Prng, whose names, docs, labels and
 * version strings are the texts that have meaning to JavaScript, TypeScript,
 * module loading or objects (`*\/`, quotes, backticks, `${`, U+2028/U+2029,
 * `__proto__`, `then`, `constructor`, very long names), some of them carrying
 * a payload that sets `globalThis[injectionMarker]` if it ever runs; and, for
 * a share of the cases, one structural defect each, which must end in a
 * located error.
 */
import type { Prng } from "./prng.js";

/** The global a payload sets when injected code runs on import. */
export const injectionMarker = "__qapiTsFuzzInjected";
const payload = `globalThis.${injectionMarker}=1`;

/** Texts that end or open something in generated code, each with the payload where it fits. */
export const hostileTexts: readonly string[] = [
  `*/${payload};/*`,
  `\u2028${payload};//`,
  `\u2029${payload};//`,
  `\n${payload};//`,
  `\r${payload};//`,
  `\${${payload}}`,
  `\`;${payload};\``,
  `";${payload};"`,
  `';${payload};'`,
  `\\";${payload};//`,
  "</script><!--",
  "@since 1.0 @param x @returns */",
  "\u0000\u001b[31m",
  "é ü 日本 🙂",
  "\ud800 lone surrogate",
];

/** Names with meaning to modules, objects or the language, valid as QAPI lower-case names. */
export const hazardousLowerNames: readonly string[] = [
  "then",
  "constructor",
  "default",
  "prototype",
  "to-string",
  "value-of",
  "has-own-property",
  "arguments",
  "eval",
  "await",
  "yield",
  "let",
  "enum",
  "delete",
  "new",
  "function",
  "class",
  "import",
  "export",
  "super",
  "this",
  "null",
  "undefined",
  "object",
  "promise",
  "symbol",
  "x-then",
  "__com.example_then",
  "__com.example_proto",
  "is-prototype-of",
  "catch",
  "finally",
  "to-json",
  "es-module",
];

/** Names for types (CamelCase in QAPI) with meaning to TypeScript or the runtime. */
export const hazardousTypeNames: readonly string[] = [
  "Then",
  "Constructor",
  "Default",
  "Prototype",
  "Object",
  "Promise",
  "Symbol",
  "Array",
  "String",
  "Number",
  "Boolean",
  "Function",
  "Error",
  "Record",
  "Partial",
  "Map",
  "Set",
  "Date",
  "QmpClient",
  "ValidationError",
  "SdkDescriptor",
  "Json",
  "Math",
  "Proxy",
  "Reflect",
  "Infinity",
  "NaNa",
  "Undefined",
  "Any",
  "Never",
  "Unknown",
  "EsModule",
  "ToString",
];

/** Names an introspection file may hold: any string at all. */
export const hostileWireNames: readonly string[] = [
  ...hostileTexts,
  "__proto__",
  "then",
  "constructor",
  "default",
  "__esModule",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
  "Symbol.iterator",
  "0",
  "-1",
  "1e3",
  "",
  " ",
  "a b",
  "a.b",
  "a-b",
  "a_b",
  "A",
  "a",
  "x".repeat(300),
  "Type1",
  "TypeThen",
  "q_obj_then-arg",
  "q_empty",
  "[1]",
  "int",
  "str",
  "any",
];

const pick = <T>(rng: Prng, items: readonly T[]) => rng.pick(items);

/** One source schema: its text and whether it is meant to be valid (a defect was put in when false). */
export interface SchemaCase {
  readonly text: string;
  readonly defect: string | null;
}

/** A doc comment for `name` with hostile text in its body and member lines. */
function docFor(rng: Prng, name: string, members: readonly string[], features: readonly string[]): string {
  const line = () => pick(rng, hostileTexts).replaceAll("\n", " ").replaceAll("\r", " ");
  const lines = ["##", `# @${name}:`, "#", `# ${line()}`];
  for (const m of members) lines.push("#", `# @${m}: ${line()}`);
  if (features.length > 0) lines.push("#", "# Features:");
  for (const f of features) lines.push("#", `# @${f}: ${line()}`);
  lines.push("#", `# Since: ${line()}`, "##");
  return `${lines.join("\n")}\n`;
}

/**
 * A small QAPI schema over the hazardous names, with hostile docs; with
 * probability `defectRate`, one defect that makes it invalid.
 */
export function hostileSchema(rng: Prng, defectRate: number): SchemaCase {
  const used = new Set<string>();
  const fresh = (pool: readonly string[], transform: (n: string) => string = (n) => n) => {
    for (let tries = 0; ; tries++) {
      const base = transform(pick(rng, pool));
      const name = tries < 5 ? base : `${base}${tries}`;
      if (!used.has(name.toLowerCase())) {
        used.add(name.toLowerCase());
        return name;
      }
    }
  };
  const memberName = () => fresh(hazardousLowerNames);
  const typeName = () => fresh(hazardousTypeNames, (n) => (rng.next() < 0.1 ? n + "X".repeat(rng.int(100, 400)) : n));
  const parts: string[] = [`{ 'pragma': { 'member-name-exceptions': [], 'command-name-exceptions': [] } }\n`];
  const withDoc = (name: string, members: readonly string[], expr: string, features: readonly string[] = []) =>
    parts.push(`${rng.next() < 0.7 ? docFor(rng, name, members, features) : ""}${expr}\n`);

  const enumName = typeName();
  const values = Array.from({ length: rng.int(1, 4) }, memberName);
  withDoc(enumName, values, `{ 'enum': '${enumName}', 'data': [ ${values.map((v) => `'${v}'`).join(", ")} ] }`);
  const structName = typeName();
  const members = Array.from({ length: rng.int(1, 4) }, memberName);
  const memberType = () =>
    pick(rng, ["str", "int", "bool", "any", "number", "uint64", enumName, `['${enumName}']`, "['str']"]);
  const data = members.map((m, i) => {
    const type = memberType();
    return `'${i % 2 ? "*" : ""}${m}': ${type.startsWith("[") ? type : `'${type}'`}`;
  });
  const feature = memberName();
  withDoc(
    structName,
    members,
    `{ 'struct': '${structName}', 'data': { ${data.join(", ")} }, 'features': [ '${feature}' ] }`,
    [feature],
  );
  const unionName = typeName();
  const tag = memberName();
  withDoc(
    unionName,
    [tag],
    `{ 'union': '${unionName}', 'base': { '${tag}': '${enumName}' }, 'discriminator': '${tag}', 'data': { '${values[0]}': '${structName}' } }`,
  );
  const alternateName = typeName();
  withDoc(
    alternateName,
    ["a", "b"],
    `{ 'alternate': '${alternateName}', 'data': { 'a': 'str', 'b': '${structName}' } }`,
  );
  for (let i = rng.int(1, 3); i > 0; i--) {
    const command = memberName();
    const args = Array.from({ length: rng.int(0, 3) }, memberName);
    const returns = pick(rng, [structName, unionName, `['${structName}']`, alternateName, ""]);
    const argsText = args.length
      ? `, 'data': { ${args.map((a) => `'${a}': '${pick(rng, ["str", "int", enumName, structName])}'`).join(", ")} }`
      : "";
    const retText = returns === "" ? "" : `, 'returns': ${returns.startsWith("[") ? returns : `'${returns}'`}`;
    withDoc(command, args, `{ 'command': '${command}'${argsText}${retText} }`);
  }
  const event = memberName().toUpperCase().replaceAll("-", "_");
  if (!used.has(event.toLowerCase() + "!")) withDoc(event, [], `{ 'event': '${event}', 'data': '${structName}' }`);

  let text = parts.join("\n");
  let defect: string | null = null;
  if (rng.next() < defectRate) {
    const defects: Array<[string, (t: string) => string]> = [
      ["a truncated file", (t) => t.slice(0, rng.int(1, t.length - 1))],
      ["an unknown type", (t) => t.replace(`'${structName}' }`, "'NoSuchType' }")],
      ["a duplicate definition", (t) => `${t}\n{ 'enum': '${enumName}', 'data': [] }\n`],
      ["a stray character", (t) => t.replace("{ 'struct'", "{ ; 'struct'")],
      ["a bad member name", (t) => t.replace(`'${members[0]}'`, "'__proto__'")],
      ["a non-ASCII string", (t) => t.replace(`'${enumName}'`, `'${enumName}\u2028'`)],
      ["an include of a device", (t) => `${t}\n{ 'include': '/dev/zero' }\n`],
      ["an include of itself", (t) => `${t}\n{ 'include': 'schema.json' }\n`],
      ["an include of a missing file", (t) => `{ 'include': 'no-such-file.json' }\n${t}`],
    ];
    const [name, apply] = pick(rng, defects);
    const broken = apply(text);
    if (broken !== text) {
      text = broken;
      defect = name;
    }
  }
  return { text, defect };
}

type Entry = Record<string, unknown>;

/** One introspection file as parsed JSON, and the defect put in it (null: meant to be valid). */
export interface IntrospectionCase {
  readonly file: { version: Entry; schema: Entry[] };
  readonly defect: string | null;
}

/**
 * A small introspection file whose names are hostile strings; with
 * probability `defectRate`, one defect that makes it invalid.
 */
export function hostileIntrospection(rng: Prng, defectRate: number): IntrospectionCase {
  const names = new Set<string>(["str", "int", "bool", "any", "number", "null"]);
  const fresh = () => {
    for (let tries = 0; ; tries++) {
      const base = pick(rng, hostileWireNames);
      const name = tries < 5 ? base : `${base}${tries}`;
      if (name !== "" && !names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  const memberNames = (count: number) => {
    const seen = new Set<string>();
    while (seen.size < count)
      seen.add(
        rng.next() < 0.8
          ? pick(
              rng,
              hostileWireNames.filter((n) => n !== ""),
            )
          : `m${seen.size}`,
      );
    return [...seen];
  };
  const schema: Entry[] = [
    { name: "str", "meta-type": "builtin", "json-type": "string" },
    { name: "int", "meta-type": "builtin", "json-type": "int" },
    { name: "bool", "meta-type": "builtin", "json-type": "boolean" },
    { name: "any", "meta-type": "builtin", "json-type": "value" },
    { name: "number", "meta-type": "builtin", "json-type": "number" },
    { name: "null", "meta-type": "builtin", "json-type": "null" },
  ];
  const masked = () => (rng.next() < 0.6 ? String(schema.length + 100) : fresh());
  const enumName = masked();
  names.add(enumName);
  const values = memberNames(rng.int(1, 4));
  schema.push(
    rng.next() < 0.5
      ? { name: enumName, "meta-type": "enum", members: values.map((name) => ({ name })), values }
      : { name: enumName, "meta-type": "enum", values },
  );
  const arrayName = `[${enumName}]`;
  names.add(arrayName);
  schema.push({ name: arrayName, "meta-type": "array", "element-type": enumName });
  const objectName = masked();
  names.add(objectName);
  const objectMembers = memberNames(rng.int(1, 4)).map((name, i) => ({
    name,
    type: pick(rng, ["str", "int", "bool", "any", enumName, arrayName]),
    ...(i % 2 ? { default: null } : {}),
    ...(rng.next() < 0.2
      ? {
          features: [
            pick(
              rng,
              hostileWireNames.filter((n) => n !== ""),
            ),
          ],
        }
      : {}),
  }));
  schema.push({ name: objectName, "meta-type": "object", members: objectMembers });
  const unionName = masked();
  names.add(unionName);
  const tag = `tag${rng.int(0, 9)}`;
  schema.push({
    name: unionName,
    "meta-type": "object",
    members: [{ name: tag, type: enumName }],
    tag,
    variants: [{ case: values[0]!, type: objectName }],
  });
  const alternateName = masked();
  names.add(alternateName);
  schema.push({ name: alternateName, "meta-type": "alternate", members: [{ type: "str" }, { type: objectName }] });
  const emptyName = rng.next() < 0.5 ? "0" : fresh();
  names.add(emptyName);
  schema.push({ name: emptyName, "meta-type": "object", members: [] });
  for (let i = rng.int(1, 3); i > 0; i--) {
    schema.push({
      name: fresh(),
      "meta-type": "command",
      "arg-type": pick(rng, [objectName, emptyName, unionName]),
      "ret-type": pick(rng, [objectName, emptyName, arrayName, alternateName, "str", unionName]),
      ...(rng.next() < 0.3 ? { "allow-oob": true } : {}),
      ...(rng.next() < 0.2 ? { features: ["deprecated"] } : {}),
    });
  }
  schema.push({ name: fresh(), "meta-type": "event", "arg-type": pick(rng, [objectName, emptyName]) });

  const file = {
    version: {
      qemu: { major: rng.int(0, 12), minor: rng.int(0, 3), micro: rng.int(0, 99) },
      package: pick(rng, hostileTexts),
    },
    schema,
  };
  let defect: string | null = null;
  if (rng.next() < defectRate) {
    const at = rng.int(6, schema.length - 1);
    const entry = schema[at]!;
    const defects: Array<[string, () => void]> = [
      ["a null entry", () => (schema[at] = null as unknown as Entry)],
      ["a missing name", () => delete entry["name"]],
      [
        "non-array members",
        () =>
          (schema.find((e) => Array.isArray(e["members"]) && e["meta-type"] !== "enum")!["members"] = { name: "x" }),
      ],
      ["an unknown meta-type", () => (entry["meta-type"] = pick(rng, hostileWireNames))],
      [
        "a self-referential array",
        () => schema.push({ name: "[self]", "meta-type": "array", "element-type": "[self]" }),
      ],
      [
        "a missing tag member",
        () => ((schema.find((e) => e["name"] === unionName)!["members"] as unknown[]).length = 0),
      ],
      [
        "an undefined reference",
        () => schema.push({ name: fresh(), "meta-type": "event", "arg-type": "no such type" }),
      ],
      ["a duplicate name", () => schema.push({ ...schema[6]! })],
      ["a number for a name", () => (entry["name"] = 42)],
      ["no version", () => ((file as { version: unknown }).version = { qemu: "ten" })],
    ];
    const [name, apply] = pick(rng, defects);
    apply();
    defect = name;
  }
  return { file, defect };
}
