// AppUninstall: stop the location's work (inactive: every job and send for it is skipped by the gate and
// the handlers), cancel its queued sends and queued vendor-write jobs, and delete its tokens.
import type { EngineDeps } from "../core/deps.js";
import { type JobOutcome, OK } from "../core/outcome.js";

/**
 * Queued jobs cancelled on uninstall. Not cancelled: `bulksms.block` (an opt-out reaches BulkSMS whatever
 * happens to the GHL app) and `ghl.install` (a re-install queued behind the uninstall must still run).
 */
export const UNINSTALL_CANCELLED_JOBS = [
  "sms.send",
  "ghl.note.create",
  "ghl.task.create",
  "ghl.task.complete",
  "ghl.dnd.set",
  "ghl.consent.sync",
  "ghl.tags.add",
  "ghl.tags.remove",
  "bulksms.pull-blocked",
  "reconcile.incremental",
  "reconcile.full",
] as const;

export async function handleAppUninstalled(deps: EngineDeps, locationId: string | null): Promise<JobOutcome> {
  if (!locationId) return OK;
  const { store } = deps;
  const { cancelled, jobsCancelled } = await store.transaction(async (tx) => {
    await tx.locations.upsert({ id: locationId, active: false });
    const cancelled = await tx.messages.cancelPendingForLocation(locationId, "app uninstalled");
    const jobsCancelled = await tx.jobs.cancelForLocation(locationId, {
      reason: "app uninstalled",
      names: UNINSTALL_CANCELLED_JOBS,
    });
    return { cancelled, jobsCancelled };
  });
  const deleted = await store.tokens.delete(locationId);
  deps.logger.info(
    { locationId, cancelled, jobsCancelled, tokensDeleted: deleted },
    "app uninstalled: location stopped",
  );
  return OK;
}
