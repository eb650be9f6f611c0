/**
 * The runtime exports generated code refers to, as ImportSymbols.
 *
 * Generated SDKs import these names from the runtime module (`qapi-ts/runtime`
 * or a relative path). The type-level checks below tie every name to the
 * runtime's actual exports (runtime/index.ts), so renaming or removing one
 * there breaks the generator's compilation instead of users' builds.
 * generator/emitters/context.ts hands the symbols to the emitters.
 */
import type * as runtime from "../../runtime/index.js";
import { type ImportSymbol, importSymbol } from "./generated-file.js";

/** Type-only runtime exports used by generated code, each checked against the runtime. */
type TypeExports = {
  Int64: runtime.Int64;
  ArgsParam: runtime.ArgsParam<undefined>;
  CommandMapBase: runtime.CommandMapBase;
  ExtraMembers: runtime.ExtraMembers;
  History: runtime.History;
  HistoryData: runtime.HistoryData;
  HelperArgs: runtime.HelperArgs<{}, "">;
  HelperReturn: runtime.HelperReturn<{}, "">;
  QmpClient: runtime.QmpClient;
  ConnectOptions: runtime.ConnectOptions;
  SdkDescriptor: runtime.SdkDescriptor;
  SdkValidators: runtime.SdkValidators;
  ValidationIssue: runtime.ValidationIssue;
  ValidationResult: runtime.ValidationResult;
  WireData: runtime.WireData;
  WireSchema: runtime.WireSchema;
  StandardSchemas: runtime.StandardSchemas<{}, {}>;
};

/** Value exports used by generated code; `satisfies` checks them against the runtime. */
const valueExports = [
  "connectWith",
  "createStandardSchemas",
  "decodeHistory",
  "lazyValidators",
  "runCommand",
  "wireSchemaLoader",
] as const satisfies readonly (keyof typeof runtime)[];

const typeExportNames: readonly (keyof TypeExports)[] = [
  "Int64",
  "ArgsParam",
  "CommandMapBase",
  "ExtraMembers",
  "History",
  "HistoryData",
  "HelperArgs",
  "HelperReturn",
  "QmpClient",
  "ConnectOptions",
  "SdkDescriptor",
  "SdkValidators",
  "ValidationIssue",
  "ValidationResult",
  "WireData",
  "WireSchema",
  "StandardSchemas",
];

/** Every runtime symbol generated code may use, by name. */
export type RuntimeSymbols = { readonly [K in keyof TypeExports | (typeof valueExports)[number]]: ImportSymbol };

/**
 * The runtime symbols as imported from `from`.
 * @param from the module specifier generated code uses for the runtime
 */
export function runtimeSymbols(from: string): RuntimeSymbols {
  const symbols: Record<string, ImportSymbol> = {};
  for (const name of typeExportNames) symbols[name] = importSymbol(name, from, true);
  for (const name of valueExports) symbols[name] = importSymbol(name, from, false);
  return symbols as RuntimeSymbols;
}
