/**
 * The public face of the QMP runtime (`qapi-ts/runtime`): the client, the ways
 * to open it, launching QEMU, the errors, lossless JSON, the SDK contract
 * types that generated code imports, and the validator engine with the wire
 * data it reads.
 *
 * Data flow: generated SDKs (generated/<name>/index.ts) and users import from
 * here; nothing here imports generated code.
 *
 * @module qapi-ts/runtime
 */
// The public types use Node's (streams, sockets, child processes): @types/node is a dependency of the package.
/// <reference types="node" preserve="true" />
export {
  QmpClient,
  type AnyEventOf,
  type ArgsValue,
  type CallOptions,
  type ClientState,
  type QmpDiagnostic,
  type SessionOptions,
} from "./client.js";
export { connect, connectWith, type ConnectOptions } from "./connect.js";
export { type ConnectionEvent, type ReconnectOptions } from "./reconnect.js";
export { startProxy, type ProxyOptions, type QmpProxy } from "./proxy.js";
export { type ListenAddress, type TransportTarget } from "./transport.js";
export { type EventListener, type EventStreamOptions, type Subscription, type WaitOptions } from "./event-hub.js";
export { type QmpEventMessage, type QmpGreeting, type QmpTimestamp, type QmpVersion } from "./messages.js";
export { runCommand } from "./run-command.js";
export {
  createGenericSdk,
  genericGuestAgentSdk,
  genericSdk,
  type GenericCommandMap,
  type GenericEventMap,
} from "./generic-sdk.js";
export {
  AbortError,
  ConnectionError,
  ConnectionLostError,
  ExecuteError,
  FdPassingError,
  GreetingError,
  InterruptedError,
  JobError,
  MigrationError,
  NegotiationError,
  NotInReleaseError,
  ParseError,
  ProtocolError,
  QmpError,
  StateError,
  TimeoutError,
  UsageError,
  ValidationError,
} from "./errors.js";
export { launchQemu, type LaunchOptions, type LaunchedQemu } from "./launch.js";
export { commandKind, defaultCommandTimeouts, type CommandKind } from "./default-timeouts.js";
export { parseJson, stringifyJson } from "./json.js";
export { JsonStreamError, JsonTextSplitter, splitJsonTexts, defaultMaxMessageSize } from "./json-stream.js";
export type * from "./sdk.js";
export { createValidators, lazyValidators } from "./validate/index.js";
export {
  createStandardSchemas,
  standardSchemasFor,
  standardSchemaVendor,
  type QapiStandardSchema,
  type StandardIssue,
  type StandardJSONSchemaOptions,
  type StandardJSONSchemaV1,
  type StandardResult,
  type StandardSchemaOptions,
  type StandardSchemas,
  type StandardSchemaSource,
  type StandardSchemaV1,
} from "./standard-schema.js";
export { decodeWireSchema, wireSchemaLoader, WireDataError, type WireData } from "../core/data.js";
export type * from "../core/schema.js";
export { decodeHistory, type History, type HistoryData } from "../core/history.js";
