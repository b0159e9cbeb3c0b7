// The narrow interfaces the worker shell needs from the rest of the system. The HTTP layer and the job
// runner depend only on these; adapters over the real packages live in `adapters/`, and the engine plugs
// its use-cases in through `JobRegistry` without touching the shell.

/** Where an inbox event came from. */
export type EventSource = "ghl" | "bulksms" | "ghl-workflow";

/** One webhook event, ready to be made durable. */
export interface IncomingEvent {
  readonly source: EventSource;
  /** Unique per source: GHL webhookId, BulkSMS `<message id>:<status id>`, workflow content hash. */
  readonly eventId: string;
  /** e.g. "ContactCreate", "INSTALL", "bulksms.status-report", "bulksms.incoming-message". */
  readonly eventType: string;
  readonly locationId: string | null;
  /** JSON text of the event (for GHL: the raw verified body, byte for byte). */
  readonly payload: string;
  /** epoch ms */
  readonly receivedAt: number;
}

export type IngestFailureCode = "busy" | "unavailable";

export type IngestResult =
  | { readonly ok: true; readonly inserted: number; readonly duplicates: number }
  | { readonly ok: false; readonly error: { readonly code: IngestFailureCode; readonly message: string } };

/**
 * Makes webhook events durable (inbox row + the job that processes it, in one transaction) BEFORE the
 * HTTP answer. A duplicate (same source + eventId) is counted, not stored again and not processed again.
 * Expected failures come back as data; a throw is treated as `unavailable`.
 */
export interface Ingestor {
  ingest(events: readonly IncomingEvent[]): Promise<IngestResult>;
  /** Pending (not yet processed) inbox events and the age of the oldest, for 429 and the lag metric. */
  backlog(): Promise<{ readonly pending: number; readonly lagMs: number }>;
}

/**
 * Whether a workflow webhook may name this location (workflow webhooks never register locations).
 * `pending`: held for an operator's approval; `unknown`: refused (and not recorded).
 */
export interface LocationGate {
  admit(
    locationId: string,
    at: number,
  ): Promise<{ readonly ok: true } | { readonly ok: false; readonly status: "unknown" | "pending" }>;
}

/** `/readyz`: store reachable and migrated. */
export interface ReadinessProbe {
  check(): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>;
}

/** What a GHL marketplace webhook verifier answers (the `@ghl-bulksms/ghl` package's verifyGhlWebhook). */
export type GhlVerifyResult =
  | { readonly ok: true; readonly event: GhlEventLike; readonly idempotencyKey: string }
  | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

export interface GhlEventLike {
  readonly type: string;
  readonly locationId?: string | null | undefined;
  readonly companyId?: string | null | undefined;
  readonly [key: string]: unknown;
}

export type GhlWebhookVerifier = (
  rawBody: Uint8Array,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  options: { readonly now: number },
) => GhlVerifyResult;

// ---------------------------------------------------------------- job outbox

/** A job leased by this worker. `attempts` already counts the current attempt. */
export interface ClaimedJob {
  readonly id: number;
  readonly name: string;
  readonly payload: unknown;
  readonly locationId: string | null;
  readonly attempts: number;
}

/**
 * The outbox operations the runner uses; `store.jobs` of `@ghl-bulksms/store` satisfies it structurally.
 * Every write names the lease owner, so a job released or re-leased elsewhere is never completed twice.
 */
export interface JobQueue {
  claim(options: {
    workerId: string;
    limit: number;
    leaseMs: number;
    now?: number;
    locationId?: string;
    /**
     * Locations that are at their concurrency limit. An adapter that can filter on it keeps per-location
     * fairness exact; one that ignores it (the SQLite store today) still works: the runner parks such
     * jobs locally and, when its buffer is full, claims per known location.
     */
    excludeLocationIds?: readonly string[];
    /**
     * Per-location concurrency across every worker of the database: the adapter claims no job of a
     * location that already has this many running under live leases (the SQLite store does this).
     */
    maxRunningPerLocation?: number;
  }): Promise<readonly ClaimedJob[]>;
  extendLease(id: number, workerId: string, leaseMs: number): Promise<boolean>;
  complete(id: number, options?: { workerId?: string }): Promise<boolean>;
  fail(id: number, options: { error: string; retryAt: number; workerId?: string }): Promise<boolean>;
  deadLetter(id: number, error: string, options?: { workerId?: string }): Promise<boolean>;
  release(id: number, options?: { workerId?: string }): Promise<boolean>;
}

/** The error shape handlers return; the runner reads only `retryable` and `retryAfterMs`. */
export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
  /** vendor that produced the error, for the vendor-errors metric */
  readonly vendor?: string | undefined;
}

export type JobOutcome = { readonly ok: true } | { readonly ok: false; readonly error: JobError };

export interface JobContext {
  readonly jobId: number;
  readonly attempt: number;
  readonly locationId: string | null;
  /** true when a retryable failure now would dead-letter the job instead of retrying it */
  readonly finalAttempt: boolean;
  /** aborted when shutdown gives up waiting; handlers should stop at the next safe point */
  readonly signal: AbortSignal;
  /** The worker running the job (WORKER_ID), e.g. for the owner of a lease the job takes. */
  readonly workerId?: string;
}

/** A minimal schema: zod schemas satisfy it, so does anything with the same `safeParse`. */
export interface PayloadSchema<P> {
  safeParse(
    data: unknown,
  ):
    | { success: true; data: P }
    | { success: false; error: { issues: ReadonlyArray<{ message: string; path: PropertyKey[] }> } };
}

export interface JobDefinition<P> {
  readonly schema: PayloadSchema<P>;
  readonly handler: (payload: P, context: JobContext) => Promise<JobOutcome>;
}

/**
 * Job name -> { schema, handler }. The mapped type makes the registry exhaustive: given a catalog
 * `{ "inbox.process": { inboxId: number }, ... }`, leaving a job name out is a type error.
 */
export type JobRegistry<Catalog extends Record<string, unknown>> = {
  readonly [Name in keyof Catalog & string]: JobDefinition<Catalog[Name]>;
};

// ---------------------------------------------------------------- BulkSMS webhook parsing

/** The subset of `@ghl-bulksms/bulksms`'s parseBulkSmsWebhook result the worker reads. */
export type BulkSmsParseResult =
  | {
      readonly ok: true;
      readonly data: {
        readonly event: "status-report" | "incoming-message" | null;
        readonly messages: ReadonlyArray<{
          readonly id: string;
          readonly type: string;
          readonly status: { readonly id: string } | null;
        }>;
        readonly rejected: ReadonlyArray<{ readonly index: number; readonly reason: string }>;
      };
    }
  | { readonly ok: false; readonly error: string };

export type BulkSmsWebhookParser = (
  rawBody: Uint8Array,
  headers: Record<string, string | string[] | undefined>,
) => BulkSmsParseResult;
