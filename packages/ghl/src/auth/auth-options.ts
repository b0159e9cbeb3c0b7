/** A Private Integration Token (static, never refreshed; rotate it by hand in HighLevel). */
export interface PrivateIntegrationAuth {
  kind: "private-integration";
  token: string;
}

/** Marketplace OAuth app: tokens come from the TokenStore and are refreshed before they expire. */
export interface OAuthAppAuth {
  kind: "oauth";
  clientId: string;
  clientSecret: string;
  /** Default redirect URI for `oauth.exchangeCode`. */
  redirectUri?: string;
  /**
   * Agency install: when set, location tokens that are missing, have no refresh token, or whose refresh
   * token is rejected are minted from the agency (Company) token stored under this company id.
   */
  companyId?: string;
  /** Refresh this long before `expiresAt`. Default 5 minutes. */
  refreshAheadMs?: number;
}

export type GhlAuth = PrivateIntegrationAuth | OAuthAppAuth;
