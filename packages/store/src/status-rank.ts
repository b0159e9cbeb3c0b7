import type { MessageStatus } from "./types.js";

/**
 * Monotonic message status, the same rule as @ghl-bulksms/bulksms `mergeStatus`, extended with our two
 * local statuses (QUEUED before submission, CANCELLED when a queued send is withdrawn):
 *
 *   QUEUED < CANCELLED < ACCEPTED < SCHEDULED < SENT < UNKNOWN < DELIVERED = FAILED (final)
 *
 * - A higher rank replaces a lower one; a lower or equal one is ignored ("stale"/"duplicate"): BulkSMS
 *   status reports repeat and arrive out of order, so a late SENT never overwrites DELIVERED.
 * - DELIVERED wins over FAILED (a delivery receipt proves arrival); FAILED with a different subtype
 *   replaces FAILED (the newest report wins).
 * - CANCELLED is final for our own sending (it is never QUEUED again), but any gateway status replaces
 *   it, since the gateway's word about what really happened wins over ours.
 */
export const MESSAGE_STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  QUEUED: 0,
  CANCELLED: 1,
  ACCEPTED: 2,
  SCHEDULED: 3,
  SENT: 4,
  UNKNOWN: 5,
  DELIVERED: 6,
  FAILED: 6,
};

export const MESSAGE_STATUSES = Object.keys(MESSAGE_STATUS_RANK) as MessageStatus[];

/** No further sending will happen for the message. */
export function isTerminalStatus(status: MessageStatus): boolean {
  return status === "DELIVERED" || status === "FAILED" || status === "CANCELLED";
}

/** "apply", or why not: "duplicate" (same status again) or "stale" (would move backwards). */
export function compareStatus(
  current: { status: MessageStatus; subtype?: string | null },
  next: { status: MessageStatus; subtype?: string | null },
): "apply" | "duplicate" | "stale" {
  if (current.status === next.status) {
    if (current.status === "FAILED" && (current.subtype ?? null) !== (next.subtype ?? null)) return "apply";
    return "duplicate";
  }
  const a = MESSAGE_STATUS_RANK[current.status];
  const b = MESSAGE_STATUS_RANK[next.status];
  if (b > a) return "apply";
  if (a === 6 && b === 6) return next.status === "DELIVERED" ? "apply" : "stale";
  return "stale";
}
