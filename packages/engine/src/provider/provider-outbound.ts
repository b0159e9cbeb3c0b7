// ProviderOutboundMessage: GHL hands us an SMS to send as the sub-account's SMS provider (a person typed it
// in the Conversations inbox or the mobile app, or a workflow / bulk action sent it).
//
// Exactly once per GHL `messageId`: the message key is derived from it (`provider:<location>:<messageId>`)
// and the BulkSMS deduplication id from the key, so a redelivered webhook, a replayed inbox event or a crash
// between submit and record never texts twice. The text then goes through the same send job and send gate
// as our own texts (opt-out, GHL DND, BulkSMS blocks, consent, quiet hours per the provider setting), and
// every outcome is reported back to GHL (provider-status.ts).
import { dedupIdFor } from "@ghl-bulksms/bulksms";
import type { StoreTx } from "@ghl-bulksms/store";
import type { GhlContactLike } from "@ghl-bulksms/sync";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { fromGhlError, type JobOutcome, OK, permanent } from "../core/outcome.js";
import { toE164 } from "../core/phone.js";
import { DECISION_REASONS, recordDecision } from "../gate/record-decision.js";
import type { SendPurpose } from "../gate/send-gate.js";
import { handleContactChanged } from "../ghl-events/contact-changed.js";
import { type MessageMeta, queueMessage } from "../sms/queue-message.js";
import { type ProviderStatusReason, reportProviderStatus } from "./provider-status.js";
import { type ProviderText, providerText } from "./provider-text.js";

/** The reason a provider message fails with where provider mode is off. */
const PROVIDER_OFF = {
  code: "provider_off",
  message: "Not sent: BulkSMS is not switched on as this sub-account's SMS provider (GHL_PROVIDER_MODE)",
} as const;

/** The fields of GHL's ProviderOutboundMessage payload we use (docs/webhook events/ProviderOutboundMessage.md). */
export interface ProviderOutboundPayload {
  readonly messageId: string;
  readonly contactId: string;
  /** The channel: "SMS" here ("Email" for an email provider, which this is not). */
  readonly type: string;
  readonly phone: string | null;
  readonly message: string;
  readonly attachments: readonly string[];
  /**
   * The GHL user who sent it: THE field we rely on to tell a person's text from an automated one.
   * ProviderOutboundMessage.md lists `userId` as optional and shows it on its example of a message sent
   * from the app; nothing else in the payload says where a text came from (no `source`, unlike the
   * OutboundMessage event). Present = a person typed it (web or mobile app); absent = a workflow or a bulk
   * action [inferred: GHL documents no user behind those]. Should GHL fill it on a bulk action a person
   * started, that text counts as typed and goes at once; PROVIDER_QUIET_HOURS=always holds every provider
   * text to the sending window.
   */
  readonly userId: string | null;
}

export function parseProviderOutbound(event: Record<string, unknown>): ProviderOutboundPayload | null {
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  const messageId = str(event.messageId);
  const contactId = str(event.contactId);
  if (!messageId || !contactId) return null;
  return {
    messageId,
    contactId,
    type: str(event.type) ?? "SMS",
    phone: str(event.phone),
    message: typeof event.message === "string" ? event.message : "",
    attachments: Array.isArray(event.attachments)
      ? event.attachments.filter((a): a is string => typeof a === "string")
      : [],
    userId: str(event.userId),
  };
}

export function providerMessageKey(locationId: string, ghlMessageId: string): string {
  return `provider:${locationId}:${ghlMessageId}`;
}

/** Typed by a person in GHL (goes at once under "user-immediate") or sent by a workflow / bulk action. */
export function isUserTyped(p: Pick<ProviderOutboundPayload, "userId">): boolean {
  return p.userId !== null;
}

/**
 * The send purpose: every consent check on a fresh GHL view either way; quiet hours per the setting
 * ("automated" keeps them, "notification" skips them).
 */
export function providerPurpose(
  ctx: LocationContext,
  p: Pick<ProviderOutboundPayload, "userId">,
): SendPurpose {
  const setting = ctx.policy.provider.quietHours;
  const quiet = setting === "always" || (setting === "user-immediate" && !isUserTyped(p));
  return quiet ? "automated" : "notification";
}

/** Mirrors a contact the store has not seen yet (its webhooks were lost), so the gate has a view of it. */
async function ensureContact(
  deps: EngineDeps,
  ctx: LocationContext,
  contactId: string,
  eventKey: string,
): Promise<JobOutcome> {
  if (await deps.store.contacts.get(ctx.location.id, contactId)) return OK;
  const r = await deps.ghl(ctx.location.id).contacts.get({ locationId: ctx.location.id, contactId });
  if (!r.ok) return r.error.code === "not_found" ? OK : fromGhlError(r.error);
  return handleContactChanged(deps, ctx, {
    type: "ContactUpdate",
    contact: r.data.contact as GhlContactLike,
    eventKey: `${eventKey}:contact`,
  });
}

export async function handleProviderOutbound(
  deps: EngineDeps,
  ctx: LocationContext,
  event: Record<string, unknown>,
  eventKey: string,
): Promise<JobOutcome> {
  const locationId = ctx.location.id;
  const p = parseProviderOutbound(event);
  if (!p) return permanent("invalid_event", "ProviderOutboundMessage without messageId or contactId");
  if (p.type !== "SMS") {
    deps.logger.info({ locationId, channel: p.type }, "provider message of another channel ignored");
    return OK;
  }
  const key = providerMessageKey(locationId, p.messageId);
  if (await deps.store.messages.getByKey(key)) return OK; // redelivery: handled once
  const enabled = ctx.policy.provider.enabled;
  if (!enabled)
    // GHL routes the sub-account's SMS to us although provider mode is off here: fail it visibly in GHL
    // rather than leave it pending for ever
    deps.logger.warn({ locationId }, "provider message refused: provider mode is off for the location");
  const contact = enabled ? await ensureContact(deps, ctx, p.contactId, eventKey) : OK;
  if (!contact.ok) return contact;
  const mirrored = await deps.store.contacts.get(locationId, p.contactId);
  const to = toE164(p.phone, ctx.location.region) ?? mirrored?.phoneE164 ?? p.phone ?? "";
  const userTyped = isUserTyped(p);
  const meta: MessageMeta = {
    purpose: providerPurpose(ctx, p),
    kind: userTyped ? "provider:user" : "provider:automated",
    ghlMessageId: p.messageId,
  };
  const text: ProviderText = enabled
    ? providerText(p, ctx.policy.provider)
    : { ok: false, reason: PROVIDER_OFF };
  const now = deps.now();
  await deps.store.transaction(async (tx) => {
    if (text.ok) {
      const q = await queueMessage(tx, {
        key,
        locationId,
        contactId: p.contactId,
        to,
        body: text.body,
        sendAfter: now,
        meta,
      });
      if (q.created)
        await recordDecision(deps, tx, {
          key: `${q.message.id}:queued`,
          locationId,
          contactId: p.contactId,
          phone: to,
          purpose: meta.purpose,
          kind: meta.kind,
          decision: "queued",
          reason: DECISION_REASONS.queued,
          messageKey: key,
          messageId: q.message.id,
        });
      return;
    }
    await refuse(
      deps,
      tx,
      { key, locationId, contactId: p.contactId, to, body: p.message, meta, now },
      text.reason,
    );
  });
  return OK;
}

/** A provider text refused before any send: kept (keyed: a redelivery is a no-op), failed in GHL with why. */
async function refuse(
  deps: EngineDeps,
  tx: StoreTx,
  m: {
    key: string;
    locationId: string;
    contactId: string;
    to: string;
    body: string;
    meta: MessageMeta;
    now: number;
  },
  reason: ProviderStatusReason,
): Promise<void> {
  const created = await tx.messages.create({
    key: m.key,
    locationId: m.locationId,
    contactId: m.contactId,
    to: m.to,
    body: m.body,
    template: null,
    sendAfter: m.now,
    retryOf: null,
    meta: m.meta,
    dedupId: dedupIdFor(m.key),
  });
  if (!created.created) return;
  const cancelled = await tx.messages.updateStatus(created.message.id, {
    status: "CANCELLED",
    error: reason.message.replace(/^Not sent: /, ""),
    at: m.now,
  });
  await recordDecision(deps, tx, {
    key: `${created.message.id}:refused`,
    locationId: m.locationId,
    contactId: m.contactId,
    phone: m.to,
    purpose: m.meta.purpose,
    kind: m.meta.kind,
    decision: "skipped",
    reason: reason.code,
    messageKey: m.key,
    messageId: created.message.id,
  });
  if (cancelled.updated) await reportProviderStatus(tx, cancelled.message, { key: "refused", reason });
}
