/**
 * Type-level narrowing of an SDK's command and event maps to one QEMU
 * release, driven by the availability interfaces of generated/<sdk>/versions.ts
 * (emitted from the version history by `qapi-ts history`). A client typed
 * with the narrowed maps does not compile a call to a command, an argument at
 * any depth, or an enum value the release lacks, and reads replies and event
 * data as that release sends them (members it lacks are gone, optionality is
 * the release's):
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

/** Member names whose node lists `V` under `Key` (`$req`: required in V; `$opt`: optional in V). */
type MembersListing<Members, V extends string, Key extends string> = {
  [K in keyof Members]: Members[K] extends { [P in Key]: infer R } ? (V extends R ? K : never) : never;
}[keyof Members];

/** Member `K`'s node, when the tree has one. */
type NodeOf<Members, K> = K extends keyof Members ? Members[K] : unknown;

/** Members of `T` whose optionality `V` has as the pinned release does. */
type Unchanged<T, Members, V extends string> = Exclude<
  keyof T,
  MissingMembers<Members, V> | MembersListing<Members, V, "$req"> | MembersListing<Members, V, "$opt">
>;

/**
 * An object type as release `V` has it: members `V` lacks dropped, members
 * whose optionality `V` has otherwise made required or optional, every
 * member narrowed by its own node.
 */
type NarrowObject<T, Members, V extends string> = {
  [K in keyof T as K extends Unchanged<T, Members, V> ? K : never]: NarrowValue<T[K], NodeOf<Members, K>, V>;
} & {
  [
    K in keyof T as K extends Exclude<MembersListing<Members, V, "$req">, MissingMembers<Members, V>> ? K : never
  ]-?: NarrowValue<Exclude<T[K], undefined>, NodeOf<Members, K>, V>;
} & {
  [
    K in keyof T as K extends Exclude<MembersListing<Members, V, "$opt">, MissingMembers<Members, V>> ? K : never
  ]?: NarrowValue<T[K], NodeOf<Members, K>, V>;
};

/**
 * A value of type `T` as release `V` has it, per tree node `N`: enum values
 * `V` lacks are removed, object members `V` lacks are dropped, optionality
 * follows `V`, and the rest narrowed by their own nodes, through arrays and
 * unions (a union branch selected by a missing tag value ends up with a
 * `never` tag, so no value matches it).
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
          : NarrowObject<T, Members, V>
        : T
  : T;

/**
 * Command map `M` narrowed to release `V`: commands `V` lacks are gone,
 * arguments and what is returned are narrowed by their trees.
 * @typeParam CommandVersions command name → releases having it (only partial ones)
 * @typeParam ArgumentTree command name → argument tree (members, values some release has otherwise)
 * @typeParam ReturnTree command name → tree of what it returns
 */
export type CommandsAvailableIn<M, V extends string, CommandVersions, ArgumentTree = {}, ReturnTree = {}> = {
  [K in keyof M as K extends keyof CommandVersions ? (V extends CommandVersions[K] ? K : never) : K]: M[K] extends {
    args: infer A;
    returns: infer R;
  }
    ? {
        // (Extract only tells the compiler what holds anyway: a narrowed object is an object.)
        args: A extends undefined ? A : Extract<NarrowValue<A, NodeOf<ArgumentTree, K>, V>, object>;
        returns: NarrowValue<R, NodeOf<ReturnTree, K>, V>;
      }
    : M[K];
};

/** Event map `E` narrowed to release `V`: events `V` lacks are gone, their data narrowed by its tree. */
export type EventsAvailableIn<E, V extends string, EventVersions, EventTree = {}> = {
  [
    K in keyof E as K extends keyof EventVersions ? (V extends EventVersions[K] ? K : never) : K
  ]: K extends keyof EventTree ? NarrowValue<E[K], EventTree[K], V> : E[K];
};
