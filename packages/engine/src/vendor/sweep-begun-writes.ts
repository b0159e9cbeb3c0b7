// Sweeper for GHL note/task writes that were begun and never completed, and that no job will retry (the
// write job died in the dead letters, or ended while the location was paused). It re-enqueues the write
// job: its `vendorWrites.begin` answers "begun", so the marker lookup finds a note or task that did land
// and records it, or writes it once if it never did. Only one sweep job per write is ever pending.
//
// Writes begun by direct callers (reconciliation, merges) have no job: they are left to those callers,
// which run the same key again on their next run.
import type { EngineDeps } from "../core/deps.js";
import { type EngineJobCatalog, engineJobSchemas, enqueueJob } from "../jobs/catalog.js";

/** vendorWrites operation -> the job that performs it. */
const WRITE_JOBS = {
  "note.create": "ghl.note.create",
  "task.create": "ghl.task.create",
  // conversations/thread-message.ts: the job key is the write key
  "conversation.message": "ghl.thread.message",
} as const;
type SweptOperation = keyof typeof WRITE_JOBS;

export interface SweepBegunWritesResult {
  /** Begun writes looked at. */
  scanned: number;
  /** Write jobs enqueued again. */
  requeued: number;
  /** A job (the original or an earlier sweep's) is still queued or running. */
  pending: number;
  /** No job carries this write (a direct caller owns it), or its payload is no longer valid. */
  skipped: number;
}

function sweepSettingKey(writeKey: string): string {
  return `engine:vendor-write-sweep:${writeKey}`;
}

function isLive(state: string | undefined): boolean {
  return state === "queued" || state === "running";
}

/**
 * Re-enqueues the job of every GHL note/task write begun more than `olderThanMs` ago (default 15 min)
 * and never completed, when no job for it is queued or running. Safe to call from several workers.
 */
export async function sweepBegunVendorWrites(
  deps: EngineDeps,
  options: { olderThanMs?: number; limit?: number; now?: number } = {},
): Promise<SweepBegunWritesResult> {
  const now = options.now ?? deps.now();
  const { store } = deps;
  const result: SweepBegunWritesResult = { scanned: 0, requeued: 0, pending: 0, skipped: 0 };
  const begun = await store.vendorWrites.listBegun({
    before: now - (options.olderThanMs ?? 15 * 60_000),
    limit: options.limit ?? 200,
    operations: Object.keys(WRITE_JOBS),
  });
  for (const write of begun) {
    if (write.vendor !== "ghl" || !(write.operation in WRITE_JOBS)) continue;
    result.scanned++;
    const name = WRITE_JOBS[write.operation as SweptOperation];
    const original = await store.jobs.getByKey(`${name}:${write.key}`);
    if (!original) {
      result.skipped++;
      continue;
    }
    const lastSweepKey = await store.settings.get<string>(sweepSettingKey(write.key));
    const lastSweep = lastSweepKey ? await store.jobs.getByKey(lastSweepKey) : null;
    if (isLive(original.state) || isLive(lastSweep?.state)) {
      result.pending++;
      continue;
    }
    const payload = engineJobSchemas[name].safeParse(original.payload);
    if (!payload.success) {
      result.skipped++;
      deps.logger.warn({ key: write.key, job: original.id }, "sweep: write job payload is no longer valid");
      continue;
    }
    // `attempts` grows with every begin, so a sweep job that itself died gets a successor next time
    const sweepKey = `${write.key}:sweep:${write.attempts}`;
    const enqueued = await store.transaction(async (tx) => {
      const ok = await enqueueJob(tx, name, payload.data as EngineJobCatalog[typeof name], {
        key: sweepKey,
        locationId: original.locationId,
        runAt: now,
      });
      if (ok) await tx.settings.set(sweepSettingKey(write.key), `${name}:${sweepKey}`);
      return ok;
    });
    if (enqueued) {
      result.requeued++;
      deps.logger.info({ key: write.key, job: name }, "sweep: re-enqueued an unfinished vendor write");
    } else result.skipped++;
  }
  return result;
}
