// A text from a number no contact has, or had (see sms-events/reply-contacts.ts): with unknownSender
// "create-contact" it becomes a GHL contact (the phone, source "SMS", the unknownSenderTag) and the text
// lands in its conversation (thread mode) or in a reply note (thread mode off, SMS notes on).
// Never two contacts for one stranger: the creation is keyed by location and number (vendorWrites) and
// serialised by a store lock on them, GHL is searched by phone first (GET /contacts/search/duplicate), and
// the new contact goes into the mirror at once, so the stranger's next text finds it.
import type { GhlError } from "@ghl-bulksms/ghl";
import { auditVendorWrite } from "../core/audit.js";
import { smsNotesOn } from "../core/config.js";
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { shortHash } from "../core/hash.js";
import { fromGhlError, type JobOutcome, OK } from "../core/outcome.js";
import { type EngineJobCatalog, enqueueJob } from "../jobs/catalog.js";
import { replyContacts } from "../sms-events/reply-contacts.js";
import { createNoteOnce } from "../vendor/write-once.js";
import { postToThreadOnce } from "./thread-message.js";

const OPERATION = "contact.create-from-sms";

export function unknownSenderWriteKey(locationId: string, phone: string): string {
  return `contact:sms-sender:${locationId}:${phone}`;
}

type ContactIdResult = { ok: true; id: string; created: boolean } | { ok: false; error: GhlError };

async function remember(deps: EngineDeps, locationId: string, contactId: string, phone: string) {
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    const known = await tx.contacts.get(locationId, contactId);
    if (!known) await tx.contacts.upsert({ locationId, contactId, phoneE164: phone, lastSeenAt: now });
    // they wrote to us first: the new-contact welcome is not for them
    await tx.contacts.markWelcomeSent(locationId, contactId, now);
  });
}

/** The stranger's GHL contact: the one recorded for this number, one GHL has with it, or a new one. */
export function contactForStranger(
  deps: EngineDeps,
  input: { locationId: string; phone: string; tag: string },
): Promise<ContactIdResult> {
  // two texts from one stranger may be handled at once: one of them looks and creates at a time
  return deps.store.locks.withLock(`stranger:${input.locationId}:${shortHash(input.phone)}`, () =>
    findOrCreateStranger(deps, input),
  );
}

async function findOrCreateStranger(
  deps: EngineDeps,
  input: { locationId: string; phone: string; tag: string },
): Promise<ContactIdResult> {
  const { locationId, phone } = input;
  const key = unknownSenderWriteKey(locationId, phone);
  const begun = await deps.store.vendorWrites.begin(key, { vendor: "ghl", operation: OPERATION, locationId });
  if (begun.state === "completed" && begun.write.resultId) {
    await remember(deps, locationId, begun.write.resultId, phone);
    return { ok: true, id: begun.write.resultId, created: false };
  }
  const client = deps.ghl(locationId);
  const dup = await client.contacts.findDuplicate({ locationId, number: phone });
  if (!dup.ok) return dup;
  const found = dup.data.contact?.id;
  if (found) {
    await deps.store.vendorWrites.complete(key, found);
    await remember(deps, locationId, found, phone);
    return { ok: true, id: found, created: false };
  }
  const r = await client.contacts.create({ locationId, phone, source: "SMS", tags: [input.tag] });
  await auditVendorWrite(deps, {
    locationId,
    vendor: "ghl",
    operation: OPERATION,
    targetId: r.ok ? r.data.contact.id : null,
    idempotencyKey: key,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: r.ok ? { tag: input.tag } : { status: r.error.status, ambiguous: r.error.ambiguous },
  });
  if (!r.ok) return r;
  await deps.store.vendorWrites.complete(key, r.data.contact.id);
  await remember(deps, locationId, r.data.contact.id, phone);
  return { ok: true, id: r.data.contact.id, created: true };
}

export async function runContactFromSms(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.contact.from-sms"],
): Promise<JobOutcome> {
  const ctx = await loadLocation(deps, p.locationId);
  if (!ctx?.location.active) return OK;
  // the number may have found its contact meanwhile (a webhook, a person, an earlier text of theirs)
  const known = await replyContacts(deps.store, p.locationId, p.phone);
  let contactId = known.contactIds[0] ?? null;
  if (contactId === null) {
    const c = await contactForStranger(deps, {
      locationId: p.locationId,
      phone: p.phone,
      tag: ctx.policy.conversations.unknownSenderTag,
    });
    if (!c.ok) return fromGhlError(c.error);
    contactId = c.id;
    // a STOP from the stranger is already an opt-out of the number: show it on the new contact too
    if (c.created && (await deps.store.optOuts.isOptedOut(p.locationId, p.phone)))
      await deps.store.transaction((tx) =>
        enqueueJob(
          tx,
          "ghl.consent.sync",
          { locationId: p.locationId, contactId: c.id, phone: p.phone },
          { key: `stranger:${p.locationId}:${c.id}`, locationId: p.locationId },
        ),
      );
  }
  if (!ctx.policy.conversations.thread) {
    // UNKNOWN_SENDER=create-contact without thread mode: the text becomes the usual reply note
    if (!ctx.policy.notes.inboundReplies || !smsNotesOn(ctx.policy)) return OK;
    const note = await createNoteOnce(deps, {
      locationId: p.locationId,
      contactId,
      key: `note:sms-in:${p.inboundId}:${contactId}`,
      body: `SMS reply received:\n${p.body}`,
    });
    return note.ok ? OK : fromGhlError(note.error);
  }
  const posted = await postToThreadOnce(
    deps,
    {
      locationId: p.locationId,
      contactId,
      key: threadInboundKey(p.inboundId, contactId),
      direction: "inbound",
      body: p.body,
      date: p.date,
      altId: p.inboundId,
    },
    ctx.policy.conversations,
  );
  return posted.ok ? OK : fromGhlError(posted.error);
}

/** The thread write of an inbound text for one contact. */
export function threadInboundKey(inboundId: string, contactId: string): string {
  return `thread:in:${inboundId}:${contactId}`;
}
