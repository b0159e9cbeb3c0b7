// ContactDelete: retire the SMS profile and cancel the contact's pending sends.
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { type JobOutcome, OK } from "../core/outcome.js";

export async function handleContactDeleted(
  deps: EngineDeps,
  ctx: LocationContext,
  contactId: string,
): Promise<JobOutcome> {
  const locationId = ctx.location.id;
  await deps.store.transaction(async (tx) => {
    const existing = await tx.contacts.get(locationId, contactId);
    if (!existing) await tx.contacts.upsert({ locationId, contactId, lastSeenAt: deps.now() });
    await tx.contacts.markDeleted(locationId, contactId, true);
    await tx.contacts.markRetired(locationId, contactId, true);
    const cancelled = await tx.messages.cancelPending(locationId, contactId, "contact deleted in HighLevel");
    await tx.followUps.stopForContact(locationId, contactId, "contact deleted");
    deps.logger.info({ locationId, contactId, cancelled }, "contact deleted: profile retired");
  });
  return OK;
}
