// Job outcomes: structurally the worker's `JobOutcome` (apps/worker/src/ports.ts), so engine handlers plug
// into its registry as they are. Vendor errors map here, once.
import type { BulkSmsError } from "@ghl-bulksms/bulksms";
import type { GhlError } from "@ghl-bulksms/ghl";

export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
  readonly vendor?: string | undefined;
}

export type JobOutcome = { readonly ok: true } | { readonly ok: false; readonly error: JobError };

/** What the runner tells a handler (a subset of the worker's JobContext). */
export interface JobContext {
  readonly jobId: number;
  readonly attempt: number;
  readonly locationId: string | null;
  readonly finalAttempt: boolean;
  readonly signal: AbortSignal;
  /** The worker running the job (WORKER_ID), when the runner says. */
  readonly workerId?: string;
}

export const OK: JobOutcome = { ok: true };

export function fromGhlError(error: GhlError): JobOutcome {
  return {
    ok: false,
    error: {
      code: `ghl_${error.code}`,
      message: error.message,
      retryable: error.retryable,
      ...(error.retryAfterMs !== null ? { retryAfterMs: error.retryAfterMs } : {}),
      vendor: "ghl",
    },
  };
}

export function fromBulkSmsError(error: BulkSmsError): JobOutcome {
  return {
    ok: false,
    error: {
      code: `bulksms_${error.code}`,
      message: error.detail ? `${error.title}: ${error.detail}` : error.title,
      retryable: error.retryable,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      vendor: "bulksms",
    },
  };
}

export function permanent(code: string, message: string): JobOutcome {
  return { ok: false, error: { code, message, retryable: false } };
}

export function retryLater(code: string, message: string, retryAfterMs?: number): JobOutcome {
  return {
    ok: false,
    error: { code, message, retryable: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  };
}
