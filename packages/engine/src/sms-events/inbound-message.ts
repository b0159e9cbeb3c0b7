// An inbound SMS: STOP / START / HELP keywords, or a reply written as a note on the matching contact.

import type { BulkSmsMessage } from "@ghl-bulksms/bulksms";
import { stopFollowUpsForContact } from "../automations/follow-up-triggers.js";
import { attributeCampaignResponse } from "../campaigns/attribute-response.js";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { phoneRef } from "../core/hash.js";
import { type JobOutcome, OK } from "../core/outcome.js";
import { enqueueJob } from "../jobs/catalog.js";
import { gatewayActsOnStop, markAccountBlocked } from "../opt-out/account-block.js";
import { applyOptIn, applyOptOut } from "../opt-out/opt-out-state.js";
import { queueMessage } from "../sms/queue-message.js";
import { classifyKeyword } from "./keywords.js";

/**
 * The locations an inbound number belongs to: the location of the message it answers (BulkSMS links a
 * reply to the latest REPLIABLE message to that number), else every active location with a contact that
 * has this number, else (for an unknown number) every active location, so a STOP is never lost.
 */
async function locationsFor(
  deps: EngineDeps,
  inbound: BulkSmsMessage,
  from: string,
): Promise<LocationContext[]> {
  if (inbound.relatedSentMessageId) {
    const related = await deps.store.messages.findByProviderId(inbound.relatedSentMessageId);
    if (related) {
      const ctx = await loadLocation(deps, related.locationId);
      if (ctx?.location.active) return [ctx];
    }
  }
  const active = await deps.store.locations.list({ activeOnly: true });
  const withContact: LocationContext[] = [];
  const all: LocationContext[] = [];
  for (const l of active) {
    const ctx = await loadLocation(deps, l.id);
    if (!ctx) continue;
    all.push(ctx);
    if ((await deps.store.contacts.findByPhone(l.id, from)).length > 0) withContact.push(ctx);
  }
  return withContact.length > 0 ? withContact : all;
}

/** BulkSMS's time for an inbound message (its submission date), or null when absent or unreadable. */
export function messageTime(inbound: Pick<BulkSmsMessage, "submissionDate">): number | null {
  if (!inbound.submissionDate) return null;
  const t = Date.parse(inbound.submissionDate);
  return Number.isNaN(t) ? null : t;
}

export async function handleInboundMessage(deps: EngineDeps, inbound: BulkSmsMessage): Promise<JobOutcome> {
  const from = inbound.from;
  if (!from || !/^\+\d{7,15}$/.test(from)) {
    deps.logger.warn({ providerId: inbound.id }, "inbound message without a usable sender number");
    return OK;
  }
  const now = deps.now();
  const eventKey = `sms-in:${inbound.id}`;
  // the person's order: BulkSMS's time for the message (webhooks may arrive, and jobs run, in any order)
  const eventAt = messageTime(inbound) ?? now;
  for (const ctx of await locationsFor(deps, inbound, from)) {
    const locationId = ctx.location.id;
    const kind = classifyKeyword(inbound.body, ctx.policy.keywords);
    deps.logger.info({ locationId, from: phoneRef(from), kind }, "inbound SMS");
    await deps.store.transaction(async (tx) => {
      if (kind === "stop" || kind === "none")
        await attributeCampaignResponse(tx, {
          locationId,
          phone: from,
          at: eventAt,
          kind: kind === "stop" ? "opt-out" : "reply",
        });
      switch (kind) {
        case "stop":
          // BulkSMS blocked the number itself on this STOP: nothing may be sent to it any more (billed)
          if (gatewayActsOnStop(ctx.policy, inbound.body))
            await markAccountBlocked(tx, { phone: from, evidence: "stop", at: now });
          await applyOptOut(tx, ctx, {
            phone: from,
            source: "sms_stop",
            eventKey,
            why: `replied "${(inbound.body ?? "").trim().slice(0, 20)}" by SMS`,
            now,
            eventAt,
            ...(/^\d{1,30}$/.test(inbound.id) ? { eventSeq: inbound.id } : {}),
            setGhlDnd: true,
            pushBlock: true,
            confirm: ctx.policy.replies.stopConfirmationMode !== "off",
          });
          return;
        case "start":
          await applyOptIn(tx, ctx, {
            phone: from,
            source: "sms_stop",
            eventKey,
            why: `replied "${(inbound.body ?? "").trim().slice(0, 20)}" by SMS`,
            now,
            eventAt,
            ...(/^\d{1,30}$/.test(inbound.id) ? { eventSeq: inbound.id } : {}),
            confirm: ctx.policy.replies.startConfirmationMode !== "off",
          });
          return;
        case "help": {
          const text = ctx.policy.replies.help;
          if (!text) return;
          const contact = (await tx.contacts.findByPhone(locationId, from))[0];
          await queueMessage(tx, {
            key: `help:${locationId}:${eventKey}`,
            locationId,
            contactId: contact?.contactId ?? null,
            to: from,
            body: text,
            sendAfter: now,
            meta: { purpose: "reply", kind: "help" },
          });
          return;
        }
        case "none": {
          const contacts = await tx.contacts.findByPhone(locationId, from);
          for (const c of contacts) {
            if (deps.lifecycle)
              await stopFollowUpsForContact(tx, deps.lifecycle, locationId, c.contactId, "replied");
            else await tx.followUps.stopForContact(locationId, c.contactId, "replied");
            const base = { locationId, contactId: c.contactId };
            if (ctx.policy.notes.inboundReplies) {
              const key = `note:${eventKey}:${c.contactId}`;
              await enqueueJob(
                tx,
                "ghl.note.create",
                { ...base, key, body: `SMS reply received:\n${inbound.body ?? ""}` },
                { key, locationId },
              );
            }
            if (ctx.policy.tasks.onReply) {
              const key = `task:${eventKey}:${c.contactId}`;
              await enqueueJob(
                tx,
                "ghl.task.create",
                {
                  ...base,
                  key,
                  title: "Answer SMS reply",
                  body: `The contact replied by SMS:\n${inbound.body ?? ""}`,
                  dueAt: now + ctx.policy.tasks.dueInMs,
                  ...(ctx.policy.tasks.assignedTo ? { assignedTo: ctx.policy.tasks.assignedTo } : {}),
                },
                { key, locationId },
              );
            }
          }
          if (contacts.length === 0)
            deps.logger.info({ locationId, from: phoneRef(from) }, "reply from a number with no contact");
          return;
        }
        default: {
          const never: never = kind;
          throw new Error(`unhandled keyword kind ${String(never)}`);
        }
      }
    });
  }
  return OK;
}
