// One GHL client per location, built from the configuration and the store, for the worker and the CLI
// alike. Credentials, first found wins:
//   1. the location's private integration token from the environment (GHL_LOCATIONS / GHL_LOCATION_<n>_TOKEN)
//   2. a private integration token saved in the store (`ghl-bulksms auth login --token`, tokenType "pit")
//   3. the marketplace OAuth app (tokens in the store, refreshed and minted by the client)
//   4. sandbox mode only: the simulator's token
// Clients of one factory share one rate limiter (GHL's limits are per location, the limiter keys by it).
import {
  createGhlClient,
  createRateLimiter,
  type GhlAuth,
  type GhlClient,
  GhlError,
  type GhlFetch,
  type GhlLogger,
  type GhlRateLimiter,
  type RetryOptions,
  type Sleep,
  type TokenStore,
} from "@ghl-bulksms/ghl";
import type { Store } from "@ghl-bulksms/store";
import { createSharedRateLimiter } from "./shared-rate-limiter.js";

/** What the factory reads from the configuration (@ghl-bulksms/config's AppConfig has this shape). */
export interface GhlClientFactoryConfig {
  readonly mode: "sandbox" | "live";
  readonly ghl: {
    readonly apiBaseUrl: string;
    readonly locations: ReadonlyArray<{ readonly locationId: string; readonly privateToken: string | null }>;
    readonly oauth: {
      readonly clientId: string;
      readonly clientSecret: string;
      readonly companyId: string | null;
    } | null;
  };
  /** GHL_RATE_BUDGET: "shared" = the clients draw on the store's shared budget (several workers). */
  readonly cluster?: { readonly ghlRateBudget: "local" | "shared" };
}

export interface GhlClientFactoryOptions {
  readonly config: GhlClientFactoryConfig;
  /** `rateBudget` is used when the configuration asks for the shared GHL budget. */
  readonly store: Pick<Store, "tokens"> & Partial<Pick<Store, "rateBudget">>;
  readonly fetch?: GhlFetch;
  readonly now?: () => number;
  /** Waits for retry backoff and rate-limit delays (derive it from an injected clock in tests). */
  readonly sleep?: Sleep;
  /**
   * Shared by every client of the factory; default: the store's shared budget when the configuration says
   * `ghlRateBudget: "shared"`, else a new in-process limiter.
   */
  readonly limiter?: GhlRateLimiter;
  readonly logger?: GhlLogger;
  readonly retry?: RetryOptions;
  /** Token used against the simulators in sandbox mode when nothing else is configured. */
  readonly sandboxToken?: string;
  /** How long a location's credential lookup is reused (a new `auth login` is seen after it). Default 5 s. */
  readonly resolveTtlMs?: number;
}

export type GhlAuthSource = "env-token" | "stored-token" | "oauth" | "sandbox" | "none";

export interface GhlClientFactory {
  /**
   * The client of a location (synchronous: for EngineDeps.ghl). Without credentials, every call returns
   * a non-retryable `not_installed` GhlError result naming the location and how to add a token.
   */
  readonly forLocation: (locationId: string) => GhlClient;
  /** The client with the credentials found now, or null when the location has none. */
  resolve(locationId: string): Promise<GhlClient | null>;
  /** Where the location's credentials come from now. */
  authSource(locationId: string): Promise<GhlAuthSource>;
  readonly limiter: GhlRateLimiter;
}

/** The stored private integration token written by `ghl-bulksms auth login --token`. */
export interface StoredPrivateToken {
  readonly accessToken: string;
  readonly tokenType: "pit";
}

export function isStoredPrivateToken(value: unknown): value is StoredPrivateToken {
  return (
    !!value &&
    typeof value === "object" &&
    (value as { tokenType?: unknown }).tokenType === "pit" &&
    typeof (value as { accessToken?: unknown }).accessToken === "string" &&
    (value as { accessToken: string }).accessToken.trim() !== ""
  );
}

export const SANDBOX_GHL_TOKEN = "sandbox-token";

const API_GROUPS = [
  "contacts",
  "tags",
  "notes",
  "tasks",
  "appointments",
  "workflows",
  "campaigns",
  "conversations",
  "oauth",
] as const;

function noCredentials(operation: string, locationId: string): GhlError {
  return new GhlError({
    code: "not_installed",
    message: `No HighLevel credentials for location ${locationId}: set its private integration token (GHL_LOCATIONS or GHL_LOCATION_<n>_TOKEN), save one with \`ghl-bulksms auth login --location ${locationId} --token <token>\`, or install the marketplace app (GHL_CLIENT_ID/GHL_CLIENT_SECRET).`,
    operation,
    retryable: false,
  });
}

interface Resolved {
  readonly source: GhlAuthSource;
  readonly client: GhlClient | null;
  readonly at: number;
}

export function createGhlClientFactory(options: GhlClientFactoryOptions): GhlClientFactory {
  const { config, store } = options;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ? { sleep: options.sleep } : {};
  const budget = config.cluster?.ghlRateBudget === "shared" ? options.store.rateBudget : undefined;
  const limiter =
    options.limiter ??
    (budget ? createSharedRateLimiter({ budget, now, ...sleep }) : createRateLimiter({ now, ...sleep }));
  const ttl = options.resolveTtlMs ?? 5_000;
  const build = (auth: GhlAuth): GhlClient =>
    createGhlClient({
      auth,
      baseUrl: config.ghl.apiBaseUrl,
      now,
      limiter,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(auth.kind === "oauth" ? { tokenStore: store.tokens as unknown as TokenStore } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    });

  const envClients = new Map<string, GhlClient>();
  const pitClients = new Map<string, { token: string; client: GhlClient }>();
  let oauthClient: GhlClient | null = null;
  let sandboxClient: GhlClient | null = null;
  const resolved = new Map<string, Resolved>();
  const lazy = new Map<string, GhlClient>();

  const envToken = (locationId: string): string | null =>
    config.ghl.locations.find((l) => l.locationId === locationId)?.privateToken ?? null;

  const envClient = (locationId: string, token: string): GhlClient => {
    let c = envClients.get(locationId);
    if (!c) {
      c = build({ kind: "private-integration", token });
      envClients.set(locationId, c);
    }
    return c;
  };

  async function lookup(locationId: string): Promise<Resolved> {
    const t = now();
    const token = envToken(locationId);
    if (token) return { source: "env-token", client: envClient(locationId, token), at: t };
    const cached = resolved.get(locationId);
    if (cached && t - cached.at < ttl) return cached;
    const stored: unknown = await store.tokens.load(locationId).catch(() => null);
    let r: Resolved;
    if (isStoredPrivateToken(stored)) {
      let entry = pitClients.get(locationId);
      if (entry?.token !== stored.accessToken) {
        entry = {
          token: stored.accessToken,
          client: build({ kind: "private-integration", token: stored.accessToken }),
        };
        pitClients.set(locationId, entry);
      }
      r = { source: "stored-token", client: entry.client, at: t };
    } else if (config.ghl.oauth) {
      const o = config.ghl.oauth;
      oauthClient ??= build({
        kind: "oauth",
        clientId: o.clientId,
        clientSecret: o.clientSecret,
        ...(o.companyId ? { companyId: o.companyId } : {}),
      });
      r = { source: "oauth", client: oauthClient, at: t };
    } else if (config.mode === "sandbox") {
      sandboxClient ??= build({
        kind: "private-integration",
        token: options.sandboxToken ?? SANDBOX_GHL_TOKEN,
      });
      r = { source: "sandbox", client: sandboxClient, at: t };
    } else {
      r = { source: "none", client: null, at: t };
    }
    resolved.set(locationId, r);
    return r;
  }

  function lazyClient(locationId: string): GhlClient {
    const group = (name: (typeof API_GROUPS)[number]) =>
      new Proxy(
        {},
        {
          get(_target, method) {
            if (typeof method !== "string" || method === "then") return undefined;
            return async (...args: unknown[]) => {
              const r = await lookup(locationId);
              if (!r.client) return { ok: false, error: noCredentials(`${name}.${method}`, locationId) };
              const api = r.client[name] as unknown as Record<string, unknown>;
              const fn = api[method];
              if (typeof fn !== "function")
                throw new TypeError(`GhlClient.${name}.${method} is not a function`);
              return (fn as (...a: unknown[]) => unknown).apply(api, args);
            };
          },
        },
      );
    const client = {
      limiter,
      async *searchContactsIterator(...args: Parameters<GhlClient["searchContactsIterator"]>) {
        const r = await lookup(locationId);
        if (!r.client) {
          yield { ok: false as const, error: noCredentials("contacts.search", locationId), page: 1 };
          return;
        }
        yield* r.client.searchContactsIterator(...args);
      },
    } as Record<string, unknown>;
    for (const name of API_GROUPS) client[name] = group(name);
    return client as unknown as GhlClient;
  }

  const forLocation = (locationId: string): GhlClient => {
    const token = envToken(locationId);
    if (token) return envClient(locationId, token);
    let c = lazy.get(locationId);
    if (!c) {
      c = lazyClient(locationId);
      lazy.set(locationId, c);
    }
    return c;
  };

  return {
    forLocation,
    async resolve(locationId) {
      return (await lookup(locationId)).client;
    },
    async authSource(locationId) {
      return (await lookup(locationId)).source;
    },
    limiter,
  };
}
