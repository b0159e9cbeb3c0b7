// One SMS in the contact's GHL conversation, exactly once across crashes and redeliveries.
//
// GHL's documented call for a provider's message is POST /conversations/messages/inbound: type SMS, the
// contact's conversationId, `direction` ("inbound" for a reply, "outbound" for a text we sent: the field's
// documented default is outbound), `date`, `altId` (our id) and, for an "extra" (custom) provider, the
// conversationProviderId, which GHL requires then. POST /conversations/messages/outbound is documented for
// calls only (type "Call"), and POST /conversations/messages would make GHL send the text again through the
// provider, so neither records a text we already sent.
//
// Exactly once: vendorWrites.begin(key) is committed before the call; a write that began and never
// completed (crash, timeout, ambiguous 5xx) is first looked for in the conversation's newest messages (same
// direction and body, dated as we dated it or after the write began; GHL returns no altId to match on).
import type { GhlError, GhlPriority, InboundMessageInput } from "@ghl-bulksms/ghl";
import { auditVendorWrite } from "../core/audit.js";
import type { ConversationsPolicy } from "../core/config.js";
import type { EngineDeps } from "../core/deps.js";
import { contactConversationId } from "./contact-conversation.js";

export const THREAD_WRITE_OPERATION = "conversation.message";

export interface ThreadMessage {
  locationId: string;
  contactId: string;
  /** Idempotency key of the write (e.g. `thread:in:<bulksms id>:<contact>`). */
  key: string;
  direction: "inbound" | "outbound";
  body: string;
  /** ISO time of the text (BulkSMS's time for a reply, the submit time for ours). */
  date: string;
  /** Our id of the text (the BulkSMS message id of a reply, our message id of a text we sent). */
  altId: string;
  priority?: GhlPriority | undefined;
}

export type ThreadWriteResult =
  | { ok: true; messageId: string; created: boolean }
  | { ok: false; error: GhlError };

/** Pages of the conversation searched for a write that may have landed before a crash. */
const RECOVERY_PAGES = 3;
/** A recorded message dated up to this long before the write began still counts as ours (clock skew). */
const RECOVERY_SKEW_MS = 60_000;

async function findLanded(
  deps: EngineDeps,
  m: ThreadMessage,
  conversationId: string,
  begunAt: number,
): Promise<{ ok: true; id: string | null } | { ok: false; error: GhlError }> {
  const client = deps.ghl(m.locationId);
  let lastMessageId: string | undefined;
  for (let page = 0; page < RECOVERY_PAGES; page++) {
    const r = await client.conversations.listMessages(
      { locationId: m.locationId, conversationId, limit: 50, ...(lastMessageId ? { lastMessageId } : {}) },
      { priority: m.priority ?? "realtime" },
    );
    if (!r.ok) return r;
    const same = r.data.messages.filter((x) => x.direction === m.direction && (x.body ?? "") === m.body);
    // dated as we dated it first (GHL keeps the `date` we send); else, should GHL have dated it itself,
    // one recorded since the write began [inferred: the spec does not say which date GHL keeps]
    const hit =
      same.find((x) => x.dateAdded === m.date) ??
      same.find((x) => Date.parse(x.dateAdded) >= begunAt - RECOVERY_SKEW_MS);
    if (hit) return { ok: true, id: hit.id };
    if (!r.data.nextPage || !r.data.lastMessageId) break;
    lastMessageId = r.data.lastMessageId;
  }
  return { ok: true, id: null };
}

/** The request body: the provider id only for an "extra" provider (a default provider needs none). */
export function threadMessageBody(
  m: ThreadMessage,
  conversationId: string,
  provider: Pick<ConversationsPolicy, "provider" | "providerId">,
): InboundMessageInput {
  return {
    type: "SMS",
    contactId: m.contactId,
    conversationId,
    message: m.body,
    direction: m.direction,
    date: m.date,
    altId: m.altId,
    ...(provider.provider === "extra" && provider.providerId
      ? { conversationProviderId: provider.providerId }
      : {}),
  };
}

export async function postToThreadOnce(
  deps: EngineDeps,
  m: ThreadMessage,
  provider: Pick<ConversationsPolicy, "provider" | "providerId">,
): Promise<ThreadWriteResult> {
  const begun = await deps.store.vendorWrites.begin(m.key, {
    vendor: "ghl",
    operation: THREAD_WRITE_OPERATION,
    locationId: m.locationId,
  });
  if (begun.state === "completed") return { ok: true, messageId: begun.write.resultId ?? "", created: false };
  const conversation = await contactConversationId(deps, m.locationId, m.contactId, m.priority);
  if (!conversation.ok) return conversation;
  if (begun.state === "begun") {
    const landed = await findLanded(deps, m, conversation.id, begun.write.begunAt);
    if (!landed.ok) return landed;
    if (landed.id !== null) {
      await deps.store.vendorWrites.complete(m.key, landed.id);
      await auditVendorWrite(deps, {
        locationId: m.locationId,
        vendor: "ghl",
        operation: THREAD_WRITE_OPERATION,
        targetId: m.contactId,
        idempotencyKey: m.key,
        resultStatus: "recovered",
        detail: { id: landed.id },
      });
      return { ok: true, messageId: landed.id, created: false };
    }
  }
  const r = await deps
    .ghl(m.locationId)
    .conversations.inboundMessage(
      { locationId: m.locationId, body: threadMessageBody(m, conversation.id, provider) },
      { priority: m.priority ?? "realtime" },
    );
  await auditVendorWrite(deps, {
    locationId: m.locationId,
    vendor: "ghl",
    operation: THREAD_WRITE_OPERATION,
    targetId: m.contactId,
    idempotencyKey: m.key,
    resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
    detail: r.ok
      ? { id: r.data.messageId, direction: m.direction }
      : { status: r.error.status, ambiguous: r.error.ambiguous },
  });
  if (!r.ok) return r;
  await deps.store.vendorWrites.complete(m.key, r.data.messageId);
  return { ok: true, messageId: r.data.messageId, created: true };
}
