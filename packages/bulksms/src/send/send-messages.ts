import { type ApiContext, callApi } from "../api/call-api.js";
import { inputError } from "../errors/bulksms-error.js";
import type { components } from "../generated/bulksms.js";
import type { BulkSmsMessage } from "../messages/bulksms-message.js";
import { toMessageList } from "../messages/to-message-list.js";
import type { CountryCode } from "../phone/normalize-phone.js";
import { normalizeRecipients } from "../phone/normalize-recipients.js";
import { fail, ok, type Result } from "../result.js";
import { measureSms } from "../text/measure-sms.js";
import { sanitizeSmsText } from "../text/sanitize-sms-text.js";
import { batchDedupId } from "./dedup-id.js";
import { checkUserSuppliedId } from "./user-supplied-id.js";

/** BulkSMS's advised maximum recipients per request (the hard limit is 30 000). */
export const MAX_RECIPIENTS_PER_REQUEST = 4000;
/** BulkSMS's default for `longMessageMaxParts` when the field is omitted. */
const VENDOR_DEFAULT_MAX_PARTS = 3;

export type SmsSender =
  | string
  | { type: "INTERNATIONAL" | "ALPHANUMERIC" | "SHORTCODE"; address: string }
  | { type: "REPLIABLE" };

export type SendMessagesInput = {
  /** OUR idempotency key for this send (e.g. a GHL message id). The deduplication-id is derived from it. */
  jobKey: string;
  /** Recipients in any format; normalised to E.164 with the client's `defaultRegion`, de-duplicated. */
  to: readonly string[];
  body: string;
  from?: SmsSender;
  /** Send as UCS-2 (`encoding: UNICODE`); the text is then NOT sanitised. Default false. */
  unicode?: boolean;
  /** `auto-unicode`: BulkSMS switches to UNICODE only if a non-GSM character remains. Default true (otherwise such characters become "?"). */
  autoUnicode?: boolean;
  /** Replace smart quotes, dashes, NBSP and zero-width characters before sending. Default: true unless `unicode`. */
  sanitize?: boolean;
  /** At most 20 characters, filter-safe (see `checkUserSuppliedId`); `userSuppliedIdFor(key)` derives one. */
  userSuppliedId?: string;
  /** Cap on concatenated parts (BulkSMS default 3). A text needing more parts is refused locally. */
  longMessageMaxParts?: number;
  deliveryReports?: "ALL" | "ERRORS" | "NONE";
  routingGroup?: "ECONOMY" | "STANDARD" | "PREMIUM";
  /** Future send time; must carry an offset. Scheduled messages are charged now and cannot be cancelled. */
  scheduleDate?: Date | string;
  /** Recipients per request, 1..4000 (default 4000). */
  batchSize?: number;
};

export type SendBatch = { index: number; deduplicationId: number; recipients: number; messages: number };

export type SendOutcome = {
  messages: BulkSmsMessage[];
  batches: SendBatch[];
  /** The text as sent (after sanitising) and its measure, for the caller's records. */
  body: string;
  parts: number;
  encoding: "GSM-7" | "UCS-2";
};

/**
 * One entry of the request body, in the vendor document's canonical forms (so it validates against the
 * document as published, whose schema only declares the structured forms):
 * the body is a JSON ARRAY of entries, `to` is an ARRAY of `{ type: "INTERNATIONAL", address }`, and
 * `from` is a `{ type, address? }` object (a string sender is converted with BulkSMS's own detection rule).
 */
export type SubmissionEntry = components["schemas"]["SubmissionEntry"] & {
  to: Array<{ type: "INTERNATIONAL"; address: string }>;
  from?: components["schemas"]["Sender"];
};

/**
 * POST /messages in batches of up to 4 000 recipients. Each batch gets a stable `deduplication-id`
 * (`batchDedupId(jobKey, index)`) and its body is serialised once, so the transport's retries — and a
 * whole re-run of the same send with the same job key within ~12 h — can never send twice.
 * Batches go one after another and the send stops at the first failing batch.
 */
export async function sendMessages(
  ctx: ApiContext,
  input: SendMessagesInput,
  defaultRegion: CountryCode | undefined,
): Promise<Result<SendOutcome>> {
  const prepared = prepareSend(input, defaultRegion);
  if (!prepared.ok) return prepared;
  const { entries, query } = prepared.data;
  const messages: BulkSmsMessage[] = [];
  const batches: SendBatch[] = [];
  for (const [index, entry] of entries.entries()) {
    const deduplicationId = batchDedupId(input.jobKey, index);
    // One body per batch, serialised deterministically; the transport resends these exact bytes on retry.
    const answer = await callApi(ctx, (api) =>
      api.POST("/messages", {
        params: { query: { ...query, "deduplication-id": deduplicationId } },
        body: [entry],
        parseAs: "text",
      }),
    );
    const list = answer.ok ? toMessageList(answer.data.status, answer.data.json) : answer;
    if (!list.ok) {
      if (index === 0) return list;
      const detail = `${list.error.detail ?? list.error.title}; ${index} earlier batch(es) were accepted and are not resent when the same jobKey is retried within ~12 h`;
      return fail({ ...list.error, detail, completedBatches: index });
    }
    messages.push(...list.data);
    batches.push({ index, deduplicationId, recipients: entry.to.length, messages: list.data.length });
  }
  return ok({
    messages,
    batches,
    body: prepared.data.body,
    parts: prepared.data.parts,
    encoding: prepared.data.encoding,
  });
}

type SendQuery = { "auto-unicode"?: boolean; "schedule-date"?: string };

type PreparedSend = {
  entries: SubmissionEntry[];
  query: SendQuery;
  body: string;
  parts: number;
  encoding: "GSM-7" | "UCS-2";
};

/** Validates and builds the request bodies without any I/O: what `sendMessages` would POST (dry runs, previews). */
export function prepareSend(
  input: SendMessagesInput,
  defaultRegion: CountryCode | undefined,
): Result<PreparedSend> {
  if (typeof input.jobKey !== "string" || input.jobKey === "")
    return fail(inputError("invalid_input", "jobKey must be a non-empty string"));
  if (typeof input.body !== "string" || input.body.trim() === "")
    return fail(inputError("invalid_input", "Message body is empty"));
  const batchSize = input.batchSize ?? MAX_RECIPIENTS_PER_REQUEST;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_RECIPIENTS_PER_REQUEST) {
    return fail(inputError("invalid_input", `batchSize must be 1..${MAX_RECIPIENTS_PER_REQUEST}`));
  }
  if (input.userSuppliedId !== undefined) {
    const problem = checkUserSuppliedId(input.userSuppliedId);
    if (problem !== undefined) return fail(inputError("invalid_input", problem));
  }
  const recipients = normalizeRecipients(input.to, defaultRegion);
  if (!recipients.ok) return recipients;

  const unicode = input.unicode === true;
  const body = (input.sanitize ?? !unicode) ? sanitizeSmsText(input.body) : input.body;
  const autoUnicode = input.autoUnicode ?? true;
  // Without auto-unicode BulkSMS turns non-GSM characters into "?" (still GSM-7); measuring in auto mode then over-estimates, never under.
  const measure = measureSms(body, { unicode });
  const maxParts = input.longMessageMaxParts ?? VENDOR_DEFAULT_MAX_PARTS;
  if (!Number.isInteger(maxParts) || maxParts < 1 || maxParts > 255)
    return fail(inputError("invalid_input", "longMessageMaxParts must be 1..255"));
  if (measure.parts > maxParts) {
    return fail(
      inputError(
        "invalid_input",
        `Message needs ${measure.parts} ${measure.encoding} parts but longMessageMaxParts is ${maxParts}`,
        "Shorten the text or raise longMessageMaxParts (each part is charged).",
      ),
    );
  }
  const scheduleDate = scheduleParam(input.scheduleDate);
  if (scheduleDate instanceof Error) return fail(inputError("invalid_input", scheduleDate.message));

  const base: Omit<SubmissionEntry, "to"> = { body };
  if (input.from !== undefined) {
    const from = canonicalSender(input.from);
    const problem = checkSender(from);
    if (problem !== undefined) return fail(inputError("invalid_input", problem));
    base.from = from;
  }
  if (unicode) base.encoding = "UNICODE";
  if (input.longMessageMaxParts !== undefined) base.longMessageMaxParts = input.longMessageMaxParts;
  if (input.deliveryReports !== undefined) base.deliveryReports = input.deliveryReports;
  if (input.routingGroup !== undefined) base.routingGroup = input.routingGroup;
  if (input.userSuppliedId !== undefined) base.userSuppliedId = input.userSuppliedId;

  const entries: SubmissionEntry[] = [];
  for (let i = 0; i < recipients.data.length; i += batchSize) {
    const to = recipients.data
      .slice(i, i + batchSize)
      .map((address) => ({ type: "INTERNATIONAL" as const, address }));
    entries.push({ ...base, to });
  }
  const query: SendQuery = {};
  if (autoUnicode && !unicode) query["auto-unicode"] = true;
  if (scheduleDate !== undefined) query["schedule-date"] = scheduleDate;
  return ok({ entries, query, body, parts: measure.parts, encoding: measure.encoding });
}

function scheduleParam(value: Date | string | undefined): string | undefined | Error {
  if (value === undefined) return undefined;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? new Error("scheduleDate is an invalid Date") : value.toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    return new Error("scheduleDate must be an ISO-8601 date-time with an offset (e.g. 2024-05-01T10:00:00Z)");
  }
  return value;
}

/** BulkSMS's rule for string senders: no leading "+" and at least one non-digit means ALPHANUMERIC. */
function canonicalSender(from: SmsSender): components["schemas"]["Sender"] {
  if (typeof from !== "string") return from;
  const trimmed = from.trim();
  const alphanumeric = !trimmed.startsWith("+") && /\D/.test(trimmed);
  return { type: alphanumeric ? "ALPHANUMERIC" : "INTERNATIONAL", address: trimmed };
}

/** The vendor's length rules for sender ids. */
function checkSender(from: components["schemas"]["Sender"]): string | undefined {
  const address = from.address ?? "";
  if (from.type === "REPLIABLE")
    return from.address === undefined ? undefined : "a REPLIABLE sender takes no address";
  if (from.type === "ALPHANUMERIC")
    return address.length >= 1 && address.length <= 11
      ? undefined
      : "an alphanumeric sender id has 1..11 characters";
  if (from.type === "SHORTCODE")
    return /^\d{1,6}$/.test(address) ? undefined : "a short code sender has at most 6 digits";
  return /^\+?\d{7,15}$/.test(address)
    ? undefined
    : "an international sender number has 7..15 digits (a leading + is allowed)";
}
