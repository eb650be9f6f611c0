/**
 * The shipped version histories for run-time use (`qapi-ts/history`): read
 * generated/history/<sdk>.json from the package, then ask what a release has
 * (`historyAt`), which release a server's greeting counts as
 * (`releaseOfVersion`), or cut an SDK's wire view to that release for
 * validation (`cutToRelease`). The data format and the pure functions are in
 * core/; this module only adds the file.
 */
import { readFileSync } from "node:fs";
import type { History } from "../core/history.js";

export {
  decodeRanges,
  historyAt,
  HistoryReader,
  historyRelease,
  releaseOfVersion,
  type History,
} from "../core/history.js";
export {
  cutToRelease,
  placeServerRelease,
  type ReleaseWire,
  type ServerRelease,
  type UnknownPart,
} from "../core/cut-to-release.js";

const cache = new Map<string, History>();

/**
 * The history shipped for an SDK (this module is built to build/runtime/, the data is in generated/history/).
 * @throws Error when the package has no history for `sdk`
 */
export function shippedHistory(sdk: "qemu" | "qga" | "qsd"): History {
  let history = cache.get(sdk);
  if (!history) {
    const url = new URL(`../../generated/history/${sdk}.json`, import.meta.url);
    history = JSON.parse(readFileSync(url, "utf8")) as History;
    cache.set(sdk, history);
  }
  return history;
}
