// The welcome SMS: one per contact for life. Used by the ContactCreate webhook and by reconciliation when
// it discovers a contact whose webhook was lost. The store's welcome marker (`contacts.markWelcomeSent`)
// is the guard and the message key is `welcome:<location>:<contact>`, so every path, however often it
// runs, queues at most one welcome.
import type { StoreTx } from "@ghl-bulksms/store";
import { type GhlContactLike, ghlSmsDnd, renderTemplate } from "@ghl-bulksms/sync";
import { type EngineDeps, type LocationContext, loadLocation } from "../core/deps.js";
import { asGhlRecord, asProfile, type StoredProfile } from "../core/mirror.js";
import { isMobile } from "../core/phone.js";
import { DECISION_REASONS, type DecisionInput, recordDecision } from "../gate/record-decision.js";
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
  | "already_welcomed"
  | "wrote_first";

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
  const key = welcomeKey(locationId, record.id);
  // one recorded (and logged) welcome decision per contact: the welcome is decided once for life
  const decide = (
    decision: "skipped" | "blocked" | "queued",
    reason: string,
    extra: Pick<DecisionInput, "detail" | "messageId"> = {},
  ) =>
    recordDecision(deps, tx, {
      key,
      locationId,
      contactId: record.id,
      phone: phone ?? null,
      purpose: "automated",
      kind: "welcome",
      decision,
      reason,
      messageKey: key,
      at: now,
      ...extra,
    });
  const skip = async (
    reason: Exclude<WelcomeSkipReason, "blocked" | "template">,
    code: string,
  ): Promise<WelcomeResult> => {
    await decide("skipped", code);
    return { sent: false, reason };
  };
  if (!phone) {
    // a number GHL holds that the mapping could not read is an invalid number, not a missing one
    const raw = typeof record.phone === "string" ? record.phone.trim() : "";
    return skip("no_phone", raw ? DECISION_REASONS.invalidNumber : DECISION_REASONS.noPhone);
  }
  // a contact we made for a stranger's text (tagged so by unknown-sender.ts): they wrote to us first
  if (Array.isArray(record.tags) && record.tags.includes(policy.conversations.unknownSenderTag))
    return skip("wrote_first", DECISION_REASONS.wroteFirst);
  if (policy.welcome.requireMobile && !isMobile(phone)) return skip("not_mobile", DECISION_REASONS.notMobile);
  if (ghlSmsDnd(record) || profile.dnd) return skip("dnd", DECISION_REASONS.ghlDnd);
  if (profile.consentField === "opted-out") return skip("no_consent", DECISION_REASONS.noConsent);
  if (policy.consent.require === "explicit-opt-in" && profile.consentField !== "opted-in")
    return skip("no_consent", DECISION_REASONS.noConsent);
  if (await tx.optOuts.isOptedOut(locationId, phone)) return skip("opted_out", DECISION_REASONS.optedOut);
  const gate = await checkSendGate(
    deps,
    { locationId, contactId: record.id, to: phone, purpose: "automated", at: now },
    tx,
  );
  if ("block" in gate) {
    await decide("blocked", gate.block, gate.detail ? { detail: { gate: gate.detail } } : {});
    return {
      sent: false,
      reason: "blocked",
      ...(gate.detail ? { detail: gate.detail } : { detail: gate.block }),
    };
  }
  const rendered = renderTemplate(policy.welcome.template, welcomeTemplateData(record, profile, phone), {
    missing: "empty",
  });
  if (!rendered.ok) {
    await decide("skipped", DECISION_REASONS.templateError, {
      detail: { template: `${rendered.error.kind}: ${rendered.error.message}` },
    });
    return { sent: false, reason: "template", detail: rendered.error.message };
  }
  if (!(await tx.contacts.markWelcomeSent(locationId, record.id, now)))
    return { sent: false, reason: "already_welcomed" };
  // quiet hours are the send job's business (deferred, not dropped)
  const q = await queueMessage(tx, {
    key,
    locationId,
    contactId: record.id,
    to: phone,
    body: rendered.text,
    template: "welcome",
    sendAfter: now + policy.welcome.delayMs,
    meta: { purpose: "automated", kind: "welcome" },
  });
  await decide("queued", DECISION_REASONS.queued, { messageId: q.message.id });
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
