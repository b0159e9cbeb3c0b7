import type { MessageStatus, StatusType } from "./message-status.js";

/**
 * Monotonic status rule, for reports that arrive late, twice or out of order (BulkSMS webhooks do all three):
 *
 *   ACCEPTED < SCHEDULED < SENT < UNKNOWN < DELIVERED = FAILED (final)
 *
 * 1. A status of higher rank replaces a lower one; a lower-ranked one is ignored
 *    (a late SENT never overwrites DELIVERED or FAILED).
 * 2. Same non-final rank: the current status is kept (duplicates are no-ops).
 * 3. Both final: DELIVERED wins over FAILED. A handset delivery receipt is proof the message arrived, and a
 *    FAILED that is received in either order beside it is a stale report for an earlier attempt.
 *    FAILED vs FAILED with a different subtype: the report received later wins (it is the newest
 *    information we have; v1 messages carry no status timestamp to order them otherwise).
 *
 * Returns the status to keep: `current` itself (same reference) when nothing changes.
 */
const RANK: Record<StatusType, number> = {
  ACCEPTED: 0,
  SCHEDULED: 1,
  SENT: 2,
  UNKNOWN: 3,
  DELIVERED: 4,
  FAILED: 4,
};

export function mergeStatus(current: MessageStatus | undefined, incoming: MessageStatus): MessageStatus {
  if (current === undefined) return incoming;
  const a = RANK[current.type];
  const b = RANK[incoming.type];
  if (b > a) return incoming;
  if (b < a) return current;
  if (a < 4) return current;
  if (current.type === "DELIVERED") return current;
  if (incoming.type === "DELIVERED") return incoming;
  return current.id === incoming.id ? current : incoming;
}
