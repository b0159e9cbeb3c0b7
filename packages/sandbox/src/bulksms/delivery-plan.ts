/** How long each status step takes, in sandbox-clock milliseconds. */
export interface BulkSmsDeliveryTiming {
  /** ACCEPTED -> SENT (or FAILED for blocked/test numbers). Default 1000. */
  sentAfterMs?: number;
  /** SENT -> DELIVERED/FAILED. Default 4000. */
  deliveredAfterMs?: number;
}

/** What a number's messages end as, set with control.setNumberOutcome. */
export type NumberOutcome = "DELIVERED" | "EXPIRED" | "HANDSET_ERROR" | "NOT_SENT";

export const DEFAULT_SENT_AFTER_MS = 1000;
export const DEFAULT_DELIVERED_AFTER_MS = 4000;
