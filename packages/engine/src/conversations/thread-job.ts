// Job "ghl.thread.message": one SMS into the contact's GHL conversation, once.
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { fromGhlError, type JobOutcome, OK } from "../core/outcome.js";
import type { EngineJobCatalog } from "../jobs/catalog.js";
import { postToThreadOnce } from "./thread-message.js";

export async function runThreadMessage(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.thread.message"],
): Promise<JobOutcome> {
  const ctx = await loadLocation(deps, p.locationId);
  if (!ctx?.location.active) {
    deps.logger.info({ locationId: p.locationId }, "job skipped: location inactive or unknown");
    return OK;
  }
  const contact = await deps.store.contacts.get(p.locationId, p.contactId);
  if (contact?.deleted) return OK;
  const r = await postToThreadOnce(deps, p, ctx.policy.conversations);
  return r.ok ? OK : fromGhlError(r.error);
}
