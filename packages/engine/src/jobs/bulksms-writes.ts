import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { phoneRef } from "../core/hash.js";
import { fromBulkSmsError, type JobOutcome, OK } from "../core/outcome.js";
import type { EngineJobCatalog } from "./catalog.js";

/** Job "bulksms.block": adds the number to the account's blocked numbers (idempotent at BulkSMS). */
export async function runBlockNumber(
  deps: EngineDeps,
  p: EngineJobCatalog["bulksms.block"],
): Promise<JobOutcome> {
  const r = await deps.sms.addBlockedNumbers([p.phone]);
  await auditVendorWrite(deps, {
    locationId: p.locationId,
    vendor: "bulksms",
    operation: "blocked-numbers.add",
    targetId: phoneRef(p.phone),
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
  });
  return r.ok ? OK : fromBulkSmsError(r.error);
}
