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
import type { EngineJobCatalog } from "./catalog.js";
import { writeSmsDnd } from "./ghl-writes.js";

/** Rounds of write-then-recheck before the job gives the runner a retry. */
const MAX_ROUNDS = 3;

function writeDnd(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.consent.sync"],
  optOut: OptOut,
): Promise<JobOutcome> {
  const active = optOut.state === "opted_out";
  const message = optOut.note ?? (active ? "opted out of SMS" : "re-subscribed to SMS");
  return writeSmsDnd(deps, { locationId: p.locationId, contactId: p.contactId, active, message });
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
