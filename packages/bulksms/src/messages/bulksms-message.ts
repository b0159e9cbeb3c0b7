import { fromVendorNumber } from "../phone/normalize-phone.js";
import { type MessageStatus, parseStatus } from "../status/message-status.js";

/**
 * A BulkSMS message (sent MT or received MO) as this package hands it out:
 * - `id`, `relatedSentMessageId` and submission ids are STRINGS, never numbers.
 * - `from`/`to` are E.164 ("+27821234567") when they are phone numbers; BulkSMS drops the "+".
 * - `status` is parsed into `{ id, type, subtype }`.
 */
export type BulkSmsMessage = {
  id: string;
  type: "SENT" | "RECEIVED";
  from: string | null;
  to: string | null;
  body: string | null;
  encoding: string | null;
  status: MessageStatus | null;
  submissionId: string | null;
  submissionDate: string | null;
  userSuppliedId: string | null;
  relatedSentMessageId: string | null;
  numberOfParts: number | null;
  creditCost: number | null;
};

export type ToMessageResult = { ok: true; message: BulkSmsMessage } | { ok: false; reason: string };

/**
 * Converts one raw message (already JSON-parsed with `parseJsonLossless`) to a `BulkSmsMessage`.
 * Accepts the flat v1 spec shape, and the nested shape shown on BulkSMS's webhook web page
 * (`from.address`, `body.value`, `body.encoding.type`, `status.condition`). `fallbackType` is used when
 * the item has no `type` (the nested shape), e.g. derived from the `X-BulkSMS-Event` header.
 */
export function toBulkSmsMessage(raw: unknown, fallbackType?: "SENT" | "RECEIVED"): ToMessageResult {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, reason: "is not an object" };
  const r = raw as Record<string, unknown>;
  const id = idString(r.id);
  if (id === undefined) return { ok: false, reason: "has no usable id" };
  const typeRaw = typeof r.type === "string" ? r.type.toUpperCase() : fallbackType;
  if (typeRaw !== "SENT" && typeRaw !== "RECEIVED")
    return { ok: false, reason: "has no type SENT or RECEIVED" };

  const bodyField = r.body;
  const nestedBody = isRecord(bodyField) ? bodyField : undefined;
  const body =
    typeof bodyField === "string"
      ? bodyField
      : nestedBody && typeof nestedBody.value === "string"
        ? nestedBody.value
        : null;
  const encoding =
    typeof r.encoding === "string"
      ? r.encoding
      : nestedBody && isRecord(nestedBody.encoding) && typeof nestedBody.encoding.type === "string"
        ? nestedBody.encoding.type
        : null;

  let status: MessageStatus | null = null;
  if (r.status !== undefined && r.status !== null) {
    const s = r.status;
    const parsed =
      isRecord(s) && typeof s.condition === "string" && s.type === undefined
        ? parseStatus(s.condition)
        : parseStatus(s);
    if (parsed === undefined) return { ok: false, reason: "has an unrecognised status" };
    status = parsed;
  }

  const submission = isRecord(r.submission) ? r.submission : undefined;
  return {
    ok: true,
    message: {
      id,
      type: typeRaw,
      from: address(r.from),
      to: address(r.to),
      body,
      encoding,
      status,
      submissionId: submission ? (idString(submission.id) ?? null) : null,
      submissionDate: submission && typeof submission.date === "string" ? submission.date : null,
      userSuppliedId: typeof r.userSuppliedId === "string" ? r.userSuppliedId : null,
      relatedSentMessageId: idString(r.relatedSentMessageId) ?? null,
      numberOfParts: finiteNumber(r.numberOfParts),
      creditCost: finiteNumber(r.creditCost),
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Ids as strings. A JSON number is only accepted when it is a safe integer (big ones arrive as strings from parseJsonLossless). */
function idString(value: unknown): string | undefined {
  if (typeof value === "string" && value.trim() !== "") return value.trim();
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return String(value);
  return undefined;
}

function address(value: unknown): string | null {
  if (typeof value === "string") return fromVendorNumber(value);
  if (isRecord(value) && typeof value.address === "string") return fromVendorNumber(value.address);
  return null;
}

function finiteNumber(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
