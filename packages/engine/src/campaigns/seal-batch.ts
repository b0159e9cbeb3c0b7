// Sealing a batch: the due recipients are gated once more just before the first submit (a STOP, a DND or a
// block that arrived since the audience was resolved removes them here), their texts are rendered into
// message rows, and the batch's exact membership and deduplication id are persisted in ONE transaction.
// From then on the batch is only ever submitted identically (same members, same order, same bodies, same
// deduplication id); nothing about it is decided again.
import { dedupIdFor } from "@ghl-bulksms/bulksms";
import type { Campaign, CampaignBatch, CampaignRecipient, CampaignRecipientUpdate } from "@ghl-bulksms/store";
import { parseTemplate } from "@ghl-bulksms/sync";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { refreshConsentViews } from "../gate/consent-view.js";
import { isConsentViewFresh } from "../gate/send-gate.js";
import { readAudience } from "./campaign-spec.js";
import { type Classified, classifyRecipient } from "./classify-recipient.js";
import { recordCampaignExclusion } from "./record-exclusion.js";
import { resolveAudience } from "./resolve-audience.js";

/** Up to this many stale views are re-read one by one; more re-run the segment's search pages. */
const PER_CONTACT_REFRESH_MAX = 20;

export function batchDedupIdOf(campaignId: string, seq: number): number {
  return dedupIdFor(`campaign:${campaignId}:batch:${seq}`);
}

export function messageKeyOf(campaignId: string, contactId: string): string {
  return `campaign:${campaignId}:${contactId}`;
}

export type SealResult =
  | { readonly sealed: CampaignBatch }
  | { readonly sealed: null; readonly excluded: number; readonly deferred: number }
  | { readonly error: string; readonly retryAfterMs?: number };

/**
 * Makes every due recipient's consent view fresh: a few stale ones are re-read from GHL one by one, many
 * re-run the segment search (pages); a due recipient the segment no longer returns has left it.
 */
async function freshen(
  deps: EngineDeps,
  ctx: LocationContext,
  campaign: Campaign,
  due: readonly CampaignRecipient[],
  at: number,
): Promise<{ left: Set<string> } | { error: string; retryAfterMs?: number }> {
  const maxAgeMs = ctx.policy.consent.maxAgeMs;
  const stale: string[] = [];
  for (const r of due) {
    const c = await deps.store.contacts.get(campaign.locationId, r.contactId);
    if (c && !isConsentViewFresh(c, maxAgeMs, at)) stale.push(r.contactId);
  }
  if (stale.length === 0) return { left: new Set() };
  if (stale.length <= PER_CONTACT_REFRESH_MAX) {
    await refreshConsentViews(deps, campaign.locationId, stale, { at });
    return { left: new Set() };
  }
  const inSegment = new Set<string>();
  const r = await resolveAudience(deps, ctx, readAudience(campaign.audience), async (members) => {
    for (const m of members) inSegment.add(m.contactId);
  });
  if (!r.ok)
    return { error: r.error, ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}) };
  return { left: new Set(due.filter((d) => !inSegment.has(d.contactId)).map((d) => d.contactId)) };
}

/** Excluded and deferred recipients are written at once, so the next look at the due ones skips them. */
async function settleOthers(
  deps: EngineDeps,
  campaign: Pick<Campaign, "id" | "locationId">,
  verdicts: ReadonlyArray<{ r: CampaignRecipient; c: Classified | "left" }>,
  at: number,
): Promise<{ excluded: number; deferred: number }> {
  const updates: CampaignRecipientUpdate[] = [];
  let excluded = 0;
  let deferred = 0;
  for (const { r, c } of verdicts) {
    if (c === "left") {
      excluded++;
      updates.push({ contactId: r.contactId, state: "excluded", reason: "left_segment" });
    } else if (!c.eligible) {
      excluded++;
      updates.push({ contactId: r.contactId, state: "excluded", reason: c.reason });
    } else if (c.deferUntil !== undefined) {
      deferred++;
      updates.push({ contactId: r.contactId, sendAt: Math.max(c.deferUntil, at + 1) });
    }
  }
  const campaignId = campaign.id;
  if (updates.length > 0) await deps.store.campaigns.updateRecipients(campaignId, updates);
  for (const { r, c } of verdicts)
    if (c === "left" || !c.eligible)
      await recordCampaignExclusion(deps, {
        campaignId,
        locationId: campaign.locationId,
        contactId: r.contactId,
        phone: r.phoneE164,
        reason: c === "left" ? "left_segment" : c.reason,
      });
  return { excluded, deferred };
}

/**
 * Gates due recipients until `size` may be texted now (excluded and deferred ones do not take a place), then
 * seals them as the next batch. Returns the batch, or null when nobody due may be texted now.
 */
export async function sealNextBatch(
  deps: EngineDeps,
  ctx: LocationContext,
  campaign: Campaign,
  size: number,
): Promise<SealResult> {
  const at = deps.now();
  const parsed = parseTemplate(campaign.template);
  if (!parsed.ok) return { error: `template: ${parsed.error.message}` };
  const kept = new Map<string, { r: CampaignRecipient; c: Classified & { eligible: true } }>();
  let excluded = 0;
  let deferred = 0;
  for (;;) {
    const due = (
      await deps.store.campaigns.listDue(campaign.id, { now: at, limit: size + kept.size })
    ).filter((r) => !kept.has(r.contactId));
    if (due.length === 0) break;
    const fresh = await freshen(deps, ctx, campaign, due, at);
    if ("error" in fresh) return fresh;
    const verdicts: Array<{ r: CampaignRecipient; c: Classified | "left" }> = [];
    for (const r of due) {
      if (kept.size >= size) break;
      if (fresh.left.has(r.contactId)) {
        verdicts.push({ r, c: "left" });
        continue;
      }
      const contact = await deps.store.contacts.get(campaign.locationId, r.contactId);
      const c = await classifyRecipient(deps, ctx, {
        contactId: r.contactId,
        contact,
        template: parsed.template,
        at,
      });
      if (c.eligible && c.deferUntil === undefined) kept.set(r.contactId, { r, c });
      else verdicts.push({ r, c });
    }
    const settled = await settleOthers(deps, campaign, verdicts, at);
    excluded += settled.excluded;
    deferred += settled.deferred;
    if (kept.size >= size) break;
  }
  if (kept.size === 0) return { sealed: null, excluded, deferred };
  return deps.store.transaction(async (tx) => {
    // a pause or cancel that landed while the gate ran wins: nothing is sealed
    const current = await tx.campaigns.get(campaign.id);
    if (current?.status !== "running") return { sealed: null, excluded, deferred };
    const seq = (await tx.campaigns.lastBatchSeq(campaign.id)) + 1;
    const updates: CampaignRecipientUpdate[] = [];
    let members = 0;
    for (const { r, c } of kept.values()) {
      const key = messageKeyOf(campaign.id, r.contactId);
      const created = await tx.messages.create({
        key,
        locationId: campaign.locationId,
        contactId: r.contactId,
        to: c.phone,
        body: c.text,
        template: campaign.template,
        sendAfter: at,
        meta: { purpose: "automated", kind: `campaign:${campaign.id}`, campaignId: campaign.id, batch: seq },
        dedupId: dedupIdFor(key),
      });
      if (!created.created) {
        // texted by an earlier batch (impossible while the states hold): never a second text
        updates.push({ contactId: r.contactId, state: "sent", messageId: created.existing.id });
        continue;
      }
      members++;
      updates.push({
        contactId: r.contactId,
        state: "batched",
        batchSeq: seq,
        messageId: created.message.id,
      });
    }
    await tx.campaigns.updateRecipients(campaign.id, updates);
    if (members === 0) return { sealed: null, excluded, deferred };
    const sealed = await tx.campaigns.createBatch({
      campaignId: campaign.id,
      seq,
      dedupId: batchDedupIdOf(campaign.id, seq),
      size: members,
    });
    return { sealed };
  });
}
