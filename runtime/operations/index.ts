/**
 * `qapi-ts/operations`: what people do with QMP beyond single calls — jobs run
 * to their end, migrations, a command and its event in one wait, the guest
 * agent's `guest-exec` run to its exit. Each helper takes a client (typed by
 * any SDK, or untyped) and uses only public client methods.
 *
 * @module qapi-ts/operations
 */
export { executeAndWait, type ExecuteAndWaitOptions, type ExecutedAndSeen } from "./wait.js";
export {
  followJob,
  runJob,
  startJob,
  type Job,
  type JobOptions,
  type JobOutcome,
  type JobProgress,
  type JobStatus,
} from "./jobs.js";
export {
  followMigration,
  listenForMigration,
  migrate,
  type IncomingMigration,
  type IncomingOptions,
  type MigrationAddress,
  type MigrationChannel,
  type MigrationOptions,
  type MigrationOutcome,
  type MigrationProgress,
  type MigrationTarget,
  type SocketAddress,
} from "./migration.js";
export { acceptsChannels, channelsToUri, migrationArguments } from "./migration-args.js";
export { guestExec, type GuestExecOptions, type GuestExecResult } from "./guest-exec.js";
