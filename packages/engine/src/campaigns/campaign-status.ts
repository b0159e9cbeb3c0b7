// What an operator sees of a campaign: its record, live counts and batches.
import type { Campaign, CampaignBatch, CampaignCounts } from "@ghl-bulksms/store";
import type { EngineDeps } from "../core/deps.js";

export interface CampaignStatusView {
  campaign: Campaign;
  counts: CampaignCounts;
  batches: CampaignBatch[];
}

export async function campaignStatus(
  deps: EngineDeps,
  campaignId: string,
): Promise<CampaignStatusView | null> {
  const campaign = await deps.store.campaigns.get(campaignId);
  if (!campaign) return null;
  return {
    campaign,
    counts: await deps.store.campaigns.counts(campaignId),
    batches: await deps.store.campaigns.listBatches(campaignId),
  };
}
