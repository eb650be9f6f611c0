/**
 * Spelling help for command names, in the types of `QmpClient.execute` and
 * `executeWith` (runtime/client.ts): a name the SDK does not have is a compile
 * error whose expected type is the command (or commands) one edit away, so
 * `execute("query-blok")` reads
 *   Argument of type '"query-blok"' is not assignable to parameter of type '"query-block"'.
 * instead of listing every command. TypeScript's own "Did you mean" (TS2820)
 * is given for assignments and object members, not for arguments, hence this.
 *
 * One edit is an insertion, a deletion, a replacement or two neighbours
 * swapped; `_` and `-` count as the same (QMP spells names both ways). A name
 * with no close command keeps the full list. For a name that exists the hint is
 * `never` and its comparison is never made, so correct calls cost the checker
 * nothing; a generic `K extends keyof CommandMap` still passes through `K & keyof C`.
 */

/** `S` with every `_` read as `-`. */
type Dashed<S extends string> = S extends `${infer A}_${infer B}` ? Dashed<`${A}-${B}`> : S;

/** True when `A` and `B` are at most one edit apart (see the module comment). */
type WithinOneEdit<A extends string, B extends string> = A extends `${infer a}${infer restA}`
  ? B extends `${infer b}${infer restB}`
    ? a extends b
      ? WithinOneEdit<restA, restB>
      : restA extends restB // a replacement
        ? true
        : restA extends B // an extra character in A
          ? true
          : A extends restB // a missing character in A
            ? true
            : restA extends `${b}${infer tail}` // two neighbours swapped
              ? restB extends `${a}${tail}`
                ? true
                : false
              : false
    : restA extends ""
      ? true
      : false
  : B extends `${string}${infer restB}`
    ? restB extends ""
      ? true
      : false
    : true;

/** The names among `Names` one edit away from `K`. */
type CloseNames<K extends string, Names extends string> = Names extends unknown
  ? WithinOneEdit<Dashed<K>, Dashed<Names>> extends true
    ? Names
    : never
  : never;

/**
 * Nothing for a known name; else the close names, or all of them when none is
 * close. `execute`'s name parameter is `(K & keyof C) | NameHint<K, keyof C & string>`,
 * written out in its signature: an alias for the whole union would be what the
 * error message shows instead of the names.
 */
export type NameHint<K extends string, Names extends string> = [K] extends [Names]
  ? never
  : [CloseNames<K, Names>] extends [never]
    ? Names
    : CloseNames<K, Names>;
