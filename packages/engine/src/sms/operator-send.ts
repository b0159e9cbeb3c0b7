// An operator's one-off SMS (the CLI's `send`): the same send gate, the same queue and the same send job
// as every automated text, so an operator cannot text an opted-out number either.
import { measureSms, type SmsMeasure } from "@ghl-bulksms/bulksms";
import type { MessageRecord } from "@ghl-bulksms/store";
import { renderTemplate } from "@ghl-bulksms/sync";
import type { EngineDeps } from "../core/deps.js";
import { asGhlRecord, asProfile } from "../core/mirror.js";
import type { JobError } from "../core/outcome.js";
import { toE164 } from "../core/phone.js";
import { checkSendGateFresh } from "../gate/consent-view.js";
import type { GateDecision } from "../gate/send-gate.js";
import { welcomeTemplateData } from "../welcome/maybe-send-welcome.js";
import { queueMessage } from "./queue-message.js";
import { sendQueuedMessage } from "./send-message.js";

export interface OperatorSendInput {
  readonly locationId: string;
  /** The GHL contact the text is for (its DND, consent, deleted flag and time zone are checked). */
  readonly contactId?: string | null;
  /** E.164, or a national number (read with the location's region). */
  readonly to: string;
  readonly body: string;
  /** Unique per logical send: sending the same key again is a no-op ("duplicate"). */
  readonly key: string;
  /** Render `body` as a template (`{{firstName | "there"}}`) over the contact's fields. Default false. */
  readonly template?: boolean;
}

export type OperatorSendResult =
  /** dry run: what would happen now; nothing queued */
  | {
      readonly status: "dry-run";
      readonly gate: GateDecision;
      /** The recipient in E.164 (as given when it is not a valid number). */
      readonly to: string;
      readonly body: string;
      readonly measure: SmsMeasure;
    }
  /** the gate refuses: nothing queued */
  | {
      readonly status: "blocked";
      readonly gate: Extract<GateDecision, { block: unknown }>;
      readonly body: string;
      readonly measure: SmsMeasure;
    }
  /** this key was queued before: not sent again */
  | { readonly status: "duplicate"; readonly message: MessageRecord }
  /** queued for the recipient's sending window (quiet hours): the send job sends it then */
  | { readonly status: "deferred"; readonly message: MessageRecord; readonly sendAt: number }
  /** submitted to BulkSMS */
  | { readonly status: "sent"; readonly message: MessageRecord }
  /** refused by the gate at the moment of sending (an opt-out landed in between): message CANCELLED */
  | { readonly status: "cancelled"; readonly message: MessageRecord }
  /** the send failed: permanently (message FAILED) or for now (message still QUEUED; its job retries) */
  | { readonly status: "failed"; readonly message: MessageRecord; readonly error: JobError };

export class OperatorSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OperatorSendError";
  }
}

async function render(deps: EngineDeps, input: OperatorSendInput): Promise<string> {
  if (!input.template) return input.body;
  const contact = input.contactId ? await deps.store.contacts.get(input.locationId, input.contactId) : null;
  const record = asGhlRecord(contact?.ghl);
  const profile = asProfile(contact?.profile);
  const data = record && profile ? welcomeTemplateData(record, profile, input.to) : { phone: input.to };
  const r = renderTemplate(input.body, data, { missing: "empty" });
  if (!r.ok) throw new OperatorSendError(`the message template does not render: ${r.error.message}`);
  return r.text;
}

function validate(input: OperatorSendInput): void {
  if (!input.key.trim()) throw new OperatorSendError("a send key is required");
  if (!input.body.trim()) throw new OperatorSendError("the message body is empty");
}

/** What `operatorSend` would do now, without queuing anything: the gate's decision and the measured text. */
export async function operatorSendDryRun(
  deps: EngineDeps,
  input: OperatorSendInput,
): Promise<Extract<OperatorSendResult, { status: "dry-run" }>> {
  validate(input);
  // national numbers are read with the location's region; an invalid number never reaches BulkSMS
  const location = await deps.store.locations.get(input.locationId);
  const to = toE164(input.to, location?.region ?? "US");
  const body = await render(deps, { ...input, to: to ?? input.to });
  const gate: GateDecision = to
    ? await checkSendGateFresh(deps, {
        locationId: input.locationId,
        contactId: input.contactId ?? null,
        to,
        purpose: "automated",
      })
    : { block: "invalid_number", detail: "not a valid phone number" };
  return { status: "dry-run", gate, body, measure: measureSms(body), to: to ?? input.to };
}

/**
 * Sends one operator text: gate -> queue (key, meta kind "operator") -> send now, or deferred to the
 * sending window. Throws OperatorSendError only for bad input (empty key or body, template error).
 */
export async function operatorSend(deps: EngineDeps, input: OperatorSendInput): Promise<OperatorSendResult> {
  const dry = await operatorSendDryRun(deps, input);
  const { gate, body, measure, to } = dry;
  if ("block" in gate) return { status: "blocked", gate, body, measure };
  const now = deps.now();
  const sendAfter = "defer" in gate ? gate.defer : now;
  const q = await deps.store.transaction((tx) =>
    queueMessage(tx, {
      key: input.key,
      locationId: input.locationId,
      contactId: input.contactId ?? null,
      to,
      body,
      sendAfter,
      meta: { purpose: "automated", kind: "operator" },
    }),
  );
  if (!q.created) return { status: "duplicate", message: q.message };
  if ("defer" in gate) return { status: "deferred", message: q.message, sendAt: gate.defer };
  // the queued sms.send job stays as the safety net: it finds the message sent and does nothing
  const outcome = await sendQueuedMessage(deps, q.message.id);
  const message = (await deps.store.messages.get(q.message.id)) ?? q.message;
  if (!outcome.ok) return { status: "failed", message, error: outcome.error };
  if (message.status === "QUEUED") return { status: "deferred", message, sendAt: message.sendAfter };
  if (message.status === "CANCELLED") return { status: "cancelled", message };
  if (message.status === "FAILED")
    return {
      status: "failed",
      message,
      error: { code: "send_failed", message: message.error ?? "the send failed", retryable: false },
    };
  return { status: "sent", message };
}
