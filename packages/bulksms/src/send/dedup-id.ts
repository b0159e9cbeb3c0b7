import { createHash } from "node:crypto";

/**
 * BulkSMS `deduplication-id` (an int32 query parameter, remembered ~12 h) derived from OUR job key.
 *
 * Rule: take SHA-256 of the UTF-8 job key, read the first 4 bytes big-endian, keep the top 31 bits
 * (`>>> 1`), and map 0 to 1. The result is always in 1..2^31-1, so it is a positive int32, and the same
 * job key always gives the same id, across processes and versions. A retried request therefore carries
 * the same id and BulkSMS answers it without sending again.
 *
 * Collisions (~1 in 2^31 per pair) only matter within BulkSMS's 12 h window; keep your own idempotency
 * record as well.
 */
export function dedupIdFor(jobKey: string): number {
  if (typeof jobKey !== "string" || jobKey === "")
    throw new TypeError("dedupIdFor needs a non-empty job key");
  const digest = createHash("sha256").update(jobKey, "utf8").digest();
  const id = digest.readUInt32BE(0) >>> 1;
  return id === 0 ? 1 : id;
}

/** Dedup id of batch `index` of a send split into batches: batch 0 uses the job key itself. */
export function batchDedupId(jobKey: string, index: number): number {
  return dedupIdFor(index === 0 ? jobKey : `${jobKey}#batch${index}`);
}
