/**
 * The programmatic API of qapi-ts's generator (`qapi-ts/generator`).
 *
 * `loadSchema` (generator/load-schema.ts: front end, then model) reads and
 * checks a schema file into the resolved model; `generate` turns the model into the files of a typed SDK
 * (types.ts, commands.ts, events.ts, wire.ts, index.ts), already in the
 * pinned prettier style (the printer is final; `format: true` runs prettier
 * anyway); `writeFiles` / `checkFiles` put them on disk or report stale
 * ones. tools/cli/generate.ts is this API behind a command line.
 *
 * @module qapi-ts/generator
 */
// The public types use Node's (streams, sockets, child processes): @types/node is a dependency of the package.
/// <reference types="node" preserve="true" />
import { formatTypeScript } from "./printer/format.js";
import type { GeneratedFile } from "./printer/generated-file.js";
import type { OutputFile } from "./printer/write.js";
import { emitCommands } from "./emitters/commands.js";
import { type DocsMode, type ReferenceLink, createGenContext } from "./emitters/context.js";
import { emitEvents } from "./emitters/events.js";
import { emitIndex } from "./emitters/index-file.js";
import { emitTypes } from "./emitters/types.js";
import { emitHistoryData } from "./emitters/history-data.js";
import { emitWireData } from "./emitters/wire-data.js";
import type { Schema } from "./model/schema.js";
import type { History } from "../core/history.js";

export { loadSchema, type LoadOptions } from "./load-schema.js";
export { checkFiles, writeFiles, type OutputFile } from "./printer/write.js";
export type { DocsMode, ReferenceLink } from "./emitters/context.js";
export type { Schema } from "./model/schema.js";
export type { History } from "../core/history.js";

const qemuManuals = {
  qmp: { path: "interop/qemu-qmp-ref.html", namespace: "QMP" },
  qga: { path: "interop/qemu-ga-ref.html", namespace: "QGA" },
  qsd: { path: "interop/qemu-storage-daemon-qmp-ref.html", namespace: "QSD" },
} as const;

/** Which of QEMU's reference manuals: the QMP one, the guest agent's, the storage daemon's. */
export type QemuManual = keyof typeof qemuManuals;

/**
 * The reference manual of one of QEMU's own schemas, for `reference`: the
 * release's own documentation when `version` is given (QEMU's manuals as built
 * for that release tag), else the development manual (`docs/master`), which
 * describes whatever QEMU is about to become.
 */
export function qemuReference(manual: QemuManual, version?: string): ReferenceLink {
  const { path, namespace } = qemuManuals[manual];
  const root =
    version === undefined ? "https://www.qemu.org/docs/master/" : `https://qemu.readthedocs.io/en/v${version}/`;
  return { page: root + path, namespace };
}

/** The development manuals (`docs/master`); generated SDKs of a release link to `qemuReference(manual, version)` instead. */
export const qemuReferences = {
  qmp: qemuReference("qmp"),
  qga: qemuReference("qga"),
  qsd: qemuReference("qsd"),
} as const satisfies Record<QemuManual, ReferenceLink>;

/** Options of `generate`. */
export interface GenerateOptions {
  /** SDK name in the descriptor. Default: "sdk". */
  readonly name?: string;
  /** Schema path shown in the file headers. Default: "schema". Keep it machine-independent. */
  readonly sourceLabel?: string;
  /** Doc text in TSDoc (`full`), only facts (`facts`, the default) or nothing (`none`). */
  readonly docs?: DocsMode;
  /** Module the generated code imports the runtime from. Default: "qapi-ts/runtime". */
  readonly runtimeImport?: string;
  /**
   * Run prettier over each file anyway (default false: the printer already
   * emits the pinned style, which test/generator/printer/prettier-stable.test.ts
   * holds it to).
   */
  readonly format?: boolean;
  /** QEMU version recorded in the descriptor. */
  readonly qemuVersion?: string;
  /** Wire dialect for the descriptor: `qga` for the guest agent's schema. Default: QMP. */
  readonly protocol?: "qmp" | "qga";
  /** Where `@see` links in facts docs point; none by default. */
  readonly reference?: ReferenceLink;
  /**
   * The schema's version history (generated/history/<sdk>.json for QEMU's
   * schemas; its names must be the schema's): the docs of commands, events,
   * members, enum values and branches then say which release first had them
   * and since when they are deprecated; and the SDK carries it (history.ts,
   * the descriptor's `history`), so validation follows the server's release.
   * None by default: docs say what the doc comments say, and validation uses
   * the SDK's own schema.
   */
  readonly history?: History;
}

/**
 * Generates the SDK files for a resolved schema. Reads the model only; the
 * same model and options always give the same bytes.
 * @throws Error from prettier, with `format: true`, when generated text does not parse (a generator bug)
 */
export async function generate(schema: Schema, options: GenerateOptions = {}): Promise<OutputFile[]> {
  const ctx = createGenContext(schema, {
    name: options.name ?? "sdk",
    sourceLabel: options.sourceLabel ?? "schema",
    docs: options.docs ?? "facts",
    runtimeImport: options.runtimeImport ?? "qapi-ts/runtime",
    qemuVersion: options.qemuVersion,
    reference: options.reference,
    protocol: options.protocol,
    history: options.history,
  });
  const history = emitHistoryData(ctx);
  const files: GeneratedFile[] = [
    emitTypes(ctx),
    emitCommands(ctx),
    emitEvents(ctx),
    emitWireData(ctx),
    ...(history ? [history] : []),
    emitIndex(ctx),
  ];
  const out: OutputFile[] = [];
  for (const f of files) {
    const text = f.toString();
    out.push({ path: f.path, content: options.format === true ? await formatTypeScript(text) : text });
  }
  return out;
}
