// THE send gate. Every send path calls it at the moment of sending; nothing texts a number it refuses.
import type { StoreTx } from "@ghl-bulksms/store";
import { ghlSmsDnd } from "@ghl-bulksms/sync";
import { resolvePolicy } from "../core/config.js";
import type { EngineDeps } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import { getGatewayBlock } from "../opt-out/gateway-block.js";
import { isValidTimeZone, nextAllowedTime } from "./quiet-hours.js";

/** Why a message may be sent, and which checks it may skip. */
export type SendPurpose =
  /** Marketing or automated texts (welcome, follow-ups): every check, quiet hours included. */
  | "automated"
  /** An answer to a text the person just sent (HELP, START confirmation): no quiet hours. */
  | "reply"
  /** The one confirmation of a STOP: the ONLY text ever allowed to an opted-out number. */
  | "stop-confirmation";

export type BlockReason =
  | "location_unknown"
  | "location_inactive"
  | "contact_deleted"
  | "contact_retired"
  | "opted_out"
  | "ghl_dnd"
  | "no_consent"
  | "invalid_number"
  /**
   * BulkSMS still blocks the number although the person re-subscribed (no unblock API; every text would
   * end FAILED.BLOCKED and be billed). Cleared by an operator with clearGatewayBlock.
   */
  | "gateway_blocked";

export type GateDecision =
  | { readonly allow: true }
  | { readonly defer: number; readonly reason: "quiet_hours" }
  | { readonly block: BlockReason; readonly detail?: string };

export interface SendGateInput {
  readonly locationId: string;
  readonly contactId: string | null;
  /** E.164 */
  readonly to: string;
  readonly purpose: SendPurpose;
  readonly at?: number;
}

/** Reads only the store (pass a transaction to decide and act atomically). */
export async function checkSendGate(
  deps: EngineDeps,
  input: SendGateInput,
  tx?: StoreTx,
): Promise<GateDecision> {
  const repos = tx ?? deps.store;
  const at = input.at ?? deps.now();
  if (!/^\+\d{7,15}$/.test(input.to)) return { block: "invalid_number" };
  const location = await repos.locations.get(input.locationId);
  if (!location) return { block: "location_unknown" };
  if (!location.active) return { block: "location_inactive" };
  const contact = input.contactId ? await repos.contacts.get(input.locationId, input.contactId) : null;
  if (contact?.deleted) return { block: "contact_deleted" };
  if (contact?.retired) return { block: "contact_retired" };
  // before the STOP-confirmation exemption: a text BulkSMS is known to refuse is never sent (it is billed)
  if (await getGatewayBlock(repos, input.locationId, input.to)) {
    return {
      block: "gateway_blocked",
      detail:
        "BulkSMS still blocks this number after the person re-subscribed; ask BulkSMS support to unblock it",
    };
  }
  if (input.purpose === "stop-confirmation") return { allow: true };

  const optOut = await repos.optOuts.get(input.locationId, input.to);
  if (optOut?.state === "opted_out") return { block: "opted_out", detail: optOut.source };
  const record = asGhlRecord(contact?.ghl);
  const profile = asProfile(contact?.profile);
  if ((record && ghlSmsDnd(record)) || profile?.dnd) return { block: "ghl_dnd" };

  const policy = resolvePolicy(deps.config, location.id, location.settings);
  const consentField = profile?.consentField ?? "unknown";
  if (consentField === "opted-out") return { block: "no_consent", detail: "consent field says opted-out" };
  if (
    policy.consent.require === "explicit-opt-in" &&
    consentField !== "opted-in" &&
    optOut?.state !== "opted_in"
  ) {
    return { block: "no_consent", detail: "explicit opt-in required" };
  }

  if (input.purpose === "reply" || !policy.quietHours.enabled) return { allow: true };
  const tzCandidates = [profile?.timezone, record?.timezone ?? null, location.timezone];
  const timeZone = tzCandidates.find((tz) => isValidTimeZone(tz)) ?? "UTC";
  const window = {
    start: policy.quietHours.start ?? location.quietHours.start,
    end: policy.quietHours.end ?? location.quietHours.end,
  };
  const next = nextAllowedTime(at, timeZone, window);
  return next === null ? { allow: true } : { defer: next, reason: "quiet_hours" };
}
