// Job "sms.send": gate -> send (dedup id fixed for the message's life) -> markSubmitted.
import type { MessageRecord, MessageStatus, Repositories, StoreTx } from "@ghl-bulksms/store";
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { fromBulkSmsError, type JobContext, type JobOutcome, OK } from "../core/outcome.js";
import { checkSendGateFresh } from "../gate/consent-view.js";
import {
  DECISION_REASONS,
  type DecisionInput,
  gateDecision,
  recordDecision,
} from "../gate/record-decision.js";
import { blockAfterConfirmationKey } from "../jobs/bulksms-writes.js";
import { enqueueJob } from "../jobs/catalog.js";
import {
  blockedReason,
  deferredReason,
  type ReasonContext,
  reasonContext,
} from "../provider/provider-reasons.js";
import { reportProviderStatus } from "../provider/provider-status.js";
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

export async function sendQueuedMessage(
  deps: EngineDeps,
  messageId: string,
  context?: Pick<JobContext, "finalAttempt" | "attempt">,
): Promise<JobOutcome> {
  const { store } = deps;
  const message = await store.messages.get(messageId);
  if (!message) return OK; // purged
  const meta = metaOf(message);
  if (message.status !== "QUEUED") {
    // sent or cancelled: nothing to send (a crash may have come before the follow-up was enqueued)
    if (message.status === "CANCELLED") {
      await decideCancelled(deps, message, meta);
      // cancelled outside this job (an opt-out, a delete, a merge): GHL learns why
      if (meta.ghlMessageId) await reportCancelled(deps, message);
    }
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
  const verdict = gateDecision(gate);
  if ("block" in gate) {
    await store.transaction(async (tx) => {
      const cancelled = await tx.messages.updateStatus(message.id, {
        status: "CANCELLED",
        error: `blocked by the send gate: ${gate.block}${gate.detail ? ` (${gate.detail})` : ""}`,
        at: deps.now(),
      });
      if (verdict) await decideMessage(deps, tx, message, meta, { ...verdict, key: "blocked" });
      // also when something else cancelled it a moment ago (the fresh GHL read found DND and opted out)
      const current = "message" in cancelled ? cancelled.message : null;
      if (current?.status === "CANCELLED" && meta.ghlMessageId) {
        const why = await providerReasonContext(tx, message);
        await reportProviderStatus(tx, current, {
          key: "blocked",
          reason: await blockedReason(tx, message.locationId, why, gate),
        });
      }
    });
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
      if (verdict)
        await decideMessage(deps, tx, message, meta, { ...verdict, key: `deferred:${gate.defer}` });
      if (meta.ghlMessageId) {
        const why = await providerReasonContext(tx, message);
        await reportProviderStatus(
          tx,
          { ...message, sendAfter: gate.defer },
          { key: `deferred:${gate.defer}`, reason: deferredReason(why, gate) },
        );
      }
    });
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
    // a provider text is not left pending in GHL for ever: on the last attempt it fails with the reason
    const giveUp = meta.ghlMessageId !== undefined && context?.finalAttempt === true;
    if (r.error.retryable && !giveUp) return fromBulkSmsError(r.error);
    const reason = r.error.retryable
      ? `BulkSMS did not accept it after ${context?.attempt ?? 1} attempts (${r.error.title})`
      : `${r.error.title}${r.error.detail ? ` (${r.error.detail})` : ""}`;
    await store.transaction(async (tx) => {
      const failed = await tx.messages.updateStatus(message.id, {
        status: "FAILED",
        subtype: "NOT_SENT",
        error: `${r.error.code}: ${r.error.title}`,
        at: deps.now(),
      });
      if (failed.updated && ctx) await onMessageFailed(tx, ctx, failed.message, reason, deps.now());
      if (failed.updated)
        await reportProviderStatus(tx, failed.message, {
          key: "refused",
          reason: { code: `bulksms_${r.error.code}`, message: `Not sent: ${reason}` },
        });
      await decideMessage(deps, tx, message, meta, {
        decision: "blocked",
        reason: DECISION_REASONS.gatewayRefused,
        detail: { error: r.error.code, status: r.error.status ?? null },
        key: "refused",
      });
    });
    await afterLeftQueue(deps, message, meta);
    return OK;
  }
  const first = r.data.messages[0];
  const status = first?.status ? toMessageStatus(first.status.type) : "ACCEPTED";
  const cost = r.data.messages.reduce((sum, m) => sum + (m.creditCost ?? 0), 0);
  await store.transaction(async (tx) => {
    const submitted = await tx.messages.markSubmitted(message.id, {
      providerIds: r.data.messages.map((m) => m.id),
      status,
      subtype: first?.status?.subtype ?? null,
      cost,
    });
    await decideMessage(deps, tx, message, meta, {
      decision: "sent",
      reason: DECISION_REASONS.sent,
      key: "sent",
    });
    if (submitted.updated) await reportProviderStatus(tx, submitted.message, { key: "submitted" });
    if (ctx) await recordSentInThread(tx, ctx, message, deps.now());
  });
  await afterLeftQueue(deps, message, meta);
  return OK;
}

/** A provider text cancelled outside the send job: "failed" in GHL, with who opted out when. */
async function reportCancelled(deps: EngineDeps, message: MessageRecord): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const optedOut = /^opted out/.test(message.error ?? "");
    const reason = optedOut
      ? await blockedReason(tx, message.locationId, await providerReasonContext(tx, message), {
          block: "opted_out",
        })
      : undefined;
    await reportProviderStatus(tx, message, { key: "cancelled", ...(reason ? { reason } : {}) });
  });
}

/** What a provider text's reason is written from (its location's time zone, its contact). */
async function providerReasonContext(tx: StoreTx, message: MessageRecord): Promise<ReasonContext> {
  const location = await tx.locations.get(message.locationId);
  if (!location) return { location: { timezone: "UTC" }, contact: null, to: message.to };
  return reasonContext(tx, {
    location,
    locationId: message.locationId,
    contactId: message.contactId,
    to: message.to,
  });
}

/**
 * Thread mode: a text we sent (welcome, follow-up, confirmation, reply) is recorded in the contact's GHL
 * conversation once BulkSMS took it. A text GHL itself asked us to send (provider mode: its meta carries
 * `ghlMessageId`) is in the conversation already and is not recorded again.
 */
async function recordSentInThread(
  tx: Pick<Repositories, "jobs">,
  ctx: LocationContext,
  message: MessageRecord,
  now: number,
): Promise<void> {
  if (!ctx.policy.conversations.thread || !message.contactId) return;
  const meta = message.meta as { ghlMessageId?: unknown } | null;
  if (typeof meta?.ghlMessageId === "string") return;
  const key = `thread:out:${message.id}`;
  await enqueueJob(
    tx,
    "ghl.thread.message",
    {
      locationId: message.locationId,
      contactId: message.contactId,
      key,
      direction: "outbound",
      body: message.body,
      date: new Date(now).toISOString(),
      altId: message.id,
      // a record of a text already sent: leaves the realtime share of the GHL budget to replies and sends
      priority: "background",
    },
    { key, locationId: message.locationId },
  );
}

/** Records what became of a queued message (once per message and decision). */
function decideMessage(
  deps: EngineDeps,
  repos: Pick<Repositories, "decisions">,
  message: MessageRecord,
  meta: MessageMeta,
  input: Pick<DecisionInput, "decision" | "reason" | "until" | "detail"> & { key: string },
): Promise<boolean> {
  return recordDecision(deps, repos, {
    ...input,
    key: `${message.id}:${input.key}`,
    locationId: message.locationId,
    contactId: message.contactId,
    phone: message.to,
    purpose: meta.purpose,
    kind: meta.kind,
    messageKey: message.key,
    messageId: message.id,
  });
}

/**
 * Reason codes of the cancellations made outside the send job (an opt-out, a GHL delete, a merge, an
 * uninstall cancel the person's pending texts), read from the message's error.
 */
const CANCEL_REASONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^opted out/, "opted_out"],
  [/^contact deleted/, "contact_deleted"],
  [/^merged into/, "merged"],
  [/^app uninstalled/, "location_inactive"],
];

/** A message cancelled before its send job ran: recorded once, at the time it was cancelled. */
async function decideCancelled(deps: EngineDeps, message: MessageRecord, meta: MessageMeta): Promise<void> {
  const error = message.error ?? "";
  if (error.startsWith("blocked by the send gate")) return; // recorded by the gate check that cancelled it
  const reason = CANCEL_REASONS.find(([re]) => re.test(error))?.[1] ?? "cancelled";
  await recordDecision(deps, deps.store, {
    key: `${message.id}:cancelled`,
    at: message.statusAt,
    locationId: message.locationId,
    contactId: message.contactId,
    phone: message.to,
    purpose: meta.purpose,
    kind: meta.kind,
    decision: "blocked",
    reason,
    messageKey: message.key,
    messageId: message.id,
  });
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
