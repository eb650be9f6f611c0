/**
 * Type-level narrowing of an SDK's command and event maps to one QEMU
 * release, driven by the availability interfaces of generated/<sdk>/versions.ts
 * (emitted from the version history by `qapi-ts history`). A client typed
 * with the narrowed maps does not compile a call to a command, an argument at
 * any depth, or an enum value the release lacks:
 *
 *   const c72 = narrow(client, "7.2.0");   // from "qapi-ts/qemu/versions"
 *   c72.execute("query-accelerators");      // error: added after 7.2
 *
 * Availability interfaces map a name to the union of releases that have it;
 * names they do not list exist in every release covered.
 */

/** The keys of `A` listed with releases that do not include `V`. */
type Missing<A, V extends string> = { [K in keyof A]: V extends A[K] ? never : K }[keyof A];

/** Member names of a tree node's `members` that `V` lacks (their `$in` leaves it out). */
type MissingMembers<Members, V extends string> = {
  [K in keyof Members]: Members[K] extends { $in: infer R } ? (V extends R ? never : K) : never;
}[keyof Members];

/**
 * A value of type `T` as release `V` accepts it, per argument-tree node `N`:
 * enum values `V` lacks are removed, object members `V` lacks are dropped, and
 * the rest narrowed by their own nodes, through arrays and unions (a union
 * branch selected by a missing tag value ends up with a `never` tag, so no
 * value matches it).
 */
export type NarrowValue<T, N, V extends string> = N extends { members?: infer Members; values?: infer Values }
  ? T extends readonly (infer E)[]
    ? NarrowValue<E, N, V>[]
    : T extends string
      ? unknown extends Values
        ? T
        : Exclude<T, Missing<Values, V>>
      : T extends object
        ? unknown extends Members
          ? T
          : {
              [K in keyof T as K extends MissingMembers<Members, V> ? never : K]: K extends keyof Members
                ? NarrowValue<T[K], Members[K], V>
                : T[K];
            }
        : T
  : T;

/**
 * Command map `M` narrowed to release `V`: commands `V` lacks are gone, and
 * arguments are narrowed by their tree.
 * @typeParam CommandVersions command name → releases having it (only partial ones)
 * @typeParam ArgumentTree command name → argument tree (members, values some release lacks)
 */
export type CommandsAvailableIn<M, V extends string, CommandVersions, ArgumentTree = {}> = {
  [
    K in keyof M as K extends keyof CommandVersions ? (V extends CommandVersions[K] ? K : never) : K
  ]: K extends keyof ArgumentTree
    ? M[K] extends { args: infer A; returns: infer R }
      ? { args: A extends undefined ? A : NarrowValue<A, ArgumentTree[K], V>; returns: R }
      : M[K]
    : M[K];
};

/** Event map `E` narrowed to release `V`. */
export type EventsAvailableIn<E, V extends string, EventVersions> = {
  [K in keyof E as K extends keyof EventVersions ? (V extends EventVersions[K] ? K : never) : K]: E[K];
};
