/**
 * The BulkSMS simulator: a stateful look-alike of the BulkSMS.com JSON REST API v1 on 127.0.0.1.
 *
 * - API under `${origin}/v1` (also without `/v1`): POST/GET /messages, GET /messages/send,
 *   GET /messages/{id}, GET /messages/{id}/relatedReceivedMessages, GET /profile, GET/POST /blocked-numbers,
 *   GET/POST /webhooks, GET/POST/DELETE /webhooks/{id}. Basic auth with a configured token; problem-details
 *   errors; request bodies validated against specs/bulksms/openapi.yaml.
 * - Status: ACCEPTED -> SENT (timing.sentAfterMs, default 1 s) -> DELIVERED (timing.deliveredAfterMs,
 *   default 4 s) on the sandbox clock. Blocked numbers (at submit) -> FAILED.BLOCKED, still charged. The test
 *   number: digits `1111111`, or a 1–3 digit country code + `1111111` (e.g. +441111111) -> FAILED.NOT_SENT,
 *   free. control.setNumberOutcome(number, "EXPIRED" | "HANDSET_ERROR" | "NOT_SENT") makes others fail.
 * - Control routes (no auth, no faults) under `${origin}/__sandbox/`: POST reply {from, body, to?},
 *   GET sent, GET messages?status=&type=, GET deliveries, POST credits {credits, tokenId?},
 *   POST blocked {numbers, tokenId?}, POST faults {patch}, POST outcome {number, outcome},
 *   POST advance {ms}, POST settle, POST reset.
 */

export { type BulkSmsControlClient, createBulkSmsControlClient } from "./control-client.js";
export type { BulkSmsDeliveryTiming, NumberOutcome } from "./delivery-plan.js";
export type { BulkSmsEncoding } from "./encoding.js";
export { countParts, encodeBody } from "./encoding.js";
export { applyFaultPatch, type BulkSmsFaults } from "./faults.js";
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
