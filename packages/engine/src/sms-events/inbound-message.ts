// An inbound SMS: STOP / START / HELP keywords, or a reply written as a note on the matching contact. In
// thread mode every inbound text (keywords too) is also recorded in the contact's GHL conversation; a text
// from a number nobody has becomes a contact, a task, or nothing (conversations.unknownSender).
import type { BulkSmsMessage } from "@ghl-bulksms/bulksms";
import type { StoreTx } from "@ghl-bulksms/store";
import { stopFollowUpsForContact } from "../automations/follow-up-triggers.js";
import { attributeCampaignResponse } from "../campaigns/attribute-response.js";
import { threadInboundKey } from "../conversations/unknown-sender.js";
import { smsNotesOn, unknownSenderMode } from "../core/config.js";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { phoneRef } from "../core/hash.js";
import { type JobOutcome, OK } from "../core/outcome.js";
import { enqueueJob } from "../jobs/catalog.js";
import { gatewayActsOnStop, markAccountBlocked } from "../opt-out/account-block.js";
import { applyOptIn, applyOptOut } from "../opt-out/opt-out-state.js";
import { queueMessage } from "../sms/queue-message.js";
import { classifyKeyword } from "./keywords.js";
import { type ReplyContacts, replyContacts } from "./reply-contacts.js";

/**
 * The locations an inbound number belongs to, with the contacts it is from there: the location of the
 * message it answers (BulkSMS links a reply to the latest REPLIABLE message to that number), else every
 * active location with a contact that has (or had, see reply-contacts.ts) this number, else (for an
 * unknown number) every active location, so a STOP is never lost.
 */
async function locationsFor(
  deps: EngineDeps,
  inbound: BulkSmsMessage,
  from: string,
): Promise<Array<{ ctx: LocationContext; who: ReplyContacts }>> {
  if (inbound.relatedSentMessageId) {
    const related = await deps.store.messages.findByProviderId(inbound.relatedSentMessageId);
    if (related) {
      const ctx = await loadLocation(deps, related.locationId);
      if (ctx?.location.active) return [{ ctx, who: await replyContacts(deps.store, ctx.location.id, from) }];
    }
  }
  const active = await deps.store.locations.list({ activeOnly: true });
  const withContact: Array<{ ctx: LocationContext; who: ReplyContacts }> = [];
  const all: Array<{ ctx: LocationContext; who: ReplyContacts }> = [];
  for (const l of active) {
    const ctx = await loadLocation(deps, l.id);
    if (!ctx) continue;
    const who = await replyContacts(deps.store, l.id, from);
    all.push({ ctx, who });
    if (who.contactIds.length > 0) withContact.push({ ctx, who });
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
  const targets = await locationsFor(deps, inbound, from);
  for (const { ctx, who } of targets) {
    const locationId = ctx.location.id;
    const kind = classifyKeyword(inbound.body, ctx.policy.keywords);
    deps.logger.info({ locationId, from: phoneRef(from), kind, match: who.match }, "inbound SMS");
    await deps.store.transaction(async (tx) => {
      // thread mode: the text (a keyword too) lands in each contact's GHL conversation, in its own job so
      // that it and the opt-out / opt-in below happen whichever runs first
      if (ctx.policy.conversations.thread) {
        const date = new Date(eventAt).toISOString();
        for (const contactId of who.contactIds) {
          const key = threadInboundKey(inbound.id, contactId);
          await enqueueJob(
            tx,
            "ghl.thread.message",
            {
              locationId,
              contactId,
              key,
              direction: "inbound",
              body: inbound.body ?? "",
              date,
              altId: inbound.id,
            },
            { key, locationId },
          );
        }
      }
      if (who.contactIds.length === 0)
        await onUnknownSender(tx, deps, ctx, {
          inbound,
          from,
          eventAt,
          now,
          unambiguous: targets.length === 1,
        });
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
          await queueMessage(tx, {
            key: `help:${locationId}:${eventKey}`,
            locationId,
            contactId: who.contactIds[0] ?? null,
            to: from,
            body: text,
            sendAfter: now,
            meta: { purpose: "reply", kind: "help" },
          });
          return;
        }
        case "none": {
          for (const contactId of who.contactIds) {
            if (deps.lifecycle)
              await stopFollowUpsForContact(tx, deps.lifecycle, locationId, contactId, "replied");
            else await tx.followUps.stopForContact(locationId, contactId, "replied");
            const base = { locationId, contactId };
            if (ctx.policy.notes.inboundReplies && smsNotesOn(ctx.policy)) {
              const key = `note:${eventKey}:${contactId}`;
              await enqueueJob(
                tx,
                "ghl.note.create",
                { ...base, key, body: `SMS reply received:\n${inbound.body ?? ""}` },
                { key, locationId },
              );
            }
            if (ctx.policy.tasks.onReply) {
              const key = `task:${eventKey}:${contactId}`;
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

/**
 * A text from a number no contact in the location has or had: a GHL contact with the text in its
 * conversation, a task for a person, or nothing (conversations.unknownSender). A contact is only created
 * where the location is certain (the text answers one of ours, or there is one active location): a
 * stranger is never copied into every location.
 */
async function onUnknownSender(
  tx: StoreTx,
  deps: Pick<EngineDeps, "logger">,
  ctx: LocationContext,
  input: { inbound: BulkSmsMessage; from: string; eventAt: number; now: number; unambiguous: boolean },
): Promise<void> {
  const locationId = ctx.location.id;
  const mode = unknownSenderMode(ctx.policy);
  const eventKey = `sms-in:${input.inbound.id}`;
  if (mode !== "ignore" && !input.unambiguous) {
    deps.logger.warn(
      { locationId, from: phoneRef(input.from), mode },
      "text from an unknown number, and several locations could own it: no contact or task made",
    );
    return;
  }
  switch (mode) {
    case "ignore":
      deps.logger.info({ locationId, from: phoneRef(input.from) }, "text from a number with no contact");
      return;
    case "create-contact": {
      await enqueueJob(
        tx,
        "ghl.contact.from-sms",
        {
          locationId,
          phone: input.from,
          inboundId: input.inbound.id,
          body: input.inbound.body ?? "",
          date: new Date(input.eventAt).toISOString(),
        },
        { key: `${locationId}:${eventKey}`, locationId },
      );
      return;
    }
    case "task": {
      const c = ctx.policy.conversations;
      if (!c.taskContactId) return;
      const key = `task:unknown-sender:${locationId}:${eventKey}`;
      await enqueueJob(
        tx,
        "ghl.task.create",
        {
          locationId,
          contactId: c.taskContactId,
          key,
          title: `SMS from an unknown number ${input.from}`,
          body: `A text from ${input.from}, a number no contact has:\n${input.inbound.body ?? ""}`,
          dueAt: input.now + ctx.policy.tasks.dueInMs,
          ...(c.taskAssignee ? { assignedTo: c.taskAssignee } : {}),
        },
        { key, locationId },
      );
      return;
    }
    default: {
      const never: never = mode;
      throw new Error(`unhandled unknown-sender mode ${String(never)}`);
    }
  }
}
