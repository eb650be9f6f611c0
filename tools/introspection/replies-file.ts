/**
 * Recorded QMP conversations in libvirt's `.replies` form: concatenated,
 * pretty-printed JSON texts, each command (`{"execute": …, "id": …}`)
 * followed by QEMU's answer with the same id. libvirt's test suite keeps one
 * per QEMU release and architecture (tests/qemucapabilitiesdata/, fetched by
 * scripts/fetch-libvirt-caps.sh). This module finds the `query-version`,
 * `query-target` and `query-qmp-schema` replies and brings them into an
 * IntrospectionFile (introspection-file.ts), which the version history
 * (tools/history/) merges and the tests compare against. Integers are
 * read losslessly (json.ts); no file system here.
 */
import { parseJson } from "../../runtime/json.js";
import { splitJsonTexts } from "../../runtime/json-stream.js";
import { isIntrospectionFile, type IntrospectionFile } from "../../core/introspection-file.js";

/** What a recording says about the binary it was made with. */
export interface RecordedIntrospection {
  readonly file: IntrospectionFile;
  /** `query-target`'s `arch`, when the conversation asked for it. */
  readonly arch?: string;
}

/** Raised when a text is not a recorded conversation holding an introspection. */
export class RepliesFormatError extends Error {
  override readonly name = "RepliesFormatError";
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Reads a recorded conversation and returns its introspection.
 * @param label how messages name the text (a file name)
 * @throws RepliesFormatError when the text is not JSON texts, or lacks a successful
 *   `query-version` or `query-qmp-schema` reply
 */
export function introspectionFromReplies(text: string, label: string): RecordedIntrospection {
  let texts: string[];
  try {
    texts = splitJsonTexts(text);
  } catch (error) {
    throw new RepliesFormatError(
      `${label}: not a recorded conversation: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Request id → command name, then the first successful reply to each command we want.
  const asked = new Map<string, string>();
  const answers = new Map<string, unknown>();
  for (const [index, piece] of texts.entries()) {
    let message: unknown;
    try {
      message = parseJson(piece);
    } catch (error) {
      throw new RepliesFormatError(
        `${label}: JSON text ${index + 1}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!isRecord(message)) continue;
    const id =
      typeof message["id"] === "string" || typeof message["id"] === "number" ? String(message["id"]) : undefined;
    if (typeof message["execute"] === "string") {
      if (id !== undefined) asked.set(id, message["execute"]);
    } else if ("return" in message && id !== undefined) {
      const command = asked.get(id);
      if (command !== undefined && !answers.has(command)) answers.set(command, message["return"]);
    }
  }
  const version = answers.get("query-version");
  const schema = answers.get("query-qmp-schema");
  const file = { version, schema };
  if (version === undefined) throw new RepliesFormatError(`${label}: no successful reply to query-version`);
  if (schema === undefined) throw new RepliesFormatError(`${label}: no successful reply to query-qmp-schema`);
  if (!isIntrospectionFile(file) || !isRecord((version as Record<string, unknown>)["qemu"])) {
    throw new RepliesFormatError(`${label}: the query-version or query-qmp-schema reply has an unexpected shape`);
  }
  const target = answers.get("query-target");
  const arch = isRecord(target) && typeof target["arch"] === "string" ? target["arch"] : undefined;
  return arch === undefined ? { file } : { file, arch };
}
