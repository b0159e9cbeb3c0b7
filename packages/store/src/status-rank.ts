import type { MessageStatus } from "./types.js";

/**
 * Rank of each message status. Updates only move to a higher rank; terminal statuses never change.
 * BulkSMS status reports repeat and arrive out of order, so a late SENT must not overwrite DELIVERED.
 */
export const MESSAGE_STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  QUEUED: 0,
  ACCEPTED: 10,
  SCHEDULED: 10,
  UNKNOWN: 20,
  SENT: 30,
  DELIVERED: 40,
  FAILED: 40,
  CANCELLED: 40,
};

export const MESSAGE_STATUSES = Object.keys(MESSAGE_STATUS_RANK) as MessageStatus[];

export function isTerminalStatus(status: MessageStatus): boolean {
  return MESSAGE_STATUS_RANK[status] >= 40;
}

/** "apply", or why not: "duplicate" (same status again) or "stale" (lower rank, or leaving a terminal). */
export function compareStatus(
  current: MessageStatus,
  next: MessageStatus,
): "apply" | "duplicate" | "stale" {
  if (current === next) return "duplicate";
  if (isTerminalStatus(current)) return "stale";
  return MESSAGE_STATUS_RANK[next] > MESSAGE_STATUS_RANK[current] ? "apply" : "stale";
}
