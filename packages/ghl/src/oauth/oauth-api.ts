import type { GhlAuth } from "../auth/auth-options.js";
import { type TokenManager, tokensFromPayload } from "../auth/token-manager.js";
import type { GhlTokens, TokenStore } from "../auth/token-store.js";
import type { ApiContext } from "../client/api-context.js";
import type { Now } from "../core/clock.js";
import { type GhlError, incompleteResponseError, tokenStoreError, wrongAuthError } from "../core/errors.js";
import type { GhlResult } from "../core/result.js";
import type { components } from "../generated/oauth.js";
import { formEncode, tokenCall } from "./oauth-calls.js";

type TokenResponse = components["schemas"]["TokenResponse"];

export interface OAuthInstall {
  /** Where the tokens were saved: the location id, or the company id for agency tokens. */
  resourceId: string;
  tokens: GhlTokens;
  /** Non-secret install details from the token response. */
  install: Omit<TokenResponse, "access_token" | "refresh_token">;
}

export interface OAuthApi {
  /** Exchanges an authorization code and saves the pair in the TokenStore (under locationId or companyId). */
  exchangeCode(p: {
    code: string;
    redirectUri?: string;
    userType?: "Location" | "Company";
  }): Promise<GhlResult<OAuthInstall>>;
  /** Refreshes now (single-flight with every other refresh of this location) and saves the rotated pair. */
  refresh(p: {
    locationId: string;
  }): Promise<{ ok: true; tokens: GhlTokens } | { ok: false; error: GhlError }>;
  /** Mints a location token from the agency token stored under companyId, and saves it. */
  mintLocationToken(p: {
    companyId: string;
    locationId: string;
  }): Promise<{ ok: true; tokens: GhlTokens } | { ok: false; error: GhlError }>;
}

export function createOAuthApi(
  ctx: ApiContext,
  deps: { auth: GhlAuth; tokens: TokenManager; tokenStore: TokenStore | undefined; now: Now },
): OAuthApi {
  const notOAuth = (operation: string) => ({ ok: false, error: wrongAuthError(operation) }) as const;
  return {
    async exchangeCode({ code, redirectUri, userType }) {
      const { auth, tokenStore } = deps;
      if (auth.kind !== "oauth" || !tokenStore) return notOAuth("POST /oauth/token");
      const r = await ctx.execute(tokenCall(false), (fetch) =>
        ctx.oauth.POST("/oauth/token", {
          body: {
            client_id: auth.clientId,
            client_secret: auth.clientSecret,
            grant_type: "authorization_code",
            code,
            user_type: userType ?? "Location",
            ...((redirectUri ?? auth.redirectUri) ? { redirect_uri: redirectUri ?? auth.redirectUri } : {}),
          },
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          bodySerializer: formEncode,
          fetch,
        }),
      );
      if (!r.ok) return r;
      const data = r.data;
      const type =
        data.userType === "Company" ? "Company" : data.locationId ? "Location" : (userType ?? "Location");
      const resourceId = type === "Company" ? data.companyId : data.locationId;
      if (!resourceId) {
        return {
          ok: false,
          error: incompleteResponseError(
            "POST /oauth/token",
            r.meta.status,
            `${type} tokens without ${type === "Company" ? "companyId" : "locationId"}`,
          ),
        };
      }
      const tokens = tokensFromPayload(data, deps.now(), { userType: type });
      try {
        await tokenStore.save(resourceId, tokens);
      } catch (cause) {
        return { ok: false, error: tokenStoreError("POST /oauth/token", resourceId, "save", cause) };
      }
      const { access_token: _a, refresh_token: _r, ...install } = data;
      return { ok: true, data: { resourceId, tokens, install }, meta: r.meta };
    },
    refresh({ locationId }) {
      if (deps.auth.kind !== "oauth") return Promise.resolve(notOAuth("POST /oauth/token"));
      return deps.tokens.forceRefresh(locationId, "POST /oauth/token");
    },
    mintLocationToken({ companyId, locationId }) {
      if (deps.auth.kind !== "oauth") return Promise.resolve(notOAuth("POST /oauth/locationToken"));
      return deps.tokens.mintLocation(companyId, locationId, "POST /oauth/locationToken");
    },
  };
}
