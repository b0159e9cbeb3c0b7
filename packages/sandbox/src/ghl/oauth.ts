/**
 * Tokens of the GHL simulator: authorization codes, access tokens that expire after 24 h of sandbox time,
 * single-use rotating refresh tokens, private integration tokens (`pit-…`), agency tokens and
 * /oauth/locationToken.
 */
import type { Rng } from "../rng.js";

export const ACCESS_TOKEN_TTL_S = 86_399;
export const REFRESH_TOKEN_TTL_MS = 365 * 24 * 3600 * 1000;

export const ALL_SCOPES = [
  "contacts.readonly",
  "contacts.write",
  "conversations.readonly",
  "conversations.write",
  "conversations/message.readonly",
  "conversations/message.write",
  "locations.readonly",
  "locations/customFields.readonly",
  "locations/tags.readonly",
  "oauth.readonly",
  "oauth.write",
];
export const READ_ONLY_SCOPES = ALL_SCOPES.filter((s) => s.endsWith(".readonly"));

export type TokenKind = "oauth" | "pit";
export type UserType = "Location" | "Company";

export interface TokenRecord {
  token: string;
  kind: TokenKind;
  userType: UserType;
  locationId?: string;
  companyId: string;
  scopes: string[];
  /** Sandbox epoch ms; undefined = never expires (PIT). */
  expiresAt?: number;
}

interface RefreshRecord {
  token: string;
  userType: UserType;
  locationId?: string;
  companyId: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

interface CodeRecord {
  code: string;
  userType: UserType;
  locationId?: string;
  companyId: string;
  scopes: string[];
  used: boolean;
  expiresAt: number;
}

export class OAuthError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** GHL answers a token request with a missing field as 400 "Missing parameter: <name>" (before validation). */
export function checkTokenForm(form: Record<string, unknown>): void {
  for (const name of ["client_id", "client_secret", "grant_type"]) {
    if (!form[name]) throw new OAuthError(400, `Missing parameter: ${name}`);
  }
  if (form.grant_type === "authorization_code" && !form.code)
    throw new OAuthError(400, "Missing parameter: code");
  if (form.grant_type === "refresh_token" && !form.refresh_token)
    throw new OAuthError(400, "Missing parameter: refresh_token");
  if (form.grant_type !== "authorization_code" && form.grant_type !== "refresh_token") {
    throw new OAuthError(400, "Invalid parameter: grant_type");
  }
}

export function createTokenStore(options: {
  rng: Rng;
  now: () => number;
  client: OAuthClient;
  userId: string;
}) {
  const tokens = new Map<string, TokenRecord>();
  const refreshTokens = new Map<string, RefreshRecord>();
  const codes = new Map<string, CodeRecord>();

  const addPit = (record: Omit<TokenRecord, "kind" | "token"> & { token?: string }): TokenRecord => {
    const token = record.token ?? `pit-${options.rng.uuid()}`;
    const full: TokenRecord = { ...record, token, kind: "pit" };
    tokens.set(token, full);
    return full;
  };

  const issue = (base: Omit<RefreshRecord, "token" | "expiresAt" | "used">) => {
    const access = `sbx-at-${options.rng.string(40)}`;
    const refresh = `sbx-rt-${options.rng.string(40)}`;
    tokens.set(access, {
      token: access,
      kind: "oauth",
      userType: base.userType,
      locationId: base.locationId,
      companyId: base.companyId,
      scopes: base.scopes,
      expiresAt: options.now() + ACCESS_TOKEN_TTL_S * 1000,
    });
    refreshTokens.set(refresh, {
      ...base,
      token: refresh,
      expiresAt: options.now() + REFRESH_TOKEN_TTL_MS,
      used: false,
    });
    return {
      access_token: access,
      token_type: "Bearer",
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refresh,
      scope: base.scopes.join(" "),
      userType: base.userType,
      ...(base.locationId ? { locationId: base.locationId } : {}),
      companyId: base.companyId,
      userId: options.userId,
      isBulkInstallation: false,
    };
  };

  const requireClient = (form: Record<string, string>): void => {
    for (const name of ["client_id", "client_secret", "grant_type"]) {
      if (!form[name]) throw new OAuthError(400, `Missing parameter: ${name}`);
    }
    if (form.client_id !== options.client.clientId || form.client_secret !== options.client.clientSecret) {
      throw new OAuthError(401, "Invalid client: client credentials are invalid");
    }
  };

  return {
    addPit,
    /** A code as if a user had approved the app on the chooselocation page. */
    issueCode(input: {
      userType: UserType;
      locationId?: string;
      companyId: string;
      scopes: string[];
    }): string {
      const code = options.rng.string(40, "0123456789abcdef");
      codes.set(code, { ...input, code, used: false, expiresAt: options.now() + 10 * 60 * 1000 });
      return code;
    },
    /** POST /oauth/token (form fields). */
    exchange(form: Record<string, string>) {
      requireClient(form);
      const grant = form.grant_type;
      if (grant === "authorization_code") {
        if (!form.code) throw new OAuthError(400, "Missing parameter: code");
        const record = codes.get(form.code);
        if (!record || record.used || record.expiresAt <= options.now()) {
          throw new OAuthError(400, "Invalid grant: authorization code is invalid");
        }
        record.used = true;
        return issue(record);
      }
      if (grant === "refresh_token") {
        if (!form.refresh_token) throw new OAuthError(400, "Missing parameter: refresh_token");
        const record = refreshTokens.get(form.refresh_token);
        // Invalid, expired or already used: the same answer (FACTS §2.2).
        if (!record || record.used || record.expiresAt <= options.now()) {
          throw new OAuthError(400, "Invalid grant: refresh token is invalid");
        }
        if (form.user_type && form.user_type !== record.userType) {
          throw new OAuthError(400, "Invalid parameter: user_type");
        }
        record.used = true;
        return issue(record);
      }
      throw new OAuthError(400, "Invalid parameter: grant_type");
    },
    /** POST /oauth/locationToken with an agency token. */
    locationToken(
      agency: TokenRecord,
      companyId: string,
      locationId: string,
      locationCompanyId: string | undefined,
    ) {
      if (agency.userType !== "Company")
        throw new OAuthError(401, "This route is only for agency (Company) tokens");
      if (companyId !== agency.companyId || locationCompanyId !== companyId) {
        throw new OAuthError(400, "Location not found for this company");
      }
      const result = issue({ userType: "Location", locationId, companyId, scopes: agency.scopes });
      return {
        ...result,
        planId: "sandbox-plan",
        appId: options.client.clientId.split("-")[0],
        versionId: "sandbox",
      };
    },
    /** The live record of a bearer token, or undefined when it is unknown or expired. */
    lookup(token: string): TokenRecord | undefined {
      const record = tokens.get(token);
      if (!record) return undefined;
      if (record.expiresAt !== undefined && record.expiresAt <= options.now()) return undefined;
      return record;
    },
    clear(): void {
      tokens.clear();
      refreshTokens.clear();
      codes.clear();
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;

/** Does a token's scope set grant `required`? A `.write` scope also grants its `.readonly` twin. */
export function hasScope(scopes: string[], required: string): boolean {
  if (scopes.includes(required)) return true;
  if (required.endsWith(".readonly")) return scopes.includes(required.replace(/\.readonly$/, ".write"));
  return false;
}
