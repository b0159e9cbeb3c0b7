// The resumable position of a reconciliation run, saved in `store.runs` (atomically with the counts).
import type { SyncRunCounts } from "@ghl-bulksms/store";

export interface ReconcileCheckpoint {
  v: 1;
  phase: "scan" | "deletes" | "done";
  /** When the scan began (the first attempt, kept across resumes): full runs retire what was not seen since. */
  scanStartedAt: number;
  /** Incremental lower bound on `dateUpdated` (epoch ms), null = every contact. */
  since: number | null;
  /** searchAfter of the last hit of the last completed page, null before the first page. */
  cursor: Array<string | number> | null;
  pages: number;
  /** Contacts of the current page already applied and committed (skipped when the page is re-read). */
  pageDone: string[];
  /** Highest GHL `dateUpdated` seen (the next incremental starts there, minus an overlap). */
  highWater: number | null;
  /** The BulkSMS blocked list was pulled into local opt-outs for this run. */
  blockedPulled: boolean;
  /** GHL requests made by this run (all attempts, across resumes). */
  requests: number;
}

export function initialCheckpoint(now: number, since: number | null): ReconcileCheckpoint {
  return {
    v: 1,
    phase: "scan",
    scanStartedAt: now,
    since,
    cursor: null,
    pages: 0,
    pageDone: [],
    highWater: null,
    blockedPulled: false,
    requests: 0,
  };
}

export function asCheckpoint(value: unknown): ReconcileCheckpoint | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Partial<ReconcileCheckpoint>;
  if (v.v !== 1 || typeof v.scanStartedAt !== "number" || !Array.isArray(v.pageDone)) return null;
  return v as ReconcileCheckpoint;
}

export function addCounts(a: SyncRunCounts, b: SyncRunCounts): SyncRunCounts {
  const conflicts: Record<string, number> = { ...a.conflicts };
  for (const [k, n] of Object.entries(b.conflicts)) conflicts[k] = (conflicts[k] ?? 0) + n;
  return {
    scanned: a.scanned + b.scanned,
    created: a.created + b.created,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    deleted: a.deleted + b.deleted,
    optOutsSynced: a.optOutsSynced + b.optOutsSynced,
    errors: a.errors + b.errors,
    conflicts,
  };
}
