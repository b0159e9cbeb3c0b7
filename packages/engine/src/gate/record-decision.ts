// "Why was nothing sent?": every decision about a text for a person (queued, sent, deferred, blocked,
// skipped) is stored in the decisions table (read by `ghl-bulksms explain`) and, when it is recorded for
// the first time, leaves ONE log line: info for a text that was skipped, blocked or deferred, debug for one
// that went ahead. The log line carries the reason code and ids only: no phone number, no name, no body.
import type { Repositories, SendDecisionOutcome } from "@ghl-bulksms/store";
import type { EngineDeps } from "../core/deps.js";
import type { GateDecision, SendPurpose } from "./send-gate.js";

/**
 * Reason codes, besides the send gate's BlockReason values ("opted_out", "ghl_dnd", "no_consent",
 * "invalid_number", "gateway_blocked", ...) which are recorded as they are.
 */
export const DECISION_REASONS = {
  /** Queued or submitted to BulkSMS. */
  queued: "queued",
  sent: "sent",
  quietHours: "quiet_hours",
  /** The contact has no phone number at all. */
  noPhone: "no_phone",
  /** The contact's phone is not a valid number for its region. */
  invalidNumber: "invalid_number",
  /** A landline (or another number type that cannot receive SMS) and the welcome requires a mobile. */
  notMobile: "not_mobile",
  /** SMS do-not-disturb in GHL. */
  ghlDnd: "ghl_dnd",
  noConsent: "no_consent",
  optedOut: "opted_out",
  /** The template does not render (bad placeholder, unknown field). */
  templateError: "template_error",
  /** A contact made for a number that texted us first (conversations.unknownSenderTag): no welcome. */
  wroteFirst: "wrote_first",
  /** BulkSMS refused the text for good (e.g. no credits, invalid number at the gateway). */
  gatewayRefused: "gateway_refused",
} as const;

export interface DecisionInput {
  readonly locationId: string;
  readonly contactId: string | null;
  /** E.164 of the number concerned: stored for `explain <phone>`, never logged. */
  readonly phone: string | null;
  readonly purpose: SendPurpose;
  /** "welcome", "follow-up:<rule>:<step>", "stop-confirmation", "help", "digest", ... */
  readonly kind: string;
  readonly decision: SendDecisionOutcome;
  readonly reason: string;
  /** The message key (stored, not logged: a digest key holds the recipient's number). */
  readonly messageKey?: string | null;
  /** The message id (opaque; logged). */
  readonly messageId?: string | null;
  readonly until?: number | null;
  /** Small details without personal data (an opt-out source, a template error). */
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
  /** Once per key: a retried job records (and logs) the same decision once. */
  readonly key?: string | null;
  readonly at?: number;
}

const MESSAGES: Record<SendDecisionOutcome, string> = {
  queued: "text queued",
  sent: "text submitted to BulkSMS",
  deferred: "text deferred",
  blocked: "text blocked by the send gate",
  skipped: "text skipped",
};

/** Long digit runs (phone numbers) in free text become "[number]": a log line never carries one. */
function scrub(value: string | number | boolean | null): string | number | boolean | null {
  return typeof value === "string" ? value.replace(/\+?\d[\d ().-]{5,}\d/g, "[number]") : value;
}

/**
 * Records a decision (pass the transaction when the decision is taken in one, so it commits with it) and
 * logs it once. Returns false when the same keyed decision was recorded before.
 */
export async function recordDecision(
  deps: Pick<EngineDeps, "logger" | "now">,
  repos: Pick<Repositories, "decisions">,
  input: DecisionInput,
): Promise<boolean> {
  const at = input.at ?? deps.now();
  const r = await repos.decisions.record({
    key: input.key ?? null,
    at,
    locationId: input.locationId,
    contactId: input.contactId,
    phoneE164: input.phone,
    purpose: input.purpose,
    kind: input.kind,
    decision: input.decision,
    reason: input.reason,
    messageKey: input.messageKey ?? null,
    until: input.until ?? null,
    ...(input.detail ? { detail: input.detail } : {}),
  });
  if (!r.recorded) return false;
  const fields: Record<string, unknown> = {
    decision: input.decision,
    reason: input.reason,
    purpose: input.purpose,
    kind: input.kind,
    locationId: input.locationId,
    contactId: input.contactId,
    ...(input.messageId ? { messageId: input.messageId } : {}),
    ...(input.until != null ? { until: new Date(input.until).toISOString() } : {}),
  };
  for (const [k, v] of Object.entries(input.detail ?? {})) fields[k] ??= scrub(v);
  const wentAhead = input.decision === "queued" || input.decision === "sent";
  if (wentAhead) deps.logger.debug(fields, MESSAGES[input.decision]);
  else deps.logger.info(fields, MESSAGES[input.decision]);
  return true;
}

/** The decision a send-gate verdict stands for: allowed (`null`), deferred until, or blocked with its reason. */
export function gateDecision(
  gate: GateDecision,
): null | Pick<DecisionInput, "decision" | "reason" | "until" | "detail"> {
  if ("allow" in gate) return null;
  if ("defer" in gate) return { decision: "deferred", reason: gate.reason, until: gate.defer };
  return {
    decision: "blocked",
    reason: gate.block,
    ...(gate.detail ? { detail: { gate: gate.detail } } : {}),
  };
}
