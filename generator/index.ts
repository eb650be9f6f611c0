/**
 * The programmatic API of qapi-ts's generator (`qapi-ts/generator`).
 *
 * `loadSchema` (generator/load-schema.ts: front end, then model) reads and
 * checks a schema file into the resolved model; `generate` turns the model into the files of a typed SDK
 * (types.ts, commands.ts, events.ts, validators.ts, index.ts), formatted once
 * by prettier; `writeFiles` / `checkFiles` put them on disk or report stale
 * ones. generator/cli/generate.ts is this API behind a command line.
 */
import { formatTypeScript } from "./printer/format.js";
import type { GeneratedFile } from "./printer/generated-file.js";
import type { OutputFile } from "./printer/write.js";
import { emitCommands } from "./emitters/commands.js";
import { type DocsMode, type ReferenceLink, createGenContext } from "./emitters/context.js";
import { emitEvents } from "./emitters/events.js";
import { emitIndex } from "./emitters/index-file.js";
import { emitTypes } from "./emitters/types.js";
import { emitValidators, emitValidatorsJs } from "./emitters/validators.js";
import type { Schema } from "./model/schema.js";

export { loadSchema, type LoadOptions } from "./load-schema.js";
export { checkFiles, writeFiles, type OutputFile } from "./printer/write.js";
export type { DocsMode, ReferenceLink } from "./emitters/context.js";
export type { Schema } from "./model/schema.js";

/** The reference manuals of QEMU's own schemas, for `reference`. */
export const qemuReferences = {
  qmp: { page: "https://www.qemu.org/docs/master/interop/qemu-qmp-ref.html", namespace: "QMP" },
  qga: { page: "https://www.qemu.org/docs/master/interop/qemu-ga-ref.html", namespace: "QGA" },
  qsd: { page: "https://www.qemu.org/docs/master/interop/qemu-storage-daemon-qmp-ref.html", namespace: "QSD" },
} as const satisfies Record<string, ReferenceLink>;

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
  /** Run prettier over each file (default true; false is for debugging the emitters). */
  readonly format?: boolean;
  /** QEMU version recorded in the descriptor. */
  readonly qemuVersion?: string;
  /** Wire dialect for the descriptor: `qga` for the guest agent's schema. Default: QMP. */
  readonly protocol?: "qmp" | "qga";
  /** Where `@see` links in facts docs point; none by default. */
  readonly reference?: ReferenceLink;
}

/**
 * Generates the SDK files for a resolved schema. Reads the model only; the
 * same model and options always give the same bytes.
 * @throws Error from prettier when generated text does not parse (a generator bug)
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
  });
  const files: GeneratedFile[] = [emitTypes(ctx), emitCommands(ctx), emitEvents(ctx), emitValidators(ctx), emitIndex(ctx)];
  const out: OutputFile[] = [];
  for (const f of files) {
    const text = f.toString();
    out.push({ path: f.path, content: options.format === false ? text : await formatTypeScript(text) });
  }
  return out;
}

/**
 * The validators of a schema as one plain JavaScript ES module without
 * imports (the code of the SDK's validators.ts, type annotations dropped). It
 * exports `validators: SdkValidators`. Tools write it to a file and import it;
 * nothing is evaluated from a string.
 */
export function generateValidatorsJs(schema: Schema, options: Pick<GenerateOptions, "name" | "sourceLabel"> = {}): string {
  const ctx = createGenContext(schema, {
    name: options.name ?? "sdk",
    sourceLabel: options.sourceLabel ?? "schema",
    docs: "none",
    runtimeImport: "qapi-ts/runtime",
  });
  return emitValidatorsJs(ctx);
}
