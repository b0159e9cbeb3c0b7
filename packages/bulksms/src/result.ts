import type { BulkSmsError } from "./errors/bulksms-error.js";

/** What every call at the edge returns: data, or one typed error. Never throws for HTTP or network failures. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: BulkSmsError };

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail<T = never>(error: BulkSmsError): Result<T> {
  return { ok: false, error };
}
