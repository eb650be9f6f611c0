/**
 * A process that loads one schema through the front end and exits: the
 * front-end benchmark times it whole, to separate Node's start-up plus the
 * front end from the CLI's own start-up (bench/frontend.bench.ts).
 *
 * Usage: node build/bench/lib/load-schema-once.js SCHEMA [--doc-lint]
 */
import { loadSchema } from "../../generator/load-schema.js";

const [schema, flag] = process.argv.slice(2);
if (!schema) throw new Error("usage: load-schema-once.js SCHEMA [--doc-lint]");
loadSchema(schema, { docLint: flag === "--doc-lint" });
