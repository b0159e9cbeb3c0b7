// AppUninstall: stop the location's work (inactive: every job and send for it is skipped by the gate and
// the handlers), cancel its queued sends, and delete its tokens.
import type { EngineDeps } from "../core/deps.js";
import { type JobOutcome, OK } from "../core/outcome.js";

export async function handleAppUninstalled(deps: EngineDeps, locationId: string | null): Promise<JobOutcome> {
  if (!locationId) return OK;
  const { store } = deps;
  await store.locations.upsert({ id: locationId, active: false });
  let cancelled = 0;
  let after: string | undefined;
  for (;;) {
    const page = await store.contacts.list({
      locationId,
      limit: 500,
      ...(after ? { afterContactId: after } : {}),
    });
    if (page.length === 0) break;
    for (const c of page)
      cancelled += await store.messages.cancelPending(locationId, c.contactId, "app uninstalled");
    after = page[page.length - 1]?.contactId;
  }
  const deleted = await store.tokens.delete(locationId);
  deps.logger.info({ locationId, cancelled, tokensDeleted: deleted }, "app uninstalled: location stopped");
  return OK;
}
