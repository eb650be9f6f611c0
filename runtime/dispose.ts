/**
 * The well-known symbol of `await using` (explicit resource management).
 * Node 20.4+ defines `Symbol.asyncDispose` as `Symbol.for("nodejs.asyncDispose")`;
 * an older Node 20 lacks it, so the same registered symbol is used then, which
 * a polyfill installed later (TypeScript's, core-js's) agrees with.
 *
 * Data flow: runtime/client.ts (`QmpClient`) and runtime/launch.ts
 * (`LaunchedQemu`) name their dispose method with it.
 */
export const asyncDispose: typeof Symbol.asyncDispose = (Symbol.asyncDispose ??
  Symbol.for("nodejs.asyncDispose")) as typeof Symbol.asyncDispose;
