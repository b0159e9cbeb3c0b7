// ContactCreate / ContactUpdate / ContactTagUpdate / ContactDndUpdate: update the mirror (phone in E.164
// with the location's region, profile through the mapping, base kept), consent, and the welcome SMS.
import { type FieldValue, type GhlContactLike, ghlSmsDnd } from "@ghl-bulksms/sync";
import { detectFollowUpTriggers } from "../automations/follow-up-triggers.js";
import { applyCampaignTriggers } from "../campaigns/campaign-triggers.js";
import { mappingFor } from "../core/config.js";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { asGhlRecord, buildProfile, identityKeys, type StoredProfile } from "../core/mirror.js";
import { fromGhlError, type JobOutcome, OK } from "../core/outcome.js";
import { toE164 } from "../core/phone.js";
import { observeGhlDnd } from "../opt-out/ghl-dnd-timeline.js";
import { applyOptIn, applyOptOut } from "../opt-out/opt-out-state.js";
import { ghlSide, mergedBase } from "../reconcile/sync-view.js";
import { queueWelcomeInTx } from "../welcome/maybe-send-welcome.js";

export type ContactEventType = "ContactCreate" | "ContactUpdate" | "ContactTagUpdate" | "ContactDndUpdate";

export interface ContactEventInput {
  type: ContactEventType;
  /** The event payload (marketplace Contact* or the worker's workflow ContactEvent). */
  contact: GhlContactLike;
  /** Unique per event (inbox source + event id). */
  eventKey: string;
  /** GHL's time for the event (the webhook's `timestamp`); the payload's `dateUpdated` wins when present. */
  eventAt?: number;
}

function dateMs(value: string | undefined): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/** Payload fields present override the mirror; absent ones (payloads omit dndSettings, timezone...) are kept. */
function mergeRecord(previous: GhlContactLike | null, incoming: GhlContactLike): GhlContactLike {
  const defined = Object.fromEntries(Object.entries(incoming).filter(([, v]) => v !== undefined));
  return { ...(previous ?? {}), ...defined, id: incoming.id } as GhlContactLike;
}

/**
 * The profile as reconciliation leaves it: the fields both sides hold (SMS_SYNC_FIELDS) carry GHL's values
 * (the phone keeps the mapping's verdict), so a later reconcile run finds both sides and the base equal.
 */
function withSyncFields(profile: StoredProfile, fields: Readonly<Record<string, FieldValue>>): StoredProfile {
  const text = (v: FieldValue | undefined): string | null => (typeof v === "string" && v !== "" ? v : null);
  return {
    ...profile,
    firstName: text(fields.firstName),
    lastName: text(fields.lastName),
    timezone: text(fields.timezone),
  };
}

/**
 * ContactCreate payloads carry no `dndSettings` (and no timezone): before deciding on a welcome SMS, read
 * the contact from GHL so an SMS DND set at creation is seen.
 */
async function completeRecord(
  deps: EngineDeps,
  ctx: LocationContext,
  input: ContactEventInput,
): Promise<{ ok: true; contact: GhlContactLike; readAt?: number } | { ok: false; outcome: JobOutcome }> {
  if (
    input.type !== "ContactCreate" ||
    !ctx.policy.welcome.enabled ||
    input.contact.dndSettings !== undefined
  ) {
    return { ok: true, contact: input.contact };
  }
  const r = await deps
    .ghl(ctx.location.id)
    .contacts.get({ locationId: ctx.location.id, contactId: input.contact.id });
  if (r.ok)
    return {
      ok: true,
      contact: { ...input.contact, ...(r.data.contact as GhlContactLike) },
      readAt: deps.now(),
    };
  if (r.error.code === "not_found") return { ok: true, contact: input.contact };
  return { ok: false, outcome: fromGhlError(r.error) };
}

export async function handleContactChanged(
  deps: EngineDeps,
  ctx: LocationContext,
  input: ContactEventInput,
): Promise<JobOutcome> {
  const { location, policy } = ctx;
  const locationId = location.id;
  const mapping = mappingFor(policy, location.region);
  const complete = await completeRecord(deps, ctx, input);
  if (!complete.ok) return complete.outcome;
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    const existing = await tx.contacts.get(locationId, input.contact.id);
    const previous = asGhlRecord(existing?.ghl);
    const record = mergeRecord(previous, complete.contact);
    if (
      input.type === "ContactDndUpdate" &&
      input.contact.dndSettings === undefined &&
      input.contact.dnd === false
    ) {
      // a workflow DND-off event without settings: clear the SMS channel too
      record.dndSettings = { ...(record.dndSettings ?? {}), SMS: { status: "inactive" } };
    }
    const side = ghlSide(record, location.region, new Date(now).toISOString());
    const profile = withSyncFields(buildProfile(record, mapping), side.fields);
    const phoneE164 = profile.phone ?? toE164(record.phone, location.region, record.country);
    const ids = identityKeys(record);
    await tx.contacts.upsert({
      locationId,
      contactId: record.id,
      ghl: record,
      profile,
      // GHL's event is GHL's side, and the profile was just rebuilt from it: both sides now agree, so the
      // base (the last agreed state) moves too, in the shape reconciliation stores (see reconcile/sync-view)
      base: mergedBase({ ...side, tags: [...(profile.segmentTags ?? [])] }),
      phoneE164,
      emailNorm: ids.emailNorm,
      nameKey: ids.nameKey,
      dateUpdated: dateMs(record.dateUpdated),
      deleted: false,
      lastSeenAt: now,
      // read from GHL just now: the send gate needs no second read for the welcome
      ...(complete.readAt !== undefined ? { consentCheckedAt: complete.readAt } : {}),
    });

    // consent: a DND change made in GHL is a consent event at GHL's time for it. The echo of our own DND
    // write and a late copy of a state GHL already had are not (see opt-out/ghl-dnd-timeline.ts).
    const dndOn = ghlSmsDnd(record);
    // only an event that says what GHL's SMS DND is counts: ContactUpdate payloads leave dndSettings out,
    // and the mirror they are merged with holds our own intent, not GHL's state
    const saysDnd =
      complete.contact.dndSettings !== undefined ||
      complete.contact.dnd === true ||
      input.type === "ContactDndUpdate";
    if (phoneE164 && saysDnd) {
      const eventAt = dateMs(input.contact.dateUpdated) ?? input.eventAt ?? now;
      // what GHL had before, when the timeline does not say: the mirror holds our own intent (set with an
      // opt-out before our write reached GHL), so only a DND opt-out tells us GHL had DND on
      const current = await tx.optOuts.get(locationId, phoneE164);
      const seen = await observeGhlDnd(tx, locationId, record.id, {
        active: dndOn,
        at: eventAt,
        previous: current?.state === "opted_out" && current.source === "ghl_dnd" ? true : null,
      });
      if (seen === "change" && dndOn) {
        // GHL DND on -> opted out (source ghl_dnd) and pushed to BulkSMS blocked numbers
        await applyOptOut(tx, ctx, {
          phone: phoneE164,
          source: "ghl_dnd",
          eventKey: input.eventKey,
          why: "SMS DND was set in HighLevel",
          now,
          eventAt,
          setGhlDnd: false,
          pushBlock: true,
          confirm: false,
        });
      } else if (seen === "change") {
        // DND switched off in GHL lifts only an opt-out that GHL DND itself caused; a STOP stays
        await applyOptIn(tx, ctx, {
          phone: phoneE164,
          source: "ghl_dnd",
          eventKey: input.eventKey,
          why: "SMS DND cleared in HighLevel",
          now,
          eventAt,
          setGhlDnd: false,
          confirm: false,
        });
      }
    }

    // follow-up sequences started/stopped by tag or field changes (reconcile does the same)
    if (deps.lifecycle) {
      await detectFollowUpTriggers(tx, {
        config: deps.lifecycle,
        locationId,
        contactId: record.id,
        before: previous,
        after: record,
        now,
      });
    }

    // campaigns triggered by contact activity (a tag added, a field changed)
    await applyCampaignTriggers(tx, ctx, { before: previous, after: record, eventKey: input.eventKey, now });

    // welcome SMS: new contact, enabled, valid mobile, consent, not DND; exactly once (marker + key)
    if (input.type !== "ContactCreate") return;
    await queueWelcomeInTx(tx, deps, ctx, { record, profile, now });
  });
  return OK;
}
