/** Unit tests of generator/printer/generated-file.ts: exact lines, managed imports. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { GeneratedFile, importSymbol } from "../../../generator/printer/generated-file.js";

test("imports are collected, sorted, type-only where possible, and aliased on clash", () => {
  const f = new GeneratedFile("commands.ts", ["// header"]);
  f.declare("Widget", true);
  const client = importSymbol("QmpClient", "qapi-ts/runtime", true);
  const connectWith = importSymbol("connectWith", "qapi-ts/runtime", false);
  const widget = importSymbol("Widget", "./types.js", true);
  const color = importSymbol("Color", "./types.js", true);
  f.print("export type A = ", client, " | ", widget, " | ", color, ";");
  f.print("export const b = ", connectWith, ";");
  f.print("export interface Widget {}");
  assert.equal(
    f.toString(),
    [
      "// header",
      "",
      'import { type QmpClient, connectWith } from "qapi-ts/runtime";',
      'import type { Color, Widget as Widget$1 } from "./types.js";',
      "",
      "export type A = QmpClient | Widget$1 | Color;",
      "export const b = connectWith;",
      "export interface Widget {}",
      "",
    ].join("\n"),
  );
});

test("symbols of the file itself are not imported", () => {
  const f = new GeneratedFile("types.ts", []);
  const own = f.declare("Foo", true);
  f.print("export type Bar = ", own, "[];");
  assert.equal(f.toString(), "\nexport type Bar = Foo[];\n");
});
