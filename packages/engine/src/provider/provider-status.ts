// A provider text's status back to GHL: PUT /conversations/messages/{messageId}/status.
//
// Every change of a provider message (submitted, deferred, blocked, failed, delivered) enqueues one keyed
// "ghl.message.status" job in the transaction that made the change, so a crash loses no report and a
// replayed change enqueues nothing twice. The job reports the message as it stands when it runs: a job
// made for an older state (a "pending" that runs after the delivery report) reports the newer state
// instead, and a job whose PUT raced a newer change reports again, so GHL is never left on an older status
// than ours (delivered never goes back to pending); two reports of one message never run at once. GHL
// accepts the same status twice.
import { randomUUID } from "node:crypto";
import type { MessageRecord, MessageStatus, StoreTx } from "@ghl-bulksms/store";
import { auditVendorWrite } from "../core/audit.js";
import type { EngineDeps } from "../core/deps.js";
import { fromGhlError, type JobOutcome, OK, retryLater } from "../core/outcome.js";
import { type EngineJobCatalog, enqueueJob } from "../jobs/catalog.js";
import { describeFailure } from "../sms/message-failed.js";
import { metaOf } from "../sms/queue-message.js";

/** The statuses GHL's UpdateMessageStatusDto allows that a provider SMS takes ("read" is not for SMS). */
export type GhlProviderStatus = "pending" | "delivered" | "failed";

export interface ProviderStatusReason {
  /** Short machine code, e.g. "opted_out", "quiet_hours", "attachments". */
  readonly code: string;
  /** What a person in GHL reads, e.g. "Not sent: Ada opted out by replying STOP on 2026-11-02". */
  readonly message: string;
}

/**
 * GHL's ErrorDto requires `type`; the official spec's only example is "saas" (an error from the
 * provider's service, as opposed to the carrier), which is what all of ours are.
 */
export const PROVIDER_ERROR_TYPE = "saas";

export function ghlStatusOf(status: MessageStatus): GhlProviderStatus {
  switch (status) {
    case "DELIVERED":
      return "delivered";
    case "FAILED":
    case "CANCELLED":
      return "failed";
    case "QUEUED":
    case "ACCEPTED":
    case "SCHEDULED":
    case "SENT":
    case "UNKNOWN":
      return "pending";
    default: {
      const never: never = status;
      throw new Error(`unknown message status ${String(never)}`);
    }
  }
}

/** pending < delivered = failed: a final status is never followed by pending. */
function rank(s: GhlProviderStatus): number {
  return s === "pending" ? 0 : 1;
}

/**
 * Enqueues the report of `message`'s current state (call inside the transaction that changed it; pass the
 * message as it is after the change). `key` names the change (e.g. "submitted", "deferred:<time>"). A
 * message that is not a provider text is ignored.
 */
export async function reportProviderStatus(
  tx: Pick<StoreTx, "jobs">,
  message: MessageRecord,
  input: { key: string; reason?: ProviderStatusReason },
): Promise<void> {
  const ghlMessageId = metaOf(message).ghlMessageId;
  if (!ghlMessageId) return;
  await enqueueJob(
    tx,
    "ghl.message.status",
    {
      locationId: message.locationId,
      messageId: message.id,
      state: message.status,
      ...(input.reason ? { reason: { code: input.reason.code, message: input.reason.message } } : {}),
    },
    { key: `${ghlMessageId}:${input.key}`, locationId: message.locationId, priority: 15 },
  );
}

/** The reason of a final state when the job was made for an older one. */
function derivedReason(message: MessageRecord): ProviderStatusReason | undefined {
  if (message.status === "FAILED")
    return {
      code: message.subtype ? `bulksms_${message.subtype.toLowerCase()}` : "bulksms_failed",
      message: `Not delivered: ${describeFailure(message.subtype, message.error)}`,
    };
  if (message.status === "CANCELLED")
    return { code: "cancelled", message: `Not sent: ${message.error ?? "cancelled"}` };
  return undefined;
}

export interface UpdateMessageStatusBody {
  status: GhlProviderStatus;
  error?: { code: string; type: string; message: string };
}

/** The body GHL gets for `message` (as it is now), given the job made for `job.state`. */
export function statusBody(
  message: MessageRecord,
  job: Pick<EngineJobCatalog["ghl.message.status"], "state" | "reason">,
): UpdateMessageStatusBody {
  const status = ghlStatusOf(message.status);
  const reason = (message.status === job.state ? job.reason : undefined) ?? derivedReason(message);
  return {
    status,
    ...(reason ? { error: { code: reason.code, type: PROVIDER_ERROR_TYPE, message: reason.message } } : {}),
  };
}

/**
 * How long one status report may hold its message's lock: a killed holder's lock frees itself after this,
 * well within the retries of the report that waits for it (every 3 s). A report that outlives it (a long
 * rate-limit wait) loses only the exclusivity; the re-read after its PUT still puts GHL right.
 */
const LOCK_TTL_MS = 10_000;
const LOCK_RETRY_MS = 3_000;

/**
 * Job "ghl.message.status". Reports of one message never run at once (a store lock per message), so a
 * `pending` read before the delivery report can never be PUT after the `delivered` written from it.
 */
export async function runProviderStatus(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.message.status"],
): Promise<JobOutcome> {
  const lock = `provider-status:${p.messageId}`;
  const owner = randomUUID();
  if (!(await deps.store.locks.tryAcquire(lock, owner, LOCK_TTL_MS)))
    return retryLater("status_busy", "another status report of this message is running", LOCK_RETRY_MS);
  try {
    return await reportCurrent(deps, p);
  } finally {
    await deps.store.locks.release(lock, owner);
  }
}

async function reportCurrent(
  deps: EngineDeps,
  p: EngineJobCatalog["ghl.message.status"],
): Promise<JobOutcome> {
  let job: Pick<EngineJobCatalog["ghl.message.status"], "state" | "reason"> = p;
  // at most twice: once as asked, once more when a newer change raced the first PUT
  for (let round = 0; round < 2; round++) {
    const message = await deps.store.messages.get(p.messageId);
    if (!message) return OK; // purged
    const ghlMessageId = metaOf(message).ghlMessageId;
    if (!ghlMessageId) return OK;
    const location = await deps.store.locations.get(message.locationId);
    if (!location?.active) {
      deps.logger.info({ locationId: message.locationId }, "provider status skipped: location inactive");
      return OK;
    }
    const body = statusBody(message, job);
    const r = await deps.ghl(message.locationId).conversations.updateMessageStatus({
      locationId: message.locationId,
      messageId: ghlMessageId,
      body,
    });
    await auditVendorWrite(deps, {
      locationId: message.locationId,
      vendor: "ghl",
      operation: "conversations.message.status",
      targetId: ghlMessageId,
      idempotencyKey: `${message.id}:${body.status}`,
      resultStatus: r.ok ? "ok" : `error:${r.error.code}`,
      detail: { status: body.status, ...(body.error ? { code: body.error.code } : {}) },
    });
    if (!r.ok) return fromGhlError(r.error);
    const after = await deps.store.messages.get(p.messageId);
    if (!after || rank(ghlStatusOf(after.status)) <= rank(body.status)) return OK;
    // the message reached a final state while we reported pending: report it now
    job = { state: after.status };
  }
  return OK;
}
