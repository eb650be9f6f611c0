/**
 * The one validator engine: SdkValidators (runtime/sdk.ts) over any wire
 * schema. Generated SDKs get theirs from their wire data
 * (generated/<sdk>/wire.ts: `lazyValidators(wireSchemaLoader(wireData))`),
 * `qapi-ts validate-log` from a schema file, the mock from the SDK it is
 * given, the capability probes from the server's `query-qmp-schema`.
 *
 * Types compile to closures at their first use (compile.ts); findings become
 * `$.return[0]["node-name"]: expected string, got 42` paths (findings.ts).
 * A strictly valid value is answered by the type's allocation-free test and
 * gets a shared frozen result; only other values are checked again for
 * findings (errors, or in lenient mode notices).
 */
import type { SdkValidators, ValidationResult } from "../sdk.js";
import type { WireSchema } from "../../core/schema.js";
import { takesExtraMembers } from "../../core/command-flags.js";
import { Compiler, reportFindings, type Slot, valueOk } from "./compile.js";
import { Findings, result, valid } from "./findings.js";

/** Validators for a wire schema; types compile as they are first needed. */
export function createValidators(schema: WireSchema): SdkValidators {
  const compiler = new Compiler(schema);
  const argChecks = new Map<string, Slot>();
  const returnChecks = new Map<string, Slot>();
  const eventChecks = new Map<string, Slot>();
  let noReply: Slot | undefined;
  const compiled = (typeName: string): Slot => compiler.root(typeName);

  const run = (slot: Slot, value: unknown, mode: "lenient" | "strict", root: string): ValidationResult => {
    // Strictly valid values (nearly all) are answered by the allocation-free test.
    if (valueOk(slot, value)) return valid;
    const f = new Findings(mode === "strict");
    reportFindings(slot, value, f);
    return result(f, root);
  };

  return {
    commandArgs(command, value, mode, root = "$.arguments") {
      let check = argChecks.get(command);
      if (!check) {
        const c = schema.commands.get(command);
        if (!c) return undefined;
        check = takesExtraMembers(c) ? compiler.openRoot(c.argType) : compiled(c.argType);
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
        check = c.successResponse === false ? (noReply ??= compiler.objectOf([])) : compiled(c.retType);
        returnChecks.set(command, check);
      }
      return run(check, value, mode, root);
    },
    event(event, data, mode, root = "$.data") {
      let check = eventChecks.get(event);
      if (!check) {
        const e = schema.events.get(event);
        if (!e) return undefined;
        check = compiled(e.argType);
        eventChecks.set(event, check);
      }
      return run(check, data === undefined ? {} : data, mode, root);
    },
    type(typeName, value, mode, root = "$") {
      if (!schema.types.has(typeName)) return undefined;
      return run(compiled(typeName), value, mode, root);
    },
  };
}

/**
 * Validators whose schema is loaded (and compiled) at their first call, so
 * importing an SDK costs nothing for them while validation is off. After the
 * first call the methods are the engine's own, without a forwarding step.
 */
export function lazyValidators(load: () => WireSchema): SdkValidators {
  const lazy: SdkValidators = {
    commandArgs: (command, value, mode, root) => start().commandArgs(command, value, mode, root),
    commandReturn: (command, value, mode, root) => start().commandReturn(command, value, mode, root),
    event: (event, data, mode, root) => start().event(event, data, mode, root),
    type: (typeName, value, mode, root) => start().type(typeName, value, mode, root),
  };
  const start = (): SdkValidators => {
    const engine = createValidators(load());
    Object.assign(lazy, engine);
    return engine;
  };
  return lazy;
}
