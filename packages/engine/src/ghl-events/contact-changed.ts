// ContactCreate / ContactUpdate / ContactTagUpdate / ContactDndUpdate: update the mirror (phone in E.164
// with the location's region, profile through the mapping, base kept), consent, and the welcome SMS.
import { type GhlContactLike, ghlSmsDnd, renderTemplate } from "@ghl-bulksms/sync";
import { mappingFor } from "../core/config.js";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { asGhlRecord, buildProfile, identityKeys, type StoredProfile } from "../core/mirror.js";
import { fromGhlError, type JobOutcome, OK } from "../core/outcome.js";
import { isMobile, toE164 } from "../core/phone.js";
import { applyOptOut } from "../opt-out/opt-out-state.js";
import { queueMessage } from "../sms/queue-message.js";

export type ContactEventType = "ContactCreate" | "ContactUpdate" | "ContactTagUpdate" | "ContactDndUpdate";

export interface ContactEventInput {
  type: ContactEventType;
  /** The event payload (marketplace Contact* or the worker's workflow ContactEvent). */
  contact: GhlContactLike;
  /** Unique per event (inbox source + event id). */
  eventKey: string;
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

/** Template fields: the mapped profile first, the GHL record for what the mapping does not map. */
function templateData(
  record: GhlContactLike,
  profile: StoredProfile,
  phone: string,
): Record<string, unknown> {
  return {
    ...profile.extra,
    firstName: profile.firstName ?? record.firstName ?? null,
    lastName: profile.lastName ?? record.lastName ?? null,
    name: profile.name ?? record.name ?? null,
    email: record.email ?? null,
    companyName: record.companyName ?? null,
    locale: profile.locale,
    timezone: profile.timezone ?? record.timezone ?? null,
    phone,
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
): Promise<{ ok: true; contact: GhlContactLike } | { ok: false; outcome: JobOutcome }> {
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
  if (r.ok) return { ok: true, contact: { ...input.contact, ...(r.data.contact as GhlContactLike) } };
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
    const profile = buildProfile(record, mapping);
    const phoneE164 = profile.phone ?? toE164(record.phone, location.region);
    const ids = identityKeys(record);
    await tx.contacts.upsert({
      locationId,
      contactId: record.id,
      ghl: record,
      profile,
      // the base only moves when both sides agree; a webhook from GHL is GHL's side, so a first sight
      // sets it and later events leave the base to reconciliation
      ...(existing ? {} : { base: record }),
      phoneE164,
      emailNorm: ids.emailNorm,
      nameKey: ids.nameKey,
      dateUpdated: dateMs(record.dateUpdated),
      deleted: false,
      lastSeenAt: now,
    });

    // consent: GHL DND on -> opted out (source ghl_dnd) and pushed to BulkSMS blocked numbers
    const dndOn = ghlSmsDnd(record);
    if (phoneE164 && dndOn) {
      await applyOptOut(tx, ctx, {
        phone: phoneE164,
        source: "ghl_dnd",
        eventKey: input.eventKey,
        why: "SMS DND was set in HighLevel",
        now,
        setGhlDnd: false,
        pushBlock: true,
        confirm: false,
      });
    } else if (phoneE164 && !dndOn && previous && ghlSmsDnd(previous)) {
      // DND switched off in GHL lifts only an opt-out that GHL DND itself caused; a STOP stays
      const current = await tx.optOuts.get(locationId, phoneE164);
      if (current?.state === "opted_out" && current.source === "ghl_dnd") {
        await tx.optOuts.set({
          locationId,
          phoneE164,
          state: "opted_in",
          source: "ghl_dnd",
          note: "SMS DND cleared in HighLevel",
          at: now,
        });
      }
    }

    // welcome SMS: new contact, enabled, valid mobile, consent, not DND; exactly once (marker + key)
    if (input.type !== "ContactCreate" || !policy.welcome.enabled || !phoneE164 || profile.phone === null)
      return;
    if (policy.welcome.requireMobile && !isMobile(phoneE164)) return;
    if (dndOn || profile.dnd || profile.consentField === "opted-out") return;
    if (policy.consent.require === "explicit-opt-in" && profile.consentField !== "opted-in") return;
    if (await tx.optOuts.isOptedOut(locationId, phoneE164)) return;
    const rendered = renderTemplate(policy.welcome.template, templateData(record, profile, phoneE164), {
      missing: "empty",
    });
    if (!rendered.ok) {
      deps.logger.warn({ locationId, error: rendered.error.message }, "welcome template does not render");
      return;
    }
    if (!(await tx.contacts.markWelcomeSent(locationId, record.id, now))) return;
    await queueMessage(tx, {
      key: `welcome:${locationId}:${record.id}`,
      locationId,
      contactId: record.id,
      to: phoneE164,
      body: rendered.text,
      template: "welcome",
      sendAfter: now + policy.welcome.delayMs,
      meta: { purpose: "automated", kind: "welcome" },
    });
  });
  return OK;
}
