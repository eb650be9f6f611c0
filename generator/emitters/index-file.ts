/**
 * Emits `index.ts` of a generated SDK: the public face users import.
 *
 * Re-exports types, the command and event maps, the per-command functions and
 * the wire data and validators (wire.ts); declares `sdk: SdkDescriptor` (per-command flags and
 * features, per-event features, validators) and `connect(options)`, which hands
 * both to the runtime's `connectWith`; and `standardSchemas`, the validators as
 * Standard Schema v1 (runtime/standard-schema.ts).
 */
import { GeneratedFile, type Printable, importSymbol } from "../printer/generated-file.js";
import { bracketList } from "../printer/layout.js";
import { stringLiteral, valueKey } from "../printer/names.js";
import type { Feature } from "../model/entities.js";
import type { GenContext } from "./context.js";
import { fileHeader } from "./header.js";

function featureList(features: readonly Feature[]): string {
  return `[${features.map((f) => stringLiteral(f.name)).join(", ")}]`;
}

/** `key: { a: 1, b: 2 },` at `level`, broken one member per line when too long. */
function entry(key: string, members: readonly string[], level: number): Printable {
  return bracketList(`${key}: `, "{", members, "}", ",", { level, spaced: true });
}

/** Builds index.ts. */
export function emitIndex(ctx: GenContext): GeneratedFile {
  const f = new GeneratedFile(
    "index.ts",
    fileHeader(ctx, "The SDK's entry point: descriptor, connect(), and everything else re-exported."),
  );
  f.declare("sdk", false);
  f.declare("connect", false);
  f.declare("standardSchemas", false);
  const commandMap = importSymbol("CommandMap", "./commands.js", true);
  const eventMap = importSymbol("EventMap", "./events.js", true);
  const validators = importSymbol("validators", "./wire.js", false);
  const wireSchema = importSymbol("wireSchema", "./wire.js", false);
  const client = importSymbol("Client", "./commands.js", true);

  f.print('export * from "./types.js";');
  f.print('export * from "./commands.js";');
  f.print('export * from "./events.js";');
  f.print('export { validators, wireData, wireSchema } from "./wire.js";');
  f.print();
  f.print(
    "/** Run-time facts of this schema for the runtime client: command flags, features, validators, the wire schema. */",
  );
  f.print("export const sdk: ", ctx.runtime.SdkDescriptor, " = {");
  f.print(`  name: ${stringLiteral(ctx.options.name)},`);
  if (ctx.options.protocol !== undefined) f.print(`  protocol: ${stringLiteral(ctx.options.protocol)},`);
  if (ctx.options.qemuVersion !== undefined) f.print(`  qemuVersion: ${stringLiteral(ctx.options.qemuVersion)},`);
  if (ctx.commands.length === 0) f.print("  commands: {},");
  else {
    f.print("  commands: {");
    for (const c of ctx.commands) {
      const flags = [
        `allowOob: ${c.allowOob}`,
        `successResponse: ${c.successResponse}`,
        `allowPreconfig: ${c.allowPreconfig}`,
      ];
      f.print(entry(valueKey(c.name), [...flags, `features: ${featureList(c.features)}`], 2));
    }
    f.print("  },");
  }
  if (ctx.events.length === 0) f.print("  events: {},");
  else {
    f.print("  events: {");
    for (const e of ctx.events) f.print(entry(valueKey(e.name), [`features: ${featureList(e.features)}`], 2));
    f.print("  },");
  }
  f.print("  validators: ", validators, ",");
  f.print("  wire: ", wireSchema, ",");
  // A dynamic import: the history's data is read only when a connection validates.
  if (ctx.options.history) f.print('  history: () => import("./history.js").then((m) => m.history()),');
  f.print("};");
  f.print();
  f.print("/** Connects to a QMP server with this SDK's types and descriptor. */");
  f.print("export function connect(options: ", ctx.runtime.ConnectOptions, "): Promise<", client, "> {");
  f.print("  return ", ctx.runtime.connectWith, "<", commandMap, ", ", eventMap, ">(sdk, options);");
  f.print("}");
  f.print();
  f.print(
    '/** The validators as Standard Schema v1: `standardSchemas.arguments("name")`, `.result(…)`, `.event(…)` (strict). */',
  );
  f.print(
    "export const standardSchemas: ",
    ctx.runtime.StandardSchemas,
    "<",
    commandMap,
    ", ",
    eventMap,
    "> = ",
    ctx.runtime.createStandardSchemas,
    "(sdk);",
  );
  return f;
}
