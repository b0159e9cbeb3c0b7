import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { GhlClient } from "@ghl-bulksms/ghl";
import type { Store } from "@ghl-bulksms/store";
import { type LifecycleConfigInput, parseLifecycleConfig } from "./automations/config.js";
import {
  createLifecycleJobRegistry,
  enqueueDueLifecycleJobs,
  type LifecycleJobRegistry,
} from "./automations/jobs.js";
import { type EngineConfigInput, parseEngineConfig } from "./core/config.js";
import type { EngineDeps } from "./core/deps.js";
import { type EngineLogger, silentLogger } from "./core/logger.js";
import { createInboxHandlers, type InboxHandlers } from "./inbox-handlers.js";
import { createEngineJobs, type EngineJobRegistry } from "./jobs/registry.js";
import { type EngineScheduleOptions, enqueueDueEngineJobs } from "./jobs/schedule.js";

export interface CreateEngineOptions {
  store: Store;
  ghl: (locationId: string) => GhlClient;
  sms: BulkSmsClient;
  /** Parsed with parseEngineConfig (throws EngineConfigError naming each bad setting). */
  config?: EngineConfigInput;
  /**
   * Reconciliation, merge, follow-up and digest policy; parsed with parseLifecycleConfig (throws
   * LifecycleConfigError naming each bad setting). Absent: the lifecycle defaults apply to the lifecycle
   * jobs, and contact webhooks start no follow-up sequences.
   */
  lifecycle?: LifecycleConfigInput;
  /** Intervals of the periodic engine jobs (see enqueueDueEngineJobs). */
  schedule?: EngineScheduleOptions;
  now?: () => number;
  logger?: EngineLogger;
}

/** Every job the engine runs: the core jobs and the lifecycle jobs (reconcile, follow-ups, digest). */
export type EngineJobs = EngineJobRegistry & LifecycleJobRegistry;

export interface Engine {
  readonly deps: EngineDeps;
  /** Spread into the worker's job registry. */
  readonly jobs: EngineJobs;
  /** The worker's `inbox.process` job calls these. */
  readonly inbox: InboxHandlers;
  /**
   * The scheduler hook: call it every minute or so. Enqueues the periodic jobs that are due (blocked
   * numbers pull, vendor-write sweep, reconciliation runs, follow-ups, digests); returns how many were new.
   */
  schedule(now?: number): Promise<number>;
}

export function createEngine(options: CreateEngineOptions): Engine {
  const lifecycle = parseLifecycleConfig(options.lifecycle ?? {});
  const deps: EngineDeps = {
    store: options.store,
    ghl: options.ghl,
    sms: options.sms,
    config: parseEngineConfig(options.config ?? {}),
    now: options.now ?? options.store.now,
    logger: options.logger ?? silentLogger,
    ...(options.lifecycle !== undefined ? { lifecycle } : {}),
  };
  const jobs: EngineJobs = { ...createEngineJobs(deps), ...createLifecycleJobRegistry(deps, lifecycle) };
  return {
    deps,
    jobs,
    inbox: createInboxHandlers(deps),
    async schedule(now = deps.now()) {
      const core = await enqueueDueEngineJobs(deps, { ...options.schedule, now });
      return core + (await enqueueDueLifecycleJobs(deps, lifecycle, now));
    },
  };
}
