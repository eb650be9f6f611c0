/**
 * The one validator engine: SdkValidators (runtime/sdk.ts) over any wire
 * schema. Generated SDKs get theirs from their wire data
 * (generated/<sdk>/wire.ts: `lazyValidators(wireSchemaLoader(wireData))`),
 * `qapi-ts validate-log` from a schema file, the mock from the SDK it is
 * given, the capability probes from the server's `query-qmp-schema`.
 *
 * Types compile to closures at their first use (compile.ts); findings become
 * `$.return[0]["node-name"]: expected string, got 42` paths (findings.ts).
 * A valid value allocates nothing: the findings object is reused and the
 * result is a shared frozen one.
 */
import type { SdkValidators, ValidationResult } from "../sdk.js";
import type { WireSchema } from "../wire/schema.js";
import { type Check, Compiler } from "./compile.js";
import { Findings, result } from "./findings.js";

/** Validators for a wire schema; types compile as they are first needed. */
export function createValidators(schema: WireSchema): SdkValidators {
  const compiler = new Compiler(schema);
  const argChecks = new Map<string, Check>();
  const returnChecks = new Map<string, Check>();
  const eventChecks = new Map<string, Check>();
  let idle: Findings | undefined = new Findings();
  let noReply: Check | undefined;

  const run = (check: Check, value: unknown, mode: "lenient" | "strict", root: string): ValidationResult => {
    // Reentrant calls (a getter on a value that validates) get findings of their own.
    const f = idle ?? new Findings();
    idle = undefined;
    f.start(mode === "strict");
    try {
      check(value, f);
      return result(f, root);
    } finally {
      idle = f;
    }
  };

  return {
    commandArgs(command, value, mode, root = "$.arguments") {
      let check = argChecks.get(command);
      if (!check) {
        const c = schema.commands.get(command);
        if (!c) return undefined;
        check = compiler.check(c.argType);
        argChecks.set(command, check);
      }
      return run(check, value === undefined ? {} : value, mode, root);
    },
    commandReturn(command, value, mode, root = "$.return") {
      let check = returnChecks.get(command);
      if (!check) {
        const c = schema.commands.get(command);
        if (!c) return undefined;
        // A command QEMU never answers has nothing to return; anything sent back is checked as `{}`.
        check = c.successResponse === false ? (noReply ??= compiler.objectOf([])) : compiler.check(c.retType);
        returnChecks.set(command, check);
      }
      return run(check, value, mode, root);
    },
    event(event, data, mode, root = "$.data") {
      let check = eventChecks.get(event);
      if (!check) {
        const e = schema.events.get(event);
        if (!e) return undefined;
        check = compiler.check(e.argType);
        eventChecks.set(event, check);
      }
      return run(check, data === undefined ? {} : data, mode, root);
    },
    type(typeName, value, mode, root = "$") {
      if (!schema.types.has(typeName)) return undefined;
      return run(compiler.check(typeName), value, mode, root);
    },
  };
}

/**
 * Validators whose schema is loaded (and compiled) at their first call, so
 * importing an SDK costs nothing for them while validation is off.
 */
export function lazyValidators(load: () => WireSchema): SdkValidators {
  let engine: SdkValidators | undefined;
  const get = () => (engine ??= createValidators(load()));
  return {
    commandArgs: (command, value, mode, root) => get().commandArgs(command, value, mode, root),
    commandReturn: (command, value, mode, root) => get().commandReturn(command, value, mode, root),
    event: (event, data, mode, root) => get().event(event, data, mode, root),
    type: (typeName, value, mode, root) => get().type(typeName, value, mode, root),
  };
}
