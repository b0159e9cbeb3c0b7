// The worker application: ordered start() and stop().
//   start: store (open + migrate) -> engine (clients + use-cases) -> job runner -> scheduler -> HTTP listen
//   stop:  scheduler -> not ready -> HTTP drain -> job runner (finish or release) -> engine -> store close
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import { storeEncryptionKey, type WorkerConfig } from "@ghl-bulksms/config";
import { describeDatabase, openStore as openConfiguredStore, type Store } from "@ghl-bulksms/store";
import type { FastifyInstance } from "fastify";
import { createGhlVerifier } from "./adapters/ghl-verifier.js";
import { createStoreIngestor } from "./adapters/store-ingestor.js";
import { createStoreLocationGate } from "./adapters/store-location-gate.js";
import { createStoreReadiness } from "./adapters/store-readiness.js";
import { type ClusterPresence, createClusterPresence } from "./cluster-presence.js";
import { type InboxHandlers, inboxProcessJob, statusTypeOf } from "./inbox-dispatch.js";
import type { JobRunner, StopResult } from "./job-runner.js";
import type { WorkerJobCatalog } from "./jobs.js";
import { createLogger, type Logger } from "./logger.js";
import { createMetrics, type WorkerMetrics } from "./metrics.js";
import type { BulkSmsWebhookParser, GhlWebhookVerifier, Ingestor, JobOutcome, JobRegistry } from "./ports.js";
import { createScheduler, type Scheduler } from "./scheduler.js";
import { buildServer } from "./server.js";
import { createStoreJobRunner } from "./store-job-runner.js";

/** What the engine hands the worker: the inbox use-cases and its own jobs. */
export interface EnginePlugin<Catalog extends Record<string, unknown>> {
  readonly inbox: InboxHandlers;
  readonly jobs: JobRegistry<Catalog>;
  /**
   * Enqueues the engine's periodic jobs that are due at `now` (each keyed by its time slot, so calling
   * it from several workers enqueues nothing twice); resolves with how many were new. The worker's
   * scheduler calls it at start and every SCHEDULE_INTERVAL_SECONDS.
   */
  schedule?(now: number): Promise<number>;
  /** called after the job runner stopped, before the store closes */
  close?(): Promise<void>;
}

export interface EngineDeps {
  readonly config: WorkerConfig;
  readonly store: Store;
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  readonly now: () => number;
}

export type EngineFactory<Catalog extends Record<string, unknown>> = (
  deps: EngineDeps,
) => Promise<EnginePlugin<Catalog>>;

export interface WorkerAppOptions<Catalog extends Record<string, unknown>> {
  readonly config: WorkerConfig;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** the engine; without one, events are stored and kept pending (nothing is lost) */
  readonly engine?: EngineFactory<Catalog>;
  /** default: SQLite in config.dataDir */
  readonly openStore?: () => Store | Promise<Store>;
  /** default: @ghl-bulksms/ghl verifier with the configured keys */
  readonly verifyGhl?: GhlWebhookVerifier;
  /** default: @ghl-bulksms/bulksms parseBulkSmsWebhook */
  readonly parseBulkSms?: BulkSmsWebhookParser;
  /** default: the store ingestor */
  readonly ingestor?: (store: Store) => Ingestor;
  readonly workerId?: string;
  readonly pollIntervalMs?: number;
  /** Scheduler period; default config.schedule.intervalMs (0 = no scheduler). */
  readonly scheduleIntervalMs?: number;
}

export interface WorkerApp {
  /** Starts everything; resolves with the listening URL. */
  start(): Promise<{ url: string }>;
  /** Idempotent, reverse order. */
  stop(): Promise<{ jobs: StopResult | null }>;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  /** available after start() */
  server(): FastifyInstance;
  store(): Store;
  runner(): JobRunner;
  /** The periodic-job scheduler; null when disabled or the engine has no schedule hook. After start(). */
  scheduler(): Scheduler | null;
}

/** Without an engine, events wait in the inbox: retried slowly, never dropped. */
const noEngine: InboxHandlers = {
  ghl: holdEvent,
  ghlWorkflow: holdEvent,
  bulksms: holdEvent,
};
async function holdEvent(): Promise<JobOutcome> {
  return {
    ok: false,
    error: {
      code: "engine_not_installed",
      message: "no engine plugged in",
      retryable: true,
      retryAfterMs: 60_000,
    },
  };
}

export function createWorkerApp<Catalog extends Record<string, unknown> = Record<never, never>>(
  options: WorkerAppOptions<Catalog>,
): WorkerApp {
  const { config } = options;
  const now = options.now ?? Date.now;
  const workerId = options.workerId ?? config.cluster.workerId ?? defaultWorkerId();
  // every line names the worker, so the logs of several workers on one database can be told apart
  const logger = (options.logger ?? createLogger({ level: config.logLevel })).child({ workerId });
  const metrics = createMetrics({ defaultMetrics: true });

  let store: Store | null = null;
  let engine: EnginePlugin<Catalog> | null = null;
  let runner: JobRunner | null = null;
  let server: FastifyInstance | null = null;
  let scheduler: Scheduler | null = null;
  let presence: ClusterPresence | null = null;
  let started = false;
  let shuttingDown = false;
  let stopping: Promise<{ jobs: StopResult | null }> | null = null;

  /** DATABASE_URL (PostgreSQL) when set, else the embedded SQLite file in DATA_DIR. */
  function openDefaultStore(): Promise<Store> {
    const database = config.databaseUrl ?? join(config.dataDir, "ghl-bulksms.db");
    // private: the SQLite store creates its files 0600 in it (and tightens a looser folder, with a warning)
    if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    logger.info({ component: "store", ...describeDatabase(database) }, "opening the store");
    return openConfiguredStore({
      database,
      // the configured key; in sandbox mode without one, the public sandbox key shared with the CLI
      encryptionKey: storeEncryptionKey(config),
      now,
      onWarning: (message) => logger.warn({ component: "store" }, message),
      onConnectionError: (error) =>
        logger.warn({ component: "store", err: error.message }, "PostgreSQL connection lost; reconnecting"),
    });
  }

  async function start(): Promise<{ url: string }> {
    // 1. store: open and migrate
    store = await (options.openStore ?? openDefaultStore)();
    logger.info({ schemaVersion: await store.schemaVersion(), mode: config.mode }, "store ready");
    // heartbeat among the workers of this database (warns when several share it on local GHL budgets)
    presence = createClusterPresence({
      store,
      workerId,
      ghlRateBudget: config.cluster.ghlRateBudget,
      now,
      logger: logger.child({ component: "cluster" }),
    });
    await presence.start();

    // 2. engine: clients and use-cases
    engine = options.engine ? await options.engine({ config, store, logger, metrics, now }) : null;
    if (!engine) logger.warn("no engine plugged in: webhooks are stored but not processed");

    // 3. job runner
    const openStore = store;
    const registry = {
      ...(engine?.jobs ?? {}),
      "inbox.process": inboxProcessJob(store, engine?.inbox ?? noEngine, {
        onProcessed: (item) => {
          const status = statusTypeOf(item);
          if (status !== null) metrics.sendsByStatus.inc({ status });
        },
      }),
    } as JobRegistry<WorkerJobCatalog & Catalog>;
    // PostgreSQL: jobs run on graphile-worker; the embedded store: the runner claims from the outbox
    const storeRunner = createStoreJobRunner<WorkerJobCatalog & Catalog>(store, {
      registry,
      workerId,
      concurrency: config.jobs.concurrency,
      perLocationConcurrency: config.jobs.perLocationConcurrency,
      maxAttempts: config.jobs.maxAttempts,
      leaseMs: config.jobs.leaseMs,
      pollIntervalMs: options.pollIntervalMs ?? 250,
      locations: async () => [
        ...config.ghl.locations.map((l) => l.locationId),
        ...(await openStore.locations.list({ activeOnly: true })).map((l) => l.id),
      ],
      now,
      logger: logger.child({ component: "jobs" }),
      metrics,
    });
    logger.info({ queue: storeRunner.queue }, "job runner starting");
    runner = storeRunner;
    runner.start();

    // 4. scheduler: the engine's periodic jobs (blocked-number pull, sweeps, reconciliation, follow-ups, digest)
    const intervalMs = options.scheduleIntervalMs ?? config.schedule.intervalMs;
    const plugin = engine;
    if (plugin?.schedule && intervalMs > 0) {
      const schedule = plugin.schedule.bind(plugin);
      scheduler = createScheduler({
        tick: schedule,
        now,
        intervalMs,
        logger: logger.child({ component: "scheduler" }),
        onTick: (r) => {
          if ("error" in r) metrics.scheduleTicks.inc({ outcome: "error" });
          else {
            metrics.scheduleTicks.inc({ outcome: "ok" });
            metrics.periodicJobsEnqueued.inc(r.enqueued);
          }
        },
      });
      scheduler.start();
    } else if (plugin) {
      logger.info(
        { intervalMs },
        plugin.schedule
          ? "scheduler disabled (SCHEDULE_INTERVAL_SECONDS=0)"
          : "the engine has no periodic jobs",
      );
    }

    started = true;

    // 5. HTTP
    server = buildServer({
      options: {
        bodyLimitBytes: config.http.bodyLimitBytes,
        overloadThreshold: config.http.overloadThreshold,
        headersTimeoutMs: config.http.headersTimeoutMs,
        requestTimeoutMs: config.http.requestTimeoutMs,
        keepAliveTimeoutMs: config.http.keepAliveTimeoutMs,
        bulksmsWebhookSecret: config.bulksms.webhookSecret,
        workflowWebhookSecret: config.ghl.workflowWebhookSecret,
      },
      ingestor: (options.ingestor ?? ((s: Store) => createStoreIngestor(s, { now })))(openStore),
      verifyGhl:
        options.verifyGhl ??
        createGhlVerifier({
          ed25519PublicKey: config.ghl.webhookPublicKey,
          rsaPublicKey: config.ghl.webhookLegacyPublicKey,
          toleranceMs: config.ghl.webhookMaxAgeMs,
          maxBodyBytes: config.http.bodyLimitBytes,
        }),
      parseBulkSms: options.parseBulkSms ?? parseBulkSmsWebhook,
      readiness: createStoreReadiness(openStore),
      locations: createStoreLocationGate(openStore, {
        configured: config.ghl.locations.map((l) => l.locationId),
        policy: config.ghl.unknownLocations.policy,
        maxPending: config.ghl.unknownLocations.maxPending,
      }),
      metrics,
      logger: logger.child({ component: "http" }),
      now,
      isShuttingDown: () => shuttingDown,
    });
    const url = await server.listen({ host: config.host, port: config.port });
    logger.info({ url, workerId }, "worker listening");
    return { url };
  }

  async function doStop(): Promise<{ jobs: StopResult | null }> {
    shuttingDown = true;
    let jobs: StopResult | null = null;
    if (scheduler) await scheduler.stop();
    if (server) {
      await server.close().catch((e: unknown) => logger.error({ err: e }, "closing HTTP failed"));
    }
    if (runner) {
      jobs = await runner.stop({ timeoutMs: config.jobs.shutdownTimeoutMs });
      logger.info(jobs, "job runner stopped");
    }
    if (engine?.close)
      await engine.close().catch((e: unknown) => logger.error({ err: e }, "closing the engine failed"));
    if (presence)
      await presence.stop().catch((e: unknown) => logger.warn({ err: e }, "leaving the cluster failed"));
    if (store) await store.close();
    logger.info("worker stopped");
    return { jobs };
  }

  const need = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`${what} is not available before start()`);
    return value;
  };

  return {
    start,
    stop() {
      stopping ??= doStop();
      return stopping;
    },
    metrics,
    logger,
    server: () => need(server, "server"),
    store: () => need(store, "store"),
    runner: () => need(runner, "runner"),
    scheduler: () => {
      if (!started) throw new Error("scheduler is not available before start()");
      return scheduler;
    },
  };
}

/** `<hostname>:<pid>`: unique among the workers of one machine, readable in leases and logs. */
export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}`;
}
