/**
 * Malformed introspection files: the recorded qemu-storage-daemon 7.2 file with
 * one defect each (a null entry, a missing name, members that are not an array,
 * a union whose tag is not a member, an array that contains itself, an unknown
 * meta-type, a reference to nothing, a case outside the tag's enum, a broken
 * `version`, text that is not JSON) must end in one located error
 * `FILE: schema[N] (name 'x'): …` — in process (UserFacingError from the reader)
 * and through `qapi-ts generate --introspection` and `qapi-ts diff` (exit 1,
 * one line, no stack trace) — never in a crash or a stack overflow.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { UserFacingError } from "../../../generator/errors.js";
import { loadIntrospectedSchema } from "../../../tools/introspection/introspected-schema.js";
import { repoRoot } from "../../../scripts/lib/qemu-sources.js";

const dir = mkdtempSync(join(tmpdir(), "qapi-ts-introspection-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const fixture = join(repoRoot, "test/fixtures/introspection/qemu-storage-daemon-7.2.json");
type Entry = Record<string, unknown>;
const original = JSON.parse(readFileSync(fixture, "utf8")) as { version: Entry; schema: Entry[] };

/** A fresh copy of the fixture, and the index of the first entry `pick` accepts. */
function copyWith(pick: (e: Entry) => boolean): {
  file: { version: Entry; schema: unknown[] };
  at: number;
  entry: Entry;
} {
  const file = structuredClone(original);
  const at = file.schema.findIndex(pick);
  assert.ok(at >= 0);
  return { file, at, entry: file.schema[at] as Entry };
}
const meta = (m: string) => (e: Entry) => e["meta-type"] === m;

interface Case {
  name: string;
  content: string;
  /** The message, after "FILE: ". */
  expected: RegExp;
}

function jsonCase(name: string, build: () => { file: unknown; expected: RegExp }): Case {
  const { file, expected } = build();
  return { name, content: JSON.stringify(file), expected };
}

const cases: Case[] = [
  jsonCase("a null entry", () => {
    const { file, at } = copyWith(meta("command"));
    file.schema[at] = null;
    return { file, expected: new RegExp(`^schema\\[${at}\\]: expected a SchemaInfo object, got null$`) };
  }),
  jsonCase("an entry without a name", () => {
    const { file, at, entry } = copyWith(meta("enum"));
    delete entry["name"];
    return { file, expected: new RegExp(`^schema\\[${at}\\]: 'name' must be a non-empty string$`) };
  }),
  jsonCase("members that are not an array", () => {
    const { file, at, entry } = copyWith(meta("object"));
    entry["members"] = { name: "x" };
    return {
      file,
      expected: new RegExp(`^schema\\[${at}\\] \\(name '${entry["name"]}'\\): 'members' must be an array$`),
    };
  }),
  jsonCase("a union whose tag is not a member", () => {
    const { file, at, entry } = copyWith((e) => typeof e["tag"] === "string");
    entry["members"] = (entry["members"] as Entry[]).filter((m) => m["name"] !== entry["tag"]);
    return {
      file,
      expected: new RegExp(
        `^schema\\[${at}\\] \\(name '${entry["name"]}'\\): the tag '${entry["tag"]}' is not one of its members$`,
      ),
    };
  }),
  jsonCase("an array type that contains itself", () => {
    const { file, at, entry } = copyWith(meta("array"));
    entry["element-type"] = entry["name"];
    return { file, expected: new RegExp(`^schema\\[${at}\\] \\(name '\\[1\\]'\\): the array type contains itself`) };
  }),
  jsonCase("two arrays that contain each other", () => {
    const { file, at, entry } = copyWith(meta("array"));
    file.schema.push({ name: "[loop]", "meta-type": "array", "element-type": entry["name"] });
    entry["element-type"] = "[loop]";
    return { file, expected: new RegExp(`^schema\\[${at}\\] \\(name '\\[1\\]'\\): the array type contains itself`) };
  }),
  jsonCase("an unknown meta-type", () => {
    const { file, at, entry } = copyWith(meta("event"));
    entry["meta-type"] = "signal";
    return {
      file,
      expected: new RegExp(`^schema\\[${at}\\] \\(name '${entry["name"]}'\\): unknown meta-type 'signal'`),
    };
  }),
  jsonCase("a member of an undefined type", () => {
    const { file, at, entry } = copyWith(
      (e) => e["meta-type"] === "object" && Array.isArray(e["members"]) && e["members"].length > 0,
    );
    const member = (entry["members"] as Entry[])[0]!;
    member["type"] = "no-such-type";
    return {
      file,
      expected: new RegExp(
        `^schema\\[${at}\\] \\(name '${entry["name"]}'\\): member '${member["name"]}' refers to 'no-such-type', which the file does not define$`,
      ),
    };
  }),
  jsonCase("a case that is not a value of the tag's enum", () => {
    const { file, at, entry } = copyWith((e) => typeof e["tag"] === "string");
    (entry["variants"] as Entry[])[0]!["case"] = "not-a-driver";
    return {
      file,
      expected: new RegExp(`^schema\\[${at}\\] \\(name '${entry["name"]}'\\): the case 'not-a-driver' is not a value`),
    };
  }),
  jsonCase("a command whose arguments are a string", () => {
    const { file, at, entry } = copyWith(meta("command"));
    entry["arg-type"] = "str";
    return {
      file,
      expected: new RegExp(
        `^schema\\[${at}\\] \\(name '${entry["name"]}'\\): 'arg-type' must be an object type; 'str' is a builtin$`,
      ),
    };
  }),
  jsonCase("a version without qemu", () => {
    const { file } = copyWith(() => true);
    file.version = { package: "" };
    return { file, expected: /^'version' must be a query-version reply/ };
  }),
  jsonCase("a hostile name with a line break", () => {
    const { file, at, entry } = copyWith(meta("enum"));
    entry["name"] = "x\u2028y\nz";
    entry["values"] = 7;
    delete entry["members"];
    return {
      file,
      expected: new RegExp(`^schema\\[${at}\\] \\(name "x\\\\u2028y\\\\nz"\\): 'values' must be an array$`),
    };
  }),
  {
    name: "text that is not JSON",
    content: '{"version": {"qemu": 1}, "schema": [SECRET',
    expected: /^not valid JSON$/,
  },
];

test("each malformed introspection file is one located error in process", () => {
  for (const c of cases) {
    const file = join(dir, `${c.name.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, c.content);
    assert.throws(
      () => loadIntrospectedSchema(file),
      (error: unknown) => {
        assert.ok(
          error instanceof UserFacingError,
          `${c.name}: ${error instanceof Error ? error.stack : String(error)}`,
        );
        assert.ok(error.message.startsWith(`${file}: `), `${c.name}: ${error.message}`);
        assert.match(error.message.slice(file.length + 2), c.expected, c.name);
        assert.doesNotMatch(error.message, /\n|SECRET/);
        return true;
      },
    );
  }
});

function cli(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, "build/tools/cli/main.js"), ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });
}

test("generate and diff print the same located line, without a stack trace", () => {
  for (const c of cases) {
    const file = join(dir, `cli-${c.name.replace(/\W+/g, "-")}.json`);
    writeFileSync(file, c.content);
    for (const args of [
      ["generate", "--introspection", file, "--out", join(dir, "out")],
      ["diff", fixture, file],
    ]) {
      const r = cli(...args);
      assert.equal(r.status, 1, `${c.name} (${args[0]}): ${r.stderr}`);
      assert.match(r.stderr, /^[^\n]+\n$/, `${c.name} (${args[0]}): one line:\n${r.stderr}`);
      const prefix = `${file}: `;
      if (c.name !== "text that is not JSON" || args[0] === "generate") {
        assert.ok(r.stderr.startsWith(prefix), `${c.name} (${args[0]}): ${r.stderr}`);
        assert.match(r.stderr.slice(prefix.length).trimEnd(), c.expected, `${c.name} (${args[0]})`);
      }
    }
  }
});

test("a name the generator's model already has is an error, not a silent swap", () => {
  const clashes: [string, (file: { schema: unknown[] }) => void, RegExp][] = [
    [
      "an event named q_empty",
      (f) => f.schema.push({ name: "q_empty", "meta-type": "event", "arg-type": "0" }),
      /: event 'q_empty': the name is already taken by a built-in object/,
    ],
    [
      "an object named str",
      (f) => f.schema.push({ name: "str", "meta-type": "object", members: [{ name: "a", type: "int" }] }),
      /the name is already taken|already defined/,
    ],
    [
      "a command named like a type's model name",
      (f) => f.schema.push({ name: "QType", "meta-type": "command", "arg-type": "0", "ret-type": "0" }),
      /: command 'QType': the name is already taken by a built-in enum/,
    ],
  ];
  for (const [name, edit, expected] of clashes) {
    const file = structuredClone(original) as { version: Entry; schema: unknown[] };
    edit(file);
    const path = join(dir, `clash-${name.replace(/\W+/g, "-")}.json`);
    writeFileSync(path, JSON.stringify(file));
    assert.throws(
      () => loadIntrospectedSchema(path),
      (error: unknown) =>
        error instanceof UserFacingError &&
        error.message.startsWith(`${path}: `) &&
        expected.test(error.message) &&
        !error.message.includes("\n"),
      name,
    );
  }
});

test("names with line breaks or escape sequences print inert in diff's text and Markdown", () => {
  const file = structuredClone(original) as { version: Entry; schema: Entry[] };
  const command = file.schema.find((e) => e["meta-type"] === "command")!;
  file.schema.push({ ...command, name: "evil\u001b[2J\nFORGED LINE\u2028x" });
  const path = join(dir, "hostile-names.json");
  writeFileSync(path, JSON.stringify(file));
  for (const format of ["text", "markdown"]) {
    const r = cli("diff", fixture, path, "--format", format);
    assert.equal(r.status, 0, r.stderr);
    const line = r.stdout.split("\n").find((l) => l.includes("evil"));
    assert.ok(line?.includes("evil\\u001b[2J\\u000aFORGED LINE\\u2028x"), `${format}: ${r.stdout}`);
    assert.doesNotMatch(r.stdout, /\u001b|\u2028|^FORGED/m);
  }
});
