/** Bounded exponential backoff with jitter, for the transport's automatic retries. */
export type RetryOptions = {
  /** Total attempts including the first (default 4). 1 disables retries. */
  attempts?: number;
  /** First backoff (default 300 ms); doubles each retry. */
  baseDelayMs?: number;
  /** Cap for one backoff (default 8 s). */
  maxDelayMs?: number;
};

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  const attempts = options?.attempts ?? 4;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 10)
    throw new RangeError(`retry.attempts must be 1..10, got ${attempts}`);
  return { attempts, baseDelayMs: options?.baseDelayMs ?? 300, maxDelayMs: options?.maxDelayMs ?? 8_000 };
}

/**
 * Delay before retry number `retry` (1-based): "equal jitter" — half fixed, half random — so retries
 * spread out but never collapse to 0. A server `Retry-After` raises the delay (capped by maxDelayMs x 4).
 */
export function backoffDelay(
  policy: ResolvedRetry,
  retry: number,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  if (retryAfterMs !== undefined) return Math.min(Math.max(jittered, retryAfterMs), policy.maxDelayMs * 4);
  return jittered;
}

/**
 * Which requests may be repeated after an AMBIGUOUS failure (timeout, network error, 5xx):
 * - GET/HEAD/DELETE: yes.
 * - POST /messages: only with a `deduplication-id` (BulkSMS then answers a repeat without sending again).
 * - POST /blocked-numbers (adding is a set union) and POST /webhooks/{id} (update): yes, idempotent.
 * - POST /webhooks (create), POST /credit/transfer, anything else: no.
 */
export function isRetrySafe(method: string, url: URL, basePath: string): boolean {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD" || m === "DELETE") return true;
  if (m !== "POST") return false;
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
  if (path === "/messages") return url.searchParams.has("deduplication-id");
  if (path === "/blocked-numbers") return true;
  if (/^\/webhooks\/[^/]+$/.test(path)) return true;
  return false;
}
