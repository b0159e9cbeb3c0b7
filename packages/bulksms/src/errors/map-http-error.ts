import type { BulkSmsError, BulkSmsErrorCode } from "./bulksms-error.js";

/**
 * The ONE place where BulkSMS HTTP answers become `BulkSmsError`s.
 *
 * - Bodies are RFC 7807 problem details (`type`, `title`, `status`, `detail`) but may be empty
 *   (a known BulkSMS behaviour for some 400s) or not JSON at all; both are handled.
 * - 403 whose problem `type` or `title` mentions insufficient credits becomes `insufficient_credits`.
 * - Retryable: 5xx, 408 and 429 only. 400/401/403/404 are never retried.
 */
export function mapHttpError(
  status: number,
  bodyText: string,
  retryAfterHeader?: string | null,
  nowMs = Date.now(),
): BulkSmsError {
  const problem = parseProblem(bodyText);
  const code = codeFor(status, problem);
  const retryable = status >= 500 || status === 408 || status === 429;
  const error: BulkSmsError = {
    code,
    status,
    title: problem.title ?? defaultTitle(status),
    retryable,
  };
  if (problem.detail !== undefined) error.detail = problem.detail;
  if (problem.type !== undefined) error.type = problem.type;
  const retryAfterMs = parseRetryAfter(retryAfterHeader, nowMs);
  if (retryAfterMs !== undefined) error.retryAfterMs = retryAfterMs;
  return error;
}

export function timeoutError(timeoutMs: number): BulkSmsError {
  return {
    code: "timeout",
    status: 0,
    title: `BulkSMS did not answer within ${timeoutMs} ms`,
    retryable: true,
  };
}

export function networkError(cause: unknown): BulkSmsError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return {
    code: "network_error",
    status: 0,
    title: "Network error talking to BulkSMS",
    detail: message,
    retryable: true,
  };
}

export function invalidResponseError(status: number, detail: string): BulkSmsError {
  return {
    code: "invalid_response",
    status,
    title: "BulkSMS answered with an unexpected body",
    detail,
    retryable: false,
  };
}

type Problem = { title?: string; detail?: string; type?: string };

function parseProblem(bodyText: string): Problem {
  const trimmed = bodyText.trim();
  if (trimmed === "") return {};
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
      return { detail: trimmed.slice(0, 500) };
    const record = parsed as Record<string, unknown>;
    const problem: Problem = {};
    if (typeof record.title === "string" && record.title !== "") problem.title = record.title;
    if (typeof record.detail === "string" && record.detail !== "") problem.detail = record.detail;
    if (typeof record.type === "string" && record.type !== "") problem.type = record.type;
    return problem;
  } catch {
    return { detail: trimmed.slice(0, 500) };
  }
}

function codeFor(status: number, problem: Problem): BulkSmsErrorCode {
  if (status === 400) return "bad_request";
  if (status === 401) return "unauthorized";
  if (status === 403) {
    const text = `${problem.type ?? ""} ${problem.title ?? ""}`.toLowerCase();
    if (/insufficient[-_ ]credits?/.test(text) || text.includes("insufficient-credits"))
      return "insufficient_credits";
    // BulkSMS documents 403 for "insufficient credits or similar"; with no body we assume credits.
    if (problem.type === undefined && problem.title === undefined) return "insufficient_credits";
    return "forbidden";
  }
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  if (status >= 500) return "server_error";
  return "http_error";
}

function defaultTitle(status: number): string {
  if (status === 400) return "Bad request";
  if (status === 401) return "Unauthorized: check the BulkSMS token id and secret";
  if (status === 403) return "Forbidden";
  if (status === 404) return "Not found";
  if (status === 429) return "Too many requests";
  if (status >= 500) return `BulkSMS server error (${status})`;
  return `HTTP ${status}`;
}

/** `Retry-After` as seconds or an HTTP date; capped at 10 minutes. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  const MAX = 10 * 60_000;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.min(MAX, Math.round(Number(trimmed) * 1000));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.min(MAX, Math.max(0, date - nowMs));
}
