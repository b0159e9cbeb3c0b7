import { httpError, invalidResponseError, traceIdFromBody } from "../core/errors.js";
import type { GhlResponseMeta, GhlResult } from "../core/result.js";
import {
  type CallSpec,
  type GhlFetch,
  newCallContext,
  type Transport,
  TransportFailure,
} from "../core/transport.js";

/** What an openapi-fetch call resolves to (only the parts we read). */
interface FetchOutcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export type Execute = <T>(
  spec: CallSpec,
  run: (fetch: GhlFetch) => Promise<FetchOutcome<T>>,
) => Promise<GhlResult<T>>;

/**
 * Runs one openapi-fetch call through the transport and maps the outcome into a GhlResult.
 * No Response object ever reaches the caller.
 */
export function createExecute(transport: Transport): Execute {
  return async <T>(
    spec: CallSpec,
    run: (fetch: GhlFetch) => Promise<FetchOutcome<T>>,
  ): Promise<GhlResult<T>> => {
    const ctx = newCallContext();
    let outcome: FetchOutcome<T>;
    try {
      outcome = await run((request) => transport(request, spec, ctx));
    } catch (e) {
      if (e instanceof TransportFailure) return { ok: false, error: e.ghlError };
      if (ctx.failure) return { ok: false, error: ctx.failure };
      if (ctx.status !== null) {
        // The response arrived but its body could not be read/parsed.
        return {
          ok: false,
          error: invalidResponseError(spec.operation, ctx.status, e instanceof Error ? e.message : String(e)),
        };
      }
      throw e;
    }
    const status = outcome.response.status;
    if (!outcome.response.ok) {
      return {
        ok: false,
        error: httpError({
          operation: spec.operation,
          status,
          body: outcome.error,
          traceId: ctx.traceId,
          retryAfterMs: ctx.retryAfterMs,
          nonIdempotent: !spec.idempotent,
        }),
      };
    }
    const meta: GhlResponseMeta = {
      status,
      traceId: ctx.traceId ?? traceIdFromBody(outcome.data),
      rateLimit: ctx.rateLimit ?? {
        max: null,
        remaining: null,
        intervalMs: null,
        dailyLimit: null,
        dailyRemaining: null,
      },
      attempts: ctx.attempts,
      waitedMs: ctx.waitedMs,
    };
    return { ok: true, data: outcome.data as T, meta };
  };
}
