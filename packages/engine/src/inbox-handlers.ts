// The use-cases per inbox source, in the shape of the worker's `InboxHandlers` (apps/worker/src/inbox-dispatch.ts):
// the worker's "inbox.process" job loads the event, calls these, and marks the event.
import type { BulkSmsMessage } from "@ghl-bulksms/bulksms";
import type { EngineDeps } from "./core/deps.js";
import { type JobContext, type JobOutcome, permanent } from "./core/outcome.js";
import { dispatchGhlEvent } from "./ghl-events/dispatch-ghl-event.js";
import { handleDeliveryReport } from "./sms-events/delivery-report.js";
import { handleInboundMessage } from "./sms-events/inbound-message.js";

/** One inbox event with its payload parsed (structurally the worker's InboxItem). */
export interface InboxItem {
  readonly inboxId: number;
  readonly source: "ghl" | "bulksms" | "ghl-workflow";
  readonly eventId: string;
  readonly eventType: string;
  readonly locationId: string | null;
  readonly payload: unknown;
  readonly receivedAt: number;
}

export interface InboxHandlers {
  ghl(item: InboxItem, context: JobContext): Promise<JobOutcome>;
  ghlWorkflow(item: InboxItem, context: JobContext): Promise<JobOutcome>;
  bulksms(item: InboxItem, context: JobContext): Promise<JobOutcome>;
}

/** The worker stores each parsed `BulkSmsMessage` (ids as strings, numbers in E.164) as the payload. */
function asBulkSmsMessage(payload: unknown): BulkSmsMessage | null {
  if (!payload || typeof payload !== "object") return null;
  const p = payload as Partial<BulkSmsMessage>;
  if (typeof p.id !== "string" || (p.type !== "SENT" && p.type !== "RECEIVED")) return null;
  return {
    id: p.id,
    type: p.type,
    from: p.from ?? null,
    to: p.to ?? null,
    body: p.body ?? null,
    encoding: p.encoding ?? null,
    status: p.status ?? null,
    submissionId: p.submissionId ?? null,
    submissionDate: p.submissionDate ?? null,
    userSuppliedId: p.userSuppliedId ?? null,
    relatedSentMessageId: p.relatedSentMessageId ?? null,
    numberOfParts: p.numberOfParts ?? null,
    creditCost: p.creditCost ?? null,
  };
}

export function createInboxHandlers(deps: EngineDeps): InboxHandlers {
  return {
    ghl: (item) => dispatchGhlEvent(deps, item.payload, `ghl:${item.eventId}`),
    ghlWorkflow: (item) => dispatchGhlEvent(deps, item.payload, `ghl-workflow:${item.eventId}`, "workflow"),
    async bulksms(item) {
      const message = asBulkSmsMessage(item.payload);
      if (!message) return permanent("invalid_bulksms_event", "stored BulkSMS event is not a message");
      const kind = message.type === "RECEIVED" ? "incoming-message" : "status-report";
      switch (kind) {
        case "incoming-message":
          return handleInboundMessage(deps, message);
        case "status-report":
          return handleDeliveryReport(deps, message);
        default: {
          const never: never = kind;
          throw new Error(`unhandled BulkSMS event ${String(never)}`);
        }
      }
    },
  };
}
