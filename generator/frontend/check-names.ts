/**
 * Stage 2 naming rules: which names are valid QAPI names for each role.
 *
 * Used by generator/frontend/check-exprs.ts and check-parts.ts while they
 * check expressions; the rules are QEMU 10.2's, including downstream
 * `__RFQDN_` prefixes, the `x-` experimental prefix, the reserved `q_`
 * namespace and the pragma exceptions. Reading releases before 6.0
 * (`rules.looseNameCase`), their rules apply where they were looser: '_' in
 * any lower-case name, and any valid name for a definition.
 */
import { QapiSemanticError } from "./errors.js";
import type { SourceInfo } from "./source-info.js";

// Python's `$` also matches before a final newline; `\n?` keeps that behaviour.
const validName = /^(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)\n?$/i;
const camelStem = /^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\n?$/;

/** QEMU's unprotected C name: '.' and '-' become '_'. */
export function cNameUnprotected(name: string): string {
  return name.includes("-") || name.includes(".") ? name.replace(/[.-]/g, "_") : name;
}

/**
 * Ensures `name` is a string.
 * @throws QapiSemanticError "<source> needs a name that is a string"
 */
export function checkNameIsStr(name: unknown, info: SourceInfo, source: string): asserts name is string {
  if (typeof name !== "string") throw new QapiSemanticError(info, `${source} needs a name that is a string`);
}

/**
 * Ensures `name` is a valid QAPI name and returns its stem (without prefixes).
 * @throws QapiSemanticError "<source> does not have a valid name"
 */
export function checkNameStr(name: string, info: SourceInfo, source: string): string {
  const match = validName.exec(name);
  // The whole q_ namespace is reserved for generated names.
  if (!match || cNameUnprotected(name).startsWith("q_")) {
    throw new QapiSemanticError(info, `${source} does not have a valid name`);
  }
  return match[3]!;
}

/**
 * Ensures `name` is a valid event name (stem without lowercase or '-').
 * @throws QapiSemanticError on an invalid name
 */
export function checkNameUpper(name: string, info: SourceInfo, source: string): void {
  const stem = checkNameStr(name, info, source);
  if (/[a-z-]/.test(stem))
    throw new QapiSemanticError(info, `${source}: the name may not contain lowercase letters or '-'`);
}

/**
 * Ensures `name` is a valid command or member name (stem without uppercase or '_',
 * unless a pragma exception permits them). Reading older releases, '_' is
 * always permitted: QEMU forbade it only from 6.0 (5.2 has `supported_commands`,
 * `block_resize` and the like with no exception listed).
 * @throws QapiSemanticError on an invalid name
 */
export function checkNameLower(
  name: string,
  info: SourceInfo,
  source: string,
  permitUpper = false,
  permitUnderscore = false,
): void {
  const stem = checkNameStr(name, info, source);
  const underscoreOk = permitUnderscore || info.pragma.rules.looseNameCase;
  if ((!permitUpper && /[A-Z]/.test(stem)) || (!underscoreOk && stem.includes("_"))) {
    throw new QapiSemanticError(info, `${source}: the name may not contain uppercase letters or '_'`);
  }
}

/**
 * Ensures `name` is a valid type name (CamelCase stem).
 * @throws QapiSemanticError on an invalid name
 */
export function checkNameCamel(name: string, info: SourceInfo, source: string): void {
  const stem = checkNameStr(name, info, source);
  if (!camelStem.test(stem)) throw new QapiSemanticError(info, `${source}: the name has to be in CamelCase`);
}

/**
 * Ensures a definition's name suits its meta-type: events upper case, commands
 * lower case (pragma `command-name-exceptions` may permit '_'), types CamelCase
 * and not ending in `List` (reserved for array types).
 * @throws QapiSemanticError on an invalid name
 */
export function checkDefnNameStr(name: string, info: SourceInfo, meta: string): void {
  if (info.pragma.rules.looseNameCase) {
    // Up to 5.2 QEMU checked only that a definition's name is a valid name:
    // its own suite has a command 'TestIfUnionCmd' and an event 'oops'.
    checkNameStr(name, info, meta);
    if (meta !== "event" && meta !== "command" && name.endsWith("List")) {
      throw new QapiSemanticError(info, `${meta} names ending in 'List' are reserved for array types`);
    }
    return;
  }
  if (meta === "event") {
    checkNameUpper(name, info, meta);
  } else if (meta === "command") {
    checkNameLower(name, info, meta, false, info.pragma.commandNameExceptions.includes(name));
  } else {
    checkNameCamel(name, info, meta);
    if (name.endsWith("List"))
      throw new QapiSemanticError(info, `${meta} names ending in 'List' are reserved for array types`);
  }
}
