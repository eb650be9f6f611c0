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
 * `client.execute("query-block")` through the runtime's `runCommand`, with the
 * return type written out (hovers show `Promise<BlockInfo[]>`). They are
 * generic in the client's command map `C` and take their arguments as
 * `HelperArgs<C, "…">`, so a client narrowed to a release (runtime/versions.ts)
 * cannot call the function of a command that release lacks, nor pass an
 * argument, at any depth, or an enum value it lacks. The run-time facts
 * (flags, features) go into the descriptor written by index-file.ts.
 */
import { GeneratedFile, type Printable, importSymbol } from "../printer/generated-file.js";
import { bracketList, indentLines } from "../printer/layout.js";
import { stringLiteral, typeKey } from "../printer/names.js";
import { commentLine } from "../printer/escape.js";
import type { Command } from "../model/entities.js";
import type { GenContext } from "./context.js";
import { definitionDoc, definitionHistory, deprecatedLine } from "./doc-facts.js";
import { fileHeader } from "./header.js";
import { tsType } from "./ts-type.js";

/**
 * The TypeScript type of a command's `args` entry; a command that takes
 * members beyond its declared ones (`'gen': false`) allows any other member.
 */
export function argsType(ctx: GenContext, c: Command): Printable {
  if (!c.argType) return "undefined";
  return c.gen ? tsType(ctx, c.argType) : [tsType(ctx, c.argType), " & ", ctx.runtime.ExtraMembers];
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
  const f = new GeneratedFile(
    "commands.ts",
    fileHeader(ctx, "The command map (wire name → arguments and return type) and one function per command."),
  );
  const commandMap = f.declare("CommandMap", true);
  const eventMap = importSymbol("EventMap", "./events.js", true);
  f.declare("Client", true);
  for (const name of ctx.commandFunctions.values()) f.declare(name, false);

  f.print("/** Every command of the schema: wire name → `{ args; returns }`. */");
  if (ctx.commands.length === 0) f.print("export type CommandMap = {};");
  else {
    f.print("export type CommandMap = {");
    for (const c of ctx.commands) {
      const doc = definitionDoc(ctx, c, c.name);
      if (doc) f.print(indentLines(doc, 1));
      const members: Printable[] = [
        ["args: ", argsType(ctx, c)],
        ["returns: ", returnsType(ctx, c)],
      ];
      f.print(bracketList([typeKey(c.name), ": "], "{", members, "}", ";", { level: 1, spaced: true, separator: ";" }));
    }
    f.print("};");
  }
  f.print();
  f.print("/** A client connected with this SDK. */");
  f.print("export type Client = ", ctx.runtime.QmpClient, "<", commandMap, ", ", eventMap, ">;");
  f.print();
  for (const c of ctx.commands) {
    const fn = ctx.commandFunctions.get(c.name)!;
    const key = stringLiteral(c.name);
    f.print();
    if (ctx.options.docs !== "none") {
      const deprecated = c.features.some((x) => x.name === "deprecated");
      const pointer = `Runs \`${commentLine(c.name)}\`; see its {@link CommandMap} entry.`;
      f.print(
        deprecated
          ? `/**\n * ${pointer}\n * ${deprecatedLine("command", definitionHistory(ctx, c)?.deprecatedSince)}\n */`
          : `/** ${pointer} */`,
      );
    }
    const params: Printable[] = [
      ["client: ", ctx.runtime.QmpClient, "<C, any>"],
      ["...args: ", ctx.runtime.HelperArgs, `<C, ${key}>`],
    ];
    const head: Printable[] = [`export function ${fn}<C extends `, ctx.runtime.CommandMapBase, " = ", commandMap, ">"];
    // No trailing comma after a rest parameter: TypeScript forbids it, and prettier leaves it out.
    f.print(bracketList(head, "(", params, ")", [": Promise<", returnsType(ctx, c), "> {"], { trailingComma: false }));
    f.print("  return ", ctx.runtime.runCommand, `(client, ${key}, args);`);
    f.print("}");
  }
  return f;
}
