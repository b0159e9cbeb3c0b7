import type { Now } from "../core/clock.js";
import {
  type GhlError,
  notInstalledError,
  privateTokenRejectedError,
  reinstallRequiredError,
  tokenStoreError,
} from "../core/errors.js";
import type { GhlLogger } from "../core/logger.js";
import type { GhlResult } from "../core/result.js";
import type { GhlAuth } from "./auth-options.js";
import type { GhlTokens, TokenStore } from "./token-store.js";

/** The subset of the /oauth/token and /oauth/locationToken response the client relies on. */
export interface OAuthTokenPayload {
  access_token: string;
  refresh_token?: string | null;
  expires_in?: number;
  scope?: string;
  userType?: string;
  locationId?: string;
  companyId?: string;
}

/** The raw OAuth HTTP calls the token manager needs (implemented over the transport). */
export interface OAuthCalls {
  refresh(refreshToken: string, userType: "Location" | "Company"): Promise<GhlResult<OAuthTokenPayload>>;
  mintLocationToken(
    agencyAccessToken: string,
    companyId: string,
    locationId: string,
  ): Promise<GhlResult<OAuthTokenPayload>>;
}

export type TokenResult = { ok: true; token: string } | { ok: false; error: GhlError };

export interface TokenManager {
  /** A usable access token for this location (refreshing first when it expires within refreshAheadMs). */
  getAccessToken(resourceId: string, operation: string): Promise<TokenResult>;
  /** After a 401 with `rejectedToken`: refresh once (single-flight) unless someone already replaced it. */
  refreshAfterUnauthorized(
    resourceId: string,
    rejectedToken: string,
    operation: string,
  ): Promise<TokenResult>;
  /** Force a refresh now (single-flight). */
  forceRefresh(
    resourceId: string,
    operation: string,
  ): Promise<{ ok: true; tokens: GhlTokens } | { ok: false; error: GhlError }>;
  /** Mint a location token from the agency token and save it. */
  mintLocation(
    companyId: string,
    locationId: string,
    operation: string,
  ): Promise<{ ok: true; tokens: GhlTokens } | { ok: false; error: GhlError }>;
  /** Can 401s be fixed by refreshing? (false for private integration tokens) */
  readonly refreshable: boolean;
}

const DEFAULT_EXPIRES_IN_S = 86_399;

export function tokensFromPayload(
  payload: OAuthTokenPayload,
  now: number,
  fallback: Pick<GhlTokens, "userType"> & Partial<GhlTokens>,
): GhlTokens {
  const expiresIn =
    typeof payload.expires_in === "number" && payload.expires_in > 0
      ? payload.expires_in
      : DEFAULT_EXPIRES_IN_S;
  const userType =
    payload.userType === "Company" || payload.userType === "Location" ? payload.userType : fallback.userType;
  return {
    accessToken: payload.access_token,
    refreshToken: payload.refresh_token ?? null,
    expiresAt: now + expiresIn * 1000,
    userType,
    locationId: payload.locationId ?? fallback.locationId ?? null,
    companyId: payload.companyId ?? fallback.companyId ?? null,
    scope: payload.scope ?? fallback.scope ?? null,
  };
}

export interface TokenManagerDeps {
  auth: GhlAuth;
  tokenStore: TokenStore | undefined;
  oauth: OAuthCalls;
  now: Now;
  logger: GhlLogger;
}

type TokensResult = { ok: true; tokens: GhlTokens } | { ok: false; error: GhlError };

export function createTokenManager(deps: TokenManagerDeps): TokenManager {
  const { auth, now, logger } = deps;
  if (auth.kind === "private-integration") {
    if (typeof auth.token !== "string" || auth.token.trim() === "") {
      throw new Error("createGhlClient: auth.token (private integration token) must be a non-empty string");
    }
    const token = auth.token;
    const pitOnly = privateTokenRejectedError;
    return {
      refreshable: false,
      async getAccessToken() {
        return { ok: true, token };
      },
      async refreshAfterUnauthorized(_id, _rejected, operation) {
        return { ok: false, error: pitOnly(operation) };
      },
      async forceRefresh(_id, operation) {
        return { ok: false, error: pitOnly(operation) };
      },
      async mintLocation(_c, _l, operation) {
        return { ok: false, error: pitOnly(operation) };
      },
    };
  }

  if (!deps.tokenStore) {
    throw new Error(
      "createGhlClient: OAuth auth needs a tokenStore (refresh tokens are single-use and must be persisted); use createMemoryTokenStore() only in tests",
    );
  }
  if (!auth.clientId || !auth.clientSecret) {
    throw new Error("createGhlClient: OAuth auth needs clientId and clientSecret");
  }
  const store = deps.tokenStore;
  const refreshAheadMs = auth.refreshAheadMs ?? 5 * 60_000;
  const cache = new Map<string, GhlTokens>();
  /** Rotated pairs whose save failed: saved again before any use. */
  const unsaved = new Set<string>();
  const inflight = new Map<string, Promise<TokensResult>>();

  const isFresh = (t: GhlTokens): boolean => t.expiresAt - refreshAheadMs > now();

  const saveThenUse = async (id: string, tokens: GhlTokens, operation: string): Promise<TokensResult> => {
    try {
      await store.save(id, tokens);
    } catch (cause) {
      // The old refresh token is spent; keep the new pair in memory so this process can retry the save.
      unsaved.add(id);
      logger.error({ resourceId: id, operation }, "ghl: saving rotated tokens failed");
      return { ok: false, error: tokenStoreError(operation, id, "save", cause) };
    } finally {
      cache.set(id, tokens);
    }
    unsaved.delete(id);
    logger.info({ resourceId: id, operation, expiresAt: tokens.expiresAt }, "ghl: tokens rotated and saved");
    return { ok: true, tokens };
  };

  const mint = async (companyId: string, locationId: string, operation: string): Promise<TokensResult> => {
    const agency = await tokensFor(companyId, operation);
    if (!agency.ok) return agency;
    const minted = await deps.oauth.mintLocationToken(agency.tokens.accessToken, companyId, locationId);
    if (!minted.ok) return minted;
    const tokens = tokensFromPayload(minted.data, now(), { userType: "Location", locationId, companyId });
    return saveThenUse(locationId, tokens, operation);
  };

  const doRefresh = async (
    id: string,
    rejectedToken: string | null,
    force: boolean,
    operation: string,
  ): Promise<TokensResult> => {
    let stored: GhlTokens | null;
    try {
      stored = await store.load(id);
    } catch (cause) {
      return { ok: false, error: tokenStoreError(operation, id, "load", cause) };
    }
    const cached = cache.get(id);
    if (cached && unsaved.has(id)) stored = cached;
    // Another process (or an earlier flight) may already have rotated the pair: use it instead of
    // spending the (single-use) refresh token a second time.
    if (!force && stored && isFresh(stored) && stored.accessToken !== rejectedToken) {
      if (unsaved.has(id)) return saveThenUse(id, stored, operation);
      cache.set(id, stored);
      return { ok: true, tokens: stored };
    }
    const agencyCompany = auth.companyId && auth.companyId !== id ? auth.companyId : null;
    if (!stored) {
      if (agencyCompany) return mint(agencyCompany, id, operation);
      return { ok: false, error: notInstalledError(operation, id) };
    }
    if (!stored.refreshToken) {
      const company = agencyCompany ?? (stored.userType === "Location" ? stored.companyId : null);
      if (company && company !== id) return mint(company, id, operation);
      return { ok: false, error: reinstallRequiredError(operation, id, "no refresh token stored") };
    }
    logger.debug({ resourceId: id, operation }, "ghl: refreshing access token");
    const refreshed = await deps.oauth.refresh(stored.refreshToken, stored.userType);
    if (!refreshed.ok) {
      const e = refreshed.error;
      const invalidGrant =
        (e.status === 400 || e.status === 401) &&
        /invalid[_ ]grant|refresh token/i.test(e.vendorMessage ?? "");
      if (invalidGrant) {
        // A different process may have rotated the pair between our load and our refresh.
        const again = await store.load(id).catch(() => null);
        if (again && again.refreshToken !== stored.refreshToken && isFresh(again)) {
          cache.set(id, again);
          return { ok: true, tokens: again };
        }
        if (agencyCompany) {
          logger.warn(
            { resourceId: id, operation },
            "ghl: refresh token rejected; minting from agency token",
          );
          return mint(agencyCompany, id, operation);
        }
        logger.error(
          { resourceId: id, operation, traceId: e.traceId },
          "ghl: refresh token rejected; reinstall required",
        );
        return { ok: false, error: reinstallRequiredError(operation, id, e.vendorMessage) };
      }
      return refreshed;
    }
    const tokens = tokensFromPayload(refreshed.data, now(), stored);
    return saveThenUse(id, tokens, operation);
  };

  const singleFlight = (
    id: string,
    rejectedToken: string | null,
    operation: string,
    force = false,
  ): Promise<TokensResult> => {
    const existing = inflight.get(id);
    if (existing) return existing;
    const run = (): Promise<TokensResult> => doRefresh(id, rejectedToken, force, operation);
    const locked = store.withLock ? store.withLock(id, run) : run();
    const flight = locked.finally(() => {
      inflight.delete(id);
    });
    inflight.set(id, flight);
    return flight;
  };

  async function tokensFor(id: string, operation: string): Promise<TokensResult> {
    const pending = inflight.get(id);
    if (pending) return pending;
    let t = cache.get(id);
    if (!t) {
      try {
        const loaded = await store.load(id);
        if (loaded) {
          t = loaded;
          if (!inflight.has(id) && !cache.has(id)) cache.set(id, loaded);
        }
      } catch (cause) {
        return { ok: false, error: tokenStoreError(operation, id, "load", cause) };
      }
    }
    if (t && unsaved.has(id)) return saveThenUse(id, t, operation);
    if (t && isFresh(t)) return { ok: true, tokens: t };
    return singleFlight(id, null, operation);
  }

  return {
    refreshable: true,
    async getAccessToken(id, operation) {
      const r = await tokensFor(id, operation);
      return r.ok ? { ok: true, token: r.tokens.accessToken } : r;
    },
    async refreshAfterUnauthorized(id, rejectedToken, operation) {
      const current = cache.get(id);
      if (current && current.accessToken !== rejectedToken && isFresh(current)) {
        return { ok: true, token: current.accessToken };
      }
      const r = await singleFlight(id, rejectedToken, operation);
      return r.ok ? { ok: true, token: r.tokens.accessToken } : r;
    },
    forceRefresh(id, operation) {
      return singleFlight(id, null, operation, true);
    },
    mintLocation(companyId, locationId, operation) {
      return mint(companyId, locationId, operation);
    },
  };
}
