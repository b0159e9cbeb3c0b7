import type { BulkSmsClient } from "@ghl-bulksms/bulksms";
import type { GhlClient } from "@ghl-bulksms/ghl";
import type { Store } from "@ghl-bulksms/store";
import { type EngineConfigInput, parseEngineConfig } from "./core/config.js";
import type { EngineDeps } from "./core/deps.js";
import { type EngineLogger, silentLogger } from "./core/logger.js";
import { createInboxHandlers, type InboxHandlers } from "./inbox-handlers.js";
import { createEngineJobs, type EngineJobRegistry } from "./jobs/registry.js";

export interface CreateEngineOptions {
  store: Store;
  ghl: (locationId: string) => GhlClient;
  sms: BulkSmsClient;
  /** Parsed with parseEngineConfig (throws EngineConfigError naming each bad setting). */
  config?: EngineConfigInput;
  now?: () => number;
  logger?: EngineLogger;
}

export interface Engine {
  readonly deps: EngineDeps;
  /** Spread into the worker's job registry. */
  readonly jobs: EngineJobRegistry;
  /** The worker's `inbox.process` job calls these. */
  readonly inbox: InboxHandlers;
}

export function createEngine(options: CreateEngineOptions): Engine {
  const deps: EngineDeps = {
    store: options.store,
    ghl: options.ghl,
    sms: options.sms,
    config: parseEngineConfig(options.config ?? {}),
    now: options.now ?? options.store.now,
    logger: options.logger ?? silentLogger,
  };
  return { deps, jobs: createEngineJobs(deps), inbox: createInboxHandlers(deps) };
}
