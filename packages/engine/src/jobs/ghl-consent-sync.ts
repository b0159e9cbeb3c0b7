// Job "ghl.consent.sync": makes one GHL contact's SMS DND and opt-out tag show the number's consent as it
// is decided *when the job runs* (not when it was queued). Consent events can be processed in any order,
// so a job queued by an older event may run after a newer one changed the state: writing the current state,
// and writing again if it moved while the job was writing, leaves GHL with the final state whatever order
// these jobs run in.
import type { OptOut } from "@ghl-bulksms/store";
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { fromGhlError, type JobOutcome, OK, retryLater } from "../core/outcome.js";
import { recordDndWrite } from "../opt-out/ghl-dnd-timeline.js";
import type { EngineJobCatalog } from "./catalog.js";

/** Rounds of write-then-recheck before the job gives the runner a retry. */
const MAX_ROUNDS = 3;

function dateMs(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}

async function writeDnd(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.consent.sync"],
  optOut: OptOut,
): Promise<JobOutcome> {
  const active = optOut.state === "opted_out";
  const startedAt = deps.now();
  const status = active ? "active" : "inactive";
  const message = (optOut.note ?? (active ? "opted out of SMS" : "re-subscribed to SMS")).slice(0, 200);
  const r = await deps.ghl(p.locationId).contacts.update({
    locationId: p.locationId,
    contactId: p.contactId,
    body: { dndSettings: { SMS: { status, message } } },
  });
  await auditVendorWrite(deps, {
    locationId: p.locationId,
    vendor: "ghl",
    operation: "contact.dnd",
    targetId: p.contactId,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: { sms: status },
  });
  if (!r.ok) return fromGhlError(r.error);
  const contact = (r.data as { contact?: { dateUpdated?: unknown } }).contact;
  // GHL answers a write that changed nothing with the older dateUpdated of whoever set the value (maybe a
  // person a moment ago): never date our write before we made it, or their change would pass for our echo
  const at = Math.max(dateMs(contact?.dateUpdated) ?? startedAt, startedAt);
  await deps.store.transaction((tx) => recordDndWrite(tx, p.locationId, p.contactId, { at, active }));
  return OK;
}

async function writeTag(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.consent.sync"],
  tag: string,
  optedOut: boolean,
): Promise<JobOutcome> {
  const client = deps.ghl(p.locationId);
  const input = { locationId: p.locationId, contactId: p.contactId, tags: [tag] };
  const r = optedOut ? await client.tags.add(input) : await client.tags.remove(input);
  await auditVendorWrite(deps, {
    locationId: p.locationId,
    vendor: "ghl",
    operation: `contact.tags.${optedOut ? "add" : "remove"}`,
    targetId: p.contactId,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: { tags: [tag] },
  });
  return r.ok ? OK : fromGhlError(r.error);
}

export async function runConsentSync(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.consent.sync"],
): Promise<JobOutcome> {
  const ctx = await loadLocation(deps, p.locationId);
  if (!ctx?.location.active) return OK;
  const contact = await deps.store.contacts.get(p.locationId, p.contactId);
  if (contact?.deleted) return OK;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const optOut = await deps.store.optOuts.get(p.locationId, p.phone);
    if (!optOut) return OK;
    // always written, also when GHL reported this very state: our own write of an earlier decision may
    // have landed after the person's change in GHL, and two GHL changes of the same instant cannot be
    // ordered from their webhooks (a write that changes nothing at GHL sends no webhook)
    const d = await writeDnd(deps, p, optOut);
    if (!d.ok) return d;
    const t = await writeTag(deps, p, ctx.policy.optOutTag, optOut.state === "opted_out");
    if (!t.ok) return t;
    const after = await deps.store.optOuts.get(p.locationId, p.phone);
    if (after?.state === optOut.state) return OK;
    // the state moved while we wrote: write the new one
  }
  return retryLater("consent_moving", "the consent state kept changing while it was written to GHL", 1_000);
}
