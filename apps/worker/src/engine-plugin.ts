// Plugs @ghl-bulksms/engine into the worker: builds the vendor clients from the configuration (one GHL
// client per location, sharing one rate limiter whose waits feed the metrics), registers the configured
// locations, and maps the worker's environment settings onto the engine's policy.
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createEngine, type EngineConfigInput, type EngineJobCatalog } from "@ghl-bulksms/engine";
import { createGhlClient, createRateLimiter, type GhlAuth, type GhlClient } from "@ghl-bulksms/ghl";
import type { EngineFactory } from "./app.js";
import type { QuietHours, WorkerConfig } from "./config.js";

/** Token used against the local simulators when none is configured (sandbox mode only). */
export const SANDBOX_TOKEN = "sandbox-token";

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function quiet(q: QuietHours): { start: string; end: string } {
  return { start: hhmm(q.startMinute), end: hhmm(q.endMinute) };
}

/** The worker's environment settings as the engine's configuration. */
export function engineConfigFrom(config: WorkerConfig): EngineConfigInput {
  const m = config.messaging;
  const locations: NonNullable<EngineConfigInput["locations"]> = {};
  for (const l of config.ghl.locations) {
    if (l.quietHours) locations[l.locationId] = { quietHours: quiet(l.quietHours) };
  }
  return {
    defaults: {
      welcome: {
        enabled: m.welcomeTemplate !== null,
        ...(m.welcomeTemplate !== null ? { template: m.welcomeTemplate } : {}),
        delayMs: m.welcomeDelayMs,
      },
      keywords: { stop: [...m.stopWords], start: [...m.startWords], help: [...m.helpWords] },
      ...(m.helpText !== null ? { replies: { help: m.helpText } } : {}),
      quietHours: { enabled: true, ...quiet(m.quietHours) },
    },
    locations,
  };
}

export interface EnginePluginOptions {
  /** injected fetch for both clients (tests, recording proxies) */
  readonly fetch?: typeof globalThis.fetch;
}

export function createEnginePlugin(options: EnginePluginOptions = {}): EngineFactory<EngineJobCatalog> {
  return async ({ config, store, logger, metrics, now }) => {
    const sandbox = config.mode === "sandbox";
    const limiter = createRateLimiter({
      now,
      onWait: (e) => {
        metrics.rateLimitWaits.inc({ vendor: "ghl" });
        metrics.rateLimitWaitSeconds.observe({ vendor: "ghl" }, e.waitMs / 1000);
      },
    });
    const clients = new Map<string, GhlClient>();
    const authFor = (locationId: string): GhlAuth => {
      const pit = config.ghl.locations.find((l) => l.locationId === locationId)?.privateToken;
      if (pit) return { kind: "private-integration", token: pit };
      const oauth = config.ghl.oauth;
      if (oauth) {
        return {
          kind: "oauth",
          clientId: oauth.clientId,
          clientSecret: oauth.clientSecret,
          ...(oauth.companyId ? { companyId: oauth.companyId } : {}),
        };
      }
      if (sandbox) return { kind: "private-integration", token: SANDBOX_TOKEN };
      // live config validation guarantees a token or an OAuth app; a location outside both has no credentials
      return { kind: "private-integration", token: "" };
    };
    const ghl = (locationId: string): GhlClient => {
      let client = clients.get(locationId);
      if (!client) {
        client = createGhlClient({
          auth: authFor(locationId),
          baseUrl: config.ghl.apiBaseUrl,
          now,
          limiter,
          tokenStore: store.tokens,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        });
        clients.set(locationId, client);
      }
      return client;
    };
    const sms = createBulkSmsClient({
      tokenId: config.bulksms.tokenId ?? (sandbox ? SANDBOX_TOKEN : ""),
      tokenSecret: config.bulksms.tokenSecret ?? (sandbox ? SANDBOX_TOKEN : ""),
      baseUrl: config.bulksms.apiBaseUrl,
      now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });

    for (const l of config.ghl.locations) {
      await store.locations.upsert({
        id: l.locationId,
        active: true,
        ...(l.timezone ? { timezone: l.timezone } : {}),
        ...(l.region ? { region: l.region } : {}),
        ...(l.quietHours ? { quietHours: quiet(l.quietHours) } : {}),
      });
    }

    const engine = createEngine({
      store,
      ghl,
      sms,
      config: engineConfigFrom(config),
      now,
      logger: logger.child({ component: "engine" }),
    });
    return { inbox: engine.inbox, jobs: engine.jobs };
  };
}
