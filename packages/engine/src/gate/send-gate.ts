// THE send gate. Every send path calls it at the moment of sending; nothing texts a number it refuses.
// It reads only the store; an automated text whose contact's GHL view (DND, tags) is older than the
// policy's `consent.maxAgeMs` is deferred as "consent_stale" here, and checkSendGateFresh (consent-view.ts)
// re-reads GHL for it first, so nothing is ever sent on a stale view.
import type { ContactRecord, Location, StoreTx } from "@ghl-bulksms/store";
import { ghlSmsDnd } from "@ghl-bulksms/sync";
import { type LocationPolicy, resolvePolicy } from "../core/config.js";
import type { EngineDeps } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { getAccountBlock } from "../opt-out/account-block.js";
import { getGatewayBlock } from "../opt-out/gateway-block.js";
import { isValidTimeZone, nextAllowedTime } from "./quiet-hours.js";

/** Why a message may be sent, and which checks it may skip. */
export type SendPurpose =
  /** Marketing or automated texts (welcome, follow-ups, campaigns): every check, quiet hours included. */
  | "automated"
  /**
   * Automated texts to a number at a time the operator chose (the daily digest to a team number): every
   * consent check of "automated" (the GHL view of any contact with that number included), no quiet hours.
   */
  | "notification"
  /** An answer to a text the person just sent (HELP, START confirmation): no quiet hours. */
  | "reply"
  /** The one confirmation of a STOP: the ONLY text ever allowed to an opted-out number. */
  | "stop-confirmation";

export type BlockReason =
  | "location_unknown"
  | "location_inactive"
  | "contact_deleted"
  | "contact_retired"
  | "opted_out"
  | "ghl_dnd"
  | "no_consent"
  | "invalid_number"
  /**
   * BulkSMS still blocks the number although the person re-subscribed (no unblock API; every text would
   * end FAILED.BLOCKED and be billed). Cleared by an operator with clearGatewayBlock.
   */
  | "gateway_blocked"
  /**
   * The BulkSMS account blocks the number (its STOP handling, our push, its blocked list, a FAILED.BLOCKED
   * report): a text would end FAILED.BLOCKED and still be billed. Refused for every purpose.
   */
  | "account_blocked";

export type DeferReason =
  /** Outside the sending window: retried at `defer`. */
  | "quiet_hours"
  /** The contact's GHL DND/tags view is older than `consent.maxAgeMs`: re-read GHL, then decide again. */
  | "consent_stale"
  /** GHL could not be read to refresh a stale view (error, rate budget): retried at `defer`. */
  | "ghl_unreachable";

export type GateDecision =
  | { readonly allow: true }
  | { readonly defer: number; readonly reason: DeferReason; readonly detail?: string }
  | { readonly block: BlockReason; readonly detail?: string };

/** Purposes decided on a fresh GHL view of the contact's DND and tags. */
export function needsFreshConsent(purpose: SendPurpose): boolean {
  return purpose === "automated" || purpose === "notification";
}

/** True when the contact's GHL DND/tags view is no older than `maxAgeMs` at `at`. */
export function isConsentViewFresh(
  contact: Pick<ContactRecord, "consentCheckedAt">,
  maxAgeMs: number,
  at: number,
): boolean {
  return contact.consentCheckedAt !== null && at - contact.consentCheckedAt <= maxAgeMs;
}

/**
 * The contacts whose GHL view an automated text to `to` is decided on: the addressed contact, or (a text to
 * a bare number, e.g. the digest) every live contact with that number in the location.
 */
export async function consentContacts(
  repos: Pick<StoreTx, "contacts">,
  input: Pick<SendGateInput, "locationId" | "contactId" | "to">,
): Promise<ContactRecord[]> {
  if (input.contactId) {
    const c = await repos.contacts.get(input.locationId, input.contactId);
    return c ? [c] : [];
  }
  return repos.contacts.findByPhone(input.locationId, input.to);
}

export interface SendGateInput {
  readonly locationId: string;
  readonly contactId: string | null;
  /** E.164 */
  readonly to: string;
  readonly purpose: SendPurpose;
  readonly at?: number;
}

/** The time zone quiet hours are read in: the contact's (profile, then GHL record), else the location's. */
export function recipientTimeZone(
  contact: Pick<ContactRecord, "profile" | "ghl"> | null,
  location: Pick<Location, "timezone">,
): string {
  const tzCandidates = [
    asProfile(contact?.profile)?.timezone,
    asGhlRecord(contact?.ghl)?.timezone ?? null,
    location.timezone,
  ];
  return tzCandidates.find((tz) => isValidTimeZone(tz)) ?? "UTC";
}

/** The allowed sending window: the policy's, else the location's stored one. */
export function quietWindowOf(
  policy: Pick<LocationPolicy, "quietHours">,
  location: Pick<Location, "quietHours">,
): { start: string; end: string } {
  return {
    start: policy.quietHours.start ?? location.quietHours.start,
    end: policy.quietHours.end ?? location.quietHours.end,
  };
}

/** Reads only the store (pass a transaction to decide and act atomically). */
export async function checkSendGate(
  deps: EngineDeps,
  input: SendGateInput,
  tx?: StoreTx,
): Promise<GateDecision> {
  const repos = tx ?? deps.store;
  const at = input.at ?? deps.now();
  if (!/^\+\d{7,15}$/.test(input.to)) return { block: "invalid_number" };
  const location = await repos.locations.get(input.locationId);
  if (!location) return { block: "location_unknown" };
  if (!location.active) return { block: "location_inactive" };
  const contact = input.contactId ? await repos.contacts.get(input.locationId, input.contactId) : null;
  if (contact?.deleted) return { block: "contact_deleted" };
  if (contact?.retired) return { block: "contact_retired" };
  // before the STOP-confirmation exemption: a text BulkSMS is known to refuse is never sent (it is billed)
  if (await getGatewayBlock(repos, input.locationId, input.to)) {
    return {
      block: "gateway_blocked",
      detail:
        "BulkSMS still blocks this number after the person re-subscribed; ask BulkSMS support to unblock it",
    };
  }
  const optOut = await repos.optOuts.get(input.locationId, input.to);
  if (input.purpose !== "stop-confirmation" && optOut?.state === "opted_out")
    return { block: "opted_out", detail: optOut.source };
  // the STOP confirmation too: after BulkSMS blocked the number it would be refused and billed
  const accountBlock = await getAccountBlock(repos, input.to);
  if (accountBlock) return { block: "account_blocked", detail: accountBlock.evidence };
  if (input.purpose === "stop-confirmation") return { allow: true };

  const record = asGhlRecord(contact?.ghl);
  const profile = asProfile(contact?.profile);
  if ((record && ghlSmsDnd(record)) || profile?.dnd) return { block: "ghl_dnd" };
  const fresh = needsFreshConsent(input.purpose);
  // a text to a bare number (the digest) still respects the DND of every contact with that number
  const others = fresh && !input.contactId ? await consentContacts(repos, input) : [];
  for (const c of others) {
    const r = asGhlRecord(c.ghl);
    if ((r && ghlSmsDnd(r)) || asProfile(c.profile)?.dnd) return { block: "ghl_dnd", detail: c.contactId };
  }

  const policy = resolvePolicy(deps.config, location.id, location.settings);
  const consentField = profile?.consentField ?? "unknown";
  if (consentField === "opted-out") return { block: "no_consent", detail: "consent field says opted-out" };
  if (
    policy.consent.require === "explicit-opt-in" &&
    consentField !== "opted-in" &&
    optOut?.state !== "opted_in"
  ) {
    return { block: "no_consent", detail: "explicit opt-in required" };
  }

  if (input.purpose === "automated" && policy.quietHours.enabled) {
    const timeZone = recipientTimeZone(contact, location);
    const window = quietWindowOf(policy, location);
    const next = nextAllowedTime(at, timeZone, window);
    if (next !== null) return { defer: next, reason: "quiet_hours" };
  }
  // last: a text that waits anyway (quiet hours) costs no GHL read now
  if (fresh) {
    const stale = [...(contact ? [contact] : []), ...others].filter(
      (c) => !isConsentViewFresh(c, policy.consent.maxAgeMs, at),
    );
    if (stale.length > 0)
      return { defer: at, reason: "consent_stale", detail: stale.map((c) => c.contactId).join(",") };
  }
  return { allow: true };
}
