// Job name -> { schema, handler }: the shape of the worker's JobRegistry (apps/worker/src/ports.ts).
import type { z } from "zod";
import { runCampaignDispatch } from "../campaigns/campaign-dispatch.js";
import { runCampaignStart } from "../campaigns/campaign-start.js";
import { runThreadMessage } from "../conversations/thread-job.js";
import { runContactFromSms } from "../conversations/unknown-sender.js";
import type { EngineDeps } from "../core/deps.js";
import { type JobContext, type JobOutcome, OK } from "../core/outcome.js";
import { mintLocationToken } from "../ghl-events/app-installed.js";
import { runPullBlocked } from "../opt-out/pull-blocked-numbers.js";
import { runProviderStatus } from "../provider/provider-status.js";
import { sendQueuedMessage } from "../sms/send-message.js";
import { sweepBegunVendorWrites } from "../vendor/sweep-begun-writes.js";
import { runBlockNumber } from "./bulksms-writes.js";
import { type EngineJobCatalog, type EngineJobName, engineJobSchemas } from "./catalog.js";
import { runConsentSync } from "./ghl-consent-sync.js";
import { runDndSet, runNoteCreate, runTags, runTaskComplete, runTaskCreate } from "./ghl-writes.js";
import { runHousekeeping } from "./housekeeping.js";

export interface EngineJobDefinition<N extends EngineJobName> {
  readonly schema: (typeof engineJobSchemas)[N] & z.ZodType<EngineJobCatalog[N]>;
  readonly handler: (payload: EngineJobCatalog[N], context: JobContext) => Promise<JobOutcome>;
}

export type EngineJobRegistry = { readonly [N in EngineJobName]: EngineJobDefinition<N> };

type Handlers = {
  readonly [N in EngineJobName]: (
    deps: EngineDeps,
    payload: EngineJobCatalog[N],
    context?: JobContext,
  ) => Promise<JobOutcome>;
};

const HANDLERS: Handlers = {
  "sms.send": (deps, p, context) => sendQueuedMessage(deps, p.messageId, context),
  "ghl.message.status": runProviderStatus,
  "ghl.note.create": runNoteCreate,
  "ghl.task.create": runTaskCreate,
  "ghl.task.complete": runTaskComplete,
  "ghl.thread.message": runThreadMessage,
  "ghl.contact.from-sms": runContactFromSms,
  "ghl.dnd.set": runDndSet,
  "ghl.consent.sync": runConsentSync,
  "ghl.tags.add": (deps, p) => runTags(deps, p, "add"),
  "ghl.tags.remove": (deps, p) => runTags(deps, p, "remove"),
  "bulksms.block": runBlockNumber,
  "bulksms.pull-blocked": runPullBlocked,
  "ghl.install": mintLocationToken,
  "campaign.start": (deps, p) => runCampaignStart(deps, p.campaignId),
  "campaign.dispatch": (deps, p) => runCampaignDispatch(deps, p.campaignId),
  "store.housekeeping": runHousekeeping,
  "vendor-writes.sweep": async (deps, p) => {
    await sweepBegunVendorWrites(deps, p.olderThanMs !== undefined ? { olderThanMs: p.olderThanMs } : {});
    return OK;
  },
};

function definition<N extends EngineJobName>(deps: EngineDeps, name: N): EngineJobDefinition<N> {
  const run = HANDLERS[name] as (
    deps: EngineDeps,
    payload: EngineJobCatalog[N],
    context?: JobContext,
  ) => Promise<JobOutcome>;
  return {
    schema: engineJobSchemas[name] as EngineJobDefinition<N>["schema"],
    handler: (payload, context) => run(deps, payload, context),
  };
}

/** The engine's jobs, ready to spread into the worker's registry. */
export function createEngineJobs(deps: EngineDeps): EngineJobRegistry {
  return {
    "sms.send": definition(deps, "sms.send"),
    "ghl.note.create": definition(deps, "ghl.note.create"),
    "ghl.task.create": definition(deps, "ghl.task.create"),
    "ghl.task.complete": definition(deps, "ghl.task.complete"),
    "ghl.thread.message": definition(deps, "ghl.thread.message"),
    "ghl.contact.from-sms": definition(deps, "ghl.contact.from-sms"),
    "ghl.dnd.set": definition(deps, "ghl.dnd.set"),
    "ghl.consent.sync": definition(deps, "ghl.consent.sync"),
    "ghl.tags.add": definition(deps, "ghl.tags.add"),
    "ghl.tags.remove": definition(deps, "ghl.tags.remove"),
    "bulksms.block": definition(deps, "bulksms.block"),
    "bulksms.pull-blocked": definition(deps, "bulksms.pull-blocked"),
    "ghl.install": definition(deps, "ghl.install"),
    "ghl.message.status": definition(deps, "ghl.message.status"),
    "campaign.start": definition(deps, "campaign.start"),
    "campaign.dispatch": definition(deps, "campaign.dispatch"),
    "vendor-writes.sweep": definition(deps, "vendor-writes.sweep"),
    "store.housekeeping": definition(deps, "store.housekeeping"),
  };
}
