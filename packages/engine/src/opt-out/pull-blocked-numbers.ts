// pullBlockedNumbers: BulkSMS blocked numbers -> local opt-outs and GHL DND, from a min-id cursor.
import type { EngineDeps } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { fromBulkSmsError, type JobOutcome, OK } from "../core/outcome.js";
import { markAccountBlocked } from "./account-block.js";
import { isExplicitOptIn } from "./gateway-block.js";
import { applyOptOut } from "./opt-out-state.js";

export function blockedCursorKey(locationId: string): string {
  return `engine:bulksms-blocked-cursor:${locationId}`;
}

export interface PullBlockedResult {
  scanned: number;
  optedOut: number;
  /** The next min-id. */
  cursor: string | null;
}

export async function pullBlockedNumbers(
  deps: EngineDeps,
  locationId: string,
  options: { pageSize?: number; maxPages?: number } = {},
): Promise<{ ok: true; data: PullBlockedResult } | { ok: false; outcome: JobOutcome }> {
  const ctx = await loadLocation(deps, locationId);
  if (!ctx?.location.active) return { ok: true, data: { scanned: 0, optedOut: 0, cursor: null } };
  const key = blockedCursorKey(locationId);
  let cursor = (await deps.store.settings.get<string>(key)) ?? undefined;
  let scanned = 0;
  let optedOut = 0;
  for (let page = 0; page < (options.maxPages ?? 100); page++) {
    const r = await deps.sms.listBlockedNumbers({
      ...(cursor ? { minId: cursor } : {}),
      limit: options.pageSize ?? 1000,
    });
    if (!r.ok) return { ok: false, outcome: fromBulkSmsError(r.error) };
    if (r.data.length === 0) break;
    let highest = cursor ? BigInt(cursor) - 1n : -1n;
    const now = deps.now();
    // each page and its cursor commit together: a crash re-reads at most one page, and applying twice is a no-op
    await deps.store.transaction(async (tx) => {
      for (const entry of r.data) {
        scanned++;
        if (BigInt(entry.id) > highest) highest = BigInt(entry.id);
        if (!/^\+\d{7,15}$/.test(entry.phoneNumber)) continue;
        // blocked at the account whatever the consent state: the send gate refuses it (texts are billed)
        await markAccountBlocked(tx, { phone: entry.phoneNumber, evidence: "pull", at: now });
        // BulkSMS cannot unblock: after an explicit re-subscribe (START or an operator), an older block of
        // the same number must not opt the person out again
        const current = await tx.optOuts.get(locationId, entry.phoneNumber);
        if (isExplicitOptIn(current)) continue;
        const applied = await applyOptOut(tx, ctx, {
          phone: entry.phoneNumber,
          source: "bulksms_blocked",
          eventKey: `blocked:${entry.id}`,
          why: "the number is blocked at BulkSMS (it replied STOP there, or was blocked by BulkSMS)",
          now,
          setGhlDnd: true,
          pushBlock: false,
          confirm: false,
        });
        if (applied.changed) optedOut++;
      }
      cursor = (highest + 1n).toString();
      await tx.settings.set(key, cursor);
    });
    if (r.data.length < (options.pageSize ?? 1000)) break;
  }
  deps.logger.info({ locationId, scanned, optedOut }, "pulled BulkSMS blocked numbers");
  return { ok: true, data: { scanned, optedOut, cursor: cursor ?? null } };
}

export async function runPullBlocked(deps: EngineDeps, p: { locationId: string }): Promise<JobOutcome> {
  const r = await pullBlockedNumbers(deps, p.locationId);
  return r.ok ? OK : r.outcome;
}
