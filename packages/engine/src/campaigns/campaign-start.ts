// Job "campaign.start": the segment is resolved at the send (GHL search pages + the mirror), every contact
// becomes a recipient row (pending at its own local send time, or excluded with its reason), then the
// dispatcher takes over. Re-running after a crash re-reads the pages and adds only what is missing.
import { parseTemplate } from "@ghl-bulksms/sync";
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { type JobOutcome, OK, permanent } from "../core/outcome.js";
import { enqueueJob } from "../jobs/catalog.js";
import { readAudience, readOptions } from "./campaign-spec.js";
import { classifyRecipient } from "./classify-recipient.js";
import { recordCampaignExclusion } from "./record-exclusion.js";
import { resolveAudience } from "./resolve-audience.js";
import { recipientSendAt } from "./send-time.js";

export async function runCampaignStart(deps: EngineDeps, campaignId: string): Promise<JobOutcome> {
  const campaign = await deps.store.campaigns.get(campaignId);
  if (campaign?.status !== "scheduled") return OK; // paused or cancelled before it started
  const ctx = await loadLocation(deps, campaign.locationId);
  if (!ctx) return permanent("location_unknown", `unknown location ${campaign.locationId}`);
  const parsed = parseTemplate(campaign.template);
  if (!parsed.ok) return permanent("template_invalid", parsed.error.message);
  const options = readOptions(campaign.options);
  if (options.trigger) {
    // a trigger campaign texts contacts as their events arrive (campaign-triggers.ts), not the segment as is
    await deps.store.campaigns.update(campaignId, { status: "running" }, ["scheduled"]);
    return OK;
  }
  const schedule = options.schedule ?? { kind: "now" as const };
  const r = await resolveAudience(deps, ctx, readAudience(campaign.audience), async (members, readAt) => {
    const rows = [];
    for (const m of members) {
      const c = await classifyRecipient(deps, ctx, {
        contactId: m.contactId,
        contact: m.contact,
        hit: m.hit,
        template: parsed.template,
        at: readAt,
      });
      const sendAt = recipientSendAt(schedule, c.timeZone, readAt);
      rows.push(
        c.eligible
          ? { contactId: c.contactId, phoneE164: c.phone, timeZone: c.timeZone, sendAt }
          : {
              contactId: c.contactId,
              phoneE164: c.phone,
              timeZone: c.timeZone,
              sendAt,
              state: "excluded" as const,
              reason: c.reason,
            },
      );
    }
    await deps.store.campaigns.addRecipients(campaignId, rows);
    for (const r of rows)
      if (r.state === "excluded")
        await recordCampaignExclusion(deps, {
          campaignId,
          locationId: campaign.locationId,
          contactId: r.contactId,
          phone: r.phoneE164,
          reason: r.reason,
        });
  });
  if (!r.ok)
    return {
      ok: false,
      error: {
        code: "ghl_search_failed",
        message: r.error,
        retryable: true,
        ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}),
      },
    };
  await deps.store.transaction(async (tx) => {
    const started = await tx.campaigns.update(campaignId, { status: "running" }, ["scheduled"]);
    if (!started) return;
    await enqueueJob(
      tx,
      "campaign.dispatch",
      { campaignId },
      { key: `${campaignId}:start`, locationId: campaign.locationId },
    );
  });
  deps.logger.info({ campaignId, matched: r.matched, ghlRequests: r.requests }, "campaign audience resolved");
  return OK;
}
