// The welcome SMS: one per contact for life. Used by the ContactCreate webhook and by reconciliation when
// it discovers a contact whose webhook was lost. The store's welcome marker (`contacts.markWelcomeSent`)
// is the guard and the message key is `welcome:<location>:<contact>`, so every path, however often it
// runs, queues at most one welcome.
import type { StoreTx } from "@ghl-bulksms/store";
import { type GhlContactLike, ghlSmsDnd, renderTemplate } from "@ghl-bulksms/sync";
import { type EngineDeps, type LocationContext, loadLocation } from "../core/deps.js";
import { asGhlRecord, asProfile, type StoredProfile } from "../core/mirror.js";
import { isMobile } from "../core/phone.js";
import { checkSendGate } from "../gate/send-gate.js";
import { queueMessage } from "../sms/queue-message.js";

export type WelcomeSkipReason =
  | "location_unknown"
  | "disabled"
  | "contact_unknown"
  | "no_phone"
  | "not_mobile"
  | "dnd"
  | "no_consent"
  | "opted_out"
  | "blocked"
  | "template"
  | "already_welcomed";

export type WelcomeResult =
  | { readonly sent: true; readonly messageId: string }
  | { readonly sent: false; readonly reason: WelcomeSkipReason; readonly detail?: string };

/** The key of a contact's welcome message. */
export function welcomeKey(locationId: string, contactId: string): string {
  return `welcome:${locationId}:${contactId}`;
}

/** Template fields: the mapped profile first, the GHL record for what the mapping does not map. */
export function welcomeTemplateData(
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
 * Inside a transaction: checks every welcome condition (enabled, valid mobile, not DND, consent, not opted
 * out, the send gate), renders the template, sets the welcome marker and queues the message, all or none.
 */
export async function queueWelcomeInTx(
  tx: StoreTx,
  deps: EngineDeps,
  ctx: LocationContext,
  input: { record: GhlContactLike; profile: StoredProfile; now: number },
): Promise<WelcomeResult> {
  const { policy, location } = ctx;
  const locationId = location.id;
  const { record, profile, now } = input;
  if (!policy.welcome.enabled) return { sent: false, reason: "disabled" };
  const phone = profile.phone;
  if (!phone) return { sent: false, reason: "no_phone" };
  if (policy.welcome.requireMobile && !isMobile(phone)) return { sent: false, reason: "not_mobile" };
  if (ghlSmsDnd(record) || profile.dnd) return { sent: false, reason: "dnd" };
  if (profile.consentField === "opted-out") return { sent: false, reason: "no_consent" };
  if (policy.consent.require === "explicit-opt-in" && profile.consentField !== "opted-in")
    return { sent: false, reason: "no_consent" };
  if (await tx.optOuts.isOptedOut(locationId, phone)) return { sent: false, reason: "opted_out" };
  const gate = await checkSendGate(
    deps,
    { locationId, contactId: record.id, to: phone, purpose: "automated", at: now },
    tx,
  );
  if ("block" in gate)
    return {
      sent: false,
      reason: "blocked",
      ...(gate.detail ? { detail: gate.detail } : { detail: gate.block }),
    };
  const rendered = renderTemplate(policy.welcome.template, welcomeTemplateData(record, profile, phone), {
    missing: "empty",
  });
  if (!rendered.ok) {
    deps.logger.warn({ locationId, error: rendered.error.message }, "welcome template does not render");
    return { sent: false, reason: "template", detail: rendered.error.message };
  }
  if (!(await tx.contacts.markWelcomeSent(locationId, record.id, now)))
    return { sent: false, reason: "already_welcomed" };
  // quiet hours are the send job's business (deferred, not dropped)
  const q = await queueMessage(tx, {
    key: welcomeKey(locationId, record.id),
    locationId,
    contactId: record.id,
    to: phone,
    body: rendered.text,
    template: "welcome",
    sendAfter: now + policy.welcome.delayMs,
    meta: { purpose: "automated", kind: "welcome" },
  });
  return { sent: true, messageId: q.message.id };
}

/**
 * Welcomes a contact already in the mirror, at most once for life (reconciliation calls it for contacts it
 * discovers; the ContactCreate webhook does the same through queueWelcomeInTx). Reads only the store.
 */
export async function maybeSendWelcome(
  deps: EngineDeps,
  locationId: string,
  contactId: string,
): Promise<WelcomeResult> {
  const ctx = await loadLocation(deps, locationId);
  if (!ctx) return { sent: false, reason: "location_unknown" };
  if (!ctx.policy.welcome.enabled) return { sent: false, reason: "disabled" };
  const now = deps.now();
  return deps.store.transaction(async (tx): Promise<WelcomeResult> => {
    const contact = await tx.contacts.get(locationId, contactId);
    const record = asGhlRecord(contact?.ghl);
    const profile = asProfile(contact?.profile);
    if (!contact || !record || !profile) return { sent: false, reason: "contact_unknown" };
    if (contact.welcomeSentAt !== null) return { sent: false, reason: "already_welcomed" };
    return queueWelcomeInTx(tx, deps, ctx, { record, profile, now });
  });
}
