import type { SyncRunCounts } from "./types.js";

/** Counts of a run that has done nothing yet. */
export function emptyCounts(): SyncRunCounts {
  return {
    scanned: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    optOutsSynced: 0,
    errors: 0,
    conflicts: {},
  };
}
