// Job "sms.send": gate -> send (dedup id fixed for the message's life) -> markSubmitted.
import type { MessageRecord, MessageStatus } from "@ghl-bulksms/store";
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { fromBulkSmsError, type JobOutcome, OK } from "../core/outcome.js";
import { checkSendGateFresh } from "../gate/consent-view.js";
import { blockAfterConfirmationKey } from "../jobs/bulksms-writes.js";
import { enqueueJob } from "../jobs/catalog.js";
import { onMessageFailed } from "./message-failed.js";
import { type MessageMeta, metaOf } from "./queue-message.js";

export function toMessageStatus(type: string): MessageStatus {
  switch (type) {
    case "ACCEPTED":
    case "SCHEDULED":
    case "SENT":
    case "DELIVERED":
    case "FAILED":
    case "UNKNOWN":
      return type;
    default:
      return "UNKNOWN";
  }
}

function senderOf(sender: string) {
  return sender.toUpperCase() === "REPLIABLE" ? ({ type: "REPLIABLE" } as const) : sender;
}

export async function sendQueuedMessage(deps: EngineDeps, messageId: string): Promise<JobOutcome> {
  const { store } = deps;
  const message = await store.messages.get(messageId);
  if (!message) return OK; // purged
  const meta = metaOf(message);
  if (message.status !== "QUEUED") {
    // sent or cancelled: nothing to send (a crash may have come before the follow-up was enqueued)
    await afterLeftQueue(deps, message, meta);
    return OK;
  }
  // automated texts are decided on a GHL view no older than the policy's bound (re-read when older)
  const gate = await checkSendGateFresh(deps, {
    locationId: message.locationId,
    contactId: message.contactId,
    to: message.to,
    purpose: meta.purpose,
  });
  if ("block" in gate) {
    await store.messages.updateStatus(message.id, {
      status: "CANCELLED",
      error: `blocked by the send gate: ${gate.block}${gate.detail ? ` (${gate.detail})` : ""}`,
      at: deps.now(),
    });
    deps.logger.info({ messageId, reason: gate.block }, "send blocked by the gate");
    await afterLeftQueue(deps, message, meta);
    return OK;
  }
  if ("defer" in gate) {
    await store.transaction(async (tx) => {
      await tx.messages.defer(message.id, gate.defer);
      await enqueueJob(
        tx,
        "sms.send",
        { messageId },
        { key: `${messageId}:${gate.defer}`, locationId: message.locationId, runAt: gate.defer },
      );
    });
    deps.logger.info({ messageId, until: gate.defer, reason: gate.reason }, "send deferred by the gate");
    return OK;
  }
  const ctx = await loadLocation(deps, message.locationId);
  const sender = ctx?.policy.sender ?? "REPLIABLE";
  const r = await deps.sms.sendMessages({
    jobKey: message.key,
    to: [message.to],
    body: message.body,
    from: senderOf(sender),
    userSuppliedId: message.id,
    deliveryReports: "ALL",
  });
  await auditVendorWrite(deps, {
    locationId: message.locationId,
    vendor: "bulksms",
    operation: "messages.send",
    targetId: message.id,
    idempotencyKey: message.key,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: r.ok
      ? { providerIds: r.data.messages.map((m) => m.id), dedupId: message.dedupId, parts: r.data.parts }
      : { status: r.error.status, retryable: r.error.retryable, dedupId: message.dedupId },
  });
  await store.messages.recordAttempt(message.id, r.ok ? {} : { error: `${r.error.code}: ${r.error.title}` });
  if (!r.ok) {
    if (r.error.retryable) return fromBulkSmsError(r.error);
    const reason = `${r.error.title}${r.error.detail ? ` (${r.error.detail})` : ""}`;
    await store.transaction(async (tx) => {
      const failed = await tx.messages.updateStatus(message.id, {
        status: "FAILED",
        subtype: "NOT_SENT",
        error: `${r.error.code}: ${r.error.title}`,
        at: deps.now(),
      });
      if (failed.updated && ctx) await onMessageFailed(tx, ctx, failed.message, reason, deps.now());
    });
    await afterLeftQueue(deps, message, meta);
    return OK;
  }
  const first = r.data.messages[0];
  const status = first?.status ? toMessageStatus(first.status.type) : "ACCEPTED";
  const cost = r.data.messages.reduce((sum, m) => sum + (m.creditCost ?? 0), 0);
  await store.messages.markSubmitted(message.id, {
    providerIds: r.data.messages.map((m) => m.id),
    status,
    subtype: first?.status?.subtype ?? null,
    cost,
  });
  await afterLeftQueue(deps, message, meta);
  return OK;
}

/**
 * A STOP confirmation has left the queue (sent, failed or cancelled): now the number may be added to the
 * BulkSMS blocked numbers (BulkSMS refuses to text a blocked number, so the block waited for it).
 */
async function afterLeftQueue(deps: EngineDeps, message: MessageRecord, meta: MessageMeta): Promise<void> {
  if (meta.purpose !== "stop-confirmation") return;
  await enqueueJob(
    deps.store,
    "bulksms.block",
    { locationId: message.locationId, phone: message.to },
    { key: blockAfterConfirmationKey(message.key), locationId: message.locationId, priority: 20 },
  );
}
