// Submitting a sealed batch: ONE POST /messages carrying every member's text, under the batch's own
// deduplication id. The request is rebuilt from the persisted membership (members by contact id, bodies
// from their message rows), so every attempt, in this process or after a crash, is identical: BulkSMS
// answers a repeat with the first reply and sends nothing twice. The answer is recorded per message.
import type { BatchMessage, BulkSmsMessage } from "@ghl-bulksms/bulksms";
import type { Campaign, CampaignBatch, CampaignRecipient, MessageRecord } from "@ghl-bulksms/store";
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { enqueueJob } from "../jobs/catalog.js";
import { toMessageStatus } from "../sms/send-message.js";
import type { CampaignOptions } from "./campaign-spec.js";

export interface BatchMembers {
  readonly recipients: CampaignRecipient[];
  readonly messages: MessageRecord[];
}

/** The batch's members in their fixed order (contact id) with their message rows. */
export async function loadBatchMembers(deps: EngineDeps, batch: CampaignBatch): Promise<BatchMembers> {
  const recipients: CampaignRecipient[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await deps.store.campaigns.listRecipients(batch.campaignId, {
      batchSeq: batch.seq,
      limit: 1000,
      ...(after !== undefined ? { afterContactId: after } : {}),
    });
    recipients.push(...page);
    if (page.length < 1000) break;
    after = page[page.length - 1]?.contactId;
  }
  const messages: MessageRecord[] = [];
  for (const r of recipients) {
    const m = r.messageId ? await deps.store.messages.get(r.messageId) : null;
    if (!m) throw new Error(`campaign ${batch.campaignId} batch ${batch.seq}: member without its message`);
    messages.push(m);
  }
  return { recipients, messages };
}

function senderOf(sender: string) {
  return sender.toUpperCase() === "REPLIABLE" ? ({ type: "REPLIABLE" } as const) : sender;
}

export type SubmitResult =
  | { readonly ok: true; readonly accepted: number }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      readonly code: string;
      readonly message: string;
      readonly retryAfterMs?: number;
    };

export async function submitSealedBatch(
  deps: EngineDeps,
  ctx: LocationContext,
  campaign: Campaign,
  options: CampaignOptions,
  batch: CampaignBatch,
): Promise<SubmitResult> {
  const { recipients, messages } = await loadBatchMembers(deps, batch);
  const batchMessages: BatchMessage[] = messages.map((m) => ({
    to: m.to,
    body: m.body,
    userSuppliedId: m.id,
  }));
  // counted before the request: a crash from here on leaves the batch "in doubt", never forgotten
  await deps.store.campaigns.updateBatch(campaign.id, batch.seq, { attempts: batch.attempts + 1 });
  const r = await deps.sms.submitBatch({
    deduplicationId: batch.dedupId,
    messages: batchMessages,
    from: senderOf(ctx.policy.sender ?? "REPLIABLE"),
    longMessageMaxParts: options.maxParts,
    deliveryReports: "ALL",
  });
  await auditVendorWrite(deps, {
    locationId: campaign.locationId,
    vendor: "bulksms",
    operation: "messages.send-batch",
    targetId: `${campaign.id}#${batch.seq}`,
    idempotencyKey: `campaign:${campaign.id}:batch:${batch.seq}`,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: r.ok
      ? { dedupId: batch.dedupId, size: batchMessages.length, accepted: r.data.length }
      : { dedupId: batch.dedupId, status: r.error.status, retryable: r.error.retryable },
  });
  if (!r.ok) {
    const message = `${r.error.code}: ${r.error.title}${r.error.detail ? ` (${r.error.detail})` : ""}`;
    await deps.store.campaigns.updateBatch(campaign.id, batch.seq, {
      error: r.error.retryable ? `retrying: ${message}` : `refused: ${message}`,
    });
    return {
      ok: false,
      retryable: r.error.retryable,
      code: `bulksms_${r.error.code}`,
      message,
      ...(r.error.retryAfterMs !== undefined ? { retryAfterMs: r.error.retryAfterMs } : {}),
    };
  }
  const byUsid = new Map<string, BulkSmsMessage>();
  for (const m of r.data) if (m.userSuppliedId) byUsid.set(m.userSuppliedId, m);
  const at = deps.now();
  await deps.store.transaction(async (tx) => {
    for (const [i, message] of messages.entries()) {
      // matched by our id; a reply without userSuppliedIds follows the request's order
      const answer = byUsid.get(message.id) ?? (byUsid.size === 0 ? r.data[i] : undefined);
      await tx.messages.markSubmitted(message.id, {
        providerIds: answer ? [answer.id] : [],
        status: answer?.status ? toMessageStatus(answer.status.type) : "ACCEPTED",
        subtype: answer?.status?.subtype ?? null,
        cost: answer?.creditCost ?? null,
      });
    }
    await tx.campaigns.updateRecipients(
      campaign.id,
      recipients.map((rc) => ({ contactId: rc.contactId, state: "sent" as const })),
    );
    await tx.campaigns.updateBatch(campaign.id, batch.seq, {
      state: "submitted",
      submittedAt: at,
      error: null,
    });
    for (const rc of recipients) {
      if (options.tag)
        await enqueueJob(
          tx,
          "ghl.tags.add",
          { locationId: campaign.locationId, contactId: rc.contactId, tags: [options.tag] },
          { key: `campaign:${campaign.id}:${rc.contactId}`, locationId: campaign.locationId, priority: -10 },
        );
      if (options.note) {
        const key = `campaign-note:${campaign.id}:${rc.contactId}`;
        await enqueueJob(
          tx,
          "ghl.note.create",
          {
            locationId: campaign.locationId,
            contactId: rc.contactId,
            key,
            body: `SMS campaign "${campaign.name}" sent (${campaign.id}).`,
            priority: "background",
          },
          { key, locationId: campaign.locationId, priority: -10 },
        );
      }
    }
  });
  return { ok: true, accepted: r.data.length };
}
