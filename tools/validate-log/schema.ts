/**
 * The validators `validate-log` checks a log with: from a schema the tools
 * read (diff/model-of-side.ts: a source, an introspection file, a
 * recorded conversation, a release of the history), or from the log's own
 * `query-version` and `query-qmp-schema` replies. Both go through the
 * schema's wire form to the runtime's validator engine, as an SDK's do.
 */
import type { SdkValidators } from "../../runtime/sdk.js";
import { createValidators } from "../../runtime/validate/index.js";
import { wireFromIntrospection } from "../../core/introspection-file.js";
import { introspectionFromReplies, RepliesFormatError } from "../introspection/replies-file.js";
import { UserFacingError } from "../../generator/errors.js";
import { modelOfSide, modelOfWire } from "../diff/model-of-side.js";
import type { Schema } from "../../generator/model/schema.js";
import { wireFromModel } from "../../generator/model/wire-from-model.js";

/** What checking a log needs from its schema. */
export interface LogSchema {
  readonly validators: SdkValidators;
  /** Whether a command is answered at all (`success-response`). */
  readonly successResponse: (command: string) => boolean;
}

/**
 * The schema a log carries: its `query-version` and `query-qmp-schema` replies.
 * @throws UserFacingError when the log has no such replies
 */
export function schemaFromLog(text: string, label: string): Schema {
  try {
    return modelOfWire(wireFromIntrospection(introspectionFromReplies(text, label).file, label), label);
  } catch (error) {
    if (error instanceof RepliesFormatError)
      throw new UserFacingError(`${error.message} (--schema-from-log needs the log to hold both replies)`);
    throw error;
  }
}

/** The validators of a schema given as `--schema` (any form model-of-side.ts reads). */
export function logSchemaOfSide(side: string): LogSchema {
  return logSchema(modelOfSide(side), side);
}

/** The validators of a resolved schema. */
export function logSchema(schema: Schema, label: string): LogSchema {
  const wire = wireFromModel(schema, label);
  const successResponse = (name: string) => wire.commands.get(name)?.successResponse !== false;
  return { validators: createValidators(wire), successResponse };
}
