import createClient from "openapi-fetch";
import type { GhlAuth } from "../auth/auth-options.js";
import { createTokenManager, type OAuthCalls } from "../auth/token-manager.js";
import type { TokenStore } from "../auth/token-store.js";
import { type BulkApi, createBulkApi } from "../contacts/bulk-api.js";
import {
  type AppointmentsApi,
  type CampaignsApi,
  createAppointmentsApi,
  createCampaignsApi,
  createTagsApi,
  createWorkflowsApi,
  type TagsApi,
  type WorkflowsApi,
} from "../contacts/contact-links-api.js";
import { type ContactsApi, createContactsApi } from "../contacts/contacts-api.js";
import { createFollowersApi, type FollowersApi } from "../contacts/followers-api.js";
import { createNotesApi, type NotesApi } from "../contacts/notes-api.js";
import {
  type SearchContactsIteratorParams,
  type SearchContactsPage,
  searchContactsIterator,
} from "../contacts/search-contacts-iterator.js";
import { createTasksApi, type TasksApi } from "../contacts/tasks-api.js";
import { type ConversationsApi, createConversationsApi } from "../conversations/conversations-api.js";
import { type Now, type Sleep, systemNow, systemSleep } from "../core/clock.js";
import { type GhlLogger, silentLogger } from "../core/logger.js";
import { createTransport, type GhlFetch } from "../core/transport.js";
import type { paths as ContactsPaths } from "../generated/contacts.js";
import type { paths as ConversationsPaths } from "../generated/conversations.js";
import type { paths as OAuthPaths } from "../generated/oauth.js";
import { createOAuthApi, type OAuthApi } from "../oauth/oauth-api.js";
import { createOAuthCalls } from "../oauth/oauth-calls.js";
import {
  createRateLimiter,
  type GhlRateLimiter,
  type RateLimiterOptions,
} from "../rate-limit/rate-limiter.js";
import { type RetryOptions, resolveRetryOptions } from "../retry/backoff.js";
import type { ApiContext, GhlCallOptions } from "./api-context.js";
import { createExecute } from "./execute.js";
import { createRawApi, type GhlRawApi } from "./raw-api.js";

export const GHL_DEFAULT_BASE_URL = "https://services.leadconnectorhq.com";

export interface CreateGhlClientOptions {
  auth: GhlAuth;
  /** Injected fetch (default globalThis.fetch). Receives a Request. */
  fetch?: GhlFetch;
  /** Clock in epoch ms (token expiry, Retry-After dates, rate-limit windows). */
  now?: Now;
  /** Waits for backoff and rate-limit delays (inject with a fake clock in tests). */
  sleep?: Sleep;
  /** Default: env GHL_API_BASE_URL, else https://services.leadconnectorhq.com. */
  baseUrl?: string;
  logger?: GhlLogger;
  /** Required for OAuth auth: where token pairs are loaded from and saved to. */
  tokenStore?: TokenStore;
  /** A shared limiter instance, or options for the client's own one. */
  limiter?: GhlRateLimiter | RateLimiterOptions;
  retry?: RetryOptions;
  /** Per-attempt timeout until response headers arrive. Default 30 000 ms. */
  timeoutMs?: number;
  userAgent?: string;
}

export interface GhlClient {
  contacts: ContactsApi;
  tags: TagsApi;
  notes: NotesApi;
  tasks: TasksApi;
  appointments: AppointmentsApi;
  workflows: WorkflowsApi;
  campaigns: CampaignsApi;
  followers: FollowersApi;
  bulk: BulkApi;
  conversations: ConversationsApi;
  /** Any operation of our specs, typed by the generated paths, through the same transport (see README). */
  raw: GhlRawApi;
  oauth: OAuthApi;
  /** Every contact matching a search, page by page (page numbers, then searchAfter past 10,000). */
  searchContactsIterator(
    params: SearchContactsIteratorParams,
    options?: GhlCallOptions,
  ): AsyncGenerator<SearchContactsPage, void, undefined>;
  /** The limiter in use (stats for metrics). */
  readonly limiter: GhlRateLimiter;
}

function isLimiter(value: GhlRateLimiter | RateLimiterOptions | undefined): value is GhlRateLimiter {
  return !!value && typeof (value as GhlRateLimiter).acquire === "function";
}

function resolveBaseUrl(option: string | undefined): string {
  const raw = option ?? process.env.GHL_API_BASE_URL ?? GHL_DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`createGhlClient: baseUrl (or GHL_API_BASE_URL) is not a URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`createGhlClient: baseUrl must be http(s), got ${url.protocol}`);
  }
  return url.toString().replace(/\/+$/, "");
}

/** A typed HighLevel API v2 client. Methods never throw on HTTP errors: they return GhlResult. */
export function createGhlClient(options: CreateGhlClientOptions): GhlClient {
  if (!options?.auth) throw new Error("createGhlClient: options.auth is required");
  const now = options.now ?? systemNow;
  const sleep = options.sleep ?? systemSleep;
  const logger = options.logger ?? silentLogger;
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const fetchImpl: GhlFetch = options.fetch ?? ((request) => globalThis.fetch(request));
  const limiter = isLimiter(options.limiter)
    ? options.limiter
    : createRateLimiter({ now, sleep, ...(options.limiter ?? {}) });
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!(timeoutMs > 0)) throw new Error(`createGhlClient: timeoutMs must be > 0, got ${timeoutMs}`);

  // The token manager needs the OAuth calls, which need the transport, which needs the token manager:
  // tie the knot through a late-bound reference.
  let oauthCalls: OAuthCalls | null = null;
  const tokens = createTokenManager({
    auth: options.auth,
    tokenStore: options.tokenStore,
    now,
    logger,
    oauth: {
      refresh: (...args) => (oauthCalls as OAuthCalls).refresh(...args),
      mintLocationToken: (...args) => (oauthCalls as OAuthCalls).mintLocationToken(...args),
    },
  });
  const transport = createTransport({
    fetch: fetchImpl,
    now,
    sleep,
    limiter,
    tokens,
    retry: resolveRetryOptions(options.retry),
    timeoutMs,
    logger,
    userAgent: options.userAgent ?? null,
  });
  const ctx: ApiContext = {
    execute: createExecute(transport),
    contacts: createClient<ContactsPaths>({ baseUrl }),
    conversations: createClient<ConversationsPaths>({ baseUrl }),
    oauth: createClient<OAuthPaths>({ baseUrl }),
  };
  if (options.auth.kind === "oauth") {
    oauthCalls = createOAuthCalls(ctx, {
      clientId: options.auth.clientId,
      clientSecret: options.auth.clientSecret,
    });
  }
  const contacts = createContactsApi(ctx);
  return {
    contacts,
    tags: createTagsApi(ctx),
    notes: createNotesApi(ctx),
    tasks: createTasksApi(ctx),
    appointments: createAppointmentsApi(ctx),
    workflows: createWorkflowsApi(ctx),
    campaigns: createCampaignsApi(ctx),
    followers: createFollowersApi(ctx),
    bulk: createBulkApi(ctx),
    conversations: createConversationsApi(ctx),
    raw: createRawApi({ execute: ctx.execute, baseUrl }),
    oauth: createOAuthApi(ctx, { auth: options.auth, tokens, tokenStore: options.tokenStore, now }),
    searchContactsIterator: (params, callOptions) => searchContactsIterator(contacts, params, callOptions),
    limiter,
  };
}
