export {
  type BlockedNumber,
  BulkSmsBlockedPageError,
  MAX_BLOCKED_PER_REQUEST,
} from "./account/blocked-numbers.js";
export type { BulkSmsProfile } from "./account/profile.js";
export {
  type BulkSmsClient,
  type BulkSmsClientOptions,
  createBulkSmsClient,
  DEFAULT_BULKSMS_BASE_URL,
} from "./client.js";
export type { BulkSmsError, BulkSmsErrorCode } from "./errors/bulksms-error.js";
export type { BulkSmsLogger } from "./http/logger.js";
export type { RetryOptions } from "./http/retry-policy.js";
export { parseJsonLossless } from "./json/parse-json-lossless.js";
export type { BulkSmsMessage } from "./messages/bulksms-message.js";
export { BulkSmsPageError, type ListMessagesOptions } from "./messages/list-messages.js";
export { buildMessageFilter, type MessageFilter } from "./messages/message-filter.js";
export { type CountryCode, fromVendorNumber, toE164 } from "./phone/normalize-phone.js";
export { normalizeRecipients } from "./phone/normalize-recipients.js";
export type { Result } from "./result.js";
export { batchDedupId, dedupIdFor } from "./send/dedup-id.js";
export {
  MAX_RECIPIENTS_PER_REQUEST,
  prepareSend,
  type SendBatch,
  type SendMessagesInput,
  type SendOutcome,
  type SmsSender,
  type SubmissionEntry,
} from "./send/send-messages.js";
export type { BatchMessage, SubmitBatchInput } from "./send/submit-batch.js";
export { checkUserSuppliedId, USER_SUPPLIED_ID_MAX, userSuppliedIdFor } from "./send/user-supplied-id.js";
export { mergeStatus } from "./status/merge-status.js";
export {
  isFinalStatus,
  type MessageStatus,
  parseStatus,
  STATUS_TYPES,
  type StatusType,
} from "./status/message-status.js";
export { type CostEstimate, type CostEstimateOptions, estimateCost } from "./text/estimate-cost.js";
export { type MeasureSmsOptions, measureSms, type SmsEncoding, type SmsMeasure } from "./text/measure-sms.js";
export { sanitizeSmsText } from "./text/sanitize-sms-text.js";

export {
  type BulkSmsWebhookEvent,
  type ParsedBulkSmsWebhook,
  type ParseWebhookResult,
  parseBulkSmsWebhook,
  type WebhookHeaders,
} from "./webhooks/parse-webhook.js";
export { verifyWebhookSecret, webhookUrlWithSecret } from "./webhooks/webhook-secret.js";
export type {
  EnsureWebhooksOptions,
  EnsureWebhooksOutcome,
  Webhook,
  WebhookEntry,
  WebhookScope,
} from "./webhooks/webhooks-api.js";
