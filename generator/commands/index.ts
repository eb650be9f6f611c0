/**
 * The list of `qapi-ts` subcommands, in the order `--help` shows them.
 * Each module exports one yargs CommandModule; generator/cli.ts registers them.
 */
import type { CommandModule } from "yargs";
import { dumpCommand } from "./dump.js";
import { generateCommand } from "./generate.js";
import { validateLogCommand } from "./validate-log.js";
import { diffCommand } from "./diff.js";
import { introspectCommand } from "./introspect.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [dumpCommand, generateCommand, validateLogCommand, diffCommand, introspectCommand];
