// @ghl-bulksms/sandbox/testing — control surfaces and helpers for tests and the demo.

export {
  type BulkSmsControl,
  type ReceivedRequest,
  startWebhookReceiver,
  type WebhookReceiver,
} from "./bulksms/index.js";
export {
  createWebhookFaultGate,
  type FaultConfig,
  type InjectedFault,
  maybeInjectFault,
  mergeFaults,
  parseFaultSpec,
  pickRequestFault,
  trackSockets,
  type WebhookFaultAction,
  type WebhookFaultGate,
} from "./faults.js";
export type { ContactInput } from "./ghl/contacts-store.js";
export type { ContractViolation, GhlControl, RequestLogEntry, SeedResult } from "./ghl/control.js";
export { createGhlControlClient, type GhlControlClient } from "./ghl/control-client.js";
export { GHL_CONTROL_ROUTES } from "./ghl/control-http.js";
export { ACCESS_TOKEN_TTL_S, ALL_SCOPES, READ_ONLY_SCOPES } from "./ghl/oauth.js";
export { DEFAULT_RATE_LIMIT } from "./ghl/rate-limit.js";
export type { Membership } from "./ghl/routes.js";
export { MAX_PAGE_LIMIT, PAGE_MODE_MAX_RECORDS } from "./ghl/search.js";
export type { SeedDuplicateKind } from "./ghl/seed.js";
export { DEFAULT_WEBHOOK_RETRY } from "./ghl/webhooks.js";
export { createRng, type Rng } from "./rng.js";
