/**
 * Unit tests of generator/printer/layout.ts and statements.ts: each case gives
 * the exact lines the printer must produce at the boundary between two of
 * prettier's layouts, and prettier itself (pinned options) must leave them
 * unchanged — so a case can only pass when its expectation is prettier's.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { GeneratedFile } from "../../../generator/printer/generated-file.js";
import { bracketList, unionAlias } from "../../../generator/printer/layout.js";
import { call, functionHeader, renderFunction } from "../../../generator/printer/statements.js";
import { formatTypeScript } from "../../../generator/printer/format.js";

/** The body of a file made of the given printables, one line each. */
function print(...lines: Parameters<GeneratedFile["print"]>[]): string {
  const f = new GeneratedFile("x.ts", []);
  for (const l of lines) f.print(...l);
  return f.toString().replace(/^\n/, "");
}

const w = (n: number, c = "a") => c.repeat(n);

const cases: [string, () => string, string][] = [
  [
    "union on one line",
    () =>
      print([
        unionAlias("export type T", [
          { doc: "", type: '"a"' },
          { doc: "", type: '"b"' },
        ]),
      ]),
    'export type T = "a" | "b";\n',
  ],
  [
    "union on the next line",
    () =>
      print([
        unionAlias("export type " + w(60, "T"), [
          { doc: "", type: `"${w(40)}"` },
          { doc: "", type: '"b"' },
        ]),
      ]),
    `export type ${w(60, "T")} =\n  "${w(40)}" | "b";\n`,
  ],
  [
    "union one alternative per line",
    () =>
      print([
        unionAlias("export type T", [
          { doc: "", type: `"${w(60)}"` },
          { doc: "", type: `"${w(60, "b")}"` },
        ]),
      ]),
    `export type T =\n  | "${w(60)}"\n  | "${w(60, "b")}";\n`,
  ],
  [
    "union with a doc comment on a later alternative",
    () =>
      print([
        unionAlias("export type T", [
          { doc: "", type: '"a"' },
          { doc: "/** b */", type: '"b"' },
        ]),
      ]),
    'export type T =\n  | "a"\n  /** b */\n  | "b";\n',
  ],
  [
    "array hugged after `=`",
    () =>
      print([
        bracketList("export const V: readonly T[] = ", "[", [`"${w(50)}"`, `"${w(50)}"`], "]", ";", {
          assignment: true,
        }),
      ]),
    `export const V: readonly T[] = [\n  "${w(50)}",\n  "${w(50)}",\n];\n`,
  ],
  [
    "array after `=` when even `= [` does not fit",
    () => print([bracketList(`export const ${w(100, "V")} = `, "[", ['"a"'], "]", ";", { assignment: true })]),
    `export const ${w(100, "V")} =\n  ["a"];\n`,
  ],
  [
    "parameters broken, no trailing comma after a rest parameter",
    () =>
      print([
        bracketList(
          `export function ${w(40, "f")}`,
          "(",
          [`a: ${w(40, "A")}`, `...rest: ${w(30, "R")}[]`],
          ")",
          ": void {}",
          { trailingComma: false },
        ),
      ]),
    `export function ${w(40, "f")}(\n  a: ${w(40, "A")},\n  ...rest: ${w(30, "R")}[]\n): void {}\n`,
  ],
  [
    "statements: braceless if on one line, else on its own line, a long clause moved down, a long call broken",
    () =>
      renderFunction(functionHeader("f", ["x: any", "c: any"], ": void"), [
        {
          if: 'typeof x !== "string"',
          then: call("c.bad", '"string"', "x"),
          otherwise: { if: "!ok(x)", then: call("c.enumValue", "x", `"${w(70)}"`) },
        },
        {
          if: "x !== undefined",
          then: ["k++;", call("c.bad", `"${w(50)}"`, `"${w(50)}"`)],
          otherwise: call("c.miss", '"m"'),
        },
      ]) + "\n",
    [
      "function f(x: any, c: any): void {",
      '  if (typeof x !== "string") c.bad("string", x);',
      `  else if (!ok(x)) c.enumValue(x, "${w(70)}");`,
      "  if (x !== undefined) {",
      "    k++;",
      "    c.bad(",
      `      "${w(50)}",`,
      `      "${w(50)}",`,
      "    );",
      '  } else c.miss("m");',
      "}",
      "",
    ].join("\n"),
  ],
];

for (const [name, make, want] of cases) {
  test(`layout: ${name}`, async () => {
    const got = make();
    assert.equal(got, want);
    assert.equal(await formatTypeScript(got), got, "prettier must agree");
  });
}
