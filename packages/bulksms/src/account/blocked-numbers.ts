import { type ApiContext, callApi } from "../api/call-api.js";
import type { BulkSmsError } from "../errors/bulksms-error.js";
import { invalidResponseError } from "../errors/map-http-error.js";
import type { CountryCode } from "../phone/normalize-phone.js";
import { fromVendorNumber } from "../phone/normalize-phone.js";
import { normalizeRecipients } from "../phone/normalize-recipients.js";
import { fail, ok, type Result } from "../result.js";

/** BulkSMS accepts at most 1 000 numbers per POST /blocked-numbers. */
export const MAX_BLOCKED_PER_REQUEST = 1000;

/** A blocked (opted-out) number; `phoneNumber` normalised to E.164, `id` kept as a string. */
export type BlockedNumber = { id: string; phoneNumber: string };

/** One page of GET /blocked-numbers starting at `minId` (inclusive). */
export async function listBlockedNumbers(
  ctx: ApiContext,
  options: { minId?: string; limit?: number } = {},
): Promise<Result<BlockedNumber[]>> {
  const query: { "min-id"?: number; limit?: number } = {};
  if (options.minId !== undefined) {
    if (!/^\d{1,15}$/.test(options.minId))
      return fail({ code: "invalid_input", status: 0, title: "minId must be digits", retryable: false });
    query["min-id"] = Number(options.minId);
  }
  if (options.limit !== undefined) query.limit = options.limit;
  const answer = await callApi(ctx, (api) =>
    api.GET("/blocked-numbers", { params: { query }, parseAs: "text" }),
  );
  if (!answer.ok) return answer;
  const json = answer.data.json;
  // The spec's schema says one object but its text says a list: accept both.
  const items = Array.isArray(json) ? json : json === undefined ? [] : [json];
  const out: BlockedNumber[] = [];
  for (const [index, item] of items.entries()) {
    const r = item !== null && typeof item === "object" ? (item as Record<string, unknown>) : {};
    const id =
      typeof r.id === "string"
        ? r.id
        : typeof r.id === "number" && Number.isSafeInteger(r.id)
          ? String(r.id)
          : undefined;
    if (id === undefined || !/^\d+$/.test(id) || typeof r.phoneNumber !== "string") {
      return fail(invalidResponseError(answer.data.status, `blocked number ${index} has no id/phoneNumber`));
    }
    out.push({ id, phoneNumber: fromVendorNumber(r.phoneNumber) });
  }
  return ok(out);
}

export class BulkSmsBlockedPageError extends Error {
  readonly error: BulkSmsError;
  constructor(error: BulkSmsError) {
    super(`BulkSMS blocked-number listing failed: ${error.title}`);
    this.name = "BulkSmsBlockedPageError";
    this.error = error;
  }
}

/** Every blocked number from `minId` on, paging with `min-id` = last id + 1 until an empty page. */
export async function* iterateBlockedNumbers(
  ctx: ApiContext,
  options: { minId?: string; limit?: number } = {},
): AsyncGenerator<BlockedNumber> {
  let minId = options.minId;
  for (;;) {
    const page = await listBlockedNumbers(ctx, minId === undefined ? { ...options } : { ...options, minId });
    if (!page.ok) throw new BulkSmsBlockedPageError(page.error);
    if (page.data.length === 0) return;
    let highest = -1n;
    for (const entry of page.data) {
      yield entry;
      const id = BigInt(entry.id);
      if (id > highest) highest = id;
    }
    const next = (highest + 1n).toString();
    if (minId !== undefined && BigInt(next) <= BigInt(minId)) return; // server ignored min-id: stop rather than loop
    minId = next;
  }
}

/**
 * POST /blocked-numbers: normalises numbers to E.164, splits into chunks of ≤1 000, one call each.
 * Adding is idempotent, so the transport may retry. There is no API to unblock.
 */
export async function addBlockedNumbers(
  ctx: ApiContext,
  numbers: readonly string[],
  defaultRegion: CountryCode | undefined,
): Promise<Result<{ added: number; requests: number }>> {
  const normalized = normalizeRecipients(numbers, defaultRegion);
  if (!normalized.ok) return normalized;
  let requests = 0;
  for (let i = 0; i < normalized.data.length; i += MAX_BLOCKED_PER_REQUEST) {
    const chunk = normalized.data.slice(i, i + MAX_BLOCKED_PER_REQUEST);
    const answer = await callApi(ctx, (api) =>
      api.POST("/blocked-numbers", { body: chunk, parseAs: "text" }),
    );
    if (!answer.ok) return answer;
    requests++;
  }
  return ok({ added: normalized.data.length, requests });
}
