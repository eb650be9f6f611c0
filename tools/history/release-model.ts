/**
 * One release of a shipped version history as a resolved model, for
 * `qapi-ts generate --release V [--sdk qemu|qga|qsd]`: that release's
 * commands, events and types exactly (historyAt), under the pinned SDK's type
 * names, so code moves between the pinned SDK and V's. Nothing is fetched:
 * the history ships with the package (files.ts). The model has no doc text
 * (the history keeps facts only); generate adds the history's since-lines.
 */
import { UserFacingError } from "../../generator/errors.js";
import { modelFromWire } from "../introspection/model-from-wire.js";
import type { Schema } from "../../generator/model/schema.js";
import { historyAt, historyRelease, type History } from "../../core/history.js";
import { readHistory } from "./files.js";

/** A release's model and the history it came from. */
export interface ReleaseModel {
  readonly schema: Schema;
  readonly history: History;
  /** The release as the history lists it ("6.2" → "6.2.0"). */
  readonly release: string;
}

/**
 * The model of release `name` ("6.2.0", "6.2", "v8.2.2") of SDK `sdk`'s shipped history.
 * @throws UserFacingError when the history does not list the release
 */
export function releaseModel(sdk: string, name: string): ReleaseModel {
  const history = readHistory(sdk);
  const release = historyRelease(history, name);
  if (release === undefined)
    throw new UserFacingError(
      `--release ${name}: not a release of the ${sdk} version history (${history.releases[0]}–${history.releases.at(-1)}; listed: ${history.releases.join(" ")})`,
    );
  const wire = historyAt(history, release);
  return { schema: modelFromWire(wire, { fname: wire.label, nameOf: (n) => n }), history, release };
}
