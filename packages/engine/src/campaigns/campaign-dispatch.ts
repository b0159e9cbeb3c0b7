// Job "campaign.dispatch": one step of a running campaign, then the next step is scheduled.
//   1. A sealed batch (submit pending or in doubt after a crash or timeout) is submitted again, identically.
//   2. Otherwise the due recipients (up to the batch size and the throughput cap) are gated and sealed
//      into the next batch, which is submitted at once.
//   3. Nothing due: wait for the next recipient's send time, or finish with a summary.
// Every step is a keyed job, so a crash at any line re-runs the step: a sealed batch is never lost and never
// sent twice (its deduplication id), an unsealed recipient is still pending.
import { randomUUID } from "node:crypto";
import type { Campaign } from "@ghl-bulksms/store";
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { type JobOutcome, OK, permanent } from "../core/outcome.js";
import { enqueueJob } from "../jobs/catalog.js";
import { type CampaignOptions, readOptions } from "./campaign-spec.js";
import { finishCampaign } from "./campaign-summary.js";
import { sealNextBatch } from "./seal-batch.js";
import { submitSealedBatch } from "./submit-batch.js";

/** How long a dispatcher holds the campaign (renewed by each step; a crashed holder frees it then). */
const LOCK_TTL_MS = 15_000;
/** When GHL could not be read to refresh consent views. */
const RETRY_MS = 60_000;

export function batchSizeOf(options: CampaignOptions): number {
  return Math.max(1, Math.min(options.batchSize, options.throughputPerMinute ?? options.batchSize));
}

/** The earliest next submit after a batch of `size`, under the throughput cap. */
function nextAfter(options: CampaignOptions, size: number, at: number): number {
  return options.throughputPerMinute ? at + Math.ceil((size / options.throughputPerMinute) * 60_000) : at;
}

async function scheduleNext(deps: EngineDeps, campaign: Campaign, key: string, runAt: number): Promise<void> {
  await enqueueJob(
    deps.store,
    "campaign.dispatch",
    { campaignId: campaign.id },
    { key: `${campaign.id}:${key}`, locationId: campaign.locationId, runAt },
  );
}

export async function runCampaignDispatch(deps: EngineDeps, campaignId: string): Promise<JobOutcome> {
  const campaign = await deps.store.campaigns.get(campaignId);
  if (!campaign) return OK;
  const owner = `campaign-dispatch:${randomUUID()}`;
  // one dispatcher per campaign at a time (a crashed holder's lease runs out after LOCK_TTL_MS)
  if (!(await deps.store.locks.tryAcquire(`campaign:${campaignId}`, owner, LOCK_TTL_MS)))
    return {
      ok: false,
      error: {
        code: "campaign_busy",
        message: "another dispatcher runs",
        retryable: true,
        retryAfterMs: 5_000,
      },
    };
  try {
    return await step(deps, campaign);
  } finally {
    await deps.store.locks.release(`campaign:${campaignId}`, owner);
  }
}

async function step(deps: EngineDeps, campaign: Campaign): Promise<JobOutcome> {
  const ctx = await loadLocation(deps, campaign.locationId);
  if (!ctx) return permanent("location_unknown", `unknown location ${campaign.locationId}`);
  const options = readOptions(campaign.options);

  // 1. a sealed batch may already be at BulkSMS: finish it (identical retry), whatever the status now
  const sealed = (await deps.store.campaigns.listBatches(campaign.id, { state: "sealed" }))[0];
  if (sealed) {
    if (sealed.error?.startsWith("refused:") && campaign.status !== "running") return OK; // refused: waits for resume
    const r = await submitSealedBatch(deps, ctx, campaign, options, sealed);
    if (!r.ok) {
      if (r.retryable)
        return {
          ok: false,
          error: {
            code: r.code,
            message: r.message,
            retryable: true,
            ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}),
          },
        };
      // refused for good (e.g. insufficient credits): the campaign pauses, the batch waits for a resume
      await deps.store.campaigns.update(
        campaign.id,
        { status: "paused", error: `BulkSMS refused batch ${sealed.seq}: ${r.message}` },
        ["running", "scheduled"],
      );
      deps.logger.warn(
        { campaignId: campaign.id, batch: sealed.seq, code: r.code },
        "campaign paused: batch refused",
      );
      return OK;
    }
    deps.logger.info(
      { campaignId: campaign.id, batch: sealed.seq, size: sealed.size },
      "campaign batch submitted",
    );
    const rest = await deps.store.campaigns.nextSendAt(campaign.id);
    if (rest === null && !options.trigger && campaign.status === "running") {
      await finishCampaign(deps, campaign.id);
      return OK;
    }
    await scheduleNext(deps, campaign, `after:${sealed.seq}`, nextAfter(options, sealed.size, deps.now()));
    return OK;
  }
  if (campaign.status !== "running") return OK;

  // 2. seal the next batch of due recipients
  const now = deps.now();
  const s = await sealNextBatch(deps, ctx, campaign, batchSizeOf(options));
  if ("error" in s) {
    return {
      ok: false,
      error: {
        code: "campaign_gate",
        message: s.error,
        retryable: true,
        retryAfterMs: s.retryAfterMs ?? RETRY_MS,
      },
    };
  }
  if (s.sealed === null) {
    // nobody due may be texted now: wait for the next send time, or finish
    const next = await deps.store.campaigns.nextSendAt(campaign.id);
    if (next !== null) await scheduleNext(deps, campaign, `wait:${next}`, Math.max(next, now));
    else if (!options.trigger) await finishCampaign(deps, campaign.id);
    return OK;
  }
  // 3. submit the sealed batch right away (a crash here leaves it sealed: step 1 of the next run)
  return step(deps, (await deps.store.campaigns.get(campaign.id)) ?? campaign);
}
