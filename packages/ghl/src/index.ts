// Public API of @ghl-bulksms/ghl. Keep this list narrow and explicit.
export type { GhlAuth, OAuthAppAuth, PrivateIntegrationAuth } from "./auth/auth-options.js";
export type { GhlTokens, TokenStore } from "./auth/token-store.js";
export { createMemoryTokenStore } from "./auth/token-store.js";
export { GHL_VERSION_CONTACTS, GHL_VERSION_CONVERSATIONS } from "./core/api-version.js";
export type { Now, Sleep } from "./core/clock.js";
export type { GhlErrorCode } from "./core/errors.js";
export { GhlError, isGhlError } from "./core/errors.js";
export type { GhlLogger } from "./core/logger.js";
export type { GhlRateLimitInfo, GhlResponseMeta, GhlResult } from "./core/result.js";
export type {
  AcquireResult,
  GhlPriority,
  GhlRateLimiter,
  RateLimiterOptions,
  RateLimiterStats,
  RateLimitWaitEvent,
} from "./rate-limit/rate-limiter.js";
export { createRateLimiter } from "./rate-limit/rate-limiter.js";
export type { RetryOptions } from "./retry/backoff.js";
export type * from "./webhooks/events.js";
export { GHL_WEBHOOK_ED25519_PUBLIC_KEY, GHL_WEBHOOK_RSA_PUBLIC_KEY } from "./webhooks/public-keys.js";
export type {
  GhlWebhookErrorCode,
  VerifyGhlWebhookOptions,
  VerifyGhlWebhookResult,
  WebhookHeaders,
  WebhookPublicKey,
} from "./webhooks/verify-webhook.js";
export { verifyGhlWebhook } from "./webhooks/verify-webhook.js";
