// Replies and opt-outs attributed to a campaign: an inbound text from a number counts for the campaign
// whose text reached that number last, if it was submitted within the campaign's reply window.
import type { StoreTx } from "@ghl-bulksms/store";
import { readOptions } from "./campaign-spec.js";

/** Longest reply window a campaign may set is looked back at; each campaign's own window then applies. */
const LOOKBACK_MS = 30 * 86_400_000;

export async function attributeCampaignResponse(
  tx: Pick<StoreTx, "campaigns">,
  input: { locationId: string; phone: string; at: number; kind: "reply" | "opt-out" },
): Promise<string | null> {
  const last = await tx.campaigns.findLatestSentTo(input.locationId, input.phone, input.at - LOOKBACK_MS);
  if (!last) return null;
  const campaign = await tx.campaigns.get(last.campaignId);
  if (!campaign) return null;
  const window = readOptions(campaign.options).replyWindowMs;
  if (last.submittedAt === null || input.at - last.submittedAt > window) return null;
  await tx.campaigns.markResponse(
    last.campaignId,
    last.contactId,
    input.kind === "reply" ? { repliedAt: input.at } : { optedOutAt: input.at },
  );
  return last.campaignId;
}
