/**
 * The one error type of this package. HTTP failures are mapped into it in `map-http-error.ts`;
 * input problems (bad numbers, oversized ids) use the `invalid_*` codes and are never retryable.
 */
export type BulkSmsErrorCode =
  | "bad_request"
  | "unauthorized"
  | "insufficient_credits"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network_error"
  | "invalid_response"
  | "invalid_input"
  | "invalid_number"
  | "http_error";

export type BulkSmsError = {
  code: BulkSmsErrorCode;
  /** HTTP status, or 0 when no response arrived (timeout, network) or the input was rejected locally. */
  status: number;
  /** Problem-details `title`, or a short summary. */
  title: string;
  /** Problem-details `detail` when the vendor gave one. */
  detail?: string;
  /** Problem-details `type` URI when the vendor gave one. */
  type?: string;
  /** True when the same request may be sent again (timeouts, network errors, 5xx, 429). */
  retryable: boolean;
  /** Server-advised wait (from `Retry-After`), when given. */
  retryAfterMs?: number;
  /** Multi-batch sends only: how many batches BulkSMS accepted before this error (they are not resent on a retry with the same job key). */
  completedBatches?: number;
};

export function inputError(
  code: "invalid_input" | "invalid_number",
  title: string,
  detail?: string,
): BulkSmsError {
  return detail === undefined
    ? { code, status: 0, title, retryable: false }
    : { code, status: 0, title, detail, retryable: false };
}
