// Ingestor over @ghl-bulksms/store: each event's inbox row and the job that processes it commit in one
// transaction, so an acknowledged event is never lost and never processed twice.
import type { Store } from "@ghl-bulksms/store";
import { INBOX_PROCESS_JOB } from "../jobs.js";
import type { IncomingEvent, Ingestor, IngestResult } from "../ports.js";

export interface StoreIngestorOptions {
  readonly now?: () => number;
}

/** SQLITE_BUSY / SQLITE_LOCKED: another writer holds the lock beyond the busy timeout. */
export function isBusyError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

export function createStoreIngestor(store: Store, options: StoreIngestorOptions = {}): Ingestor {
  const now = options.now ?? store.now;
  return {
    async ingest(events: readonly IncomingEvent[]): Promise<IngestResult> {
      try {
        return await store.transaction(async (tx) => {
          let inserted = 0;
          let duplicates = 0;
          for (const e of events) {
            const r = await tx.inbox.insert({
              source: e.source,
              eventId: e.eventId,
              eventType: e.eventType,
              locationId: e.locationId,
              payload: e.payload,
              receivedAt: e.receivedAt,
            });
            if (!r.inserted) {
              duplicates++;
              continue;
            }
            inserted++;
            await tx.jobs.enqueue({
              name: INBOX_PROCESS_JOB,
              key: `inbox:${r.id}`,
              payload: { inboxId: r.id },
              locationId: e.locationId,
              runAt: e.receivedAt,
            });
          }
          return { ok: true as const, inserted, duplicates };
        });
      } catch (e) {
        return {
          ok: false,
          error: {
            code: isBusyError(e) ? "busy" : "unavailable",
            message: (e as Error)?.message ?? String(e),
          },
        };
      }
    },
    async backlog() {
      const lag = await store.inbox.lag(now());
      return { pending: lag.pending, lagMs: lag.lagMs };
    },
  };
}
