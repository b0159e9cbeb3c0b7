// A message ended FAILED: a task on the contact with the reason (once per logical send), and an automatic
// re-send for failures worth retrying.
import type { MessageRecord, StoreTx } from "@ghl-bulksms/store";
import type { LocationContext } from "../core/deps.js";
import { enqueueJob } from "../jobs/catalog.js";
import { metaOf, queueMessage } from "./queue-message.js";

export function failureTaskKey(rootMessageId: string): string {
  return `task:sms-failed:${rootMessageId}`;
}

const REASONS: Record<string, string> = {
  EXPIRED: "the message expired before the phone could receive it",
  HANDSET_ERROR: "the phone could not receive it (switched off, full or unreachable)",
  BLOCKED: "the number is blocked (it opted out at the gateway)",
  NOT_SENT: "the gateway could not send it (no route or invalid number)",
};

export function describeFailure(subtype: string | null, error?: string | null): string {
  return (subtype ? REASONS[subtype] : undefined) ?? error ?? "the gateway reported a failure";
}

/** Inside the transaction that recorded the FAILED status. */
export async function onMessageFailed(
  tx: StoreTx,
  ctx: LocationContext,
  message: MessageRecord,
  reason: string,
  now: number,
): Promise<void> {
  const meta = metaOf(message);
  if (meta.purpose === "stop-confirmation") return; // expected to fail at a gateway that blocked the number
  const rootId = meta.rootId ?? message.id;
  const retryNumber = meta.retryNumber ?? 0;
  const { policy } = ctx;
  const willRetry =
    meta.purpose === "automated" &&
    // a provider text belongs to GHL's thread: it fails there (the person re-sends), no hidden re-send
    meta.ghlMessageId === undefined &&
    message.subtype !== null &&
    policy.retry.subtypes.includes(message.subtype) &&
    retryNumber < policy.retry.maxRetries;
  if (policy.tasks.onFailure && message.contactId) {
    await enqueueJob(
      tx,
      "ghl.task.create",
      {
        locationId: message.locationId,
        contactId: message.contactId,
        key: failureTaskKey(rootId),
        title: `SMS failed: ${reason}`,
        body: `An SMS (${meta.kind}) to this contact failed: ${reason}.${willRetry ? " It will be retried automatically." : " Check the phone number."}`,
        dueAt: now + policy.tasks.dueInMs,
        ...(policy.tasks.assignedTo ? { assignedTo: policy.tasks.assignedTo } : {}),
      },
      { key: failureTaskKey(rootId), locationId: message.locationId },
    );
  }
  if (willRetry) {
    const rootKey = message.retryOf ? message.key.replace(/:retry:\d+$/, "") : message.key;
    await queueMessage(tx, {
      key: `${rootKey}:retry:${retryNumber + 1}`,
      locationId: message.locationId,
      contactId: message.contactId,
      to: message.to,
      body: message.body,
      template: message.template,
      sendAfter: now + policy.retry.delayMs,
      retryOf: message.id,
      meta: { ...meta, rootId, retryNumber: retryNumber + 1 },
    });
  }
}

/** A retry of a failed send was delivered: complete the failure task. */
export async function onRetryDelivered(
  tx: StoreTx,
  ctx: LocationContext,
  message: MessageRecord,
): Promise<void> {
  const meta = metaOf(message);
  if (!meta.rootId || !message.contactId || !ctx.policy.tasks.onFailure) return;
  await enqueueJob(
    tx,
    "ghl.task.complete",
    {
      locationId: message.locationId,
      contactId: message.contactId,
      taskKey: failureTaskKey(meta.rootId),
      resolution: `Resolved: retry ${meta.retryNumber ?? 1} was delivered.`,
    },
    { key: failureTaskKey(meta.rootId), locationId: message.locationId },
  );
}
