/**
 * An SDK descriptor for talking QMP without a generated SDK: every command name
 * and argument object is accepted, replies and events are `unknown`, nothing is
 * validated. Used by tests before SDKs exist, and by tools that work by name.
 *
 * Data flow: `connect`/`connectWith(genericSdk, …)` (runtime/connect.ts) → an
 * untyped QmpClient.
 */
import type { CommandMeta, SdkDescriptor, SdkValidators } from "./sdk.js";

/** Any command: optional object arguments, unknown result. */
export type GenericCommandMap = { [command: string]: { args: Record<string, unknown> | undefined; returns: any } };

/** Any event with any data. */
export type GenericEventMap = { [event: string]: any };

const noValidators: SdkValidators = {
  commandArgs: () => undefined,
  commandReturn: () => undefined,
  event: () => undefined,
  type: () => undefined,
};

/**
 * Makes a generic descriptor. `commands` may name commands whose flags matter
 * (e.g. `{ "guest-shutdown": { successResponse: false } }`), since without a
 * schema the runtime cannot know them.
 */
export function createGenericSdk(
  name: string,
  protocol: "qmp" | "qga" = "qmp",
  commands: Record<string, Partial<CommandMeta>> = {},
): SdkDescriptor {
  const full: Record<string, CommandMeta> = {};
  for (const [command, meta] of Object.entries(commands)) {
    full[command] = { allowOob: false, successResponse: true, allowPreconfig: false, features: [], ...meta };
  }
  return { name, protocol, commands: full, events: {}, validators: noValidators };
}

/** Generic QMP (QEMU, qemu-storage-daemon). The known allow-oob commands are marked so `oob` works untyped. */
export const genericSdk: SdkDescriptor = createGenericSdk("generic", "qmp", {
  "migrate-recover": { allowOob: true },
  "migrate-pause": { allowOob: true },
  "x-oob-test": { allowOob: true },
});

/** Generic guest agent: the agent's commands without a reply are marked. */
export const genericGuestAgentSdk: SdkDescriptor = createGenericSdk("generic-qga", "qga", {
  "guest-shutdown": { successResponse: false },
  "guest-suspend-disk": { successResponse: false },
  "guest-suspend-ram": { successResponse: false },
  "guest-suspend-hybrid": { successResponse: false },
});
