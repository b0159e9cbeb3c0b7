import { parseJsonLossless } from "../json/parse-json-lossless.js";
import { type BulkSmsMessage, toBulkSmsMessage } from "../messages/bulksms-message.js";

export type BulkSmsWebhookEvent = "status-report" | "incoming-message";

export type ParsedBulkSmsWebhook = {
  /** From `X-BulkSMS-Event`, or inferred from the messages' type when the header is missing. */
  event: BulkSmsWebhookEvent | null;
  webhookId: string | null;
  deliveryId: string | null;
  deliveryAttempt: number | null;
  messages: BulkSmsMessage[];
  /** Items that could not be read, by position; the rest of the batch is still usable. */
  rejected: Array<{ index: number; reason: string }>;
};

export type ParseWebhookResult = { ok: true; data: ParsedBulkSmsWebhook } | { ok: false; error: string };

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Parses the raw body BulkSMS POSTs to a webhook: a JSON array of messages (an empty array is the test
 * call BulkSMS makes when a webhook is created or updated). Never throws: malformed input gives
 * `{ ok: false, error }` with a reason that contains no message content or phone number.
 *
 * Each item is idempotency-keyed by the caller on `message.id` + `message.status.id`; BulkSMS sends
 * duplicates and out of order. Note that BulkSMS webhooks are NOT signed: authenticate the call with a
 * secret in the URL (see `webhookUrlWithSecret`) BEFORE parsing.
 */
export function parseBulkSmsWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders = {},
): ParseWebhookResult {
  let text: string;
  try {
    text = typeof rawBody === "string" ? rawBody : new TextDecoder("utf-8", { fatal: true }).decode(rawBody);
  } catch {
    return { ok: false, error: "webhook body is not valid UTF-8" };
  }
  if (text.trim() === "") return { ok: false, error: "webhook body is empty (expected a JSON array)" };
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(text);
  } catch {
    return { ok: false, error: "webhook body is not valid JSON" };
  }
  const items = Array.isArray(parsed)
    ? parsed
    : parsed !== null && typeof parsed === "object"
      ? [parsed]
      : undefined;
  if (items === undefined) return { ok: false, error: "webhook body is not a JSON array of messages" };

  const eventHeader = header(headers, "x-bulksms-event");
  const event: BulkSmsWebhookEvent | null =
    eventHeader === "status-report" || eventHeader === "incoming-message" ? eventHeader : null;
  const fallbackType =
    event === "incoming-message" ? "RECEIVED" : event === "status-report" ? "SENT" : undefined;

  const messages: BulkSmsMessage[] = [];
  const rejected: Array<{ index: number; reason: string }> = [];
  items.forEach((item, index) => {
    const result = toBulkSmsMessage(item, fallbackType);
    if (result.ok) messages.push(result.message);
    else rejected.push({ index, reason: `item ${index} ${result.reason}` });
  });
  if (items.length > 0 && messages.length === 0) {
    return {
      ok: false,
      error: `no readable message in webhook body: ${rejected.map((r) => r.reason).join("; ")}`,
    };
  }
  const attempt = Number(header(headers, "x-bulksms-delivery-attempt"));
  const first = messages[0];
  return {
    ok: true,
    data: {
      event:
        event ??
        (first === undefined ? null : first.type === "RECEIVED" ? "incoming-message" : "status-report"),
      webhookId: header(headers, "x-bulksms-webhook-id") ?? null,
      deliveryId: header(headers, "x-bulksms-delivery") ?? null,
      deliveryAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : null,
      messages,
      rejected,
    },
  };
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof Headers !== "undefined" && headers instanceof Headers) return headers.get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() !== name) continue;
    const value = record[key];
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
