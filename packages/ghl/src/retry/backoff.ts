export interface RetryOptions {
  /** Total HTTP attempts including the first. Default 4. */
  maxAttempts?: number;
  /** Base delay for exponential backoff. Default 500 ms. */
  baseDelayMs?: number;
  /** Cap for one backoff delay (and for honoured Retry-After values). Default 30 000 ms. */
  maxDelayMs?: number;
  /** Random source in [0, 1) for full jitter; injectable for tests. */
  random?: () => number;
}

export interface ResolvedRetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  const resolved = {
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    random: options.random ?? Math.random,
  };
  if (!Number.isInteger(resolved.maxAttempts) || resolved.maxAttempts < 1) {
    throw new Error(`retry: maxAttempts must be an integer >= 1, got ${resolved.maxAttempts}`);
  }
  if (!(resolved.baseDelayMs >= 0) || !(resolved.maxDelayMs >= resolved.baseDelayMs)) {
    throw new Error("retry: need 0 <= baseDelayMs <= maxDelayMs");
  }
  return resolved;
}

/**
 * Delay before retry number `retry` (1-based): full jitter, i.e. uniform in [0, min(cap, base * 2^(retry-1))],
 * but never shorter than the server's `Retry-After` (itself capped at maxDelayMs).
 */
export function backoffDelay(
  retry: number,
  options: ResolvedRetryOptions,
  retryAfterMs: number | null,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(options.random() * ceiling);
  if (retryAfterMs === null) return jittered;
  return Math.max(Math.min(retryAfterMs, options.maxDelayMs), jittered);
}
