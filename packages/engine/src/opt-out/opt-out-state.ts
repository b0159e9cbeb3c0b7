// Opt-out and opt-in, applied inside one transaction: the consent event joins the number's history, the
// state is decided from the whole history by the events' own times (@ghl-bulksms/sync decideConsent), and
// the mirror, pending sends and vendor jobs (GHL DND + tag, note, BulkSMS blocked number, one confirmation)
// follow the decided state, all committed together. An older event processed after a newer one is kept in
// the history but changes nothing; a redelivered event (same key) changes nothing at all.
import type { OptOut, OptOutEvent, OptOutSource, OptOutState, StoreTx } from "@ghl-bulksms/store";
import { decideConsent } from "@ghl-bulksms/sync";
import type { LocationContext } from "../core/deps.js";
import { shortHash } from "../core/hash.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { BLOCK_WAIT_FOR_CONFIRMATION_MS } from "../jobs/bulksms-writes.js";
import { enqueueJob } from "../jobs/catalog.js";
import { queueMessage } from "../sms/queue-message.js";
import { recordGatewayBlockOnOptIn } from "./gateway-block.js";

/** Key prefix of STOP confirmation messages (never cancelled by a later opt-out of the same number). */
export const STOP_CONFIRMATION_KEY_PREFIX = "stop-confirmation:";

/**
 * Job key of the BulkSMS block one opt-out event pushes. Per location, number and event: several opt-outs
 * found under one shared event key (a reconcile run, a blocked-list pass) each push their own number.
 */
export function blockJobKey(locationId: string, phone: string, eventKey: string): string {
  return `block:${locationId}:${shortHash(phone, 16)}:${eventKey}`;
}

/** Settings key: the number is on the BulkSMS blocked list (we pushed it, or BulkSMS reported it). */
export function blockedNumberKey(locationId: string, phone: string): string {
  return `engine:bulksms-blocked:${locationId}:${phone}`;
}

export interface OptOutInput {
  phone: string;
  source: OptOutSource;
  /** Unique per triggering event and number (inbound message id, inbox event id, blocked-number id). */
  eventKey: string;
  /** Human words for the note, e.g. 'Replied "STOP" by SMS'. */
  why: string;
  /** Our clock (when the event is processed). */
  now: number;
  /**
   * The event's own time (BulkSMS's message time, GHL's event time, the operator's action time); the state
   * is decided by it. Default `now`.
   */
  eventAt?: number;
  /** BulkSMS's message id for a reply: orders two replies BulkSMS dates to the same second. */
  eventSeq?: string;
  /** Set GHL DND on the contacts (false when GHL told us, it already has it). */
  setGhlDnd: boolean;
  /** Push the number to BulkSMS blocked numbers (false when BulkSMS told us). */
  pushBlock: boolean;
  /** Send the configured STOP confirmation (only for a STOP keyword). */
  confirm: boolean;
}

export interface OptInInput {
  phone: string;
  /** "sms_stop" for a START keyword, "operator" for a person, "ghl_dnd" for DND switched off in GHL. */
  source: OptOutSource;
  eventKey: string;
  why: string;
  now: number;
  /** The event's own time (default `now`). */
  eventAt?: number;
  /** BulkSMS's message id for a START reply (see OptOutInput.eventSeq). */
  eventSeq?: string;
  /** Clear GHL DND on the contacts (default true; false when GHL told us). */
  setGhlDnd?: boolean;
  /** Send the configured START confirmation. */
  confirm: boolean;
}

interface ConsentEventInput {
  phone: string;
  state: OptOutState;
  source: OptOutSource;
  eventKey: string;
  why: string;
  now: number;
  eventAt: number;
  eventSeq: string | null;
  setGhlDnd: boolean;
  pushBlock: boolean;
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

function sameRecord(a: OptOut | null, b: OptOutEvent): boolean {
  return (
    a !== null &&
    a.state === b.state &&
    a.source === b.source &&
    a.eventAt === b.eventAt &&
    a.eventKey === b.eventKey &&
    a.eventSeq === b.eventSeq
  );
}

/** The numbers BulkSMS learns from us: every opt-out but the ones BulkSMS itself told us about. */
function pushesBlock(e: Pick<OptOutEvent, "state" | "source">): boolean {
  return e.state === "opted_out" && e.source !== "bulksms_blocked";
}

async function applyConsentEvent(
  tx: StoreTx,
  ctx: LocationContext,
  input: ConsentEventInput,
): Promise<{ changed: boolean; contacts: string[] }> {
  const locationId = ctx.location.id;
  const { policy } = ctx;
  const current = await tx.optOuts.get(locationId, input.phone);
  const history = await tx.optOuts.history(locationId, input.phone);
  const event: OptOutEvent = {
    locationId,
    phoneE164: input.phone,
    channel: "sms",
    state: input.state,
    source: input.source,
    note: input.why,
    at: input.now,
    eventAt: input.eventAt,
    eventKey: input.eventKey,
    eventSeq: input.eventSeq,
  };
  const { inserted } = await tx.optOuts.record({ ...event, eventKey: input.eventKey });
  const before = decideConsent(history);
  const after = inserted ? decideConsent([...history, event]) : before;
  const decided = after.decidedBy;
  if (decided && !sameRecord(current, decided)) {
    await tx.optOuts.put({ ...decided, locationId, phoneE164: input.phone, channel: "sms", at: input.now });
  }
  const finalState = decided?.state ?? null;
  const changed = (current?.state ?? null) !== finalState;
  const optedOut = finalState === "opted_out";
  const contacts = await tx.contacts.findByPhone(locationId, input.phone);

  for (const c of contacts) {
    if (optedOut) {
      await setMirrorDnd(tx, locationId, c.contactId, true);
      // every pending text is cancelled except a STOP confirmation: the one text an opted-out number may
      // get, which a later echo of the same opt-out (our DND write coming back, a second STOP) must not undo
      await tx.messages.cancelPending(locationId, c.contactId, "opted out", {
        exceptKeyPrefixes: [STOP_CONFIRMATION_KEY_PREFIX],
      });
      await tx.followUps.stopForContact(locationId, c.contactId, "opted out");
    } else if (finalState === "opted_in" && (changed || input.state !== finalState)) {
      await setMirrorDnd(tx, locationId, c.contactId, false);
    }
    if (!inserted || !decided) continue;
    const base = { locationId, contactId: c.contactId };
    // GHL follows the decided state, not this event: on a change, and when GHL itself reported a state
    // the decision overrules (an older DND change delivered after a newer START or STOP)
    const ghlDisagrees = !input.setGhlDnd && input.state !== finalState;
    if (changed || ghlDisagrees) {
      await enqueueJob(
        tx,
        "ghl.consent.sync",
        { ...base, phone: input.phone },
        { key: `consent:${input.eventKey}:${c.contactId}`, locationId, priority: 20 },
      );
    }
    if (!policy.notes.optOuts) continue;
    if (changed && optedOut) {
      const key = `optout:${decided.eventKey ?? input.eventKey}:${c.contactId}`;
      await enqueueJob(
        tx,
        "ghl.note.create",
        { ...base, key: `note:${key}`, body: `Opted out of SMS: ${decided.note ?? input.why}.` },
        { key, locationId, priority: 20 },
      );
    } else if (changed && decided.source !== "ghl_dnd") {
      const key = `optin:${decided.eventKey ?? input.eventKey}:${c.contactId}`;
      await enqueueJob(
        tx,
        "ghl.note.create",
        {
          ...base,
          key: `note:${key}`,
          body: `Re-subscribed to SMS: ${decided.note ?? input.why}. Note: BulkSMS has no API to unblock a number; if the gateway blocked it, ask BulkSMS support to remove the block.`,
        },
        { key, locationId, priority: 20 },
      );
    } else if (
      !changed &&
      optedOut &&
      decided.eventKey === input.eventKey &&
      current?.eventKey !== input.eventKey
    ) {
      // an opt-out of a number already opted out that happened first, so it is now the recorded cause:
      // e.g. a STOP whose block the blocked-number pull saw before the STOP message arrived. It gets its
      // own note (the number was opted out once: one "Opted out of SMS" note; a second, later STOP is not
      // the cause and gets none)
      const key = `optout:${input.eventKey}:${c.contactId}`;
      const earlier = current?.note ? ` (first seen as: ${current.note})` : "";
      await enqueueJob(
        tx,
        "ghl.note.create",
        {
          ...base,
          key: `note:${key}`,
          body: `Opt-out recorded: ${input.why}. The number was already opted out${earlier}.`,
        },
        { key, locationId, priority: 20 },
      );
    }
  }
  if (!inserted) return { changed, contacts: contacts.map((c) => c.contactId) };

  // keyed by the event alone (kept as it was, so a STOP re-run across an upgrade is not confirmed twice):
  // only a STOP/START reply confirms, and its key (the inbound message id) names one number
  const confirmationKey = `${STOP_CONFIRMATION_KEY_PREFIX}${locationId}:${input.eventKey}`;
  const decidedByThis = decided?.eventKey === input.eventKey;
  const confirmingStop =
    changed && optedOut && decidedByThis && input.confirm && !!policy.replies.stopConfirmation;
  // BulkSMS cannot unblock, so its list is a ratchet: an opt-out that takes effect in time order is pushed
  // even when a newer opt-in (already processed) lifts it again, exactly as in-order processing would have
  // pushed it. Candidates: the opt-outs that take effect only now (this one, or a later one that an older
  // opt-in processed late re-activated).
  // Once the number is on the list (pushed by us, or BulkSMS told us), more pushes are redundant: the
  // marker says so until an operator clears a gateway block (BulkSMS support unblocked the number).
  const markerKey = blockedNumberKey(locationId, input.phone);
  if (input.state === "opted_out" && (input.source === "bulksms_blocked" || !input.pushBlock)) {
    // pushBlock false means BulkSMS told us: the number is on its list already
    await tx.settings.set(markerKey, { at: input.now, eventKey: input.eventKey, by: "bulksms" });
  }
  const known = new Set(before.effective.map((e) => e.eventKey));
  const pushing = after.effective.filter(
    (e) =>
      e.eventKey !== null &&
      !known.has(e.eventKey) &&
      pushesBlock(e) &&
      (e.eventKey !== input.eventKey || input.pushBlock),
  );
  const first = pushing.find((e) => e.eventKey === input.eventKey) ?? pushing[0];
  if (first?.eventKey && (await tx.settings.get(markerKey)) === null) {
    await tx.settings.set(markerKey, { at: input.now, eventKey: first.eventKey, by: "us" });
    const withConfirmation = confirmingStop && first.eventKey === input.eventKey;
    // BulkSMS refuses to text a blocked number: with a confirmation, its send job blocks the number once it
    // left, and this job is the fallback (see runBlockNumber)
    await enqueueJob(
      tx,
      "bulksms.block",
      {
        locationId,
        phone: input.phone,
        ...(withConfirmation ? { afterMessageKey: confirmationKey } : {}),
      },
      {
        key: blockJobKey(locationId, input.phone, first.eventKey),
        locationId,
        priority: 20,
        ...(withConfirmation ? { runAt: input.now + BLOCK_WAIT_FOR_CONFIRMATION_MS } : {}),
      },
    );
  }
  if (confirmingStop && policy.replies.stopConfirmation) {
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
  // BulkSMS cannot unblock: a number it blocks stays blocked after the re-subscribe (operator task now)
  if (changed && finalState === "opted_in")
    await recordGatewayBlockOnOptIn(tx, ctx, { phone: input.phone, now: input.now });
  // a START confirmation only for the START that re-subscribed: never for one an older START overruled
  if (
    changed &&
    finalState === "opted_in" &&
    decidedByThis &&
    input.state === "opted_in" &&
    input.confirm &&
    policy.replies.startConfirmation
  ) {
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
  return { changed, contacts: contacts.map((c) => c.contactId) };
}

/** Records an opt-out event; `changed` is true when it moved the number's state to opted out. */
export async function applyOptOut(
  tx: StoreTx,
  ctx: LocationContext,
  input: OptOutInput,
): Promise<{ changed: boolean; contacts: string[] }> {
  return applyConsentEvent(tx, ctx, {
    phone: input.phone,
    state: "opted_out",
    source: input.source,
    eventKey: input.eventKey,
    why: input.why,
    now: input.now,
    eventAt: input.eventAt ?? input.now,
    eventSeq: input.eventSeq ?? null,
    setGhlDnd: input.setGhlDnd,
    pushBlock: input.pushBlock,
    confirm: input.confirm,
  });
}

/**
 * Records an opt-in event: a START keyword or an operator re-subscribes (from any opt-out), DND switched
 * off in GHL lifts only an opt-out GHL DND caused. `changed` is true when it moved the state to opted in.
 */
export async function applyOptIn(
  tx: StoreTx,
  ctx: LocationContext,
  input: OptInInput,
): Promise<{ changed: boolean; contacts: string[] }> {
  return applyConsentEvent(tx, ctx, {
    phone: input.phone,
    state: "opted_in",
    source: input.source,
    eventKey: input.eventKey,
    why: input.why,
    now: input.now,
    eventAt: input.eventAt ?? input.now,
    eventSeq: input.eventSeq ?? null,
    setGhlDnd: input.setGhlDnd ?? true,
    pushBlock: false,
    confirm: input.confirm,
  });
}
