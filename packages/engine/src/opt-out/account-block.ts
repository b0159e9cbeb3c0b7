// Numbers the BulkSMS account is known to block.
//
// BulkSMS blocks a number for the whole account when the person replies STOP (fact sheet section 11), and
// keeps it blocked: there is no unblock API. Every later text to it ends FAILED.BLOCKED and is still
// billed. So the send gate refuses every text to a number recorded here, the STOP confirmation included.
// One row per number for the account (the blocked list is the account's, not a location's), written by
// whatever showed us the block first: the blocked-number pull, our own push, a STOP keyword BulkSMS acts
// on, or a FAILED.BLOCKED report. Only an operator removes it, once BulkSMS support has unblocked the number
// (clearGatewayBlock).
import type { Repositories } from "@ghl-bulksms/store";
import type { LocationPolicy } from "../core/config.js";
import { normaliseKeyword } from "../sms-events/keywords.js";

export type AccountBlockEvidence =
  /** GET /blocked-numbers listed it. */
  | "pull"
  /** We added it with POST /blocked-numbers. */
  | "push"
  /** The person replied with a STOP word the BulkSMS account acts on. */
  | "stop"
  /** BulkSMS reported FAILED.BLOCKED for a text to it. */
  | "failed_blocked";

export interface AccountBlock {
  phone: string;
  /** When we first learned of the block (ms). */
  since: number;
  evidence: AccountBlockEvidence;
}

const PREFIX = "engine:bulksms-account-block:";

export function accountBlockKey(phone: string): string {
  return `${PREFIX}${phone}`;
}

export async function getAccountBlock(
  repos: Pick<Repositories, "settings">,
  phone: string,
): Promise<AccountBlock | null> {
  return repos.settings.get<AccountBlock>(accountBlockKey(phone));
}

/** Records the block once (the first evidence and time are kept). Returns true when it was new. */
export async function markAccountBlocked(
  repos: Pick<Repositories, "settings">,
  input: { phone: string; evidence: AccountBlockEvidence; at: number },
): Promise<boolean> {
  if (!/^\+\d{7,15}$/.test(input.phone)) return false;
  const key = accountBlockKey(input.phone);
  if (await repos.settings.get<AccountBlock>(key)) return false;
  await repos.settings.set(key, { phone: input.phone, since: input.at, evidence: input.evidence });
  return true;
}

/** Operator action after BulkSMS support removed the block. Returns true when a block was recorded. */
export async function clearAccountBlock(
  repos: Pick<Repositories, "settings">,
  phone: string,
): Promise<boolean> {
  const key = accountBlockKey(phone);
  if (!(await repos.settings.get<AccountBlock>(key))) return false;
  await repos.settings.delete(key);
  return true;
}

/**
 * True when BulkSMS itself blocks a number that replies with this STOP body. Matched like our own keywords
 * (punctuation stripped), so in doubt the number counts as blocked: a confirmation skipped costs nothing.
 */
export function gatewayActsOnStop(policy: LocationPolicy, body: string | null | undefined): boolean {
  const words = policy.keywords.gatewayStop ?? policy.keywords.stop;
  return words.includes(normaliseKeyword(body ?? null));
}
