import type { TokenManager } from "../auth/token-manager.js";
import { parseRateLimitHeaders, parseRetryAfter } from "../rate-limit/rate-limit-headers.js";
import type { GhlPriority, GhlRateLimiter } from "../rate-limit/rate-limiter.js";
import { backoffDelay, type ResolvedRetryOptions } from "../retry/backoff.js";
import { apiVersionFor } from "./api-version.js";
import type { Now, Sleep } from "./clock.js";
import { dailyLimitError, errorCode, type GhlError, transportError } from "./errors.js";
import type { GhlLogger } from "./logger.js";
import type { GhlRateLimitInfo } from "./result.js";

export type GhlFetch = (request: Request) => Promise<Response>;

/** How one logical call is sent. */
export interface CallSpec {
  /** "METHOD /path/{template}", used in errors and logs (never the concrete URL: it can hold phone numbers). */
  operation: string;
  pathTemplate: string;
  /** Location (or company) the call is made for: rate-limit key and token key. null: not limited. */
  resourceId: string | null;
  /** "resource": bearer token from the token manager; "none": no Authorization; otherwise a fixed bearer. */
  auth: "resource" | "none" | { bearer: string };
  priority: GhlPriority;
  /** false for calls that must not be repeated after an ambiguous failure (creates, sends). */
  idempotent: boolean;
}

/** What the transport learned about the final attempt (read by the result mapper). */
export interface CallContext {
  status: number | null;
  rateLimit: GhlRateLimitInfo | null;
  retryAfterMs: number | null;
  traceId: string | null;
  attempts: number;
  waitedMs: number;
  /** Set when the call ended without a usable HTTP response. */
  failure: GhlError | null;
}

export function newCallContext(): CallContext {
  return {
    status: null,
    rateLimit: null,
    retryAfterMs: null,
    traceId: null,
    attempts: 0,
    waitedMs: 0,
    failure: null,
  };
}

export interface TransportDeps {
  fetch: GhlFetch;
  now: Now;
  sleep: Sleep;
  limiter: GhlRateLimiter;
  tokens: TokenManager;
  retry: ResolvedRetryOptions;
  timeoutMs: number;
  logger: GhlLogger;
  userAgent: string | null;
}

/** Thrown to openapi-fetch (and caught by our result mapper) when no HTTP response can be returned. */
export class TransportFailure extends Error {
  readonly ghlError: GhlError;
  constructor(ghlError: GhlError) {
    super(ghlError.message);
    this.ghlError = ghlError;
  }
}

const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function notSent(error: unknown): boolean {
  const code = errorCode(error) ?? errorCode((error as { cause?: unknown } | null)?.cause);
  return code !== null && NOT_SENT_CODES.has(code);
}

function headerTraceId(headers: Headers): string | null {
  return headers.get("x-trace-id") ?? headers.get("traceid") ?? headers.get("x-request-id");
}

/**
 * Sends one logical call: rate-limit slot, auth + Version headers, timeout, bounded retries with full
 * jitter for 429 / 5xx / network errors (5xx and post-send network errors only for idempotent calls),
 * and one token refresh on 401. Returns the final Response (any status) or throws TransportFailure.
 */
export function createTransport(deps: TransportDeps) {
  const { limiter, tokens, retry, logger } = deps;

  const fail = (ctx: CallContext, error: GhlError): never => {
    ctx.failure = error;
    throw new TransportFailure(error);
  };

  return async function send(base: Request, spec: CallSpec, ctx: CallContext): Promise<Response> {
    const version = apiVersionFor(spec.pathTemplate);
    let refreshedAfter401 = false;
    let retries = 0;
    for (;;) {
      ctx.attempts++;
      let ticket: number | undefined;
      if (spec.resourceId !== null) {
        const slot = await limiter.acquire(spec.resourceId, { priority: spec.priority });
        if (!slot.ok) return fail(ctx, dailyLimitError(spec.operation, spec.resourceId, slot.retryAfterMs));
        ctx.waitedMs += slot.waitedMs;
        ticket = slot.ticket;
      }
      const release = (): void => {
        if (spec.resourceId !== null) limiter.release(spec.resourceId, ticket);
      };
      let bearer: string | null = null;
      if (spec.auth === "resource") {
        if (spec.resourceId === null) throw new Error(`${spec.operation}: resource auth needs a resourceId`);
        const t = await tokens.getAccessToken(spec.resourceId, spec.operation);
        if (!t.ok) {
          release();
          return fail(ctx, t.error);
        }
        bearer = t.token;
      } else if (spec.auth !== "none") {
        bearer = spec.auth.bearer;
      }
      const request = base.clone();
      if (bearer !== null) request.headers.set("authorization", `Bearer ${bearer}`);
      if (version !== null) request.headers.set("version", version);
      request.headers.set("accept", "application/json");
      if (deps.userAgent) request.headers.set("user-agent", deps.userAgent);

      let response: Response;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
      // The timeout must fire even when a fetch does not settle on abort (an injected fetch that ignores
      // the signal, or Node's fetch aborted while still connecting): race the signal itself.
      try {
        response = await raceAbort(
          deps.fetch(new Request(request, { signal: controller.signal })),
          controller.signal,
        );
      } catch (cause) {
        clearTimeout(timer);
        release();
        const timedOut = controller.signal.aborted;
        const sentMaybe = timedOut || !notSent(cause);
        const canRetry = (spec.idempotent || !sentMaybe) && retries + 1 < retry.maxAttempts;
        logger.warn(
          { operation: spec.operation, attempt: ctx.attempts, timedOut, retrying: canRetry },
          "ghl: request failed without a response",
        );
        if (canRetry) {
          retries++;
          const delay = backoffDelay(retries, retry, null);
          ctx.waitedMs += delay;
          await deps.sleep(delay);
          continue;
        }
        return fail(
          ctx,
          transportError({
            operation: spec.operation,
            kind: timedOut ? "timeout" : "network",
            notSent: !sentMaybe,
            nonIdempotent: !spec.idempotent,
            cause,
            timeoutMs: deps.timeoutMs,
          }),
        );
      }
      clearTimeout(timer);
      const info = parseRateLimitHeaders(response.headers);
      const status = response.status;
      let retryAfterMs = parseRetryAfter(response.headers, deps.now());
      if (status === 429 && retryAfterMs === null) {
        // GHL documents no Retry-After: wait out the reported window instead [inferred].
        retryAfterMs = info.remaining === 0 && info.intervalMs !== null ? info.intervalMs : null;
      }
      if (spec.resourceId !== null) limiter.update(spec.resourceId, info, retryAfterMs);
      release();
      ctx.status = status;
      ctx.rateLimit = info;
      ctx.retryAfterMs = retryAfterMs;
      ctx.traceId = headerTraceId(response.headers);

      if (status === 401 && spec.auth === "resource" && tokens.refreshable && !refreshedAfter401 && bearer) {
        refreshedAfter401 = true;
        await response.body?.cancel().catch(() => {});
        logger.info(
          { operation: spec.operation, resourceId: spec.resourceId },
          "ghl: 401, refreshing token once",
        );
        const r = await tokens.refreshAfterUnauthorized(spec.resourceId as string, bearer, spec.operation);
        if (!r.ok) return fail(ctx, r.error);
        continue;
      }
      const retryableStatus = status === 429 || ((status >= 500 || status === 408) && spec.idempotent);
      if (retryableStatus && retries + 1 < retry.maxAttempts) {
        retries++;
        await response.body?.cancel().catch(() => {});
        // With a resource the limiter already blocks it for Retry-After; add only jittered backoff on top.
        const delay = backoffDelay(retries, retry, spec.resourceId === null ? retryAfterMs : null);
        logger.warn(
          { operation: spec.operation, status, attempt: ctx.attempts, delayMs: delay, traceId: ctx.traceId },
          "ghl: retrying",
        );
        ctx.waitedMs += delay;
        await deps.sleep(delay);
        continue;
      }
      return response;
    }
  };
}

export type Transport = ReturnType<typeof createTransport>;

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts, even if `work` never
 * settles. The abort listener is removed once `work` settles, so nothing keeps the result alive.
 */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
