// Public API of @ghl-bulksms/ghl. Keep this list narrow and explicit.
export type { GhlAuth, OAuthAppAuth, PrivateIntegrationAuth } from "./auth/auth-options.js";
export type { GhlTokens, TokenStore } from "./auth/token-store.js";
export { createMemoryTokenStore } from "./auth/token-store.js";
export type { GhlCallOptions } from "./client/api-context.js";
export type { CreateGhlClientOptions, GhlClient } from "./client/create-ghl-client.js";
export { createGhlClient, GHL_DEFAULT_BASE_URL } from "./client/create-ghl-client.js";
export type { GhlRawApi, GhlRawCallOptions, GhlRawClients } from "./client/raw-api.js";
export type { BulkApi, BulkTagsOutcome, BulkTagsResponse } from "./contacts/bulk-api.js";
export type {
  AppointmentsApi,
  CampaignsApi,
  GhlAppointment,
  TagsApi,
  WorkflowsApi,
} from "./contacts/contact-links-api.js";
export type {
  ContactsApi,
  ContactsListResponse,
  CreateContactInput,
  GhlContact,
  GhlSearchContact,
  SearchContactsInput,
  SearchContactsResponse,
  UpdateContactInput,
  UpsertContactInput,
} from "./contacts/contacts-api.js";
export type { FollowersApi } from "./contacts/followers-api.js";
export type { CreateNoteInput, GhlNote, NotesApi, UpdateNoteInput } from "./contacts/notes-api.js";
export type {
  SearchContactsIteratorParams,
  SearchContactsPage,
} from "./contacts/search-contacts-iterator.js";
export { GHL_SEARCH_MAX_PAGE_LIMIT, GHL_SEARCH_PAGE_WINDOW } from "./contacts/search-contacts-iterator.js";
export type { CreateTaskInput, GhlTask, TasksApi, UpdateTaskInput } from "./contacts/tasks-api.js";
export type {
  ConversationsApi,
  GhlConversation,
  GhlConversationMessage,
  InboundMessageInput,
  SearchConversationsQuery,
  SendMessageInput,
  UpdateMessageStatusInput,
} from "./conversations/conversations-api.js";
export { GHL_VERSION_CONTACTS, GHL_VERSION_CONVERSATIONS } from "./core/api-version.js";
export type { Now, Sleep } from "./core/clock.js";
export type { GhlErrorCode } from "./core/errors.js";
export { GhlError, isGhlError } from "./core/errors.js";
export type { GhlLogger } from "./core/logger.js";
export type { GhlRateLimitInfo, GhlResponseMeta, GhlResult } from "./core/result.js";
export type { GhlFetch } from "./core/transport.js";
export type { OAuthApi, OAuthInstall } from "./oauth/oauth-api.js";
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
export {
  DEFAULT_MAX_BODY_BYTES as GHL_WEBHOOK_MAX_BODY_BYTES,
  DEFAULT_MAX_DEPTH as GHL_WEBHOOK_MAX_DEPTH,
  jsonNestingDepth,
  verifyGhlWebhook,
} from "./webhooks/verify-webhook.js";
