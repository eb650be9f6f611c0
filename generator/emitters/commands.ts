/**
 * Emits `commands.ts` of a generated SDK: the command map and one typed
 * function per command.
 *
 * `CommandMap` is keyed by wire name, `{ args; returns }` per entry
 * (`args: undefined` without arguments; the runtime's ArgsParam makes the
 * argument optional when no member is required). It is a type alias rather
 * than an interface because only an alias meets the runtime's index-signature
 * constraint (`C extends CommandMapBase`); events.ts does the same. The functions are thin sugar
 * over `client.execute(name, ...args)` for discoverability. The run-time facts
 * (flags, features) go into the descriptor written by index-file.ts.
 */
import { GeneratedFile, type Printable } from "../printer/generated-file.js";
import { stringLiteral, typeKey } from "../printer/names.js";
import type { Command } from "../model/entities.js";
import type { GenContext } from "./context.js";
import { definitionDoc } from "./doc-facts.js";
import { fileHeader } from "./header.js";
import { tsType } from "./ts-type.js";

/** The TypeScript type of a command's `args` entry. */
export function argsType(ctx: GenContext, c: Command): Printable {
  return c.argType ? tsType(ctx, c.argType) : "undefined";
}

/**
 * The TypeScript type a successful call resolves to: the return type, or
 * `Record<string, never>` for the empty object QEMU answers commands without
 * `returns` with, or `undefined` for `success-response: false` (no reply).
 */
export function returnsType(ctx: GenContext, c: Command): Printable {
  if (!c.successResponse) return "undefined";
  return c.retType ? tsType(ctx, c.retType) : "Record<string, never>";
}

/** Builds commands.ts. */
export function emitCommands(ctx: GenContext): GeneratedFile {
  const f = new GeneratedFile("commands.ts", fileHeader(ctx, "The command map (wire name → arguments and return type) and one function per command."));
  const commandMap = f.declare("CommandMap", true);
  const eventMap = { kind: "import-symbol", name: "EventMap", from: "./events.js", typeOnly: true } as const;
  f.declare("Client", true);
  for (const name of ctx.commandFunctions.values()) f.declare(name, false);

  f.print("/** Every command of the schema: wire name → `{ args; returns }`. */");
  f.print("export type CommandMap = {");
  for (const c of ctx.commands) {
    f.print(definitionDoc(ctx, c, c.name));
    f.print(typeKey(c.name), ": { args: ", argsType(ctx, c), "; returns: ", returnsType(ctx, c), " };");
  }
  f.print("};");
  f.print();
  f.print("/** A client connected with this SDK. */");
  f.print("export type Client = ", ctx.runtime.QmpClient, "<", commandMap, ", ", eventMap, ">;");
  for (const c of ctx.commands) {
    const fn = ctx.commandFunctions.get(c.name)!;
    const key = stringLiteral(c.name);
    f.print();
    f.print(definitionDoc(ctx, c, c.name));
    f.print(
      `export function ${fn}(client: Client, ...args: `,
      ctx.runtime.ArgsParam,
      `<CommandMap[${key}]["args"]>): Promise<CommandMap[${key}]["returns"]> {`,
    );
    f.print(`  return client.execute(${key}, ...args);`);
    f.print("}");
  }
  return f;
}
