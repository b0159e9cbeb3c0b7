import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { phoneRef } from "../core/hash.js";
import { fromBulkSmsError, type JobOutcome, OK } from "../core/outcome.js";
import { markAccountBlocked } from "../opt-out/account-block.js";
import type { EngineJobCatalog } from "./catalog.js";

/** How long a block waits for the STOP confirmation to leave before it goes ahead anyway. */
export const BLOCK_WAIT_FOR_CONFIRMATION_MS = 10 * 60_000;

/** Key of the block enqueued once the STOP confirmation `messageKey` has left (sent, failed or cancelled). */
export function blockAfterConfirmationKey(messageKey: string): string {
  return `after:${messageKey}`;
}

/**
 * Job "bulksms.block": adds the number to the account's blocked numbers (idempotent at BulkSMS).
 * BulkSMS refuses to text a blocked number, so a STOP with a confirmation blocks in two steps: the send
 * job of the confirmation enqueues the block as soon as the confirmation has left, and the opt-out's own
 * block job (with `afterMessageKey`) runs BLOCK_WAIT_FOR_CONFIRMATION_MS later as the fallback, doing
 * nothing when the first one already did it. Our own send gate refuses every other text meanwhile.
 */
export async function runBlockNumber(
  deps: EngineDeps,
  p: EngineJobCatalog["bulksms.block"],
): Promise<JobOutcome> {
  if (p.afterMessageKey) {
    const early = await deps.store.jobs.getByKey(
      `bulksms.block:${blockAfterConfirmationKey(p.afterMessageKey)}`,
    );
    if (early?.state === "done") return OK;
  }
  const r = await deps.sms.addBlockedNumbers([p.phone]);
  await auditVendorWrite(deps, {
    locationId: p.locationId,
    vendor: "bulksms",
    operation: "blocked-numbers.add",
    targetId: phoneRef(p.phone),
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
  });
  if (!r.ok) return fromBulkSmsError(r.error);
  // from now on BulkSMS refuses (and bills) every text to it: the send gate knows
  await markAccountBlocked(deps.store, { phone: p.phone, evidence: "push", at: deps.now() });
  return OK;
}
