import { dedupIdFor } from "@ghl-bulksms/bulksms";
import type { MessageRecord, StoreTx } from "@ghl-bulksms/store";
import type { SendPurpose } from "../gate/send-gate.js";
import { enqueueJob } from "../jobs/catalog.js";

/** What we keep in `message.meta`. */
export interface MessageMeta {
  purpose: SendPurpose;
  /** e.g. "welcome", "stop-confirmation", "help", "start-confirmation", "retry" */
  kind: string;
  /** For retries: the first message of the logical send (its failure task is keyed on it). */
  rootId?: string;
  retryNumber?: number;
  /**
   * A text GHL handed us as its SMS provider: the GHL message id its status is reported to
   * (PUT /conversations/messages/{id}/status), see provider/.
   */
  ghlMessageId?: string;
}

export function metaOf(message: MessageRecord): MessageMeta {
  const m = message.meta as Partial<MessageMeta> | null;
  return {
    purpose:
      m?.purpose === "reply" || m?.purpose === "stop-confirmation" || m?.purpose === "notification"
        ? m.purpose
        : "automated",
    kind: typeof m?.kind === "string" ? m.kind : "message",
    ...(typeof m?.rootId === "string" ? { rootId: m.rootId } : {}),
    ...(typeof m?.retryNumber === "number" ? { retryNumber: m.retryNumber } : {}),
    ...(typeof m?.ghlMessageId === "string" ? { ghlMessageId: m.ghlMessageId } : {}),
  };
}

/**
 * Creates a message (one logical send, keyed for life: the same key is a no-op) and the job that sends it.
 * The BulkSMS deduplication id is derived from the key, so every attempt carries the same one.
 */
export async function queueMessage(
  tx: StoreTx,
  input: {
    key: string;
    locationId: string;
    contactId: string | null;
    to: string;
    body: string;
    sendAfter: number;
    meta: MessageMeta;
    template?: string | null;
    retryOf?: string | null;
  },
): Promise<{ created: boolean; message: MessageRecord }> {
  const r = await tx.messages.create({
    key: input.key,
    locationId: input.locationId,
    contactId: input.contactId,
    to: input.to,
    body: input.body,
    template: input.template ?? null,
    sendAfter: input.sendAfter,
    retryOf: input.retryOf ?? null,
    meta: input.meta,
    dedupId: dedupIdFor(input.key),
  });
  if (!r.created) return { created: false, message: r.existing };
  await enqueueJob(
    tx,
    "sms.send",
    { messageId: r.message.id },
    {
      key: `${r.message.id}:${input.sendAfter}`,
      locationId: input.locationId,
      runAt: input.sendAfter,
      priority: input.meta.purpose === "automated" ? 0 : 10,
    },
  );
  return { created: true, message: r.message };
}
