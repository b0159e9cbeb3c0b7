// A campaign's results: recipients by state, exclusions by reason, messages by delivery status, replies
// and opt-outs attributed to it, batches and credits; frozen as its summary when the last batch is in.
import type { Campaign, CampaignCounts } from "@ghl-bulksms/store";
import type { EngineDeps } from "../core/deps.js";

export interface CampaignSummary {
  readonly finishedAt: number;
  readonly recipients: number;
  readonly sent: number;
  readonly excluded: Record<string, number>;
  readonly delivered: number;
  readonly failed: number;
  readonly replied: number;
  readonly optedOut: number;
  readonly batches: number;
  readonly credits: number;
}

export function summarize(counts: CampaignCounts, at: number): CampaignSummary {
  const recipients = Object.values(counts.recipients).reduce((a, b) => a + b, 0);
  return {
    finishedAt: at,
    recipients,
    sent: counts.recipients.sent,
    excluded: counts.excluded,
    delivered: counts.messages.DELIVERED,
    failed: counts.messages.FAILED,
    replied: counts.replied,
    optedOut: counts.optedOut,
    batches: counts.batches.submitted,
    credits: counts.credits,
  };
}

/** running -> completed, with the summary of the moment (delivery reports still arrive afterwards). */
export async function finishCampaign(deps: EngineDeps, campaignId: string): Promise<Campaign | null> {
  const counts = await deps.store.campaigns.counts(campaignId);
  const summary = summarize(counts, deps.now());
  const done = await deps.store.campaigns.update(campaignId, { status: "completed", summary }, ["running"]);
  if (done)
    deps.logger.info({ campaignId, sent: summary.sent, batches: summary.batches }, "campaign completed");
  return done;
}
