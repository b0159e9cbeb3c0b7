// Plugs @ghl-bulksms/engine into the worker: builds the vendor clients from the configuration (GHL clients
// from the engine's client factory: env token, stored `auth login` token, OAuth app, sandbox token; one
// shared rate limiter whose waits feed the metrics), registers the configured locations, builds the
// engine policy exactly as the CLI does (environment, then the policy file over it), and hands the
// worker the engine's inbox use-cases, its jobs and its periodic-job scheduler hook.
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import {
  enginePolicy,
  lifecyclePolicy,
  type PolicyFile,
  quietWindow,
  type WorkerConfig,
} from "@ghl-bulksms/config";
import {
  createEngine,
  createGhlClientFactory,
  createSharedRateLimiter,
  type EngineConfigInput,
  type EngineJobCatalog,
  type LifecycleConfigInput,
  type LifecycleJobCatalog,
} from "@ghl-bulksms/engine";
import { createRateLimiter } from "@ghl-bulksms/ghl";
import type { EngineFactory } from "./app.js";
import { assertSafeVendorUrls } from "./vendor-url-guard.js";

/** Token used against the local simulators when none is configured (sandbox mode only). */
export const SANDBOX_TOKEN = "sandbox-token";

/** Every job the engine plugin registers (core engine jobs and lifecycle jobs). */
export type EnginePluginJobCatalog = EngineJobCatalog & LifecycleJobCatalog;

/**
 * The worker's environment settings as the engine's configuration, without a policy file.
 * @deprecated use `enginePolicy(config, file)` from @ghl-bulksms/config (it also overlays the policy file)
 */
export function engineConfigFrom(config: WorkerConfig): EngineConfigInput {
  return enginePolicy(config, null) as EngineConfigInput;
}

export interface EnginePluginOptions {
  /** injected fetch for both clients (tests, recording proxies) */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * Waits of the vendor clients (retry backoff, rate-limit waits). Default: real time. Pass one derived
   * from the worker's clock (e.g. a sandbox clock's `sleep`) so a 429 storm under a virtual clock does
   * not cost real seconds. It must move the worker's `now()` forward by `ms` (the rate limiter loops
   * until `now()` passes its wait).
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * The policy file (`loadPolicyFile` from @ghl-bulksms/config): its `engine` section goes over the
   * environment's policy, its `lifecycle` section over the environment's reconcile schedule. null or
   * absent: the environment and the defaults only.
   */
  readonly policy?: PolicyFile | null;
}

export function createEnginePlugin(options: EnginePluginOptions = {}): EngineFactory<EnginePluginJobCatalog> {
  return async ({ config, store, logger, metrics, now }) => {
    // sandbox tokens never go to the real vendors
    assertSafeVendorUrls(config);
    const sandbox = config.mode === "sandbox";
    const sleep = options.sleep;
    const onWait = (e: { waitMs: number }): void => {
      metrics.rateLimitWaits.inc({ vendor: "ghl" });
      metrics.rateLimitWaitSeconds.observe({ vendor: "ghl" }, e.waitMs / 1000);
    };
    // several workers on one database draw on one budget per location in the store (GHL_RATE_BUDGET=shared)
    const limiter =
      config.cluster.ghlRateBudget === "shared"
        ? createSharedRateLimiter({
            budget: store.rateBudget,
            now,
            ...(sleep ? { sleep } : {}),
            onWait,
            onError: (err) => logger.warn({ err }, "shared GHL budget: recording an answer failed"),
          })
        : createRateLimiter({ now, ...(sleep ? { sleep } : {}), onWait });
    const ghl = createGhlClientFactory({
      config,
      store,
      now,
      limiter,
      sandboxToken: SANDBOX_TOKEN,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(sleep ? { sleep } : {}),
    });
    const sms = createBulkSmsClient({
      tokenId: config.bulksms.tokenId ?? (sandbox ? SANDBOX_TOKEN : ""),
      tokenSecret: config.bulksms.tokenSecret ?? (sandbox ? SANDBOX_TOKEN : ""),
      baseUrl: config.bulksms.apiBaseUrl,
      now,
      ...(sleep ? { sleep } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });

    for (const l of config.ghl.locations) {
      await store.locations.upsert({
        id: l.locationId,
        active: true,
        ...(l.timezone ? { timezone: l.timezone } : {}),
        ...(l.region ? { region: l.region } : {}),
        ...(l.quietHours ? { quietHours: quietWindow(l.quietHours) } : {}),
      });
    }

    const policy = options.policy ?? null;
    const lifecycle = lifecyclePolicy(config, policy);
    const engine = createEngine({
      store,
      ghl: ghl.forLocation,
      sms,
      config: enginePolicy(config, policy) as EngineConfigInput,
      ...(lifecycle !== null ? { lifecycle: lifecycle as LifecycleConfigInput } : {}),
      schedule: { pullBlockedEveryMs: config.schedule.blockedPullEveryMs },
      now,
      logger: logger.child({ component: "engine" }),
    });
    return { inbox: engine.inbox, jobs: engine.jobs, schedule: (at) => engine.schedule(at) };
  };
}
