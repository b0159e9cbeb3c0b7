// A fresh view of GHL's DND and tags before an automated text.
//
// GHL drops a webhook on anything but 429 (e.g. while the worker restarts), so the mirror may not know
// that SMS DND was switched on. Every automated text (welcome, follow-up, digest, any campaign queued with
// purpose "automated") is decided on a view no older than the location policy's `consent.maxAgeMs`: an
// older contact is read from GHL (GET /contacts/{id}, the authoritative record; the search index lags by
// seconds) through the client's rate limiter at background priority, the mirror's DND and tags are updated
// from it, and a DND found on is applied as a GHL-sourced opt-out at GHL's time. When GHL cannot be read
// (an error, the rate budget) the text is deferred, never sent on the stale view.
import type { ContactRecord } from "@ghl-bulksms/store";
import { type GhlContactLike, ghlSmsDnd } from "@ghl-bulksms/sync";
import type { LifecycleConfig } from "../automations/config.js";
import { detectFollowUpTriggers } from "../automations/follow-up-triggers.js";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { applyOptOut } from "../opt-out/opt-out-state.js";
import {
  checkSendGate,
  consentContacts,
  type GateDecision,
  isConsentViewFresh,
  needsFreshConsent,
  type SendGateInput,
} from "./send-gate.js";

/** How long a text waits when GHL could not be read and GHL gave no retry time. */
export const CONSENT_RETRY_MS = 5 * 60_000;
/**
 * Reconciliation reads contacts through POST /contacts/search, whose index is near-real-time (seconds
 * behind, GHL fact sheet 3.3): a page read at t is taken as a view of GHL at t minus this allowance.
 */
export const SEARCH_INDEX_LAG_MS = 60_000;

/** The consent view time a search hit gives, or undefined when it carries no DND settings to judge by. */
export function consentViewTimeOfSearchHit(
  hit: Pick<GhlContactLike, "dndSettings">,
  readAt: number,
): number | undefined {
  return hit.dndSettings !== undefined ? readAt - SEARCH_INDEX_LAG_MS : undefined;
}

/** Contact reads in flight at once for one refresh (the rate limiter still paces them). */
const READ_CONCURRENCY = 4;

export interface ConsentReadFailure {
  readonly contactId: string;
  /** When to try again (ms). */
  readonly retryAt: number;
  /** The GHL error code, e.g. "daily_limit_exhausted", "rate_limited", "network". */
  readonly detail: string;
}

export interface ConsentRefreshResult {
  /** GHL requests made (one per stale contact). */
  readonly reads: number;
  /** Contacts found in GHL with SMS DND on that the mirror did not know of. */
  readonly dndFound: string[];
  readonly failed: ConsentReadFailure[];
}

function dateMs(value: string | undefined | null): number | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

/**
 * Writes what GHL said about one contact into the mirror (DND, tags), starts or stops the follow-ups its tag
 * changes trigger (as the webhook it replaces would have), and applies a DND it found.
 */
async function applyRead(
  deps: EngineDeps,
  ctx: LocationContext,
  contactId: string,
  read: GhlContactLike | null,
  readAt: number,
  lifecycle: LifecycleConfig | undefined,
): Promise<boolean> {
  const locationId = ctx.location.id;
  return deps.store.transaction(async (tx) => {
    const existing = await tx.contacts.get(locationId, contactId);
    if (!existing) return false;
    if (read === null) {
      // GHL answers 404: the contact is gone, nothing may be texted to it on its behalf
      await tx.contacts.upsert({ locationId, contactId, deleted: true, consentCheckedAt: readAt });
      return false;
    }
    const previous = asGhlRecord(existing.ghl);
    const knewDnd = (previous !== null && ghlSmsDnd(previous)) || asProfile(existing.profile)?.dnd === true;
    // only the consent view moves: DND, DND settings, tags (reconciliation owns every other field)
    const record: GhlContactLike = {
      ...(previous ?? {}),
      id: contactId,
      ...(read.dnd !== undefined ? { dnd: read.dnd } : {}),
      ...(read.dndSettings !== undefined ? { dndSettings: read.dndSettings } : {}),
      ...(read.tags !== undefined ? { tags: read.tags } : {}),
    };
    const dndOn = ghlSmsDnd(record);
    const profile = asProfile(existing.profile);
    await tx.contacts.upsert({
      locationId,
      contactId,
      ghl: record,
      ...(profile ? { profile: { ...profile, dnd: dndOn } } : {}),
      consentCheckedAt: readAt,
    });
    // the mirror's tags are what trigger detection compares against: a tag added in GHL with its webhook
    // lost must still start its sequence here, not be swallowed by this read
    if (lifecycle)
      await detectFollowUpTriggers(tx, {
        config: lifecycle,
        locationId,
        contactId,
        before: previous,
        after: record,
        now: readAt,
      });
    const phone = profile?.phone ?? existing.phoneE164;
    if (!dndOn || !phone) return false;
    // GHL's time: the record's last update (when DND was set, at the latest), else the read
    const ghlTime = dateMs(read.dateUpdated) ?? readAt;
    await applyOptOut(tx, ctx, {
      phone,
      source: "ghl_dnd",
      eventKey: `ghl-read:${contactId}:${ghlTime}`,
      why: "SMS DND is on in HighLevel (found when re-reading the contact before an automated text)",
      now: ghlTime,
      setGhlDnd: false,
      pushBlock: true,
      confirm: false,
    });
    return !knewDnd;
  });
}

/**
 * Re-reads from GHL every listed contact whose view is older than the location's bound at `at` (others cost
 * nothing), so the send gate can decide on them. Duplicates are read once. Entry point for any bulk sender
 * (follow-ups, campaigns): refresh the batch, then gate each text.
 */
export async function refreshConsentViews(
  deps: EngineDeps,
  locationId: string,
  contactIds: Iterable<string>,
  options: {
    at?: number;
    /** Follow-up rules to start/stop on tag changes the reads reveal (default: the engine's). */
    lifecycle?: LifecycleConfig;
  } = {},
): Promise<ConsentRefreshResult> {
  const at = options.at ?? deps.now();
  const ctx = await loadLocation(deps, locationId);
  if (!ctx) return { reads: 0, dndFound: [], failed: [] };
  const maxAgeMs = ctx.policy.consent.maxAgeMs;
  const stale: string[] = [];
  for (const id of new Set(contactIds)) {
    const c = await deps.store.contacts.get(locationId, id);
    if (c && !c.deleted && !isConsentViewFresh(c, maxAgeMs, at)) stale.push(id);
  }
  const dndFound: string[] = [];
  const failed: ConsentReadFailure[] = [];
  let reads = 0;
  const ghl = deps.ghl(locationId);
  const readOne = async (contactId: string): Promise<void> => {
    reads++;
    const r = await ghl.contacts.get({ locationId, contactId }, { priority: "background" });
    const readAt = deps.now();
    if (r.ok || r.error.code === "not_found") {
      const found = await applyRead(
        deps,
        ctx,
        contactId,
        r.ok ? (r.data.contact as GhlContactLike) : null,
        readAt,
        options.lifecycle ?? deps.lifecycle,
      );
      if (found) dndFound.push(contactId);
      return;
    }
    failed.push({
      contactId,
      retryAt: readAt + Math.max(r.error.retryAfterMs ?? CONSENT_RETRY_MS, 1_000),
      detail: r.error.code,
    });
  };
  let next = 0;
  const worker = async () => {
    while (next < stale.length) {
      const id = stale[next++];
      if (id !== undefined) await readOne(id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, stale.length) }, worker));
  if (reads > 0)
    deps.logger.debug(
      { locationId, reads, dndFound: dndFound.length, failed: failed.length },
      "re-read GHL consent views",
    );
  return { reads, dndFound, failed };
}

/**
 * The send gate on a fresh GHL view: a decision deferred as "consent_stale" re-reads the contacts from GHL
 * and decides again; when a read failed, the text is deferred as "ghl_unreachable" until the retry time.
 */
export async function checkSendGateFresh(deps: EngineDeps, input: SendGateInput): Promise<GateDecision> {
  const at = input.at ?? deps.now();
  const first = await checkSendGate(deps, { ...input, at });
  if (!("defer" in first) || first.reason !== "consent_stale" || !needsFreshConsent(input.purpose))
    return first;
  const contacts: ContactRecord[] = await consentContacts(deps.store, input);
  const r = await refreshConsentViews(
    deps,
    input.locationId,
    contacts.map((c) => c.contactId),
    { at },
  );
  const failure = r.failed[0];
  const again = await checkSendGate(deps, { ...input, at });
  if ("block" in again || !("defer" in again) || again.reason !== "consent_stale") return again;
  return {
    defer: failure?.retryAt ?? at + CONSENT_RETRY_MS,
    reason: "ghl_unreachable",
    detail: failure ? `GHL contact read failed: ${failure.detail}` : "GHL view still stale",
  };
}
