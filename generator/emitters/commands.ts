/**
 * Emits `commands.ts` of a generated SDK: the command map and one typed
 * function per command.
 *
 * `CommandMap` is keyed by wire name, `{ args; returns }` per entry
 * (`args: undefined` without arguments; the runtime's ArgsParam makes the
 * argument optional when no member is required). It is a type alias rather
 * than an interface because only an alias meets the runtime's index-signature
 * constraint (`C extends CommandMapBase`); events.ts does the same. Each
 * command's doc block sits on its map entry, once; the function's comment only
 * points there (and repeats `@deprecated`, so editors strike the call through).
 *
 * The functions are as thin as a call can be: `queryBlock(client)` is
 * `client.execute("query-block")`, with the argument and return types written
 * out (hovers show `Promise<BlockInfo[]>`). Their client parameter is
 * `Executes<"query-block">`, satisfied by any client whose command map has the
 * command, so a client narrowed to a version that lacks it (runtime/versions.ts)
 * cannot call the function. The run-time facts (flags, features) go into the
 * descriptor written by index-file.ts.
 */
import { GeneratedFile, type Printable, importSymbol } from "../printer/generated-file.js";
import { bracketList, indentLines } from "../printer/layout.js";
import { stringLiteral, typeKey } from "../printer/names.js";
import { commentLine } from "../printer/escape.js";
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
  return c.retType ? tsType(ctx, c.retType as never) : "Record<string, never>";
}

/** How the function takes the arguments: none, optional (no member is required), or required — as ArgsParam decides. */
function argsArity(c: Command): "none" | "optional" | "required" {
  const t = c.argType;
  if (!t) return "none";
  if (t.kind === "object" && !t.branches && t.members.every((m) => m.optional)) return "optional";
  return "required";
}

/** Builds commands.ts. */
export function emitCommands(ctx: GenContext): GeneratedFile {
  const f = new GeneratedFile("commands.ts", fileHeader(ctx, "The command map (wire name → arguments and return type) and one function per command."));
  const commandMap = f.declare("CommandMap", true);
  const eventMap = importSymbol("EventMap", "./events.js", true);
  f.declare("Client", true);
  const executes = f.declare("Executes", true);
  for (const name of ctx.commandFunctions.values()) f.declare(name, false);

  f.print("/** Every command of the schema: wire name → `{ args; returns }`. */");
  if (ctx.commands.length === 0) f.print("export type CommandMap = {};");
  else {
    f.print("export type CommandMap = {");
    for (const c of ctx.commands) {
      const doc = definitionDoc(ctx, c, c.name);
      if (doc) f.print(indentLines(doc, 1));
      const members: Printable[] = [["args: ", argsType(ctx, c)], ["returns: ", returnsType(ctx, c)]];
      f.print(bracketList([typeKey(c.name), ": "], "{", members, "}", ";", { level: 1, spaced: true, separator: ";" }));
    }
    f.print("};");
  }
  f.print();
  f.print("/** A client connected with this SDK. */");
  f.print("export type Client = ", ctx.runtime.QmpClient, "<", commandMap, ", ", eventMap, ">;");
  f.print();
  f.print("/**");
  f.print(" * What a command function needs of a client: `execute` of command `K` as this SDK types it. Every client whose");
  f.print(" * command map has `K` qualifies, one narrowed to a QEMU version included; one whose map lacks `K` does not.");
  f.print(" */");
  f.print("export type Executes<K extends keyof CommandMap> = {");
  f.print("  execute(name: K, ...args: ", ctx.runtime.ArgsParam, '<CommandMap[K]["args"]>): Promise<CommandMap[K]["returns"]>;');
  f.print("};");
  for (const c of ctx.commands) {
    const fn = ctx.commandFunctions.get(c.name)!;
    const key = stringLiteral(c.name);
    f.print();
    if (ctx.options.docs !== "none") {
      const deprecated = c.features.some((x) => x.name === "deprecated");
      const pointer = `Runs \`${commentLine(c.name)}\`; see its {@link CommandMap} entry.`;
      f.print(deprecated ? `/**\n * ${pointer}\n * @deprecated This command has the QAPI feature 'deprecated'.\n */` : `/** ${pointer} */`);
    }
    const arity = argsArity(c);
    const params: Printable[] = [["client: ", executes, `<${key}>`]];
    if (arity !== "none") params.push([arity === "optional" ? "args?: " : "args: ", argsType(ctx, c)]);
    f.print(bracketList(`export function ${fn}`, "(", params, ")", [": Promise<", returnsType(ctx, c), "> {"]));
    f.print(`  return client.execute(${key}${arity === "none" ? "" : ", args"});`);
    f.print("}");
  }
  return f;
}
