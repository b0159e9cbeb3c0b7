import type { Vendor } from "@ghl-bulksms/store";
import type { EngineDeps } from "./deps.js";

/** Records one vendor write (or attempt) in the audit log. Never include phone numbers or bodies. */
export async function auditVendorWrite(
  deps: EngineDeps,
  entry: {
    locationId: string | null;
    vendor: Vendor;
    operation: string;
    targetId?: string | null;
    idempotencyKey?: string | null;
    resultStatus: string;
    detail?: unknown;
  },
): Promise<void> {
  await deps.store.audit.record({
    locationId: entry.locationId,
    vendor: entry.vendor,
    operation: entry.operation,
    targetId: entry.targetId ?? null,
    idempotencyKey: entry.idempotencyKey ?? null,
    resultStatus: entry.resultStatus,
    at: deps.now(),
    ...(entry.detail !== undefined ? { detail: entry.detail } : {}),
  });
}
