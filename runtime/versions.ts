/**
 * Type-level narrowing of an SDK's command and event maps to one QEMU
 * version, driven by availability interfaces that versions.ts generates
 * (generated/qemu/versions.ts for QEMU's own schema). A client typed
 * with the narrowed maps does not compile a call to a command, or an
 * argument, the version lacks:
 *
 *   const c72 = client as QmpClient<CommandsSince<CommandMap, "7.2.0">, EventsSince<EventMap, "7.2.0">>;
 *   c72.execute("query-accelerators");   // error: added after 7.2
 *
 * Availability interfaces map a name to the union of versions that have it;
 * names they do not list exist in every indexed version.
 */

/** The keys of `A` listed with versions that do not include `V`. */
type Missing<A, V extends string> = { [K in keyof A]: V extends A[K] ? never : K }[keyof A];

/** `Args` with each enum-typed member listed in `ValueVersions` stripped of the values `V` lacks. */
type ValuesAvailableIn<Args, ValueVersions, V extends string> = {
  [P in keyof Args]: P extends keyof ValueVersions ? Exclude<Args[P], Missing<ValueVersions[P], V>> : Args[P];
};

/**
 * Argument object `Args` without the members version `V` lacks, and without
 * the values of enum members it lacks (distributes over unions, so a union
 * branch selected by a missing value disappears with it).
 */
export type ArgsAvailableIn<Args, MemberVersions, V extends string, ValueVersions = {}> = Args extends undefined
  ? Args
  : Args extends unknown
    ? Omit<ValuesAvailableIn<Args, ValueVersions, V>, Missing<MemberVersions, V> & keyof Args>
    : never;

/**
 * Command map `M` narrowed to version `V`: commands `V` lacks are gone, and
 * top-level arguments `V` lacks are removed from the rest.
 * @typeParam CommandVersions command name → versions having it (only partial ones)
 * @typeParam ArgumentVersions command name → { argument → versions having it }
 * @typeParam ArgumentValueVersions command name → { enum argument → { value → versions having it } }
 */
export type CommandsAvailableIn<M, V extends string, CommandVersions, ArgumentVersions, ArgumentValueVersions = {}> = {
  [K in keyof M as K extends keyof CommandVersions ? (V extends CommandVersions[K] ? K : never) : K]: K extends
    | keyof ArgumentVersions
    | keyof ArgumentValueVersions
    ? M[K] extends { args: infer A; returns: infer R }
      ? {
          args: ArgsAvailableIn<
            A,
            K extends keyof ArgumentVersions ? ArgumentVersions[K] : {},
            V,
            K extends keyof ArgumentValueVersions ? ArgumentValueVersions[K] : {}
          >;
          returns: R;
        }
      : M[K]
    : M[K];
};

/** Event map `E` narrowed to version `V`. */
export type EventsAvailableIn<E, V extends string, EventVersions> = {
  [K in keyof E as K extends keyof EventVersions ? (V extends EventVersions[K] ? K : never) : K]: E[K];
};
