export type { BulkSmsDeliveryTiming, NumberOutcome } from "./delivery-plan.js";
export type { BulkSmsEncoding } from "./encoding.js";
export { countParts, encodeBody } from "./encoding.js";
export type { BulkSmsFaults } from "./faults.js";
export type { BulkSmsProblem } from "./problem.js";
export {
  type BulkSmsControl,
  type BulkSmsSimulator,
  type BulkSmsSimulatorOptions,
  DEFAULT_BULKSMS_CREDENTIAL,
  startBulkSmsSimulator,
} from "./simulator.js";
export { DEDUP_WINDOW_MS, DEFAULT_STOP_WORDS } from "./simulator-state.js";
export type {
  BulkSmsCredential,
  BulkSmsFailureSubtype,
  BulkSmsMessage,
  BulkSmsStatusType,
  BulkSmsWebhook,
  DeliveryLogEntry,
  DeliveryOutcome,
  SentMessageRecord,
} from "./types.js";
export { RETRY_DELAYS_MS, RETRY_EVERY_MS, RETRY_WINDOW_MS } from "./webhook-dispatcher.js";
export { type ReceivedRequest, startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";
