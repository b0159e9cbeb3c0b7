// Triggers from contact activity reuse the campaign machinery: a running campaign with a trigger ("a tag
// added", "a field changed") gains the contact as a recipient when a contact event shows that change and
// the contact matches the campaign's audience. The recipient is then gated, batched and submitted like
// any other (quiet hours, opt-outs, exactly once: one text per contact per campaign).
import type { StoreTx } from "@ghl-bulksms/store";
import type { GhlContactLike } from "@ghl-bulksms/sync";
import type { LocationContext } from "../core/deps.js";
import { enqueueJob } from "../jobs/catalog.js";
import { type CampaignTrigger, readAudience, readOptions } from "./campaign-spec.js";
import { recipientPhone, recipientTimeZone } from "./classify-recipient.js";
import { matchesAudience } from "./segment-filters.js";

const lower = (v: unknown) => String(v ?? "").toLowerCase();

function fieldValue(record: GhlContactLike | null, field: string): string {
  if (!record) return "";
  if (field.startsWith("customFields.")) {
    const id = field.slice("customFields.".length);
    return lower(record.customFields?.find((f) => f.id === id)?.value);
  }
  return lower((record as unknown as Record<string, unknown>)[field]);
}

/** Did this change fire the trigger? */
export function triggerFired(
  trigger: CampaignTrigger,
  before: GhlContactLike | null,
  after: GhlContactLike,
): boolean {
  switch (trigger.kind) {
    case "tag-added": {
      const had = (before?.tags ?? []).map(lower).includes(lower(trigger.tag));
      return !had && (after.tags ?? []).map(lower).includes(lower(trigger.tag));
    }
    case "field-changed":
      return before !== null && fieldValue(before, trigger.field) !== fieldValue(after, trigger.field);
    default: {
      const never: never = trigger;
      throw new Error(`unknown trigger ${JSON.stringify(never)}`);
    }
  }
}

/** Adds the contact to every running trigger campaign it fires (in the event's transaction). */
export async function applyCampaignTriggers(
  tx: StoreTx,
  ctx: LocationContext,
  input: { before: GhlContactLike | null; after: GhlContactLike; eventKey: string; now: number },
): Promise<number> {
  let added = 0;
  for (const campaign of await tx.campaigns.list({
    locationId: ctx.location.id,
    status: "running",
    limit: 1000,
  })) {
    const options = readOptions(campaign.options);
    if (!options.trigger || !triggerFired(options.trigger, input.before, input.after)) continue;
    if (!matchesAudience(readAudience(campaign.audience), input.after)) continue;
    const contact = await tx.contacts.get(ctx.location.id, input.after.id);
    const n = await tx.campaigns.addRecipients(campaign.id, [
      {
        contactId: input.after.id,
        phoneE164: recipientPhone(ctx, contact, input.after),
        timeZone: recipientTimeZone(ctx, contact, input.after),
        sendAt: input.now,
      },
    ]);
    if (n === 0) continue; // already a recipient: one text per contact per campaign
    added++;
    await enqueueJob(
      tx,
      "campaign.dispatch",
      { campaignId: campaign.id },
      { key: `${campaign.id}:trigger:${input.eventKey}`, locationId: ctx.location.id, runAt: input.now },
    );
  }
  return added;
}
