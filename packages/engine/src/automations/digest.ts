// Daily digest: at a configured local time per location (DST-correct through Intl), one short SMS per team
// number summarising the contacts added and updated in the last 24 hours, within a maximum of SMS parts.
// "New" is first sight (added in GHL, or first seen by the engine, in the window); "updated" is a change to
// a contact seen before.
import { measureSms } from "@ghl-bulksms/bulksms";
import type { ContactRecord } from "@ghl-bulksms/store";
import { type EngineDeps, loadLocation } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { localParts, zonedTimeToUtc } from "../gate/quiet-hours.js";
import { queueMessage } from "../sms/queue-message.js";
import { type LifecycleConfig, lifecycleFor } from "./config.js";

const DAY = 86_400_000;

export interface Digest {
  locationId: string;
  /** Local calendar date of the digest, YYYY-MM-DD. */
  localDate: string;
  timeZone: string;
  windowStart: number;
  windowEnd: number;
  newContacts: number;
  updatedContacts: number;
  /** The first few names of new contacts (then updated ones), as they appear in the text. */
  names: string[];
  text: string;
  encoding: string;
  parts: number;
}

function displayName(c: ContactRecord): string | null {
  const p = asProfile(c.profile);
  const g = asGhlRecord(c.ghl);
  const first = p?.firstName ?? g?.firstName ?? null;
  const last = p?.lastName ?? g?.lastName ?? null;
  const name = [first, last].filter(Boolean).join(" ") || p?.name || g?.name || null;
  return name ? name.trim() : null;
}

function dateAdded(c: ContactRecord): number {
  const g = asGhlRecord(c.ghl);
  const t = g?.dateAdded ? Date.parse(g.dateAdded) : Number.NaN;
  return Number.isNaN(t) ? c.createdAt : t;
}

export function localDateOf(at: number, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** The digest of the 24 hours before `at` (default now), as JSON; the SMS text fits `maxParts`. */
export async function buildDigest(
  deps: EngineDeps,
  input: { config: LifecycleConfig; locationId: string; at?: number },
): Promise<Digest | null> {
  const ctx = await loadLocation(deps, input.locationId);
  if (!ctx) return null;
  const settings = lifecycleFor(input.config, input.locationId).digest;
  const end = input.at ?? deps.now();
  const start = end - DAY;
  const changed = (await deps.store.contacts.listChangedSince(input.locationId, start, 100_000)).filter(
    (c) => (c.dateUpdated ?? c.createdAt) < end || c.createdAt < end,
  );
  // New: added in GHL in the window, or first seen by the engine in the window (the mirror row was
  // created then: a location imported today has no "updated" contacts, only new ones). Updated: seen
  // before the window and changed in GHL during it.
  const within = (t: number | null): boolean => t !== null && t >= start && t < end;
  const isNew = (c: ContactRecord): boolean => within(dateAdded(c)) || within(c.createdAt);
  const fresh = changed.filter(isNew);
  const updated = changed.filter((c) => !isNew(c) && c.createdAt < start && within(c.dateUpdated));
  const candidates = [...fresh, ...updated].map(displayName).filter((n): n is string => n !== null);
  const timeZone = ctx.location.timezone;
  const localDate = localDateOf(end, timeZone);
  const compose = (names: string[]): string => {
    const head = `Daily digest ${localDate}: ${fresh.length} new, ${updated.length} updated contacts.`;
    if (names.length === 0) return head;
    const more = candidates.length - names.length;
    return `${head} ${names.join(", ")}${more > 0 ? ` +${more} more` : ""}.`;
  };
  let names = candidates.slice(0, settings.maxNames);
  let text = compose(names);
  let m = measureSms(text);
  while (m.parts > settings.maxParts && names.length > 0) {
    names = names.slice(0, -1);
    text = compose(names);
    m = measureSms(text);
  }
  return {
    locationId: input.locationId,
    localDate,
    timeZone,
    windowStart: start,
    windowEnd: end,
    newContacts: fresh.length,
    updatedContacts: updated.length,
    names,
    text,
    encoding: m.encoding,
    parts: m.parts,
  };
}

/** The instant the digest of `localDate` is due in the location's time zone. */
export function digestDueAt(localDate: string, at: string, timeZone: string): number {
  const [y, mo, d] = localDate.split("-").map(Number);
  const [h, mi] = at.split(":").map(Number);
  return zonedTimeToUtc(
    { year: y ?? 1970, month: mo ?? 1, day: d ?? 1, hour: h ?? 0, minute: mi ?? 0 },
    timeZone,
  );
}

export interface DigestTickResult {
  sent: Array<{ locationId: string; localDate: string; recipient: string; messageId: string }>;
}

/**
 * Called often (e.g. every 5 minutes): for each active location whose digest is enabled and due today
 * (local time reached, within `catchUpMs`), queues one SMS per team number, once per local date.
 */
export async function digestTick(
  deps: EngineDeps,
  options: { config: LifecycleConfig; now?: number; catchUpMs?: number },
): Promise<DigestTickResult> {
  const now = options.now ?? deps.now();
  const catchUp = options.catchUpMs ?? 6 * 3_600_000;
  const sent: DigestTickResult["sent"] = [];
  for (const location of await deps.store.locations.list({ activeOnly: true })) {
    const settings = lifecycleFor(options.config, location.id).digest;
    if (!settings.enabled || settings.recipients.length === 0) continue;
    const localDate = localDateOf(now, location.timezone);
    const due = digestDueAt(localDate, settings.at, location.timezone);
    if (now < due || now >= due + catchUp) continue;
    const done = new Set((await deps.store.digests.get(location.id, localDate)).map((d) => d.recipient));
    if (settings.recipients.every((r) => done.has(r))) continue;
    const digest = await buildDigest(deps, { config: options.config, locationId: location.id, at: due });
    if (!digest) continue;
    for (const recipient of settings.recipients) {
      if (done.has(recipient)) continue;
      const messageId = await deps.store.transaction(async (tx) => {
        const q = await queueMessage(tx, {
          key: `digest:${location.id}:${localDate}:${recipient}`,
          locationId: location.id,
          contactId: null,
          to: recipient,
          body: digest.text,
          sendAfter: now,
          // consent-checked at send time (DND of any contact with this number, on a fresh GHL view)
          meta: { purpose: "notification", kind: "digest" },
          template: null,
        });
        await tx.digests.record({
          locationId: location.id,
          localDate,
          recipient,
          messageId: q.message.id,
          summary: {
            newContacts: digest.newContacts,
            updatedContacts: digest.updatedContacts,
            names: digest.names,
          },
          at: now,
        });
        return q.message.id;
      });
      sent.push({ locationId: location.id, localDate, recipient, messageId });
    }
  }
  return { sent };
}
