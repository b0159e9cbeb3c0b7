// @ghl-bulksms/sandbox/testing — control surfaces and helpers for tests and the demo.
export type { ContractViolation, GhlControl, RequestLogEntry, SeedResult } from "./ghl/control.js";
export { GHL_CONTROL_ROUTES } from "./ghl/control-http.js";
export type { Membership } from "./ghl/routes.js";
export type { ContactInput } from "./ghl/contacts-store.js";
export type { SeedDuplicateKind } from "./ghl/seed.js";
export { ACCESS_TOKEN_TTL_S, ALL_SCOPES, READ_ONLY_SCOPES } from "./ghl/oauth.js";
export { DEFAULT_RATE_LIMIT } from "./ghl/rate-limit.js";
export { DEFAULT_WEBHOOK_RETRY } from "./ghl/webhooks.js";
export { MAX_PAGE_LIMIT, PAGE_MODE_MAX_RECORDS } from "./ghl/search.js";
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
export { createRng, type Rng } from "./rng.js";
export { createGhlControlClient, type GhlControlClient } from "./ghl/control-client.js";
export {
  type BulkSmsControl,
  startWebhookReceiver,
  type ReceivedRequest,
  type WebhookReceiver,
} from "./bulksms/index.js";
