/**
 * The explicit context every emitter in generator/emitters/ receives.
 *
 * `createGenContext` runs once per generation over the resolved model: it
 * decides every top-level identifier of the SDK (types, implicit argument and
 * event types with human names, per-command functions, enum value lists) in
 * schema order through one NameRegistry, and keeps the options and the runtime
 * symbols (emit/runtime-symbols.ts), and the version history's answers
 * (history-facts.ts) when one is given. The emitters (types.ts, commands.ts, events.ts, wire-data.ts,
 * index-file.ts) then only look names up; they never invent one.
 */
import { type RuntimeSymbols, runtimeSymbols } from "../printer/runtime-symbols.js";
import { NameRegistry, camelCase, pascalCase, typeIdentifier } from "../printer/names.js";
import type { AnyType, Command, Definition, Event, ObjectType } from "../model/entities.js";
import type { Schema } from "../model/schema.js";
import { emptyObjectTypeName } from "../model/builtins.js";
import type { History } from "../../core/history.js";
import { HistoryFacts } from "./history-facts.js";

/** How much of the schema's documentation goes into TSDoc. */
export type DocsMode = "full" | "facts" | "none";

/** Where the QEMU reference documentation of a schema lives, for `@see` links. */
export interface ReferenceLink {
  /** The page, e.g. `https://www.qemu.org/docs/master/interop/qemu-qmp-ref.html`. */
  readonly page: string;
  /** The Sphinx QAPI domain namespace of that manual: `QMP`, `QGA` or `QSD`. */
  readonly namespace: string;
}

/** Options of one generation run (see generator/index.ts for their defaults). */
export interface GenOptions {
  /** Short SDK name put into the descriptor (`qemu`, `qga`, …). */
  readonly name: string;
  /** The schema path as shown in headers and provenance (no absolute paths: output must not depend on the checkout). */
  readonly sourceLabel: string;
  readonly docs: DocsMode;
  /** Module specifier the generated code imports the runtime from. */
  readonly runtimeImport: string;
  /** QEMU version recorded in the descriptor, when the schema is QEMU's. */
  readonly qemuVersion?: string | undefined;
  /** Wire dialect recorded in the descriptor (`qga` for the guest agent); absent means QMP. */
  readonly protocol?: "qmp" | "qga" | undefined;
  /** Link target for facts docs; none for users' own schemas. */
  readonly reference?: ReferenceLink | undefined;
  /** The schema's version history: docs say which release each command, event and member first appeared in. */
  readonly history?: History | undefined;
}

/** Everything an emitter needs, read-only. */
export interface GenContext {
  readonly schema: Schema;
  readonly options: GenOptions;
  readonly runtime: RuntimeSymbols;
  /** Identifier of each emitted type, by QAPI name (implicit types included). */
  readonly typeNames: ReadonlyMap<string, string>;
  /** Identifier of each enum's value list. */
  readonly enumValueNames: ReadonlyMap<string, string>;
  /** Identifier of each command's function. */
  readonly commandFunctions: ReadonlyMap<string, string>;
  /** The emitted types in schema order (no built-ins, arrays or `q_empty`). */
  readonly types: readonly AnyType[];
  readonly commands: readonly Command[];
  readonly events: readonly Event[];
  /** For implicit types: the command or event they are the arguments of, or the union they are the base of. */
  readonly implicitOwner: ReadonlyMap<string, Definition>;
  /** The version history's answers, when `options.history` is given. */
  readonly historyFacts: HistoryFacts | null;
}

/** Names the generated index declares itself; schema names that want them are salted. */
export const generatorNames = [
  "CommandMap",
  "EventMap",
  "sdk",
  "connect",
  "validators",
  "wireData",
  "wireSchema",
  "Client",
  "standardSchemas",
] as const;

/** True for the types that get a declaration of their own. */
export function isEmittedType(t: AnyType): boolean {
  return t.kind === "enum" || t.kind === "alternate" || (t.kind === "object" && t.name !== emptyObjectTypeName);
}

/**
 * Decides all names for one schema.
 * @param schema the resolved model; read only
 */
export function createGenContext(schema: Schema, options: GenOptions): GenContext {
  const runtime = runtimeSymbols(options.runtimeImport);
  const registry = new NameRegistry([...generatorNames, ...Object.values(runtime).map((s) => s.name)]);
  const types: AnyType[] = [];
  const commands: Command[] = [];
  const events: Event[] = [];
  const implicitOwner = new Map<string, Definition>();
  for (const defn of schema.allDefinitions()) {
    if (defn.kind === "command") {
      commands.push(defn);
      if (defn.argType?.isImplicit()) implicitOwner.set(defn.argType.name, defn);
    } else if (defn.kind === "event") {
      events.push(defn);
      if (defn.argType?.isImplicit()) implicitOwner.set(defn.argType.name, defn);
    } else if (isEmittedType(defn)) {
      types.push(defn);
      if (defn.kind === "object" && defn.base?.isImplicit()) implicitOwner.set(defn.base.name, defn);
    }
  }

  // Schema names first (they are what users look for), implicit ones after.
  const typeNames = new Map<string, string>();
  for (const t of types)
    if (!t.isImplicit() || t.kind === "enum") typeNames.set(t.name, registry.claim(typeIdentifier(t.name), "type"));
  // An implicit base of an implicit union (an SDK made from introspection: a command's union arguments) is named after the union's name.
  const ideal = (name: string): string => {
    const owner = implicitOwner.get(name);
    if (owner?.kind === "command") return pascalCase(owner.name) + "Arguments";
    if (owner?.kind === "event") return pascalCase(owner.name) + "Event";
    if (owner) return (implicitOwner.has(owner.name) ? ideal(owner.name) : typeIdentifier(owner.name)) + "Base";
    return typeIdentifier(name.replace(/^q_obj_/, ""));
  };
  for (const t of types) if (!typeNames.has(t.name)) typeNames.set(t.name, registry.claim(ideal(t.name), "type"));
  const enumValueNames = new Map<string, string>();
  for (const t of types) {
    if (t.kind === "enum") enumValueNames.set(t.name, registry.claim(typeNames.get(t.name)! + "Values", "value"));
  }
  const commandFunctions = new Map<string, string>();
  for (const c of commands) commandFunctions.set(c.name, registry.claim(camelCase(c.name) || "command", "value"));
  return {
    schema,
    options,
    runtime,
    typeNames,
    enumValueNames,
    commandFunctions,
    types,
    commands,
    events,
    implicitOwner,
    historyFacts: options.history ? new HistoryFacts(options.history, schema) : null,
  };
}

/** The object type's identifier. @throws Error for a type that has none (a generator bug). */
export function typeName(ctx: GenContext, t: AnyType | ObjectType): string {
  const name = ctx.typeNames.get(t.name);
  if (name === undefined) throw new Error(`no identifier for type '${t.name}'`);
  return name;
}
