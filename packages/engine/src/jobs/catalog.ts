// The engine's jobs: name -> payload schema. Every job is keyed (idempotency key unique for life), so a
// use-case that runs twice enqueues nothing twice.
import type { Repositories } from "@ghl-bulksms/store";
import { z } from "zod";

const id = z.string().min(1);
const e164 = z.string().regex(/^\+\d{7,15}$/, "must be an E.164 number");
/** GHL rate-limit priority of the write ("background" leaves the realtime share alone). */
const priority = z.enum(["realtime", "background"]).optional();

export const engineJobSchemas = {
  /** Send one queued message through the send gate. */
  "sms.send": z.object({ messageId: id }),
  /** Write a note on a contact, once (ledger + marker). */
  "ghl.note.create": z.object({
    locationId: id,
    contactId: id,
    key: id,
    body: z.string().min(1),
    priority,
  }),
  /** Create a task on a contact, once (ledger + marker). */
  "ghl.task.create": z.object({
    locationId: id,
    contactId: id,
    key: id,
    title: z.string().min(1),
    body: z.string(),
    dueAt: z.number().int(),
    assignedTo: z.string().optional(),
    priority,
  }),
  /** Record one SMS in the contact's GHL conversation, once (see conversations/thread-message.ts). */
  "ghl.thread.message": z.object({
    locationId: id,
    contactId: id,
    key: id,
    direction: z.enum(["inbound", "outbound"]),
    body: z.string(),
    date: z.string().min(1),
    altId: id,
    priority,
  }),
  /**
   * A text from a number no contact has: find or create its GHL contact (once per number), then record the
   * text in the contact's conversation (see conversations/unknown-sender.ts).
   */
  "ghl.contact.from-sms": z.object({
    locationId: id,
    phone: e164,
    inboundId: id,
    body: z.string(),
    date: z.string().min(1),
  }),
  /** Mark the task written under `taskKey` completed, adding `resolution` to its body. */
  "ghl.task.complete": z.object({ locationId: id, contactId: id, taskKey: id, resolution: z.string() }),
  /** Set or clear SMS DND on a GHL contact. */
  "ghl.dnd.set": z.object({ locationId: id, contactId: id, active: z.boolean(), reason: z.string() }),
  /**
   * Make a GHL contact's SMS DND and opt-out tag show the consent of `phone` as decided when the job runs
   * (see jobs/ghl-consent-sync.ts): consent events may be processed in any order.
   */
  "ghl.consent.sync": z.object({ locationId: id, contactId: id, phone: e164 }),
  "ghl.tags.add": z.object({ locationId: id, contactId: id, tags: z.array(z.string().min(1)).min(1) }),
  "ghl.tags.remove": z.object({ locationId: id, contactId: id, tags: z.array(z.string().min(1)).min(1) }),
  /** Add a number to the BulkSMS account's blocked numbers. */
  "bulksms.block": z.object({
    locationId: id,
    phone: e164,
    /** Fallback block of a STOP with a confirmation: skipped when the confirmation's send already blocked. */
    afterMessageKey: z.string().min(1).optional(),
  }),
  /** Pull new BulkSMS blocked numbers into the location's opt-outs and GHL DND. */
  "bulksms.pull-blocked": z.object({ locationId: id }),
  /** Re-enqueue GHL note/task writes begun and never completed whose jobs will not retry them. */
  "vendor-writes.sweep": z.object({ olderThanMs: z.number().int().min(0).optional() }),
  /** Deletes finished jobs and processed inbox events older than the retention (default 7 days). */
  "store.housekeeping": z.object({ retentionMs: z.number().int().min(3_600_000).optional() }),
  /**
   * Report a provider text's status to GHL (PUT /conversations/messages/{id}/status): the status of
   * `messageId` (ours) as it stands when the job runs, never an older one (see provider/provider-status.ts).
   */
  "ghl.message.status": z.object({
    locationId: id,
    messageId: id,
    /** Our message status this report was made for; a message that moved on is reported as it is now. */
    state: z.enum(["QUEUED", "CANCELLED", "ACCEPTED", "SCHEDULED", "SENT", "UNKNOWN", "DELIVERED", "FAILED"]),
    /** What a person reads in GHL (a block, a deferral, a failure), with a short machine code. */
    reason: z.object({ code: z.string().min(1), message: z.string().min(1) }).optional(),
  }),
  /** Resolve a scheduled campaign's segment into recipients, then start dispatching. */
  "campaign.start": z.object({ campaignId: id }),
  /** Seal and submit a campaign's next batch (or finish the sealed one), then schedule the next run. */
  "campaign.dispatch": z.object({ campaignId: id }),
  /** Marketplace install: mint and store the location's token from the agency token. */
  "ghl.install": z.object({ locationId: id, companyId: id }),
} as const;

export type EngineJobName = keyof typeof engineJobSchemas;
export type EngineJobCatalog = { [K in EngineJobName]: z.output<(typeof engineJobSchemas)[K]> };
export const ENGINE_JOB_NAMES = Object.keys(engineJobSchemas) as EngineJobName[];

/** Enqueues an engine job (inside a transaction, so it commits with the state change that causes it). */
export async function enqueueJob<N extends EngineJobName>(
  repos: Pick<Repositories, "jobs">,
  name: N,
  payload: EngineJobCatalog[N],
  options: { key: string; locationId: string | null; runAt?: number; priority?: number },
): Promise<boolean> {
  const parsed = engineJobSchemas[name].safeParse(payload);
  if (!parsed.success) {
    throw new TypeError(
      `enqueue ${name}: invalid payload: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const r = await repos.jobs.enqueue({
    name,
    payload,
    key: `${name}:${options.key}`,
    locationId: options.locationId,
    ...(options.runAt !== undefined ? { runAt: options.runAt } : {}),
    ...(options.priority !== undefined ? { priority: options.priority } : {}),
  });
  return r.enqueued;
}
