// @ghl-bulksms/sandbox — stateful local simulators of the GHL and BulkSMS APIs.

export {
  type BulkSmsControl,
  type BulkSmsSimulator,
  type BulkSmsSimulatorOptions,
  DEFAULT_BULKSMS_CREDENTIAL,
  startBulkSmsSimulator,
} from "./bulksms/index.js";
export { createSandboxClock, type SandboxClock, type SandboxClockOptions } from "./clock.js";
export { type FaultConfig, parseFaultSpec } from "./faults.js";
export type { ProviderMessageOptions } from "./ghl/control.js";
export type { RateLimitConfig } from "./ghl/rate-limit.js";
export {
  ACCEPTED_VERSIONS,
  type GhlLocationOption,
  type GhlSandboxTokens,
  type GhlSimulator,
  type GhlSimulatorOptions,
  startGhlSimulator,
} from "./ghl/simulator.js";
export type {
  GhlContact,
  GhlConversationProvider,
  GhlLocation,
  GhlMessage,
  GhlNote,
  GhlStatusUpdate,
  GhlTask,
} from "./ghl/types.js";
export type {
  WebhookDelivery,
  WebhookKeys,
  WebhookRetryPolicy,
  WebhookSigningOptions,
} from "./ghl/webhooks.js";
export { registerBulkSmsWebhooks, type Sandbox, type SandboxOptions, startSandbox } from "./sandbox.js";
