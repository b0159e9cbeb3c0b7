// A campaign recipient who gets no text is a decision like any other: recorded (once per campaign and
// contact) so `ghl-bulksms explain <contact|phone>` answers "why was nothing sent?" for campaigns too.
import type { EngineDeps } from "../core/deps.js";
import { recordDecision } from "../gate/record-decision.js";

export function recordCampaignExclusion(
  deps: EngineDeps,
  input: { campaignId: string; locationId: string; contactId: string; phone: string | null; reason: string },
): Promise<boolean> {
  return recordDecision(deps, deps.store, {
    key: `campaign:${input.campaignId}:${input.contactId}:excluded`,
    locationId: input.locationId,
    contactId: input.contactId,
    phone: input.phone,
    purpose: "automated",
    kind: `campaign:${input.campaignId}`,
    decision: "skipped",
    reason: input.reason,
  });
}
