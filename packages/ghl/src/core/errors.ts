// The ONLY place where GhlError values are built. Every failure the client can report (HTTP status,
// network, timeout, ambiguous write, OAuth lock-out, webhook problems are separate) is mapped here.

export type GhlErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "validation"
  | "rate_limited"
  | "daily_limit_exhausted"
  | "server_error"
  | "network"
  | "timeout"
  | "ambiguous"
  | "reinstall_required"
  | "location_inactive"
  | "not_installed"
  | "invalid_response"
  | "token_store_failed"
  | "wrong_auth"
  | "http_error";

export interface GhlErrorInit {
  code: GhlErrorCode;
  message: string;
  operation: string;
  status?: number | null;
  vendorMessage?: string | null;
  traceId?: string | null;
  retryable: boolean;
  retryAfterMs?: number | null;
  ambiguous?: boolean;
  cause?: unknown;
}

/**
 * One error type for everything that goes wrong at the HighLevel edge.
 * - `retryable`: the same call may succeed later (read `retryAfterMs` when set).
 * - `ambiguous`: the request may have been processed (a non-idempotent write failed after it was sent).
 *   Check before retrying (e.g. search for the created contact), never retry blindly.
 */
export class GhlError extends Error {
  override readonly name = "GhlError";
  readonly code: GhlErrorCode;
  readonly operation: string;
  readonly status: number | null;
  readonly vendorMessage: string | null;
  readonly traceId: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;
  readonly ambiguous: boolean;

  constructor(init: GhlErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.operation = init.operation;
    this.status = init.status ?? null;
    this.vendorMessage = init.vendorMessage ?? null;
    this.traceId = init.traceId ?? null;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.ambiguous = init.ambiguous ?? false;
  }

  /** A log-safe plain object (no tokens, no bodies). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      operation: this.operation,
      status: this.status,
      vendorMessage: this.vendorMessage,
      traceId: this.traceId,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      ambiguous: this.ambiguous,
    };
  }
}

export function isGhlError(value: unknown): value is GhlError {
  return value instanceof GhlError;
}

/**
 * Vendor error bodies are NestJS-style `{ statusCode, message, error }` where `message` is a string or
 * (422) a string array; v3 uses `{ error: { code, message } }`; some bodies only carry `error` or `detail`.
 */
export function vendorMessageFromBody(body: unknown): string | null {
  if (typeof body === "string") return body.trim() === "" ? null : body.trim().slice(0, 500);
  if (body === null || typeof body !== "object") return null;
  const record = body as Record<string, unknown>;
  const message = record.message;
  if (Array.isArray(message)) {
    const parts = message.map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
    if (parts.length > 0) return parts.join("; ");
  }
  if (typeof message === "string" && message !== "") return message;
  const error = record.error;
  if (error && typeof error === "object") {
    const nested = (error as Record<string, unknown>).message;
    if (typeof nested === "string") return nested;
  }
  if (typeof error === "string" && error !== "") return error;
  if (typeof record.detail === "string") return record.detail;
  return null;
}

export function traceIdFromBody(body: unknown): string | null {
  if (body && typeof body === "object") {
    const t = (body as Record<string, unknown>).traceId;
    if (typeof t === "string" && t !== "") return t;
  }
  return null;
}

const STATUS_CODES: Record<number, GhlErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  422: "validation",
  429: "rate_limited",
};

export interface HttpErrorInput {
  operation: string;
  status: number;
  body: unknown;
  traceId: string | null;
  retryAfterMs: number | null;
  /** true when the request is not safe to repeat blindly (POST create, send message, ...). */
  nonIdempotent: boolean;
}

/** Maps a final (after retries) non-2xx HTTP response into a GhlError. */
export function httpError(input: HttpErrorInput): GhlError {
  const vendorMessage = vendorMessageFromBody(input.body);
  const traceId = input.traceId ?? traceIdFromBody(input.body);
  const { status } = input;
  const isServer = status >= 500 || status === 408;
  const code: GhlErrorCode = STATUS_CODES[status] ?? (isServer ? "server_error" : "http_error");
  if (status === 400 && vendorMessage && /location is not active/i.test(vendorMessage)) {
    return new GhlError({
      code: "location_inactive",
      message: `HighLevel says the location is not active (subscription paused or cancelled); ${input.operation} will work again once it is reactivated`,
      operation: input.operation,
      status,
      vendorMessage,
      traceId,
      retryable: false,
    });
  }
  const ambiguous = isServer && input.nonIdempotent;
  const retryable = status === 429 || isServer;
  const suffix = vendorMessage ? `: ${vendorMessage}` : "";
  const ambiguousNote = ambiguous
    ? " (the request may have been processed; check before retrying this non-idempotent call)"
    : "";
  return new GhlError({
    code: ambiguous ? "ambiguous" : code,
    message: `HighLevel ${input.operation} failed with HTTP ${status}${suffix}${ambiguousNote}`,
    operation: input.operation,
    status,
    vendorMessage,
    traceId,
    retryable,
    retryAfterMs: input.retryAfterMs,
    ambiguous,
  });
}

export interface TransportErrorInput {
  operation: string;
  kind: "network" | "timeout";
  /** true when the failure happened before the request could reach the server (connection refused, DNS). */
  notSent: boolean;
  nonIdempotent: boolean;
  cause: unknown;
  timeoutMs?: number;
}

export function transportError(input: TransportErrorInput): GhlError {
  const ambiguous = !input.notSent && input.nonIdempotent;
  const what =
    input.kind === "timeout"
      ? `timed out after ${input.timeoutMs ?? "?"} ms`
      : `network error (${describeCause(input.cause)})`;
  return new GhlError({
    code: ambiguous ? "ambiguous" : input.kind,
    message: `HighLevel ${input.operation} ${what}${
      ambiguous
        ? " (the request may have been processed; check before retrying this non-idempotent call)"
        : ""
    }`,
    operation: input.operation,
    retryable: true,
    ambiguous,
    cause: input.cause,
  });
}

export function invalidResponseError(operation: string, status: number, detail: string): GhlError {
  return new GhlError({
    code: "invalid_response",
    message: `HighLevel ${operation} returned HTTP ${status} with an unreadable body: ${detail}`,
    operation,
    status,
    retryable: false,
  });
}

export function reinstallRequiredError(
  operation: string,
  resourceId: string,
  vendorMessage: string | null,
): GhlError {
  return new GhlError({
    code: "reinstall_required",
    message: `HighLevel rejected the refresh token for ${resourceId}${
      vendorMessage ? ` (${vendorMessage})` : ""
    }. Refresh tokens are single-use and this one is invalid, expired or already used: the operator must reinstall the app for this location to grant new tokens.`,
    operation,
    status: 400,
    vendorMessage,
    retryable: false,
  });
}

export function notInstalledError(operation: string, resourceId: string): GhlError {
  return new GhlError({
    code: "not_installed",
    message: `No HighLevel tokens are stored for ${resourceId}: install the app on this location (or save its tokens with the token store) before calling ${operation}.`,
    operation,
    retryable: false,
  });
}

export function dailyLimitError(
  operation: string,
  resourceId: string,
  retryAfterMs: number | null,
): GhlError {
  return new GhlError({
    code: "daily_limit_exhausted",
    message: `The HighLevel daily request budget for ${resourceId} is exhausted; ${operation} was not sent.`,
    operation,
    retryable: true,
    retryAfterMs,
  });
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = errorCode(cause) ?? errorCode(inner);
    const innerMessage = inner instanceof Error ? inner.message : null;
    return [code, innerMessage ?? cause.message].filter(Boolean).join(": ");
  }
  return String(cause);
}

export function errorCode(value: unknown): string | null {
  if (value && typeof value === "object" && typeof (value as { code?: unknown }).code === "string") {
    return (value as { code: string }).code;
  }
  return null;
}

export function tokenStoreError(
  operation: string,
  resourceId: string,
  action: "load" | "save",
  cause: unknown,
): GhlError {
  return new GhlError({
    code: "token_store_failed",
    message:
      action === "save"
        ? `Saving rotated HighLevel tokens for ${resourceId} failed (${describeCause(cause)}); ${operation} was not sent. The new pair is kept in memory and saved again before its first use.`
        : `Loading HighLevel tokens for ${resourceId} failed (${describeCause(cause)}); ${operation} was not sent.`,
    operation,
    retryable: true,
    cause,
  });
}

export function privateTokenRejectedError(operation: string): GhlError {
  return new GhlError({
    code: "unauthorized",
    message: `HighLevel rejected the private integration token for ${operation}; it cannot be refreshed: create or rotate it in Settings -> Private Integrations`,
    operation,
    status: 401,
    retryable: false,
  });
}

export function wrongAuthError(operation: string): GhlError {
  return new GhlError({
    code: "wrong_auth",
    message: `${operation} needs OAuth app auth (auth.kind "oauth"), not a private integration token`,
    operation,
    retryable: false,
  });
}

export function incompleteResponseError(operation: string, status: number | null, detail: string): GhlError {
  return new GhlError({
    code: "invalid_response",
    message: `HighLevel ${operation} returned an incomplete answer: ${detail}`,
    operation,
    status,
    retryable: false,
  });
}
