// The `inbox.process` job: loads one inbox event and hands it to the engine's use-case for its source.
// The engine implements `InboxHandlers`; the worker owns loading, routing and marking the event.
import type { InboxEvent, Store } from "@ghl-bulksms/store";
import type { WorkerJobCatalog } from "./jobs.js";
import { inboxProcessPayload } from "./jobs.js";
import type { EventSource, JobContext, JobDefinition, JobOutcome } from "./ports.js";

/** One inbox event, its payload parsed. */
export interface InboxItem {
  readonly inboxId: number;
  readonly source: EventSource;
  readonly eventId: string;
  readonly eventType: string;
  readonly locationId: string | null;
  readonly payload: unknown;
  readonly receivedAt: number;
}

/**
 * What the engine provides, one use-case entry per event source. Each returns a JobOutcome; a retryable
 * error leaves the event pending and the job retries; a permanent one marks the event failed.
 */
export interface InboxHandlers {
  /** marketplace webhooks (Contact*, INSTALL/UNINSTALL, InboundMessage, ...), payload = raw GHL JSON */
  ghl(item: InboxItem, context: JobContext): Promise<JobOutcome>;
  /** workflow webhooks, payload = ContactEvent (see workflow-event.ts) */
  ghlWorkflow(item: InboxItem, context: JobContext): Promise<JobOutcome>;
  /** BulkSMS status reports and incoming messages, payload = one parsed BulkSmsMessage */
  bulksms(item: InboxItem, context: JobContext): Promise<JobOutcome>;
}

function isSource(s: string): s is EventSource {
  return s === "ghl" || s === "bulksms" || s === "ghl-workflow";
}

function route(handlers: InboxHandlers, item: InboxItem, context: JobContext): Promise<JobOutcome> {
  const source = item.source;
  switch (source) {
    case "ghl":
      return handlers.ghl(item, context);
    case "ghl-workflow":
      return handlers.ghlWorkflow(item, context);
    case "bulksms":
      return handlers.bulksms(item, context);
    default: {
      const unreachable: never = source;
      throw new Error(`unhandled event source ${String(unreachable)}`);
    }
  }
}

export function toInboxItem(row: InboxEvent): InboxItem | { error: string } {
  if (!isSource(row.source)) return { error: `unknown event source "${row.source}"` };
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    return { error: "stored payload is not JSON" };
  }
  return {
    inboxId: row.id,
    source: row.source,
    eventId: row.eventId,
    eventType: row.eventType ?? "unknown",
    locationId: row.locationId,
    payload,
    receivedAt: row.receivedAt,
  };
}

/** The `inbox.process` job definition. */
/** Status type of a processed BulkSMS status report ("DELIVERED", "FAILED", ...), for the sends metric. */
export function statusTypeOf(item: InboxItem): string | null {
  if (item.source !== "bulksms" || item.eventType !== "bulksms.status-report") return null;
  const status = (item.payload as { status?: { type?: unknown } } | null)?.status;
  return typeof status?.type === "string" ? status.type : null;
}

export function inboxProcessJob(
  store: Pick<Store, "inbox">,
  handlers: InboxHandlers,
  hooks: { onProcessed?: (item: InboxItem) => void } = {},
): JobDefinition<WorkerJobCatalog["inbox.process"]> {
  return {
    schema: inboxProcessPayload,
    async handler({ inboxId }, context) {
      const row = await store.inbox.get(inboxId);
      if (row === null) return { ok: true }; // purged: nothing left to do
      if (row.status === "processed") return { ok: true }; // finished before a crash lost the job's ack
      const item = toInboxItem(row);
      if ("error" in item) {
        await store.inbox.markFailed(inboxId, item.error);
        return { ok: false, error: { code: "bad_inbox_event", message: item.error, retryable: false } };
      }
      const outcome = await route(handlers, item, context);
      if (context.signal.aborted) {
        // shutdown gave up on this job and released it: leave the event pending for the next claim
        return { ok: false, error: { code: "aborted", message: "worker shutting down", retryable: true } };
      }
      if (outcome.ok) {
        await store.inbox.markProcessed(inboxId);
        hooks.onProcessed?.(item);
      } else if (!outcome.error.retryable || context.finalAttempt)
        await store.inbox.markFailed(inboxId, `${outcome.error.code}: ${outcome.error.message}`);
      return outcome;
    },
  };
}
