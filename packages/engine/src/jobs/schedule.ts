// Periodic engine jobs. The worker's scheduler calls `enqueueDueEngineJobs` (e.g. every minute); each job
// key names its time slot, so several workers calling it at once enqueue nothing twice.
import type { EngineDeps } from "../core/deps.js";
import { enqueueJob } from "./catalog.js";

export interface EngineScheduleOptions {
  /** BulkSMS blocked numbers -> opt-outs and GHL DND, per active location. Default 15 minutes. */
  readonly pullBlockedEveryMs?: number;
  /** Unfinished vendor-write sweep. Default 5 minutes. */
  readonly sweepEveryMs?: number;
  /** How long finished jobs and processed inbox events are kept (hourly housekeeping). Default 7 days. */
  readonly retentionMs?: number;
}

/** Enqueues the engine's periodic jobs that are due; returns how many were new. */
export async function enqueueDueEngineJobs(
  deps: EngineDeps,
  options: EngineScheduleOptions & { now?: number } = {},
): Promise<number> {
  const now = options.now ?? deps.now();
  const pullEvery = options.pullBlockedEveryMs ?? 15 * 60_000;
  const sweepEvery = options.sweepEveryMs ?? 5 * 60_000;
  if (!(pullEvery >= 60_000) || !(sweepEvery >= 60_000))
    throw new RangeError("enqueueDueEngineJobs: intervals must be at least 60 000 ms");
  let n = 0;
  for (const location of await deps.store.locations.list({ activeOnly: true })) {
    const slot = Math.floor(now / pullEvery);
    if (
      await enqueueJob(
        deps.store,
        "bulksms.pull-blocked",
        { locationId: location.id },
        { key: `${location.id}:${slot}`, locationId: location.id, runAt: now },
      )
    )
      n++;
  }
  if (
    await enqueueJob(
      deps.store,
      "vendor-writes.sweep",
      {},
      {
        key: String(Math.floor(now / sweepEvery)),
        locationId: null,
        runAt: now,
      },
    )
  )
    n++;
  if (
    await enqueueJob(
      deps.store,
      "store.housekeeping",
      options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {},
      { key: String(Math.floor(now / 3_600_000)), locationId: null, runAt: now },
    )
  )
    n++;
  return n;
}
