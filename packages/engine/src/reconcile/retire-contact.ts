// Stand-in for the engine's ContactDelete use-case (see /work/notes/engine-requests.md #4): a contact that
// a full reconcile confirmed deleted in GHL is marked deleted and retired, its pending sends are cancelled
// and its follow-up sequences stopped.
import type { EngineDeps } from "../core/deps.js";

export async function retireDeletedContact(deps: EngineDeps, locationId: string, contactId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.contacts.markDeleted(locationId, contactId, true);
    await tx.contacts.markRetired(locationId, contactId, true);
    await tx.messages.cancelPending(locationId, contactId, "contact deleted in GHL (found by reconciliation)");
    await tx.followUps.stopForContact(locationId, contactId, "contact-deleted");
  });
  deps.logger.info({ locationId, contactId }, "contact deleted in GHL retired by reconciliation");
}
