// A BulkSMS status report: monotonic status update, a note per configuration, failure/retry handling.
import type { BulkSmsMessage } from "@ghl-bulksms/bulksms";
import type { MessageStatus } from "@ghl-bulksms/store";
import { smsNotesOn } from "../core/config.js";
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { type JobOutcome, OK } from "../core/outcome.js";
import { enqueueJob } from "../jobs/catalog.js";
import { markAccountBlocked } from "../opt-out/account-block.js";
import { isExplicitOptIn, recordGatewayBlock } from "../opt-out/gateway-block.js";
import { applyOptOut } from "../opt-out/opt-out-state.js";
import { reportProviderStatus } from "../provider/provider-status.js";
import { describeFailure, onMessageFailed, onRetryDelivered } from "../sms/message-failed.js";
import { metaOf } from "../sms/queue-message.js";
import { toMessageStatus } from "../sms/send-message.js";

function wantsNote(setting: "none" | "final" | "failures" | "all", status: MessageStatus): boolean {
  switch (setting) {
    case "none":
      return false;
    case "all":
      return true;
    case "final":
      return status === "DELIVERED" || status === "FAILED";
    case "failures":
      return status === "FAILED";
    default: {
      const never: never = setting;
      throw new Error(`unknown note setting ${String(never)}`);
    }
  }
}

/** The reason kept on a message refused by a gateway block that outlived the person's re-subscribe. */
export const STILL_BLOCKED =
  "BulkSMS still blocks this number although the person re-subscribed (BulkSMS support must unblock it)";

export async function handleDeliveryReport(deps: EngineDeps, report: BulkSmsMessage): Promise<JobOutcome> {
  if (!report.status) return OK;
  const { store } = deps;
  const message =
    (await store.messages.findByProviderId(report.id)) ??
    (report.userSuppliedId ? await store.messages.get(report.userSuppliedId) : null);
  if (!message) {
    deps.logger.debug({ providerId: report.id }, "status report for a message we did not send");
    return OK;
  }
  const status = toMessageStatus(report.status.type);
  const ctx = await loadLocation(deps, message.locationId);
  const now = deps.now();
  // One transaction: the status change and every job it causes commit together (a crash re-runs all).
  await store.transaction(async (tx) => {
    // FAILED.BLOCKED for a number the person explicitly re-subscribed (START/UNSTOP or an operator) after
    // the block: BulkSMS cannot unblock, so the block is stale for consent. The opt-in wins (no opt-out, no
    // DND); the number is recorded as still blocked at the gateway instead (see gateway-block.ts).
    const stillBlocked =
      status === "FAILED" &&
      report.status?.subtype === "BLOCKED" &&
      isExplicitOptIn(await tx.optOuts.get(message.locationId, message.to));
    const r = await tx.messages.updateStatus(message.id, {
      status,
      subtype: report.status?.subtype ?? null,
      cost: report.creditCost,
      ...(stillBlocked ? { error: STILL_BLOCKED } : {}),
      at: now,
    });
    if (!r.updated || !ctx) return; // duplicate or late report: the status never moves backwards
    const updated = r.message;
    // the account blocks this number: the send gate refuses every further text to it (each is billed)
    if (status === "FAILED" && updated.subtype === "BLOCKED")
      await markAccountBlocked(tx, { phone: updated.to, evidence: "failed_blocked", at: now });
    // a provider text is in GHL's conversation thread: its status goes there (no note beside it)
    if (status === "DELIVERED" || status === "FAILED")
      await reportProviderStatus(tx, updated, {
        key: `report:${status}${updated.subtype ? `:${updated.subtype}` : ""}`,
      });
    const isProviderText = metaOf(updated).ghlMessageId !== undefined;
    if (
      updated.contactId &&
      !isProviderText &&
      smsNotesOn(ctx.policy) &&
      wantsNote(ctx.policy.notes.deliveryReports, status)
    ) {
      const meta = metaOf(updated);
      const text =
        status === "FAILED"
          ? `SMS (${meta.kind}) failed: ${stillBlocked ? STILL_BLOCKED : describeFailure(updated.subtype)}.`
          : `SMS (${meta.kind}) ${status.toLowerCase()}.`;
      const key = `note:sms-status:${updated.id}:${status}`;
      await enqueueJob(
        tx,
        "ghl.note.create",
        {
          locationId: updated.locationId,
          contactId: updated.contactId,
          key,
          body: `${text}\n\n${updated.body}`,
        },
        { key, locationId: updated.locationId },
      );
    }
    if (stillBlocked) {
      await recordGatewayBlock(tx, ctx, { phone: updated.to, messageId: updated.id, now });
      return; // the gateway-block task replaces the failure task; a retry would be refused (and billed) too
    }
    if (
      status === "FAILED" &&
      updated.subtype === "BLOCKED" &&
      metaOf(updated).purpose !== "stop-confirmation"
    ) {
      // the gateway refuses this number (it opted out there): mirror that as an opt-out and GHL DND
      await applyOptOut(tx, ctx, {
        phone: updated.to,
        source: "bulksms_blocked",
        eventKey: `failed-blocked:${updated.id}`,
        why: "BulkSMS refused a text because the number is on its blocked list",
        now,
        setGhlDnd: true,
        pushBlock: false,
        confirm: false,
      });
    }
    if (status === "FAILED") await onMessageFailed(tx, ctx, updated, describeFailure(updated.subtype), now);
    if (status === "DELIVERED") await onRetryDelivered(tx, ctx, updated);
  });
  return OK;
}
