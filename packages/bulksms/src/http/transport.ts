import type { BulkSmsError } from "../errors/bulksms-error.js";
import { mapHttpError, networkError, timeoutError } from "../errors/map-http-error.js";
import type { BulkSmsLogger } from "./logger.js";
import { backoffDelay, isRetrySafe, type ResolvedRetry } from "./retry-policy.js";

/** Thrown by the transport when no HTTP answer could be obtained; callers turn it into a result. */
export class TransportFailure extends Error {
  readonly error: BulkSmsError;
  constructor(error: BulkSmsError) {
    super(error.title);
    this.name = "TransportFailure";
    this.error = error;
  }
}

export type TransportOptions = {
  fetch: typeof globalThis.fetch;
  authorization: string;
  basePath: string;
  timeoutMs: number;
  retry: ResolvedRetry;
  logger?: BulkSmsLogger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  userAgent: string;
};

/**
 * A `fetch` for openapi-fetch that:
 * - sends `Authorization: Basic …` up front on every request (BulkSMS never needs a 401 challenge);
 * - applies a per-attempt timeout covering headers AND body;
 * - retries timeouts, network errors and 5xx for retry-safe requests only (see `isRetrySafe`), resending
 *   byte-for-byte the same body to the same URL (so the same `deduplication-id`);
 * - never retries 4xx;
 * - buffers the body, so the caller can parse it losslessly (19-digit ids).
 */
export function createTransport(options: TransportOptions): (request: Request) => Promise<Response> {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const body =
      method === "GET" || method === "HEAD" ? undefined : new Uint8Array(await request.arrayBuffer());
    const headers = new Headers(request.headers);
    headers.set("authorization", options.authorization);
    headers.set("accept", "application/json");
    if (!headers.has("user-agent")) headers.set("user-agent", options.userAgent);
    if (body !== undefined && body.byteLength > 0) headers.set("content-type", "application/json");
    const retrySafe = isRetrySafe(method, url, options.basePath);
    const maxAttempts = retrySafe ? options.retry.attempts : 1;
    const logPath = url.pathname;

    for (let attempt = 1; ; attempt++) {
      const started = options.now();
      const outcome = await attemptOnce(options, url, { method, headers, body });
      let error: BulkSmsError;
      if ("response" in outcome) {
        const { response } = outcome;
        options.logger?.debug?.(
          { method, path: logPath, status: response.status, attempt, ms: options.now() - started },
          "bulksms response",
        );
        if (response.status < 500 || attempt >= maxAttempts) return response;
        error = mapHttpError(response.status, "", response.headers.get("retry-after"), options.now());
      } else {
        error = outcome.failure;
        if (attempt >= maxAttempts) {
          options.logger?.warn?.(
            { method, path: logPath, code: error.code, attempt, retrySafe },
            "bulksms request failed",
          );
          throw new TransportFailure(error);
        }
      }
      const delay = backoffDelay(options.retry, attempt, options.random, error.retryAfterMs);
      options.logger?.warn?.(
        {
          method,
          path: logPath,
          code: error.code,
          status: error.status,
          attempt,
          delayMs: Math.round(delay),
        },
        "bulksms retrying",
      );
      await options.sleep(delay);
    }
  };
}

async function attemptOnce(
  options: TransportOptions,
  url: URL,
  init: { method: string; headers: Headers; body: Uint8Array | undefined },
): Promise<{ response: Response } | { failure: BulkSmsError }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  // The timeout must fire even when a fetch does not settle on abort (an injected fetch that ignores the
  // signal, or Node's fetch aborted while it is still connecting): race the signal itself.
  try {
    const res = await raceAbort(
      options.fetch(url, { ...init, signal: controller.signal }),
      controller.signal,
    );
    // Read the whole body inside the timeout: a server that stalls mid-body is a timeout too.
    const buffered = await raceAbort(res.arrayBuffer(), controller.signal);
    const nullBody = res.status === 204 || res.status === 304;
    return {
      response: new Response(nullBody ? null : buffered, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      }),
    };
  } catch (cause) {
    return { failure: controller.signal.aborted ? timeoutError(options.timeoutMs) : networkError(cause) };
  } finally {
    clearTimeout(timer);
  }
}

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
