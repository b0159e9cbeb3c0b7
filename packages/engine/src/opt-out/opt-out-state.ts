// Opt-out and opt-in, applied inside one transaction: the local opt-out record, the mirror, pending sends,
// and the vendor jobs (GHL DND + tag + note, BulkSMS blocked number, one confirmation) all commit together.
import type { OptOutSource, StoreTx } from "@ghl-bulksms/store";
import type { LocationContext } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { BLOCK_WAIT_FOR_CONFIRMATION_MS } from "../jobs/bulksms-writes.js";
import { enqueueJob } from "../jobs/catalog.js";
import { queueMessage } from "../sms/queue-message.js";
import { recordGatewayBlockOnOptIn } from "./gateway-block.js";

/** Key prefix of STOP confirmation messages (never cancelled by a later opt-out of the same number). */
export const STOP_CONFIRMATION_KEY_PREFIX = "stop-confirmation:";

export interface OptOutInput {
  phone: string;
  source: OptOutSource;
  /** Unique per triggering event (inbound message id, inbox event id, blocked-number id). */
  eventKey: string;
  /** Human words for the note, e.g. 'Replied "STOP" by SMS'. */
  why: string;
  now: number;
  /** Set GHL DND on the contacts (false when GHL told us, it already has it). */
  setGhlDnd: boolean;
  /** Push the number to BulkSMS blocked numbers (false when BulkSMS told us). */
  pushBlock: boolean;
  /** Send the configured STOP confirmation (only for a STOP keyword). */
  confirm: boolean;
}

async function setMirrorDnd(
  tx: StoreTx,
  locationId: string,
  contactId: string,
  active: boolean,
): Promise<void> {
  const c = await tx.contacts.get(locationId, contactId);
  if (!c) return;
  const record = asGhlRecord(c.ghl);
  const profile = asProfile(c.profile);
  const status = active ? "active" : "inactive";
  await tx.contacts.upsert({
    locationId,
    contactId,
    ...(record
      ? {
          ghl: {
            ...record,
            ...(active ? {} : { dnd: false }),
            dndSettings: { ...(record.dndSettings ?? {}), SMS: { status } },
          },
        }
      : {}),
    ...(profile ? { profile: { ...profile, dnd: active } } : {}),
  });
}

export async function applyOptOut(
  tx: StoreTx,
  ctx: LocationContext,
  input: OptOutInput,
): Promise<{ changed: boolean; contacts: string[] }> {
  const locationId = ctx.location.id;
  const { policy } = ctx;
  // An opt-out that is already known keeps its first source (our own DND write echoing back from GHL, or
  // the blocked number we pushed coming back in a pull, must not rewrite "sms_stop" as "ghl_dnd").
  const current = await tx.optOuts.get(locationId, input.phone);
  const r =
    current?.state === "opted_out"
      ? { changed: false }
      : await tx.optOuts.set({
          locationId,
          phoneE164: input.phone,
          state: "opted_out",
          source: input.source,
          note: input.why,
          at: input.now,
        });
  const contacts = await tx.contacts.findByPhone(locationId, input.phone);
  for (const c of contacts) {
    await setMirrorDnd(tx, locationId, c.contactId, true);
    // every pending text is cancelled except a STOP confirmation: the one text an opted-out number may
    // get, which a later echo of the same opt-out (our DND write coming back, a second STOP) must not undo
    await tx.messages.cancelPending(locationId, c.contactId, "opted out", {
      exceptKeyPrefixes: [STOP_CONFIRMATION_KEY_PREFIX],
    });
    await tx.followUps.stopForContact(locationId, c.contactId, "opted out");
    if (!r.changed) continue;
    const base = { locationId, contactId: c.contactId };
    const key = `optout:${input.eventKey}:${c.contactId}`;
    if (input.setGhlDnd) {
      await enqueueJob(
        tx,
        "ghl.dnd.set",
        { ...base, active: true, reason: input.why },
        { key, locationId, priority: 20 },
      );
    }
    await enqueueJob(
      tx,
      "ghl.tags.add",
      { ...base, tags: [policy.optOutTag] },
      { key, locationId, priority: 20 },
    );
    if (policy.notes.optOuts) {
      await enqueueJob(
        tx,
        "ghl.note.create",
        { ...base, key: `note:${key}`, body: `Opted out of SMS: ${input.why}.` },
        { key, locationId, priority: 20 },
      );
    }
  }
  const confirmationKey = `${STOP_CONFIRMATION_KEY_PREFIX}${locationId}:${input.eventKey}`;
  const confirming = r.changed && input.confirm && !!policy.replies.stopConfirmation;
  if (r.changed && input.pushBlock) {
    // BulkSMS refuses to text a blocked number: with a confirmation, its send job blocks the number once it
    // left, and this job is the fallback (see runBlockNumber)
    await enqueueJob(
      tx,
      "bulksms.block",
      { locationId, phone: input.phone, ...(confirming ? { afterMessageKey: confirmationKey } : {}) },
      {
        key: `optout:${input.eventKey}`,
        locationId,
        priority: 20,
        ...(confirming ? { runAt: input.now + BLOCK_WAIT_FOR_CONFIRMATION_MS } : {}),
      },
    );
  }
  if (confirming && policy.replies.stopConfirmation) {
    await queueMessage(tx, {
      key: confirmationKey,
      locationId,
      contactId: contacts[0]?.contactId ?? null,
      to: input.phone,
      body: policy.replies.stopConfirmation,
      sendAfter: input.now,
      meta: { purpose: "stop-confirmation", kind: "stop-confirmation" },
    });
  }
  return { changed: r.changed, contacts: contacts.map((c) => c.contactId) };
}

export interface OptInInput {
  phone: string;
  /** "sms_stop" for a START keyword (the same channel that opted out), "operator" for a person. */
  source: OptOutSource;
  eventKey: string;
  why: string;
  now: number;
  /** Send the configured START confirmation. */
  confirm: boolean;
}

/** Re-subscribes a number: only from an explicit keyword or an operator. */
export async function applyOptIn(
  tx: StoreTx,
  ctx: LocationContext,
  input: OptInInput,
): Promise<{ changed: boolean; contacts: string[] }> {
  const locationId = ctx.location.id;
  const { policy } = ctx;
  const previous = await tx.optOuts.get(locationId, input.phone);
  if (previous?.state !== "opted_out") return { changed: false, contacts: [] };
  await tx.optOuts.set({
    locationId,
    phoneE164: input.phone,
    state: "opted_in",
    source: input.source,
    note: input.why,
    at: input.now,
  });
  const contacts = await tx.contacts.findByPhone(locationId, input.phone);
  for (const c of contacts) {
    await setMirrorDnd(tx, locationId, c.contactId, false);
    const base = { locationId, contactId: c.contactId };
    const key = `optin:${input.eventKey}:${c.contactId}`;
    await enqueueJob(
      tx,
      "ghl.dnd.set",
      { ...base, active: false, reason: input.why },
      { key, locationId, priority: 20 },
    );
    await enqueueJob(
      tx,
      "ghl.tags.remove",
      { ...base, tags: [policy.optOutTag] },
      { key, locationId, priority: 20 },
    );
    if (policy.notes.optOuts) {
      await enqueueJob(
        tx,
        "ghl.note.create",
        {
          ...base,
          key: `note:${key}`,
          body: `Re-subscribed to SMS: ${input.why}. Note: BulkSMS has no API to unblock a number; if the gateway blocked it, ask BulkSMS support to remove the block.`,
        },
        { key, locationId, priority: 20 },
      );
    }
  }
  // BulkSMS cannot unblock: a number it blocks stays blocked after the re-subscribe (operator task now)
  await recordGatewayBlockOnOptIn(tx, ctx, { phone: input.phone, now: input.now });
  if (input.confirm && policy.replies.startConfirmation) {
    await queueMessage(tx, {
      key: `start-confirmation:${locationId}:${input.eventKey}`,
      locationId,
      contactId: contacts[0]?.contactId ?? null,
      to: input.phone,
      body: policy.replies.startConfirmation,
      sendAfter: input.now,
      meta: { purpose: "reply", kind: "start-confirmation" },
    });
  }
  return { changed: true, contacts: contacts.map((c) => c.contactId) };
}
