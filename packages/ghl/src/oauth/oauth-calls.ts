import type { OAuthCalls } from "../auth/token-manager.js";
import type { ApiContext } from "../client/api-context.js";
import type { CallSpec } from "../core/transport.js";

const FORM = { "Content-Type": "application/x-www-form-urlencoded" } as const;

export function formEncode(body: object): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) if (v !== undefined && v !== null) params.set(k, String(v));
  return params.toString();
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export const tokenCall = (idempotent: boolean): CallSpec => ({
  operation: "POST /oauth/token",
  pathTemplate: "/oauth/token",
  resourceId: null,
  auth: "none",
  priority: "realtime",
  // A refresh token is single-use: a refresh that may have reached GHL must never be replayed blindly.
  idempotent,
});

/** The raw /oauth/token (refresh) and /oauth/locationToken calls, over openapi-fetch. */
export function createOAuthCalls(ctx: ApiContext, credentials: OAuthClientCredentials): OAuthCalls {
  const { execute, oauth } = ctx;
  return {
    refresh(refreshToken, userType) {
      return execute(tokenCall(false), (fetch) =>
        oauth.POST("/oauth/token", {
          body: {
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
            grant_type: "refresh_token",
            refresh_token: refreshToken,
            user_type: userType,
          },
          headers: FORM,
          bodySerializer: formEncode,
          fetch,
        }),
      );
    },
    mintLocationToken(agencyAccessToken, companyId, locationId) {
      const spec: CallSpec = {
        operation: "POST /oauth/locationToken",
        pathTemplate: "/oauth/locationToken",
        resourceId: companyId,
        auth: { bearer: agencyAccessToken },
        priority: "realtime",
        idempotent: true,
      };
      return execute(spec, (fetch) =>
        oauth.POST("/oauth/locationToken", {
          params: { header: { Version: "2021-07-28" } },
          body: { companyId, locationId },
          headers: FORM,
          bodySerializer: formEncode,
          fetch,
        }),
      );
    },
  };
}
