import type { BulkSmsEncoding } from "./encoding.js";

export type BulkSmsStatusType = "ACCEPTED" | "SCHEDULED" | "SENT" | "DELIVERED" | "UNKNOWN" | "FAILED";
export type BulkSmsFailureSubtype = "EXPIRED" | "HANDSET_ERROR" | "BLOCKED" | "NOT_SENT";

/** A Message exactly as the API returns it (flat v1 shape; numbers without `+`; ids as strings). */
export interface BulkSmsMessage {
  id: string;
  type: "SENT" | "RECEIVED";
  from: string;
  to: string;
  body: string;
  encoding: BulkSmsEncoding;
  protocolId: number;
  messageClass: number;
  numberOfParts: number | null;
  creditCost: number | null;
  submission: { id: string; date: string };
  status: { id: string; type: BulkSmsStatusType; subtype: BulkSmsFailureSubtype | null };
  relatedSentMessageId: string | null;
  userSuppliedId: string | null;
}

/** One entry of the send log: a message the simulator actually sent (dedup repeats add nothing). */
export interface SentMessageRecord {
  id: string;
  /** Token id of the account that sent it. */
  account: string;
  to: string;
  from: string;
  /** The body as sent (after `?` replacement when not auto-unicode). */
  body: string;
  encoding: BulkSmsEncoding;
  parts: number;
  cost: number;
  deduplicationId: number | null;
  userSuppliedId: string | null;
  submissionId: string;
  /** Virtual epoch ms of the submit. */
  at: number;
}

export type DeliveryOutcome =
  | "delivered"
  | "retry-scheduled"
  | "dropped-4xx"
  | "gave-up"
  | "dropped-by-fault"
  | "duplicate"
  | "test-ok"
  | "test-failed";

/** One webhook HTTP attempt (or a fault that suppressed one). */
export interface DeliveryLogEntry {
  deliveryId: string;
  webhookId: number;
  url: string;
  event: "status-report" | "incoming-message" | "test";
  attempt: number;
  /** Virtual epoch ms when the attempt was made. */
  at: number;
  messageIds: string[];
  /** The message status ids carried (same order as messageIds). */
  statusIds: string[];
  httpStatus: number | null;
  error: string | null;
  outcome: DeliveryOutcome;
  /** Virtual epoch ms of the next attempt when outcome is retry-scheduled. */
  nextAttemptAt: number | null;
}

export interface BulkSmsWebhook {
  id: number;
  name: string;
  url: string;
  triggerScope: "SENT" | "RECEIVED";
  active: boolean;
  /** Null inside the simulator; left out of API responses when not set. */
  contactEmailAddress: string | null;
  invokeOption: "ONE" | "MANY";
  onWebApp: boolean;
}

export interface BulkSmsCredential {
  tokenId: string;
  tokenSecret: string;
  credits: number;
}
