export {
  ConfigError,
  type ConfigIssue,
  type LocationConfig,
  loadConfig,
  type QuietHours,
  type WorkerConfig,
} from "@ghl-bulksms/config";
export {
  createWorkerApp,
  type EngineDeps,
  type EngineFactory,
  type EnginePlugin,
  type WorkerApp,
  type WorkerAppOptions,
} from "./app.js";
export {
  createEnginePlugin,
  type EnginePluginJobCatalog,
  type EnginePluginOptions,
  engineConfigFrom,
} from "./engine-plugin.js";
export {
  parseWorkerArgs,
  WORKER_USAGE,
  type WorkerArgs,
  WorkerArgsError,
  type WorkerEnv,
  type WorkerEnvOptions,
  workerEnv,
} from "./env-file.js";
export { type InboxHandlers, type InboxItem, inboxProcessJob } from "./inbox-dispatch.js";
export {
  backoffDelay,
  createJobRunner,
  decideAttempt,
  type JobRunner,
  type JobRunnerOptions,
  type StopResult,
} from "./job-runner.js";
export { INBOX_PROCESS_JOB, type WorkerJobCatalog } from "./jobs.js";
export { createLogger, type Logger, maskText, redactValue } from "./logger.js";
export { createMetrics, type WorkerMetrics } from "./metrics.js";
export type {
  BulkSmsWebhookParser,
  ClaimedJob,
  EventSource,
  GhlWebhookVerifier,
  IncomingEvent,
  Ingestor,
  IngestResult,
  JobContext,
  JobDefinition,
  JobError,
  JobOutcome,
  JobQueue,
  JobRegistry,
  ReadinessProbe,
} from "./ports.js";
export {
  createScheduler,
  DEFAULT_SCHEDULE_INTERVAL_MS,
  type Scheduler,
  type SchedulerOptions,
} from "./scheduler.js";
export { buildServer, type ServerDeps, type ServerOptions } from "./server.js";
export {
  assertSafeVendorUrls,
  isLoopbackUrl,
  UnsafeVendorUrlError,
  type VendorUrlConfig,
} from "./vendor-url-guard.js";
export { type BuildInfo, buildInfo, WORKER_VERSION } from "./version.js";
export {
  type ContactEvent,
  mapWorkflowPayload,
  WORKFLOW_EVENT_TYPES,
  type WorkflowEventType,
} from "./workflow-event.js";
