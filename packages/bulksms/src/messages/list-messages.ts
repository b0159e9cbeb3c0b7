import { type ApiContext, callApi } from "../api/call-api.js";
import type { BulkSmsError } from "../errors/bulksms-error.js";
import { fail, type Result } from "../result.js";
import type { BulkSmsMessage } from "./bulksms-message.js";
import { buildMessageFilter, type MessageFilter } from "./message-filter.js";
import { toMessageList } from "./to-message-list.js";

export type ListMessagesOptions = {
  filter?: MessageFilter;
  limit?: number;
  sortOrder?: "ASCENDING" | "DESCENDING";
};

/** One page of GET /messages. */
export async function listMessages(
  ctx: ApiContext,
  options: ListMessagesOptions = {},
): Promise<Result<BulkSmsMessage[]>> {
  let filter: string | undefined;
  try {
    filter = options.filter === undefined ? undefined : buildMessageFilter(options.filter);
  } catch (e) {
    return fail({ code: "invalid_input", status: 0, title: (e as Error).message, retryable: false });
  }
  const query: { filter?: string; limit?: number; sortOrder?: "ASCENDING" } = {};
  if (filter !== undefined) query.filter = filter;
  if (options.limit !== undefined) query.limit = options.limit;
  if (options.sortOrder === "ASCENDING") query.sortOrder = "ASCENDING";
  const answer = await callApi(ctx, (api) => api.GET("/messages", { params: { query }, parseAs: "text" }));
  if (!answer.ok) return answer;
  return toMessageList(answer.data.status, answer.data.json);
}

/** Thrown inside `iterateMessages` when a page fails; carries the typed error. */
export class BulkSmsPageError extends Error {
  readonly error: BulkSmsError;
  constructor(error: BulkSmsError) {
    super(`BulkSMS message listing failed: ${error.title}`);
    this.name = "BulkSmsPageError";
    this.error = error;
  }
}

/**
 * All messages matching `filter`, newest first (`sortOrder` is ignored here), paging with `id<lastSeen` until a page comes back EMPTY
 * (a short page does not mean the end: BulkSMS may return fewer than `limit` while more exist).
 * Memory stays flat: one page at a time. A failed page throws `BulkSmsPageError` (after the transport's
 * own retries), because an async iterator cannot return a result mid-stream.
 * Ids are compared as big integers, never as JS numbers.
 * Incremental polling: `filter: { idAfter: lastSeenId }` yields every newer message exactly once, because
 * the `id<` paging happens inside the `id>` window.
 */
export async function* iterateMessages(
  ctx: ApiContext,
  options: ListMessagesOptions = {},
): AsyncGenerator<BulkSmsMessage> {
  let before = options.filter?.idBefore;
  for (;;) {
    const filter: MessageFilter = { ...options.filter };
    if (before !== undefined) filter.idBefore = before;
    const page = await listMessages(ctx, { ...options, filter, sortOrder: "DESCENDING" });
    if (!page.ok) throw new BulkSmsPageError(page.error);
    if (page.data.length === 0) return;
    let lowest: bigint | undefined;
    for (const message of page.data) {
      yield message;
      const id = /^\d+$/.test(message.id) ? BigInt(message.id) : undefined;
      if (id !== undefined && (lowest === undefined || id < lowest)) lowest = id;
    }
    if (lowest === undefined) return;
    const next = lowest.toString();
    if (before !== undefined && BigInt(next) >= BigInt(before)) return; // server ignored the filter: stop, never loop
    before = next;
  }
}
