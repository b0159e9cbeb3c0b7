/** An OAuth token pair as the client stores it. `expiresAt` is epoch ms. */
export interface GhlTokens {
  accessToken: string;
  /** null for location tokens minted from an agency token without a refresh token. */
  refreshToken: string | null;
  expiresAt: number;
  userType: "Location" | "Company";
  locationId?: string | null;
  companyId?: string | null;
  scope?: string | null;
}

/**
 * Where OAuth tokens live. Keyed by location id (agency tokens by company id). Refresh tokens are
 * single-use: `save` must be durable before it resolves, because the client uses the new pair only after.
 */
export interface TokenStore {
  load(locationId: string): Promise<GhlTokens | null>;
  save(locationId: string, tokens: GhlTokens): Promise<void>;
  /**
   * Optional cross-process lock (e.g. a DB row lock). Refreshes are already single-flight inside one
   * client; implement this when several processes share the same tokens.
   */
  withLock?<T>(locationId: string, fn: () => Promise<T>): Promise<T>;
}

/** In-memory store for tests and one-off scripts (tokens are lost when the process exits). */
export function createMemoryTokenStore(initial: Record<string, GhlTokens> = {}): TokenStore & {
  snapshot(): Record<string, GhlTokens>;
} {
  const map = new Map<string, GhlTokens>(Object.entries(initial).map(([k, v]) => [k, { ...v }]));
  return {
    async load(id) {
      const t = map.get(id);
      return t ? { ...t } : null;
    },
    async save(id, tokens) {
      map.set(id, { ...tokens });
    },
    snapshot() {
      return Object.fromEntries([...map].map(([k, v]) => [k, { ...v }]));
    },
  };
}
