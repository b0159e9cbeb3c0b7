/**
 * Faults of the BulkSMS simulator: the shared FaultConfig (src/faults.ts: latency, a share of 5xx or 429,
 * 429 storms, stalled connections, dropped/duplicated/reordered webhooks), plus one legacy alias.
 */
import { type FaultConfig, mergeFaults } from "../faults.js";

export type BulkSmsFaults = FaultConfig & {
  /** Legacy alias: `true` means webhookReorderRate 1, `false` removes it. */
  webhookReorder?: boolean;
};

/** Validate and merge a patch (null or undefined values remove a key). Throws naming the bad key. */
export function applyFaultPatch(
  current: FaultConfig,
  patch: BulkSmsFaults | Record<string, unknown>,
): FaultConfig {
  const { webhookReorder, ...rest } = patch as Record<string, unknown>;
  const translated: Record<string, unknown> = { ...rest };
  if (webhookReorder !== undefined) {
    if (typeof webhookReorder !== "boolean") throw new Error("faults.webhookReorder: expected a boolean");
    translated.webhookReorderRate = webhookReorder ? 1 : null;
  }
  return mergeFaults(current, translated);
}
