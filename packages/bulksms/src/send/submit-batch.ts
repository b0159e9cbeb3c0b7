import { type ApiContext, callApi } from "../api/call-api.js";
import { inputError } from "../errors/bulksms-error.js";
import type { BulkSmsMessage } from "../messages/bulksms-message.js";
import { toMessageList } from "../messages/to-message-list.js";
import { fail, type Result } from "../result.js";
import { measureSms } from "../text/measure-sms.js";
import { sanitizeSmsText } from "../text/sanitize-sms-text.js";
import type { SmsSender, SubmissionEntry } from "./send-messages.js";
import { MAX_RECIPIENTS_PER_REQUEST } from "./send-messages.js";
import { checkUserSuppliedId } from "./user-supplied-id.js";

/** One personalised text of a batch: its own number, body and correlation id. */
export type BatchMessage = {
  /** E.164 (with "+"). */
  to: string;
  body: string;
  /** Our message id (<= 20 characters); comes back on the SENT message for matching. */
  userSuppliedId: string;
};

export type SubmitBatchInput = {
  /**
   * The int32 `deduplication-id` of the WHOLE request, fixed by the caller for every attempt of this exact
   * batch: BulkSMS answers a repeat with the first reply and sends nothing again (~12 h memory).
   */
  deduplicationId: number;
  messages: readonly BatchMessage[];
  from?: SmsSender;
  /** Default 6: a campaign text is measured by the caller before it is batched. */
  longMessageMaxParts?: number;
  deliveryReports?: "ALL" | "ERRORS" | "NONE";
};

function sender(from: SmsSender): SubmissionEntry["from"] {
  if (typeof from !== "string") return from;
  const trimmed = from.trim();
  return {
    type: !trimmed.startsWith("+") && /\D/.test(trimmed) ? "ALPHANUMERIC" : "INTERNATIONAL",
    address: trimmed,
  };
}

/**
 * POST /messages with many personalised messages in ONE request (one SubmissionEntry per text, BulkSMS's
 * advised maximum 4 000), `auto-unicode=true`, and the caller's deduplication id. The body is serialised
 * once, so the transport's retries resend the identical bytes; a caller retrying later must rebuild it from
 * the same persisted membership, in the same order, to stay identical.
 */
export async function submitBatch(
  ctx: ApiContext,
  input: SubmitBatchInput,
): Promise<Result<BulkSmsMessage[]>> {
  const n = input.messages.length;
  if (n === 0 || n > MAX_RECIPIENTS_PER_REQUEST)
    return fail(
      inputError("invalid_input", `a batch holds 1..${MAX_RECIPIENTS_PER_REQUEST} messages, got ${n}`),
    );
  if (
    !Number.isInteger(input.deduplicationId) ||
    input.deduplicationId < 0 ||
    input.deduplicationId > 2 ** 31 - 1
  )
    return fail(inputError("invalid_input", "deduplicationId must be an int32 from 0 to 2147483647"));
  const maxParts = input.longMessageMaxParts ?? 6;
  const from = input.from === undefined ? undefined : sender(input.from);
  const entries: SubmissionEntry[] = [];
  for (const m of input.messages) {
    if (!/^\+\d{7,15}$/.test(m.to)) return fail(inputError("invalid_input", "every number must be E.164"));
    const problem = checkUserSuppliedId(m.userSuppliedId);
    if (problem !== undefined) return fail(inputError("invalid_input", problem));
    const body = sanitizeSmsText(m.body);
    if (body.trim() === "") return fail(inputError("invalid_input", "a message body is empty"));
    const parts = measureSms(body).parts;
    if (parts > maxParts)
      return fail(
        inputError("invalid_input", `a message needs ${parts} parts but longMessageMaxParts is ${maxParts}`),
      );
    const entry: SubmissionEntry = {
      to: [{ type: "INTERNATIONAL", address: m.to }],
      body,
      userSuppliedId: m.userSuppliedId,
      longMessageMaxParts: maxParts,
      deliveryReports: input.deliveryReports ?? "ALL",
    };
    if (from !== undefined) entry.from = from;
    entries.push(entry);
  }
  const answer = await callApi(ctx, (api) =>
    api.POST("/messages", {
      params: { query: { "auto-unicode": true, "deduplication-id": input.deduplicationId } },
      body: entries,
      parseAs: "text",
    }),
  );
  return answer.ok ? toMessageList(answer.data.status, answer.data.json) : answer;
}
