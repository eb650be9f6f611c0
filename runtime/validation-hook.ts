/**
 * The client's one door to the SDK's validators (`sdk.validators`, the
 * SdkValidators interface of runtime/sdk.ts): outgoing arguments, replies,
 * events and the greeting go through `ValidationHook`, which turns what the
 * validators find into a ValidationError (arguments, replies), a diagnostic
 * (events, notices) or a GreetingError. Whatever engine stands behind
 * SdkValidators, the client does not change.
 *
 * Beyond the validators, the hook checks what is QMP's own shape rather than
 * the schema's: an event's timestamp must be `{seconds, microseconds}`, a
 * greeting must carry `version`, and an event the SDK does not list is
 * reported (the SDK must list events; the generic SDK lists none).
 *
 * Once the server's release is known, runtime/connect.ts swaps in the
 * validators that follow it (runtime/follow-server.ts) through `use`.
 *
 * Data flow: runtime/session.ts calls `args` before sending, `reply` when a
 * reply arrives, `event` before dispatching, `greeting` when it is read.
 */
import type {
  EventMeta,
  SdkDescriptor,
  SdkValidators,
  ValidationIssue,
  ValidationMode,
  ValidationResult,
} from "./sdk.js";
import type { QmpDiagnostic } from "./client-types.js";
import type { QmpEventMessage } from "./messages.js";
import { GreetingError, ValidationError } from "./errors.js";
import { previewJson } from "./preview.js";

const hasOwn = Object.prototype.hasOwnProperty;

/** Validation as the session uses it. Methods return the error to raise, or undefined. */
export interface ValidationHook {
  /** The session's default mode (`validate` option). */
  readonly mode: ValidationMode;
  args(command: string, args: object | undefined, mode: ValidationMode): ValidationError | undefined;
  reply(command: string, value: unknown, mode: ValidationMode): ValidationError | undefined;
  /** Events are delivered even when invalid; what is wrong is reported as a diagnostic. */
  event(event: QmpEventMessage, raw: Record<string, unknown>): void;
  greeting(raw: unknown): GreetingError | undefined;
  /**
   * From now on, validate with `validators` (runtime/follow-server.ts: the SDK's schema cut to the
   * connected release). `unknownAsNotices`: strict checks of replies and events let what the SDK
   * does not know through as notices, as lenient does (a server newer than the SDK).
   */
  use(validators: SdkValidators, unknownAsNotices: boolean): void;
}

/** Builds the hook for one session. */
export function createValidationHook(
  sdk: SdkDescriptor,
  mode: ValidationMode,
  diagnose: (d: QmpDiagnostic) => void,
): ValidationHook {
  let validators: SdkValidators = sdk.validators;
  let unknownAsNotices = false;
  /** The mode a server message is checked in. */
  const serverMode = (m: "lenient" | "strict"): "lenient" | "strict" => (unknownAsNotices ? "lenient" : m);
  const events: Readonly<Record<string, EventMeta>> = sdk.events;
  const listsEvents = Object.keys(events).length > 0;

  /** Errors become a ValidationError; notices a diagnostic. */
  const judge = (
    result: ValidationResult | undefined,
    subject: string,
    value: unknown,
  ): ValidationError | undefined => {
    if (!result) return undefined;
    if (result.errors.length > 0) return new ValidationError(subject, result.errors);
    if (result.notices.length > 0)
      diagnose({ kind: "validation-notice", message: subject, value, issues: result.notices });
    return undefined;
  };

  return {
    mode,
    args: (command, args, callMode) =>
      callMode === "off"
        ? undefined
        : judge(validators.commandArgs(command, args ?? {}, callMode, "$.arguments"), `arguments of ${command}`, args),
    reply: (command, value, callMode) =>
      callMode === "off"
        ? undefined
        : judge(
            validators.commandReturn(command, value, serverMode(callMode), "$.return"),
            `reply of ${command}`,
            value,
          ),
    event(event, raw) {
      if (mode === "off") return;
      const subject = `event ${event.event}`;
      const errors: ValidationIssue[] = [];
      const notices: ValidationIssue[] = [];
      // qmp-spec gives every event a timestamp of two numbers; the schema does not describe it.
      const t = raw["timestamp"] as Record<string, unknown> | null | undefined;
      if (
        t === null ||
        typeof t !== "object" ||
        typeof t["seconds"] !== "number" ||
        typeof t["microseconds"] !== "number"
      ) {
        errors.push({
          path: "$.timestamp",
          message: `expected {seconds, microseconds}, got ${t === undefined ? "nothing" : previewJson(t, 80)}`,
        });
      }
      const result = validators.event(event.event, event.data ?? {}, serverMode(mode), "$.data");
      if (result) (errors.push(...result.errors), notices.push(...result.notices));
      else if (listsEvents && !hasOwn.call(events, event.event)) {
        const issue = { path: "$.event", message: `unknown event ${JSON.stringify(event.event)}` };
        (serverMode(mode) === "strict" ? errors : notices).push(issue);
      }
      if (errors.length > 0) diagnose({ kind: "invalid-event", message: subject, value: event, issues: errors });
      else if (notices.length > 0)
        diagnose({ kind: "validation-notice", message: subject, value: event, issues: notices });
    },
    greeting(raw) {
      if (mode === "off") return undefined;
      const q = (raw as { QMP?: { version?: { qemu?: Record<string, unknown> } } }).QMP;
      const qemu = q?.version?.qemu;
      if (!qemu || !["major", "minor", "micro"].every((k) => typeof qemu[k] === "number")) {
        return new GreetingError(`the greeting has no valid version (validate: ${mode}): ${previewJson(raw)}`);
      }
      return undefined;
    },
    use(next, asNotices) {
      validators = next;
      unknownAsNotices = asNotices;
    },
  };
}
