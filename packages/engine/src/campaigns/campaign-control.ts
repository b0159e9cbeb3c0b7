// The campaign use-cases an operator calls (engine API, CLI): create, schedule / send, pause, resume,
// cancel. Edges return data: every refusal names its reason.
import { randomBytes } from "node:crypto";
import type { Campaign, CampaignStatus } from "@ghl-bulksms/store";
import { parseTemplate } from "@ghl-bulksms/sync";
import type { EngineDeps } from "../core/deps.js";
import { enqueueJob } from "../jobs/catalog.js";
import {
  type Audience,
  audienceSchema,
  type CampaignOptionsInput,
  type CampaignSchedule,
  campaignOptionsSchema,
  formatIssues,
  readOptions,
  scheduleSchema,
} from "./campaign-spec.js";
import { firstSendAt } from "./send-time.js";

export type ControlError = "not_found" | "location_unknown" | "invalid" | "template_invalid" | "wrong_status";

export type ControlResult =
  | { ok: true; campaign: Campaign }
  | { ok: false; code: ControlError; message: string };

const fail = (code: ControlError, message: string): ControlResult => ({ ok: false, code, message });

export function newCampaignId(): string {
  return `cmp_${randomBytes(8).toString("hex")}`;
}

export interface CreateCampaignInput {
  locationId: string;
  name: string;
  template: string;
  audience: unknown;
  options?: CampaignOptionsInput;
  /** Default: a new id. The same id twice returns the stored campaign (idempotent create). */
  id?: string;
}

export async function createCampaign(deps: EngineDeps, input: CreateCampaignInput): Promise<ControlResult> {
  if (!(await deps.store.locations.get(input.locationId)))
    return fail("location_unknown", `unknown location ${input.locationId}`);
  const audience = audienceSchema.safeParse(input.audience ?? {});
  if (!audience.success) return fail("invalid", `audience: ${formatIssues(audience.error)}`);
  const options = campaignOptionsSchema.safeParse(input.options ?? {});
  if (!options.success) return fail("invalid", `options: ${formatIssues(options.error)}`);
  const parsed = parseTemplate(input.template);
  if (!parsed.ok) return fail("template_invalid", parsed.error.message);
  if (input.name.trim() === "") return fail("invalid", "name: must not be empty");
  const r = await deps.store.campaigns.create({
    id: input.id ?? newCampaignId(),
    locationId: input.locationId,
    name: input.name.trim(),
    template: input.template,
    audience: audience.data satisfies Audience,
    options: options.data,
  });
  return { ok: true, campaign: r.campaign };
}

/**
 * draft -> scheduled at `schedule` (each recipient at that local time in its own zone); the segment is
 * resolved when the first send time comes, so it is fresh as of the send. `throughputPerMinute` caps the pace.
 */
export async function scheduleCampaign(
  deps: EngineDeps,
  campaignId: string,
  input: { schedule: CampaignSchedule | unknown; throughputPerMinute?: number },
): Promise<ControlResult> {
  const schedule = scheduleSchema.safeParse(input.schedule);
  if (!schedule.success) return fail("invalid", `schedule: ${formatIssues(schedule.error)}`);
  const campaign = await deps.store.campaigns.get(campaignId);
  if (!campaign) return fail("not_found", `no campaign ${campaignId}`);
  if (campaign.status !== "draft")
    return fail(
      "wrong_status",
      `campaign ${campaignId} is ${campaign.status}; only a draft can be scheduled`,
    );
  const options = readOptions(campaign.options);
  const next = campaignOptionsSchema.safeParse({
    ...options,
    schedule: schedule.data,
    ...(input.throughputPerMinute !== undefined ? { throughputPerMinute: input.throughputPerMinute } : {}),
  });
  if (!next.success) return fail("invalid", `options: ${formatIssues(next.error)}`);
  const runAt = firstSendAt(schedule.data, deps.now());
  const updated = await deps.store.transaction(async (tx) => {
    const u = await tx.campaigns.update(campaignId, { status: "scheduled", options: next.data }, ["draft"]);
    if (u)
      await enqueueJob(
        tx,
        "campaign.start",
        { campaignId },
        { key: campaignId, locationId: campaign.locationId, runAt },
      );
    return u;
  });
  return updated ? { ok: true, campaign: updated } : fail("wrong_status", "the campaign changed meanwhile");
}

/** Schedule "now". */
export function sendCampaign(
  deps: EngineDeps,
  campaignId: string,
  input: { throughputPerMinute?: number } = {},
): Promise<ControlResult> {
  return scheduleCampaign(deps, campaignId, { schedule: { kind: "now" }, ...input });
}

async function transition(
  deps: EngineDeps,
  campaignId: string,
  to: CampaignStatus,
  from: readonly CampaignStatus[],
  after?: (campaign: Campaign) => Promise<void>,
): Promise<ControlResult> {
  const campaign = await deps.store.campaigns.get(campaignId);
  if (!campaign) return fail("not_found", `no campaign ${campaignId}`);
  if (!from.includes(campaign.status))
    return fail("wrong_status", `campaign ${campaignId} is ${campaign.status}; cannot ${verb(to)} it`);
  const updated = await deps.store.campaigns.update(campaignId, { status: to, error: null }, from);
  if (!updated) return fail("wrong_status", "the campaign changed meanwhile");
  await after?.(updated);
  return { ok: true, campaign: (await deps.store.campaigns.get(campaignId)) ?? updated };
}

function verb(to: CampaignStatus): string {
  return to === "paused" ? "pause" : to === "cancelled" ? "cancel" : "resume";
}

/** No new batch is sealed; a batch already sealed is still finished (it may already be at BulkSMS). */
export function pauseCampaign(deps: EngineDeps, campaignId: string): Promise<ControlResult> {
  return transition(deps, campaignId, "paused", ["scheduled", "running"]);
}

/** paused -> running (or scheduled, when its audience was never resolved), and dispatching again. */
export async function resumeCampaign(deps: EngineDeps, campaignId: string): Promise<ControlResult> {
  const counts = await deps.store.campaigns.counts(campaignId);
  const started = Object.values(counts.recipients).some((n) => n > 0);
  return transition(deps, campaignId, started ? "running" : "scheduled", ["paused"], async (c) => {
    const at = deps.now();
    await enqueueJob(
      deps.store,
      started ? "campaign.dispatch" : "campaign.start",
      { campaignId },
      { key: `${campaignId}:resume:${at}`, locationId: c.locationId, runAt: at },
    );
  });
}

/**
 * Remaining recipients are not texted. A sealed batch that BulkSMS refused is dropped; one whose submit is
 * in doubt is still finished identically (it may already be at BulkSMS; finishing records the truth).
 */
export function cancelCampaign(deps: EngineDeps, campaignId: string): Promise<ControlResult> {
  return transition(deps, campaignId, "cancelled", ["draft", "scheduled", "running", "paused"], async (c) => {
    await deps.store.campaigns.cancelPending(campaignId, "campaign cancelled");
    const at = deps.now();
    for (const b of await deps.store.campaigns.listBatches(campaignId, { state: "sealed" })) {
      if (!b.error?.startsWith("refused:")) continue;
      await deps.store.transaction(async (tx) => {
        await tx.campaigns.updateBatch(campaignId, b.seq, { state: "failed" });
        const members = await tx.campaigns.listRecipients(campaignId, { batchSeq: b.seq, limit: 10_000 });
        for (const m of members)
          if (m.messageId)
            await tx.messages.updateStatus(m.messageId, {
              status: "CANCELLED",
              error: "campaign cancelled",
              at,
            });
        await tx.campaigns.updateRecipients(
          campaignId,
          members.map((m) => ({
            contactId: m.contactId,
            state: "cancelled" as const,
            reason: "campaign cancelled",
          })),
        );
      });
    }
    // let a dispatcher finish an in-doubt sealed batch
    await enqueueJob(
      deps.store,
      "campaign.dispatch",
      { campaignId },
      { key: `${campaignId}:cancel`, locationId: c.locationId, runAt: at },
    );
  });
}
