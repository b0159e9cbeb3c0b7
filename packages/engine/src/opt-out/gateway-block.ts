// A number the person re-subscribed (START/UNSTOP or an operator) that BulkSMS still blocks.
//
// BulkSMS has no unblock API: after STOP -> START the number stays on its blocked list, and every text to
// it ends FAILED.BLOCKED (billed). The explicit opt-in is newer than the block, so it wins for consent: the
// contact stays opted in and GHL DND stays off. What we record instead is a "gateway block": one settings
// row per number (the send gate refuses every text to it, so no more money is spent) and one task per
// contact asking an operator to get BulkSMS support to unblock the number. An operator clears the row with
// clearGatewayBlock once BulkSMS confirms the unblock.
import type { OptOut, Repositories, StoreTx } from "@ghl-bulksms/store";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { loadLocation } from "../core/deps.js";
import { shortHash } from "../core/hash.js";
import { enqueueJob } from "../jobs/catalog.js";
import { clearAccountBlock, getAccountBlock, markAccountBlocked } from "./account-block.js";
import { blockedNumberKey } from "./opt-out-state.js";

export interface GatewayBlock {
  phone: string;
  /** When the first FAILED.BLOCKED after the re-subscribe was seen (ms). */
  since: number;
  /**
   * The message whose FAILED.BLOCKED revealed the block; null when the account block was already known
   * when the person re-subscribed (STOP received, our push, the blocked-number pull).
   */
  messageId: string | null;
  /** Contacts that got the "ask BulkSMS support" task. */
  contacts: string[];
}

const PREFIX = "engine:gateway-blocked:";

export function gatewayBlockKey(locationId: string, phone: string): string {
  return `${PREFIX}${locationId}:${phone}`;
}

/** Idempotency key of the task for one block episode of a number on one contact. */
export function gatewayBlockTaskKey(
  locationId: string,
  contactId: string,
  phone: string,
  since: number,
): string {
  return `task:gateway-blocked:${locationId}:${contactId}:${shortHash(phone, 12)}:${since}`;
}

/**
 * True when the number's current consent record is an explicit opt-in (a START/UNSTOP keyword or an
 * operator). Every later opt-out replaces the record, so such a record is newer than any block we know of.
 */
export function isExplicitOptIn(o: Pick<OptOut, "state" | "source"> | null | undefined): boolean {
  return o?.state === "opted_in" && (o.source === "sms_stop" || o.source === "operator");
}

export async function getGatewayBlock(
  repos: Pick<Repositories, "settings">,
  locationId: string,
  phone: string,
): Promise<GatewayBlock | null> {
  return repos.settings.get<GatewayBlock>(gatewayBlockKey(locationId, phone));
}

export async function listGatewayBlocks(deps: EngineDeps, locationId: string): Promise<GatewayBlock[]> {
  const rows = await deps.store.settings.list(`${PREFIX}${locationId}:`);
  return rows.map((r) => r.value as GatewayBlock);
}

/**
 * Inside the transaction that recorded a FAILED.BLOCKED for an explicitly re-subscribed number: remember
 * the block (first time only) and queue one task per contact (written once by the idempotent task writer).
 * Returns true when the block was new.
 */
export async function recordGatewayBlock(
  tx: StoreTx,
  ctx: LocationContext,
  input: { phone: string; messageId: string | null; now: number },
): Promise<boolean> {
  const locationId = ctx.location.id;
  const key = gatewayBlockKey(locationId, input.phone);
  const existing = await tx.settings.get<GatewayBlock>(key);
  const contacts = (await tx.contacts.findByPhone(locationId, input.phone))
    .filter((c) => !c.deleted)
    .map((c) => c.contactId);
  await markAccountBlocked(tx, { phone: input.phone, evidence: "failed_blocked", at: input.now });
  const block: GatewayBlock = existing
    ? { ...existing, contacts: [...new Set([...existing.contacts, ...contacts])] }
    : { phone: input.phone, since: input.now, messageId: input.messageId, contacts };
  await tx.settings.set(key, block);
  const { policy } = ctx;
  if (policy.tasks.onFailure) {
    for (const contactId of contacts) {
      const taskKey = gatewayBlockTaskKey(locationId, contactId, input.phone, block.since);
      await enqueueJob(
        tx,
        "ghl.task.create",
        {
          locationId,
          contactId,
          key: taskKey,
          title: "BulkSMS still blocks this number after the person re-subscribed",
          body:
            `BulkSMS still blocks this number after the person re-subscribed; ask BulkSMS support to unblock ${input.phone}. ` +
            "BulkSMS has no API to remove a block and charges for every text it refuses, so no texts go to this number " +
            "until an operator clears the block (after BulkSMS confirms the unblock).",
          dueAt: input.now + policy.tasks.dueInMs,
          ...(policy.tasks.assignedTo ? { assignedTo: policy.tasks.assignedTo } : {}),
        },
        { key: taskKey, locationId },
      );
    }
  }
  return existing === null;
}

/**
 * Inside the transaction of an explicit re-subscribe (START/UNSTOP, an operator): when the BulkSMS account
 * is known to block the number, record the gateway block and its operator task now, instead of learning it
 * from a billed FAILED.BLOCKED later. Returns true when a block was recorded.
 */
export async function recordGatewayBlockOnOptIn(
  tx: StoreTx,
  ctx: LocationContext,
  input: { phone: string; now: number },
): Promise<boolean> {
  if (!(await getAccountBlock(tx, input.phone))) return false;
  await recordGatewayBlock(tx, ctx, { phone: input.phone, messageId: null, now: input.now });
  return true;
}

/**
 * Operator action, after BulkSMS support removed the block: texts to the number are allowed again and the
 * contacts' tasks are completed. Returns false when the number had no gateway block.
 */
export async function clearGatewayBlock(
  deps: EngineDeps,
  input: { locationId: string; phone: string; reason?: string },
): Promise<boolean> {
  const ctx = await loadLocation(deps, input.locationId);
  if (!ctx) throw new Error(`clearGatewayBlock: location ${input.locationId} is not registered`);
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    const key = gatewayBlockKey(input.locationId, input.phone);
    const block = await tx.settings.get<GatewayBlock>(key);
    // BulkSMS confirmed the unblock: the account block goes too (it is what the send gate refuses)
    const hadAccountBlock = await clearAccountBlock(tx, input.phone);
    if (!block) return hadAccountBlock;
    await tx.settings.delete(key);
    // BulkSMS unblocked the number: the next opt-out must push it again
    await tx.settings.delete(blockedNumberKey(input.locationId, input.phone));
    if (ctx.policy.tasks.onFailure) {
      for (const contactId of block.contacts) {
        const taskKey = gatewayBlockTaskKey(input.locationId, contactId, input.phone, block.since);
        await enqueueJob(
          tx,
          "ghl.task.complete",
          {
            locationId: input.locationId,
            contactId,
            taskKey,
            resolution: `Resolved: ${input.reason ?? "an operator cleared the BulkSMS block"}.`,
          },
          { key: `${taskKey}:cleared:${now}`, locationId: input.locationId },
        );
      }
    }
    return true;
  });
}
