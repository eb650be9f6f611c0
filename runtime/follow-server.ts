/**
 * Validation that follows the server: once the client knows which QEMU it
 * talks to (the QMP greeting's version; the guest agent's `guest-info`), the
 * SDK's wire schema is cut to that release by the SDK's version history
 * (core/cut-to-release.ts), so the 10.2.2 SDK checks a QEMU 7.2
 * conversation as 7.2 has it: no false rejection of what 7.2 sends, and what
 * 7.2 lacks is not accepted either.
 *
 * A server the history does not cover (newer than the SDK, a development
 * build, older than the history), or an SDK without a matching history (the
 * descriptor's `history`: `generate --history`, the shipped SDKs), gets
 * one diagnostic at connect; the SDK's schema (or the cut to the development
 * build's line) is used, and strict mode then treats what the SDK does not
 * know as notices (`unknownAsNotices`).
 *
 * The history data is loaded at the first connection that validates (dynamic
 * import), so importing an SDK costs nothing for it; the cut is made once per
 * (SDK, release) and its validators compile lazily, type by type.
 *
 * Data flow: runtime/connect.ts calls `followServer` after the greeting (or the
 * guest agent's sync) → runtime/session.ts `useServerValidators` →
 * runtime/validation-hook.ts validates with the result.
 */
import type { QmpDiagnostic } from "./client-types.js";
import type { SdkDescriptor, SdkValidators } from "./sdk.js";
import type { History } from "../core/history.js";
import type { WireSchema } from "../core/schema.js";
import { lazyValidators } from "./validate/index.js";
import { releaseValidators } from "./release-validators.js";

/** A server's `query-version` numbers. */
export interface ServerVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
}

/** What the session validates with once the server is known. */
export interface FollowedServer {
  readonly validators: SdkValidators;
  /** The wire schema the validators check against (the SDK's own, or its cut to the release), when there is one. */
  readonly wire?: () => WireSchema;
  /** The history release the validators describe; undefined: the SDK's own schema. */
  readonly release?: string;
  /** Strict mode checks replies and events as lenient does: what the SDK does not know becomes a notice. */
  readonly unknownAsNotices: boolean;
  /** One line for the client's diagnostics channel, when the SDK cannot vouch for everything the server has. */
  readonly diagnostic?: QmpDiagnostic;
}

interface Cut {
  readonly validators: SdkValidators;
  readonly wire: WireSchema;
  readonly unknown: readonly string[];
}

/** Per SDK, per release: the cut's validators, so many connections compile once. */
const cuts = new WeakMap<SdkDescriptor, Map<string, Cut>>();

/** Per SDK, per release: the history's view of it (`releaseSchemaOf`). */
const releaseSchemas = new WeakMap<SdkDescriptor, Map<string, WireSchema>>();

/** Per SDK: its history, loaded once. */
const histories = new WeakMap<SdkDescriptor, Promise<History>>();

/**
 * The validators for a session with a server of `version` (undefined: the
 * server did not say), and what to tell the user about it.
 */
export async function followServer(sdk: SdkDescriptor, version: ServerVersion | undefined): Promise<FollowedServer> {
  try {
    return await follow(sdk, version);
  } catch (error) {
    // A broken history must not break connecting; the user hears why validation does not follow.
    const text = version ? `QEMU ${version.major}.${version.minor}.${version.micro}` : "the server";
    return {
      validators: sdk.validators,
      ...(sdk.wire ? { wire: sdk.wire } : {}),
      unknownAsNotices: true,
      diagnostic: notice(
        `validation cannot follow ${text}: ${(error as Error).message}; validating against the ${sdk.name} SDK's own schema, unknown parts as notices`,
        version,
      ),
    };
  }
}

async function follow(sdk: SdkDescriptor, version: ServerVersion | undefined): Promise<FollowedServer> {
  const own: FollowedServer = {
    validators: sdk.validators,
    ...(sdk.wire ? { wire: sdk.wire } : {}),
    unknownAsNotices: false,
  };
  if (!sdk.wire) return own; // nothing to cut: the generic SDKs validate nothing
  const text = version && `${version.major}.${version.minor}.${version.micro}`;
  if (!version)
    return {
      ...own,
      unknownAsNotices: true,
      diagnostic: notice(
        `the server did not say its version: validating against the ${sdk.name} SDK's own schema (QEMU ${sdk.qemuVersion ?? "?"}), unknown parts as notices`,
      ),
    };
  const history = await historyOf(sdk);
  if (!history) {
    // An SDK that does not know its own release cannot tell whether the server is another one.
    if (sdk.qemuVersion === undefined || sameLine(text!, sdk.qemuVersion)) return own;
    return {
      ...own,
      unknownAsNotices: true,
      diagnostic: notice(
        `QEMU ${text}: the ${sdk.name} SDK (QEMU ${sdk.qemuVersion}) has no version history to follow it; validating against the SDK's own schema, unknown parts as notices`,
        version,
      ),
    };
  }
  const { placeServerRelease, releaseOfVersion } = await import("./history.js");
  const placed = placeServerRelease(history, version);
  const newest = history.releases.at(-1)!;
  // A development build (x.y.50+) is on the way from x.y: its line's release is the nearest one known.
  const release =
    placed.release ??
    (placed.relation === "development" ? releaseOfVersion(history, { ...version, micro: 49 }) : undefined);
  const diagnostic = placed.diagnostic !== undefined ? notice(placed.diagnostic, version) : undefined;
  const uncertain = placed.relation !== "same" && placed.relation !== "older";
  if (release === undefined || release === newest)
    return {
      ...own,
      unknownAsNotices: uncertain,
      ...(diagnostic ? { diagnostic } : {}),
      ...(release ? { release } : {}),
    };
  const cut = await cutFor(sdk, history, release);
  if (cut.unknown.length > 0) {
    const listed =
      cut.unknown.slice(0, 5).join(", ") + (cut.unknown.length > 5 ? `, … (${cut.unknown.length} in all)` : "");
    return {
      validators: cut.validators,
      wire: () => cut.wire,
      release,
      unknownAsNotices: true,
      diagnostic:
        diagnostic ??
        notice(
          `QEMU ${text}: the ${sdk.name} SDK's history does not know ${listed}; checked as the SDK has them, unknown parts as notices`,
          version,
        ),
    };
  }
  return {
    validators: cut.validators,
    wire: () => cut.wire,
    release,
    unknownAsNotices: uncertain,
    ...(diagnostic ? { diagnostic } : {}),
  };
}

/** The version a guest agent states in `guest-info` (`"7.2.22"`), as numbers. */
export function agentVersion(info: unknown): ServerVersion | undefined {
  const v = (info as { version?: unknown } | null | undefined)?.version;
  const match = typeof v === "string" ? /^(\d+)\.(\d+)\.(\d+)/.exec(v) : null;
  return match ? { major: Number(match[1]), minor: Number(match[2]), micro: Number(match[3]) } : undefined;
}

/** The greeting's `version.qemu`, when it has three numbers (unchecked when validation is off). */
export function greetingVersion(version: unknown): ServerVersion | undefined {
  const q = (version as { qemu?: Record<string, unknown> } | null | undefined)?.qemu;
  if (!q || !["major", "minor", "micro"].every((k) => Number.isInteger(q[k]))) return undefined;
  return q as unknown as ServerVersion;
}

/** The cut to `release`, made at its first use and kept with the SDK. */
async function cutFor(sdk: SdkDescriptor, history: History, release: string): Promise<Cut> {
  let perRelease = cuts.get(sdk);
  if (!perRelease) cuts.set(sdk, (perRelease = new Map()));
  let cut = perRelease.get(release);
  if (!cut) {
    const { cutToRelease } = await import("./history.js");
    const wire = sdk.wire!;
    const made = cutToRelease(wire(), history, release);
    cut = {
      wire: made.wire,
      validators: releaseValidators(
        lazyValidators(() => made.wire),
        sdk.validators,
        release,
      ),
      unknown: made.unknown.map((u) => u.name),
    };
    perRelease.set(release, cut);
  }
  return cut;
}

/**
 * The history the SDK's descriptor carries (never one found by the SDK's
 * name: a user's own SDK named "qemu" has none unless generated with one),
 * when it describes this SDK: its newest release must be the one the SDK was
 * generated from.
 * @throws Error when the history cannot be loaded
 */
async function historyOf(sdk: SdkDescriptor): Promise<History | undefined> {
  if (!sdk.history) return undefined;
  let loading = histories.get(sdk);
  if (!loading) histories.set(sdk, (loading = sdk.history()));
  const history = await loading;
  return history.releases.at(-1) === sdk.qemuVersion ? history : undefined;
}

/**
 * The schema of the server's release as the SDK knows it, for what
 * introspection leaves out (integer widths, core/integer-widths.ts): the
 * history's view of the release when the history lists it, the SDK's own
 * schema when the server is of the SDK's line and there is no history;
 * otherwise none (nothing is certain). A broken history gives none too.
 */
export async function releaseSchemaOf(
  sdk: SdkDescriptor,
  version: ServerVersion | undefined,
): Promise<WireSchema | undefined> {
  if (!sdk.wire || !version) return undefined;
  try {
    const history = await historyOf(sdk);
    if (!history) return sameLine(`${version.major}.${version.minor}.0`, sdk.qemuVersion) ? sdk.wire() : undefined;
    const { historyAt, placeServerRelease } = await import("./history.js");
    const placed = placeServerRelease(history, version);
    const release = placed.release;
    if (release === undefined || (placed.relation !== "same" && placed.relation !== "older")) return undefined;
    // Many connections to one release share its view (historyAt takes some milliseconds).
    let perRelease = releaseSchemas.get(sdk);
    if (!perRelease) releaseSchemas.set(sdk, (perRelease = new Map()));
    let schema = perRelease.get(release);
    if (!schema) perRelease.set(release, (schema = historyAt(history, release)));
    return schema;
  } catch {
    return undefined;
  }
}

/** True when two versions are of the same x.y line. */
function sameLine(a: string, b: string | undefined): boolean {
  return b !== undefined && a.split(".").slice(0, 2).join(".") === b.split(".").slice(0, 2).join(".");
}

function notice(message: string, version?: ServerVersion): QmpDiagnostic {
  return { kind: "server-release", message, ...(version ? { value: version } : {}) };
}
