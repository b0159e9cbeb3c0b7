// Job "store.housekeeping": finished jobs and processed inbox events are kept for a while (their keys
// deduplicate redelivered webhooks and re-enqueued jobs) and then deleted so the store does not grow for
// ever. Messages, opt-outs, the vendor-write ledger and the audit log are never purged here.
import type { EngineDeps } from "../core/deps.js";
import { type JobOutcome, OK } from "../core/outcome.js";
import type { EngineJobCatalog } from "./catalog.js";

export const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;

export async function runHousekeeping(
  deps: EngineDeps,
  p: EngineJobCatalog["store.housekeeping"],
): Promise<JobOutcome> {
  const before = deps.now() - (p.retentionMs ?? DEFAULT_RETENTION_MS);
  const jobs = await deps.store.jobs.purgeDone(before);
  const inbox = await deps.store.inbox.purgeProcessed(before);
  if (jobs > 0 || inbox > 0) deps.logger.info({ jobs, inbox }, "housekeeping: purged finished work");
  return OK;
}
