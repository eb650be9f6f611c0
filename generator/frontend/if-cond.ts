/**
 * The shape of an `if` condition once stage 2 has checked it: a config
 * symbol, or `all` / `any` / `not` of conditions.
 *
 * check-parts.ts (and cpp-condition.ts for older releases' C strings)
 * produce it; the model wraps it in IfCondition (generator/model/if-cond.ts)
 * for the dump and the code generators. It lives here, in the front end's
 * leaf modules, so the model imports the front end and never the other way.
 */

/** A condition: a config symbol, or a combination of conditions. */
export type IfCond =
  string | { readonly all: readonly IfCond[] } | { readonly any: readonly IfCond[] } | { readonly not: IfCond };
