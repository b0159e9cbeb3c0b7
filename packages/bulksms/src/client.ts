import { setTimeout as sleepFor } from "node:timers/promises";
import {
  addBlockedNumbers,
  type BlockedNumber,
  iterateBlockedNumbers,
  listBlockedNumbers,
} from "./account/blocked-numbers.js";
import { type BulkSmsProfile, getProfile } from "./account/profile.js";
import { type ApiContext, callApi, createApi } from "./api/call-api.js";
import { invalidResponseError } from "./errors/map-http-error.js";
import type { BulkSmsLogger } from "./http/logger.js";
import { type RetryOptions, resolveRetry } from "./http/retry-policy.js";
import { createTransport } from "./http/transport.js";
import type { BulkSmsMessage } from "./messages/bulksms-message.js";
import { toBulkSmsMessage } from "./messages/bulksms-message.js";
import { iterateMessages, type ListMessagesOptions, listMessages } from "./messages/list-messages.js";
import { toMessageList } from "./messages/to-message-list.js";
import type { CountryCode } from "./phone/normalize-phone.js";
import { fail, ok, type Result } from "./result.js";
import { type SendMessagesInput, type SendOutcome, sendMessages } from "./send/send-messages.js";
import { type SubmitBatchInput, submitBatch } from "./send/submit-batch.js";
import {
  createWebhook,
  deleteWebhook,
  type EnsureWebhooksOptions,
  type EnsureWebhooksOutcome,
  ensureWebhooks,
  listWebhooks,
  updateWebhook,
  type Webhook,
  type WebhookEntry,
} from "./webhooks/webhooks-api.js";

export const DEFAULT_BULKSMS_BASE_URL = "https://api.bulksms.com/v1";

export type BulkSmsClientOptions = {
  /** API token id (e.g. "BBDE1B476E03498AA768F66A286AABDC-01-B") or account username. */
  tokenId: string;
  /** API token secret or account password. */
  tokenSecret: string;
  /** Injected fetch (tests, proxies). Default: global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Default https://api.bulksms.com/v1; point it at a sandbox with e.g. env BULKSMS_API_BASE_URL. */
  baseUrl?: string;
  /** Region for numbers typed without a country code (e.g. "GB", "ZA"). Without it, numbers need "+cc". */
  defaultRegion?: CountryCode;
  logger?: BulkSmsLogger;
  /** Injected clock (ms since epoch), used for Retry-After dates and timings. */
  now?: () => number;
  /** Per-attempt timeout in ms (default 20 000). */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Injected sleep for backoff (tests). */
  sleep?: (ms: number) => Promise<void>;
  /** Injected randomness for jitter (tests). */
  random?: () => number;
};

export type BulkSmsClient = {
  sendMessages(input: SendMessagesInput): Promise<Result<SendOutcome>>;
  /** Many personalised texts in one POST under one caller-fixed deduplication id (campaign batches). */
  submitBatch(input: SubmitBatchInput): Promise<Result<BulkSmsMessage[]>>;
  getMessage(id: string): Promise<Result<BulkSmsMessage>>;
  listMessages(options?: ListMessagesOptions): Promise<Result<BulkSmsMessage[]>>;
  /** Pages with `id<` until an empty page; throws BulkSmsPageError if a page fails. */
  iterateMessages(options?: ListMessagesOptions): AsyncGenerator<BulkSmsMessage>;
  relatedReceivedMessages(sentMessageId: string): Promise<Result<BulkSmsMessage[]>>;
  getProfile(): Promise<Result<BulkSmsProfile>>;
  listBlockedNumbers(options?: { minId?: string; limit?: number }): Promise<Result<BlockedNumber[]>>;
  /** Pages with `min-id` until an empty page; throws BulkSmsBlockedPageError if a page fails. */
  iterateBlockedNumbers(options?: { minId?: string; limit?: number }): AsyncGenerator<BlockedNumber>;
  addBlockedNumbers(numbers: readonly string[]): Promise<Result<{ added: number; requests: number }>>;
  listWebhooks(): Promise<Result<Webhook[]>>;
  createWebhook(entry: WebhookEntry): Promise<Result<Webhook>>;
  updateWebhook(id: string, entry: WebhookEntry): Promise<Result<Webhook>>;
  deleteWebhook(id: string): Promise<Result<void>>;
  ensureWebhooks(options: EnsureWebhooksOptions): Promise<Result<EnsureWebhooksOutcome>>;
};

export function createBulkSmsClient(options: BulkSmsClientOptions): BulkSmsClient {
  if (!options.tokenId || !options.tokenSecret)
    throw new TypeError("createBulkSmsClient needs tokenId and tokenSecret");
  if (options.tokenId.includes(":"))
    throw new TypeError("tokenId must not contain ':' (Basic auth separator)");
  const baseUrl = (options.baseUrl ?? DEFAULT_BULKSMS_BASE_URL).replace(/\/+$/, "");
  let parsedBase: URL;
  try {
    parsedBase = new URL(baseUrl);
  } catch {
    throw new TypeError(`baseUrl is not a valid URL: ${baseUrl}`);
  }
  const now = options.now ?? Date.now;
  const transportOptions = {
    fetch: options.fetch ?? globalThis.fetch,
    authorization: `Basic ${Buffer.from(`${options.tokenId}:${options.tokenSecret}`, "utf8").toString("base64")}`,
    basePath: parsedBase.pathname.replace(/\/+$/, ""),
    timeoutMs: options.timeoutMs ?? 20_000,
    retry: resolveRetry(options.retry),
    now,
    sleep: options.sleep ?? ((ms: number) => sleepFor(ms)),
    random: options.random ?? Math.random,
    userAgent: "@ghl-bulksms/bulksms",
  };
  const transport = createTransport(
    options.logger === undefined ? transportOptions : { ...transportOptions, logger: options.logger },
  );
  const ctx: ApiContext = { api: createApi(baseUrl, transport), now };
  const region = options.defaultRegion;
  return {
    sendMessages: (input) => sendMessages(ctx, input, region),
    submitBatch: (input) => submitBatch(ctx, input),
    getMessage: async (id) => {
      if (!/^\d+$/.test(id))
        return fail({
          code: "invalid_input",
          status: 0,
          title: "message id must be digits",
          retryable: false,
        });
      const answer = await callApi(ctx, (api) =>
        api.GET("/messages/{id}", { params: { path: { id } }, parseAs: "text" }),
      );
      if (!answer.ok) return answer;
      const parsed = toBulkSmsMessage(answer.data.json);
      return parsed.ok
        ? ok(parsed.message)
        : fail(invalidResponseError(answer.data.status, `message ${parsed.reason}`));
    },
    listMessages: (opts) => listMessages(ctx, opts),
    iterateMessages: (opts) => iterateMessages(ctx, opts),
    relatedReceivedMessages: async (sentMessageId) => {
      if (!/^\d+$/.test(sentMessageId))
        return fail({
          code: "invalid_input",
          status: 0,
          title: "message id must be digits",
          retryable: false,
        });
      const answer = await callApi(ctx, (api) =>
        api.GET("/messages/{id}/relatedReceivedMessages", {
          params: { path: { id: sentMessageId } },
          parseAs: "text",
        }),
      );
      return answer.ok ? toMessageList(answer.data.status, answer.data.json) : answer;
    },
    getProfile: () => getProfile(ctx),
    listBlockedNumbers: (opts) => listBlockedNumbers(ctx, opts),
    iterateBlockedNumbers: (opts) => iterateBlockedNumbers(ctx, opts),
    addBlockedNumbers: (numbers) => addBlockedNumbers(ctx, numbers, region),
    listWebhooks: () => listWebhooks(ctx),
    createWebhook: (entry) => createWebhook(ctx, entry),
    updateWebhook: (id, entry) => updateWebhook(ctx, id, entry),
    deleteWebhook: (id) => deleteWebhook(ctx, id),
    ensureWebhooks: (opts) => ensureWebhooks(ctx, opts),
  };
}
