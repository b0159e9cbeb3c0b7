/**
 * The store interface: everything the engine, the worker and the CLI persist.
 *
 * Every method returns a Promise so that a PostgreSQL adapter can implement the same interface later.
 * Times are epoch milliseconds (numbers). JSON columns are typed `unknown` on the way in (anything
 * `JSON.stringify` accepts) and come back parsed. "Edges return data": expected outcomes such as a
 * duplicate event, a stale status or a run that is already active come back as discriminated results;
 * exceptions are reserved for bugs, a wrong encryption key, or a broken database.
 */

// ---------------------------------------------------------------- locations, tokens, secrets

export interface QuietHours {
  /** Local start of the allowed sending window, "HH:MM" (default "08:00"). */
  start: string;
  /** Local end of the allowed sending window, "HH:MM" (default "21:00"). */
  end: string;
}

export interface Location {
  id: string;
  name: string;
  /** Default phone region (ISO 3166-1 alpha-2, e.g. "ZA") used to parse national numbers. */
  region: string;
  /** IANA time zone, e.g. "Africa/Johannesburg". */
  timezone: string;
  quietHours: QuietHours;
  settings: unknown;
  active: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface LocationInput {
  id: string;
  name?: string;
  region?: string;
  timezone?: string;
  quietHours?: QuietHours;
  settings?: unknown;
  active?: boolean;
}

export interface LocationsRepo {
  /** Insert or update; omitted fields keep their stored value (or the default on insert). */
  upsert(input: LocationInput): Promise<Location>;
  get(id: string): Promise<Location | null>;
  list(options?: { activeOnly?: boolean }): Promise<Location[]>;
  setActive(id: string, active: boolean): Promise<boolean>;
}

/** The token set of one owner (a location id, or a company id for agency tokens). */
export interface StoredTokens {
  accessToken: string;
  refreshToken?: string | null;
  /** Epoch ms when the access token expires; null for tokens that do not expire (private integration). */
  expiresAt?: number | null;
  scopes?: string[];
  /** e.g. "Location", "Company", "pit". */
  tokenType?: string;
  /** Any other fields the client wants back (companyId, userId, ...). */
  extra?: Record<string, unknown>;
}

/**
 * Shape of the GHL client's TokenStore (`load` / `save` / `withLock`); `store.tokens` can be passed to
 * the client as is. The token object is stored as one encrypted JSON value and comes back unchanged, so
 * callers may store their own token type (e.g. the client's `GhlTokens`); `expiresAt` and
 * `tokenType`/`userType` are also kept in clear for `listExpiring`.
 */
export interface TokensRepo {
  load<T extends { accessToken: string } = StoredTokens>(ownerId: string): Promise<T | null>;
  /** Durable when it resolves (refresh tokens are single-use). */
  save<T extends { accessToken: string }>(ownerId: string, tokens: T): Promise<void>;
  delete(ownerId: string): Promise<boolean>;
  /** Owners whose access token expires before `before` (for proactive refresh); no secrets returned. */
  listExpiring(before: number): Promise<Array<{ ownerId: string; expiresAt: number }>>;
  /** Cross-process lock around a token refresh (a lease row, see `locks`). */
  withLock<T>(ownerId: string, fn: () => Promise<T>): Promise<T>;
}

/** Generic encrypted secrets, e.g. webhook secrets. */
export interface SecretsRepo {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

// ---------------------------------------------------------------- contacts mirror

export interface ContactRecord {
  locationId: string;
  contactId: string;
  /** The GHL record as last received. */
  ghl: unknown;
  /** The local SMS profile. */
  profile: unknown;
  /** The last-synced base (common ancestor for three-way merges). */
  base: unknown;
  phoneE164: string | null;
  emailNorm: string | null;
  nameKey: string | null;
  /** GHL `dateUpdated` as epoch ms. */
  dateUpdated: number | null;
  deleted: boolean;
  retired: boolean;
  welcomeSentAt: number | null;
  /** Last time a sync run or webhook confirmed the contact exists in GHL. */
  lastSeenAt: number | null;
  /**
   * When GHL's DND settings and tags in `ghl` were last read from GHL itself (a contact read or a reconcile
   * page), epoch ms; null = never. The send gate re-reads the contact when this is older than its bound.
   */
  consentCheckedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface ContactUpsert {
  locationId: string;
  contactId: string;
  ghl?: unknown;
  profile?: unknown;
  base?: unknown;
  phoneE164?: string | null;
  emailNorm?: string | null;
  nameKey?: string | null;
  dateUpdated?: number | null;
  deleted?: boolean;
  retired?: boolean;
  lastSeenAt?: number | null;
  consentCheckedAt?: number | null;
}

export interface ContactsRepo {
  get(locationId: string, contactId: string): Promise<ContactRecord | null>;
  /** Insert or update; fields left undefined keep their stored value. */
  upsert(input: ContactUpsert): Promise<ContactRecord>;
  /** Identities: live (not deleted) contacts with this E.164 phone / normalised email. */
  findByPhone(locationId: string, phoneE164: string): Promise<ContactRecord[]>;
  findByEmail(locationId: string, emailNorm: string): Promise<ContactRecord[]>;
  /**
   * Live contacts that had this number before their current one (the mirror keeps every replaced phone),
   * the most recent change first.
   */
  findByPreviousPhone(locationId: string, phoneE164: string): Promise<ContactRecord[]>;
  /** Keyset pagination over a location's mirror, ordered by contactId. */
  list(options: {
    locationId: string;
    afterContactId?: string;
    limit?: number;
    includeDeleted?: boolean;
  }): Promise<ContactRecord[]>;
  /** Live contacts not seen since `since` (full-run delete detection). */
  listNotSeenSince(locationId: string, since: number, limit?: number): Promise<ContactRecord[]>;
  /** Contacts created in the mirror or updated in GHL at or after `since` (digest). */
  listChangedSince(locationId: string, since: number, limit?: number): Promise<ContactRecord[]>;
  markDeleted(locationId: string, contactId: string, deleted?: boolean): Promise<boolean>;
  markRetired(locationId: string, contactId: string, retired?: boolean): Promise<boolean>;
  /** Sets the welcome marker once: true if set now, false if it was already set (never welcome twice). */
  markWelcomeSent(locationId: string, contactId: string, at?: number): Promise<boolean>;
  count(locationId: string, options?: { includeDeleted?: boolean }): Promise<number>;
}

// ---------------------------------------------------------------- messages

/** Local states before the gateway answers, then the BulkSMS status types, then CANCELLED. */
export type MessageStatus =
  | "QUEUED"
  | "ACCEPTED"
  | "SCHEDULED"
  | "UNKNOWN"
  | "SENT"
  | "DELIVERED"
  | "FAILED"
  | "CANCELLED";

export interface MessageRecord {
  /** Our id, 18 characters (fits BulkSMS's 20-character userSuppliedId). */
  id: string;
  /** Unique key of the logical send (e.g. "welcome:<location>:<contact>"); creating it twice is a no-op. */
  key: string;
  locationId: string;
  contactId: string | null;
  to: string;
  /** The body is stored but must never be logged; use `bodyHash` in logs. */
  body: string;
  bodyHash: string;
  template: string | null;
  /** int32 BulkSMS `deduplication-id`, fixed for the message's whole life. */
  dedupId: number;
  providerIds: string[];
  status: MessageStatus;
  subtype: string | null;
  statusAt: number;
  sendAfter: number;
  attempts: number;
  error: string | null;
  cost: number | null;
  retryOf: string | null;
  meta: unknown;
  createdAt: number;
  updatedAt: number;
}

export interface MessageCreate {
  key: string;
  locationId: string;
  contactId?: string | null;
  to: string;
  body: string;
  template?: string | null;
  sendAfter?: number;
  retryOf?: string | null;
  meta?: unknown;
  /** A fixed int32 deduplication id (e.g. bulksms `dedupIdFor(key)`); default: a random unused one. */
  dedupId?: number;
}

export type CreateMessageResult =
  | { created: true; message: MessageRecord }
  | { created: false; existing: MessageRecord };

export type UpdateStatusResult =
  | { updated: true; previous: MessageStatus; message: MessageRecord }
  | { updated: false; reason: "not_found" }
  | { updated: false; reason: "duplicate" | "stale"; message: MessageRecord };

export interface MessageListOptions {
  locationId?: string;
  status?: MessageStatus | readonly MessageStatus[];
  /** created_at >= since (epoch ms) */
  since?: number;
  limit?: number;
}

export interface MessagesRepo {
  create(input: MessageCreate): Promise<CreateMessageResult>;
  get(id: string): Promise<MessageRecord | null>;
  getByKey(key: string): Promise<MessageRecord | null>;
  findByProviderId(providerId: string): Promise<MessageRecord | null>;
  /** Records the gateway's answer to a submit: provider ids, status, cost. */
  markSubmitted(
    id: string,
    result: { providerIds: string[]; status?: MessageStatus; subtype?: string | null; cost?: number | null },
  ): Promise<UpdateStatusResult>;
  /** Monotonic (see MESSAGE_STATUS_RANK): a late or repeated report never moves a message backwards. */
  updateStatus(
    id: string,
    update: {
      status: MessageStatus;
      subtype?: string | null;
      at?: number;
      cost?: number | null;
      error?: string | null;
    },
  ): Promise<UpdateStatusResult>;
  /** Counts one submit attempt; keeps the error of a failed attempt. */
  recordAttempt(id: string, options?: { error?: string | null }): Promise<MessageRecord | null>;
  /** Moves a QUEUED message's send time (quiet hours deferral). */
  defer(id: string, sendAfter: number): Promise<boolean>;
  /** QUEUED messages whose send time has come. */
  listDue(options: { now?: number; limit?: number; locationId?: string }): Promise<MessageRecord[]>;
  /** The newest message we created to this number for a contact in the location (null: none). */
  lastContactTextedAt(locationId: string, phoneE164: string): Promise<MessageRecord | null>;
  listForContact(
    locationId: string,
    contactId: string,
    options?: { limit?: number },
  ): Promise<MessageRecord[]>;
  /**
   * Messages newest first (created_at descending), optionally of one location, with one of the given
   * statuses, created at or after `since`. Default limit 100, at most 10 000.
   */
  list(options?: MessageListOptions): Promise<MessageRecord[]>;
  /**
   * Cancels the contact's QUEUED messages, except those whose key starts with one of `exceptKeyPrefixes`
   * (e.g. the STOP confirmation an opt-out just queued); returns how many.
   */
  cancelPending(
    locationId: string,
    contactId: string,
    reason: string,
    options?: { exceptKeyPrefixes?: readonly string[] },
  ): Promise<number>;
  /** Cancels every QUEUED message of the location (with or without a contact); returns how many. */
  cancelPendingForLocation(locationId: string, reason: string): Promise<number>;
  countByStatus(locationId?: string): Promise<Record<MessageStatus, number>>;
}

// ---------------------------------------------------------------- inbox

export type InboxStatus = "pending" | "processed" | "failed";

export interface InboxEvent {
  id: number;
  source: string;
  eventId: string;
  eventType: string | null;
  locationId: string | null;
  payload: string;
  status: InboxStatus;
  error: string | null;
  receivedAt: number;
  processedAt: number | null;
}

export type InboxInsertResult = { inserted: true; id: number } | { inserted: false; duplicateOf: number };

export interface InboxIngestEvent {
  readonly source: string;
  readonly eventId: string;
  readonly payload: string;
  readonly eventType: string | null;
  readonly locationId: string | null;
  readonly receivedAt: number;
}

export interface InboxRepo {
  insert(event: {
    source: string;
    eventId: string;
    payload: string;
    eventType?: string | null;
    locationId?: string | null;
    receivedAt?: number;
  }): Promise<InboxInsertResult>;
  /**
   * The webhook ingest path: inserts the events and, for each new one, the job that processes it (name
   * `job.name`, key `${job.keyPrefix}${inboxId}`, payload `{ inboxId }`, due at its receivedAt), all or
   * nothing; one result per event, in order (a duplicate, also of an earlier event of the same batch, is
   * `inserted: false` and gets no job). What `insert` + `jobs.enqueue` per event in one transaction do; on
   * PostgreSQL ONE statement (one round trip) for the whole batch, which the ingest benchmark showed
   * matters (apps/worker/bench/ingest.ts, BENCH_STORE=postgres).
   */
  ingest(
    events: readonly InboxIngestEvent[],
    job: { name: string; keyPrefix: string },
  ): Promise<InboxInsertResult[]>;
  get(id: number): Promise<InboxEvent | null>;
  markProcessed(id: number): Promise<boolean>;
  markFailed(id: number, error: string): Promise<boolean>;
  listPending(options?: { limit?: number; source?: string }): Promise<InboxEvent[]>;
  /** Lag metric: pending count and age of the oldest pending event. */
  lag(now?: number): Promise<{ pending: number; oldestReceivedAt: number | null; lagMs: number }>;
  /** Deletes processed events received before `before`; returns how many. */
  purgeProcessed(before: number): Promise<number>;
}

// ---------------------------------------------------------------- jobs (transactional outbox)

export type JobState = "queued" | "running" | "done" | "dead";

export interface Job {
  id: number;
  name: string;
  payload: unknown;
  key: string;
  locationId: string | null;
  priority: number;
  state: JobState;
  runAt: number;
  attempts: number;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export interface JobInput {
  name: string;
  payload: unknown;
  /** Idempotency key, unique across all jobs ever enqueued (until purged). */
  key: string;
  runAt?: number;
  locationId?: string | null;
  /** Higher runs first. Default 0. */
  priority?: number;
}

export type EnqueueResult = { enqueued: true; id: number } | { enqueued: false; existingId: number };

export interface ClaimOptions {
  workerId: string;
  limit: number;
  leaseMs: number;
  now?: number;
  /** Only jobs of this location. */
  locationId?: string;
  /** Skip jobs of these locations (e.g. those already at their concurrency limit). */
  excludeLocationIds?: string[];
  names?: string[];
  /**
   * Cluster-wide per-location concurrency: claim no job of a location that already has this many jobs
   * running under a live lease (any worker, this claim's own jobs included). Jobs without a location are
   * not limited. Atomic with other claims: two workers claiming at once never exceed it together
   * (SQLite: one IMMEDIATE transaction; PostgreSQL: serialise claims, e.g. a transaction-level advisory
   * lock, or let the queue engine's own group concurrency do it).
   */
  maxRunningPerLocation?: number;
}

export interface JobsRepo {
  enqueue(job: JobInput): Promise<EnqueueResult>;
  get(id: number): Promise<Job | null>;
  getByKey(key: string): Promise<Job | null>;
  /** Leases up to `limit` due jobs (queued, or running with an expired lease) and counts an attempt. */
  claim(options: ClaimOptions): Promise<Job[]>;
  /** Extends a held lease; false if the lease is no longer held by `workerId`. */
  extendLease(id: number, workerId: string, leaseMs: number): Promise<boolean>;
  /** With `workerId`, only succeeds if that worker still holds the lease. */
  complete(id: number, options?: { workerId?: string }): Promise<boolean>;
  /** Back to the queue for a later retry; keeps the error. */
  fail(id: number, options: { error: string; retryAt: number; workerId?: string }): Promise<boolean>;
  deadLetter(id: number, error: string, options?: { workerId?: string }): Promise<boolean>;
  /** Graceful shutdown: returns a claimed job to the queue without counting the attempt. */
  release(id: number, options?: { workerId?: string }): Promise<boolean>;
  counts(options?: { locationId?: string }): Promise<Record<JobState, number>>;
  /** Queued jobs whose run time has come by `now` (waiting to be picked up, or for a seat). */
  countDue(now: number): Promise<number>;
  /** Running (leased) jobs per location, for per-location concurrency limits. */
  runningByLocation(): Promise<Record<string, number>>;
  /** Deletes done jobs finished before `before`. */
  purgeDone(before: number): Promise<number>;
  /**
   * Cancels a location's QUEUED jobs (e.g. on uninstall): they become `done` with `lastError`
   * "cancelled: <reason>" and keep their idempotency keys, so a redelivered event enqueues nothing.
   * Running jobs are left to finish (handlers skip inactive locations). Returns how many were cancelled.
   */
  cancelForLocation(
    locationId: string,
    options: { reason: string; names?: readonly string[] },
  ): Promise<number>;
}

/** What `QueueEngine.start` found for a dispatched job. */
export type DispatchedStart =
  /** Leased to the caller (an attempt counted): run it. */
  | { readonly status: "started"; readonly job: Job }
  /** Done, dead, cancelled or gone: nothing to run (the graphile job just ends). */
  | { readonly status: "finished" }
  /** Another worker runs it under a live lease (it records the result and any retry). */
  | { readonly status: "held" }
  /** Its location already runs `maxRunningPerLocation` jobs: it was put back to wait for a seat. */
  | { readonly status: "deferred" };

/**
 * PostgreSQL: jobs run on graphile-worker (see postgres/graphile-queue.ts). graphile-worker picks and locks
 * the job; the worker's task then calls `start` to lease the store's ledger row, and records the result
 * with the usual `jobs.complete / fail / deadLetter / release`, which tell graphile-worker of any retry in
 * the same transaction.
 */
export interface QueueEngine {
  readonly name: "graphile-worker";
  /** The database graphile-worker runs on (the store's own; the runner opens its own small pool). */
  readonly connectionString: string;
  /** graphile-worker's schema in that database. */
  readonly schema: string;
  /**
   * Leases ledger job `id` for `workerId`, if it is queued, or running under an expired lease (its worker
   * died), and its location has a free seat (cluster-wide, at most `maxRunningPerLocation` running).
   * A job without a seat is put back to run when one frees (or after `seatWaitMs` at the latest).
   */
  start(
    id: number,
    options: { workerId: string; leaseMs: number; maxRunningPerLocation?: number; seatWaitMs?: number },
  ): Promise<DispatchedStart>;
  /**
   * Unlocks graphile jobs locked for longer than `olderThanMs` whose ledger job is not running under a
   * live lease: the worker that locked them died (graphile-worker alone would wait 4 hours). Returns how
   * many graphile workers were unlocked.
   */
  unlockAbandoned(options: { olderThanMs: number }): Promise<number>;
}

export interface DeadLettersRepo {
  list(options?: { locationId?: string; name?: string; limit?: number }): Promise<Job[]>;
  /** Re-queues a dead job now with its attempts reset. */
  replay(id: number, options?: { runAt?: number }): Promise<boolean>;
  /** Deletes one dead job, or all dead jobs (optionally before a time). */
  purge(options: { id: number } | { before?: number; locationId?: string }): Promise<number>;
}

// ---------------------------------------------------------------- opt-outs

export type OptOutState = "opted_out" | "opted_in";
export type OptOutSource = "sms_stop" | "ghl_dnd" | "bulksms_blocked" | "operator" | "import";

export interface OptOut {
  locationId: string;
  phoneE164: string;
  channel: string;
  state: OptOutState;
  source: OptOutSource;
  note: string | null;
  /** When we recorded it (our clock). */
  at: number;
  /**
   * The deciding event's own time: BulkSMS's message time for a STOP/START, GHL's event time for a DND
   * change, the operator's action time, the blocked-number pull's time. State is decided by this time,
   * not by the order events were processed in.
   */
  eventAt: number;
  /** Idempotency key of the deciding event (null for rows written before keys were kept). */
  eventKey: string | null;
  /**
   * The sender's own sequence for events of the same instant (BulkSMS's message id, decimal digits): two
   * replies BulkSMS dates to the same second keep the order BulkSMS received them in. Null otherwise.
   */
  eventSeq: string | null;
}

/** One consent event as the opt-out history keeps it (same shape as the record it may decide). */
export type OptOutEvent = OptOut;

export interface OptOutsRepo {
  /**
   * Records one event and applies it when it is not older than the current state (a tie goes to
   * opted_out). Always appended to history (once per `eventKey`); `changed` is true when the state moved.
   */
  set(input: {
    locationId: string;
    phoneE164: string;
    state: OptOutState;
    source: OptOutSource;
    channel?: string;
    note?: string | null;
    at?: number;
    /** The event's own time (default `at`). */
    eventAt?: number;
    eventKey?: string | null;
    eventSeq?: string | null;
  }): Promise<{ changed: boolean; previous: OptOut | null }>;
  /**
   * Appends one event to the history only (the caller decides the state and writes it with `put`).
   * `inserted` is false when an event with the same `eventKey` is already there (a redelivery).
   */
  record(input: {
    locationId: string;
    phoneE164: string;
    state: OptOutState;
    source: OptOutSource;
    channel?: string;
    note?: string | null;
    at?: number;
    eventAt: number;
    eventKey: string;
    eventSeq?: string | null;
  }): Promise<{ inserted: boolean }>;
  /** Writes the current state as decided by the caller (see @ghl-bulksms/sync decideConsent). */
  put(
    record: Omit<OptOut, "channel" | "eventSeq"> & { channel?: string; eventSeq?: string | null },
  ): Promise<void>;
  get(locationId: string, phoneE164: string, channel?: string): Promise<OptOut | null>;
  isOptedOut(locationId: string, phoneE164: string, channel?: string): Promise<boolean>;
  /** Every event recorded for the number, in the order recorded. */
  history(locationId: string, phoneE164: string, channel?: string): Promise<OptOutEvent[]>;
  list(options: {
    locationId: string;
    state?: OptOutState;
    since?: number;
    limit?: number;
  }): Promise<OptOut[]>;
}

// ---------------------------------------------------------------- sync runs

export type SyncRunKind = "incremental" | "full";
export type SyncRunStatus = "running" | "succeeded" | "failed" | "cancelled" | "abandoned";

export interface SyncRunCounts {
  scanned: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  optOutsSynced: number;
  errors: number;
  /** Conflicts by policy name, e.g. { "ghl-wins": 3, "newest-wins": 1 }. */
  conflicts: Record<string, number>;
}

export interface SyncRun {
  id: number;
  locationId: string;
  kind: SyncRunKind;
  status: SyncRunStatus;
  dryRun: boolean;
  startedAt: number;
  finishedAt: number | null;
  heartbeatAt: number;
  owner: string | null;
  counts: SyncRunCounts;
  /** Engine-defined resumable position (cursor, page token, last contact id, ...). */
  checkpoint: unknown;
  /** How many times a crashed run was taken over. */
  resumes: number;
  error: string | null;
}

export type StartRunResult =
  | { started: true; run: SyncRun; resumed: boolean }
  | { started: false; reason: "already_running"; active: SyncRun };

export interface ConflictDecision {
  id: number;
  runId: number;
  locationId: string;
  contactId: string;
  field: string;
  policy: string;
  decision: string;
  base: unknown;
  local: unknown;
  remote: unknown;
  chosen: unknown;
  at: number;
}

export interface SyncRunsRepo {
  /**
   * Starts a run unless one is already running for the location with a fresh heartbeat.
   * A running run whose heartbeat is older than `staleAfterMs` crashed: if it has the same kind (and
   * dry-run flag) it is taken over and resumed from its checkpoint, otherwise it is marked abandoned.
   */
  start(input: {
    locationId: string;
    kind: SyncRunKind;
    owner?: string;
    dryRun?: boolean;
    staleAfterMs?: number;
    now?: number;
  }): Promise<StartRunResult>;
  get(id: number): Promise<SyncRun | null>;
  heartbeat(id: number, now?: number): Promise<boolean>;
  /**
   * Gives a running run's lock back at once (its owner was interrupted): the run stays `running` with its
   * checkpoint, but with its heartbeat cleared it counts as stale, so the next `start` takes it over (same
   * kind: resumed from the checkpoint) instead of waiting `staleAfterMs`. False if it was not running.
   */
  release(id: number): Promise<boolean>;
  /** Saves the checkpoint (and counts if given) and heartbeats, atomically. */
  saveCheckpoint(id: number, checkpoint: unknown, counts?: SyncRunCounts): Promise<boolean>;
  finish(
    id: number,
    outcome: { status: "succeeded" | "failed" | "cancelled"; counts?: SyncRunCounts; error?: string | null },
  ): Promise<boolean>;
  active(locationId: string): Promise<SyncRun | null>;
  /** The latest finished run of a kind (its checkpoint holds the cursor for the next run). */
  latest(
    locationId: string,
    options?: { kind?: SyncRunKind; status?: SyncRunStatus },
  ): Promise<SyncRun | null>;
  list(options?: { locationId?: string; limit?: number }): Promise<SyncRun[]>;
  recordConflict(
    input: Omit<ConflictDecision, "id" | "locationId" | "at"> & { at?: number },
  ): Promise<number>;
  listConflicts(runId: number, options?: { limit?: number; afterId?: number }): Promise<ConflictDecision[]>;
}

// ---------------------------------------------------------------- audit log and vendor-write ledger

export type Vendor = "ghl" | "bulksms";

export interface AuditEntry {
  id: number;
  at: number;
  locationId: string | null;
  vendor: Vendor;
  operation: string;
  targetId: string | null;
  idempotencyKey: string | null;
  /** HTTP status, or a short word such as "ok", "error", "dry-run". */
  resultStatus: string;
  detail: unknown;
}

export interface AuditLogRepo {
  record(
    entry: Omit<AuditEntry, "id" | "at" | "detail"> & { at?: number; detail?: unknown },
  ): Promise<number>;
  list(options?: {
    locationId?: string;
    vendor?: Vendor;
    since?: number;
    idempotencyKey?: string;
    limit?: number;
  }): Promise<AuditEntry[]>;
}

export interface VendorWrite {
  key: string;
  vendor: Vendor;
  operation: string;
  locationId: string | null;
  state: "begun" | "completed";
  resultId: string | null;
  attempts: number;
  begunAt: number;
  completedAt: number | null;
}

export type BeginVendorWriteResult =
  | { state: "new"; write: VendorWrite }
  | { state: "begun"; write: VendorWrite }
  | { state: "completed"; write: VendorWrite };

export interface VendorWritesRepo {
  /**
   * Call before the vendor write. "new": go ahead. "begun": a previous attempt may have reached the vendor
   * (look it up there before writing again). "completed": already written, `write.resultId` holds the result.
   */
  begin(
    key: string,
    info: { vendor: Vendor; operation: string; locationId?: string | null },
  ): Promise<BeginVendorWriteResult>;
  /** Call after the vendor answered with the created object's id. */
  complete(key: string, resultId: string | null): Promise<boolean>;
  get(key: string): Promise<VendorWrite | null>;
  /** Begun but never completed writes older than `before` (to reconcile against the vendor). */
  listBegun(options?: {
    before?: number;
    limit?: number;
    operations?: readonly string[];
  }): Promise<VendorWrite[]>;
  /** Forgets a begun write that the vendor lookup proved never happened. */
  forget(key: string): Promise<boolean>;
}

// ---------------------------------------------------------------- send decisions ("why was nothing sent?")

/** What happened to an automated (or reply) text at one decision point. */
export type SendDecisionOutcome = "queued" | "sent" | "deferred" | "blocked" | "skipped";

/**
 * One decision about a text for a person: queued, sent, deferred (quiet hours, until `until`), blocked by
 * the send gate or skipped before a message existed (landline, invalid number, template error...).
 */
export interface SendDecision {
  id: number;
  /** Idempotency key: the same decision recorded twice (a retried job) is kept once. */
  key: string | null;
  at: number;
  locationId: string;
  contactId: string | null;
  /** E.164 of the number concerned (kept in the store for `explain <phone>`, never logged). */
  phoneE164: string | null;
  /** The send purpose: "automated", "reply", "stop-confirmation". */
  purpose: string;
  /** What text: "welcome", "follow-up:<rule>:<step>", "stop-confirmation", "digest", ... */
  kind: string;
  decision: SendDecisionOutcome;
  /** A short reason code: "opted_out", "ghl_dnd", "not_mobile", "quiet_hours", "template_error", "sent"... */
  reason: string;
  messageKey: string | null;
  /** For "deferred": when it will be tried again (epoch ms). */
  until: number | null;
  /** Small JSON without personal data (opt-out source, template error...). */
  detail: unknown;
}

export interface SendDecisionsRepo {
  /** Records a decision; false when one with the same `key` exists (nothing written). */
  record(
    input: Omit<
      SendDecision,
      "id" | "at" | "key" | "contactId" | "phoneE164" | "messageKey" | "until" | "detail"
    > & {
      key?: string | null;
      at?: number;
      contactId?: string | null;
      phoneE164?: string | null;
      messageKey?: string | null;
      until?: number | null;
      detail?: unknown;
    },
  ): Promise<{ recorded: boolean; id: number }>;
  /**
   * Decisions about a contact and/or a number, newest first. Given both, a decision matching either is
   * listed (a contact's decisions and those about its number before the contact was known).
   */
  list(options: {
    locationId?: string;
    contactIds?: readonly string[];
    phoneE164?: string;
    since?: number;
    limit?: number;
  }): Promise<SendDecision[]>;
}

// ---------------------------------------------------------------- merges, follow-ups, digests, settings

export type MergeUndoStatus = "recorded" | "applied" | "undone";

export interface MergeUndoEntry {
  id: number;
  locationId: string;
  survivorId: string;
  /** The contact that the merge deleted (or tagged as duplicate). */
  mergedId: string;
  /** Full record before the delete: { contact, tags, notes, tasks, ... }. */
  snapshot: unknown;
  status: MergeUndoStatus;
  recreatedId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface MergeUndoRepo {
  record(input: {
    locationId: string;
    survivorId: string;
    mergedId: string;
    snapshot: unknown;
  }): Promise<number>;
  get(id: number): Promise<MergeUndoEntry | null>;
  list(options: { locationId: string; status?: MergeUndoStatus; limit?: number }): Promise<MergeUndoEntry[]>;
  markApplied(id: number): Promise<boolean>;
  markUndone(id: number, recreatedId: string | null): Promise<boolean>;
}

export type FollowUpStatus = "active" | "completed" | "stopped";

export interface FollowUp {
  id: number;
  locationId: string;
  ruleId: string;
  contactId: string;
  step: number;
  nextRunAt: number | null;
  status: FollowUpStatus;
  stopReason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface FollowUpsRepo {
  /** Starts a sequence; if one is already active for (location, rule, contact) it is returned unchanged. */
  start(input: {
    locationId: string;
    ruleId: string;
    contactId: string;
    nextRunAt: number;
  }): Promise<{ started: boolean; followUp: FollowUp }>;
  get(id: number): Promise<FollowUp | null>;
  getActive(locationId: string, ruleId: string, contactId: string): Promise<FollowUp | null>;
  /** Moves an active sequence to `step`, due at `nextRunAt`. */
  advance(id: number, step: number, nextRunAt: number): Promise<boolean>;
  complete(id: number): Promise<boolean>;
  stop(id: number, reason: string): Promise<boolean>;
  /** Stops every active sequence of a contact (reply, opt-out); optionally only for one rule. */
  stopForContact(locationId: string, contactId: string, reason: string, ruleId?: string): Promise<number>;
  listDue(options?: { now?: number; limit?: number; locationId?: string }): Promise<FollowUp[]>;
  listForContact(locationId: string, contactId: string): Promise<FollowUp[]>;
}

export interface DigestRecord {
  id: number;
  locationId: string;
  /** Local calendar date of the digest, "YYYY-MM-DD". */
  localDate: string;
  recipient: string;
  messageId: string | null;
  summary: unknown;
  sentAt: number;
}

export interface DigestsRepo {
  /** Records a digest send once per (location, local date, recipient). */
  record(input: {
    locationId: string;
    localDate: string;
    recipient: string;
    messageId?: string | null;
    summary: unknown;
    at?: number;
  }): Promise<{ recorded: boolean; id: number }>;
  get(locationId: string, localDate: string): Promise<DigestRecord[]>;
  latest(locationId: string): Promise<DigestRecord | null>;
}

/**
 * Named cross-process leases (e.g. one token refresh per location, one digest sender). A lease expires
 * after `ttlMs`, so a crashed holder never blocks others for good. Not for use inside a transaction.
 */
export interface LocksRepo {
  /** True if `owner` now holds `name` (free, expired, or already held by `owner`, which extends it). */
  tryAcquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<boolean>;
  /**
   * Waits (polling) up to `waitMs` for the lock, runs `fn`, releases. Throws StoreError "lock_timeout".
   * The lease is renewed (tryAcquire by the same owner) every ttlMs / 3 while `fn` runs, so it only
   * expires when its holder is gone, however long `fn` takes.
   */
  withLock<T>(name: string, fn: () => Promise<T>, options?: { ttlMs?: number; waitMs?: number }): Promise<T>;
}

// ---------------------------------------------------------------- shared vendor rate budget

/**
 * One resource's vendor request budget (a GHL location or company: 100 requests / 10 s, 200k / day), shared
 * by every worker on this database. It is a sliding log of grants: a grant counts against the window while
 * it is live (`expires_at > now`). A grant is born pending (it lives `pendingTtlMs`, so the grant of a
 * worker that crashed mid-request frees itself) and is settled when its answer arrives (it then lives one
 * vendor interval from the answer, which is no earlier than the vendor counted it). So at most `allowed`
 * grants are ever live, and no interval-long window (sliding or fixed) holds more requests than that.
 *
 * Portable contract (PostgreSQL too): each method is one transaction whose first statement upserts the
 * resource's `rate_budgets` row, so concurrent callers on one resource are serialised by that row's lock;
 * the rest is plain SELECT COUNT / INSERT / UPDATE / DELETE. Times are the callers' epoch ms: every worker
 * must share one clock source (one machine, or NTP-synced machines; skew shrinks the margin 1:1).
 */
export interface RateBudgetReserveInput {
  resource: string;
  now: number;
  /** Live grants this caller's priority may see at most, including its own (its share of the window). */
  allowed: number;
  /** How long an unsettled grant counts (ms); longer than any request can take. */
  pendingTtlMs: number;
  /** The UTC day `now` falls in ("YYYY-MM-DD"); the day counter restarts when it changes. */
  day: string;
  /** Grants this priority may take today in total (the daily limit minus its reserve); null = unchecked. */
  dailyAllowed: number | null;
}

export type RateBudgetReservation =
  | { ok: true; grantId: number }
  /** The window is full (or a 429 blocked the resource): nothing is live-freed before `retryAt` (epoch ms). */
  | { ok: false; reason: "window"; retryAt: number }
  | { ok: false; reason: "daily"; usedToday: number };

export interface RateBudgetRepo {
  /**
   * Atomically: drops expired grants, and if the resource is not blocked, today's count is below
   * `dailyAllowed` and fewer than `allowed` grants are live, adds one pending grant and counts it for
   * the day. Otherwise adds nothing and says when to try again.
   */
  reserve(input: RateBudgetReserveInput): Promise<RateBudgetReservation>;
  /** The grant's answer arrived: it stays live until `liveUntil` (answer time + the vendor interval). */
  settle(grantId: number, liveUntil: number): Promise<boolean>;
  /**
   * Feeds what the vendor reported (X-RateLimit-* headers). `windowUsed` (max - remaining) above the live
   * grants means requests we did not log (another app, a worker on another budget): that many grants are
   * added, live until `now + intervalMs`. `dailyUsed` (daily limit - daily remaining) raises today's count
   * to it (never lowers it). Returns how many grants were added.
   */
  reconcile(input: {
    resource: string;
    now: number;
    day: string;
    intervalMs: number;
    windowUsed: number | null;
    dailyUsed: number | null;
  }): Promise<{ added: number }>;
  /** A 429 said to wait: no grant for the resource before `until` (never shortens a longer block). */
  block(resource: string, until: number): Promise<void>;
  /** Live grants and today's count (tests, metrics, `status`). */
  usage(resource: string, now: number): Promise<{ live: number; usedToday: number; day: string | null }>;
}

export interface SettingsRepo {
  get<T = unknown>(key: string): Promise<T | null>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(prefix?: string): Promise<Array<{ key: string; value: unknown }>>;
}

// ---------------------------------------------------------------- campaigns

/**
 * draft (created) -> scheduled (waiting for its first send time) -> running -> completed; paused and
 * cancelled by an operator. A trigger campaign stays running and gains recipients as events arrive.
 */
export type CampaignStatus = "draft" | "scheduled" | "running" | "paused" | "cancelled" | "completed";

export interface Campaign {
  id: string;
  locationId: string;
  name: string;
  /** The message template (`{{firstName | "there"}}`), rendered per recipient when its batch is sealed. */
  template: string;
  /** The segment definition (engine-defined JSON). */
  audience: unknown;
  /** Schedule, throughput cap, GHL tag/note, trigger (engine-defined JSON). */
  options: unknown;
  status: CampaignStatus;
  /** Why the campaign stopped by itself (e.g. insufficient credits), or null. */
  error: string | null;
  /** The end-of-campaign summary (engine-defined JSON), or null. */
  summary: unknown;
  createdAt: number;
  updatedAt: number;
}

/**
 * pending (waiting for its send time) -> batched (a member of a sealed batch) -> sent (its batch was
 * accepted); or excluded (a gate refused it, `reason`) / cancelled (the campaign was cancelled).
 */
export type CampaignRecipientState = "pending" | "batched" | "sent" | "excluded" | "cancelled" | "failed";

export interface CampaignRecipient {
  campaignId: string;
  contactId: string;
  phoneE164: string | null;
  /** IANA zone the send time was computed in (the contact's, else the location's). */
  timeZone: string;
  /** Earliest send time (epoch ms); moved on by quiet hours. */
  sendAt: number;
  state: CampaignRecipientState;
  reason: string | null;
  batchSeq: number | null;
  messageId: string | null;
  /** When its batch was accepted by BulkSMS. */
  submittedAt: number | null;
  repliedAt: number | null;
  optedOutAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface CampaignRecipientInput {
  contactId: string;
  phoneE164: string | null;
  timeZone: string;
  sendAt: number;
  state?: CampaignRecipientState;
  reason?: string | null;
}

export interface CampaignRecipientUpdate {
  contactId: string;
  state?: CampaignRecipientState;
  reason?: string | null;
  sendAt?: number;
  batchSeq?: number | null;
  messageId?: string | null;
}

/** sealed (membership final, submit pending or in doubt) -> submitted | failed (refused for good). */
export type CampaignBatchState = "sealed" | "submitted" | "failed";

export interface CampaignBatch {
  campaignId: string;
  /** 1, 2, 3... per campaign. */
  seq: number;
  /** The int32 BulkSMS `deduplication-id` of every attempt of this batch. */
  dedupId: number;
  state: CampaignBatchState;
  size: number;
  attempts: number;
  sealedAt: number;
  submittedAt: number | null;
  error: string | null;
}

export interface CampaignCounts {
  recipients: Record<CampaignRecipientState, number>;
  /** Excluded recipients by reason. */
  excluded: Record<string, number>;
  /** The campaign's messages by status. */
  messages: Record<MessageStatus, number>;
  replied: number;
  optedOut: number;
  batches: Record<CampaignBatchState, number>;
  /** Sum of the messages' BulkSMS credit cost (null costs count 0). */
  credits: number;
}

export interface CampaignsRepo {
  /** Creates a campaign; an existing id returns the stored one unchanged (`created: false`). */
  create(input: {
    id: string;
    locationId: string;
    name: string;
    template: string;
    audience: unknown;
    options: unknown;
  }): Promise<{ created: boolean; campaign: Campaign }>;
  get(id: string): Promise<Campaign | null>;
  list(options?: { locationId?: string; status?: CampaignStatus; limit?: number }): Promise<Campaign[]>;
  /** Updates fields; with `from`, only when the current status is one of them (compare-and-set). */
  update(
    id: string,
    patch: {
      status?: CampaignStatus;
      options?: unknown;
      error?: string | null;
      summary?: unknown;
    },
    from?: readonly CampaignStatus[],
  ): Promise<Campaign | null>;
  /** Inserts recipients; a contact already in the campaign is left unchanged. Returns how many were new. */
  addRecipients(campaignId: string, rows: readonly CampaignRecipientInput[]): Promise<number>;
  getRecipient(campaignId: string, contactId: string): Promise<CampaignRecipient | null>;
  /** Pending recipients whose send time has come, by send time then contact id. */
  listDue(campaignId: string, options: { now: number; limit: number }): Promise<CampaignRecipient[]>;
  /** The earliest send time of a pending recipient, or null when none is pending. */
  nextSendAt(campaignId: string): Promise<number | null>;
  updateRecipients(campaignId: string, updates: readonly CampaignRecipientUpdate[]): Promise<void>;
  /** Keyset pages by contact id. */
  listRecipients(
    campaignId: string,
    options?: {
      state?: CampaignRecipientState;
      batchSeq?: number;
      afterContactId?: string;
      limit?: number;
    },
  ): Promise<CampaignRecipient[]>;
  /** Pending recipients become cancelled (reason given); returns how many. */
  cancelPending(campaignId: string, reason: string): Promise<number>;
  createBatch(input: {
    campaignId: string;
    seq: number;
    dedupId: number;
    size: number;
  }): Promise<CampaignBatch>;
  getBatch(campaignId: string, seq: number): Promise<CampaignBatch | null>;
  listBatches(campaignId: string, options?: { state?: CampaignBatchState }): Promise<CampaignBatch[]>;
  lastBatchSeq(campaignId: string): Promise<number>;
  updateBatch(
    campaignId: string,
    seq: number,
    patch: { state?: CampaignBatchState; attempts?: number; submittedAt?: number; error?: string | null },
  ): Promise<boolean>;
  counts(campaignId: string): Promise<CampaignCounts>;
  /**
   * The recipient of the location's newest campaign text to `phone` whose batch was submitted at or after
   * `since` (reply attribution), or null.
   */
  findLatestSentTo(locationId: string, phoneE164: string, since: number): Promise<CampaignRecipient | null>;
  /** Sets reply / opt-out times once (the first one counts). */
  markResponse(
    campaignId: string,
    contactId: string,
    response: { repliedAt?: number; optedOutAt?: number },
  ): Promise<void>;
}

// ---------------------------------------------------------------- the store

export interface Repositories {
  readonly locations: LocationsRepo;
  readonly tokens: TokensRepo;
  readonly secrets: SecretsRepo;
  readonly contacts: ContactsRepo;
  readonly messages: MessagesRepo;
  readonly inbox: InboxRepo;
  readonly jobs: JobsRepo;
  readonly deadLetters: DeadLettersRepo;
  readonly optOuts: OptOutsRepo;
  readonly runs: SyncRunsRepo;
  readonly audit: AuditLogRepo;
  readonly decisions: SendDecisionsRepo;
  readonly vendorWrites: VendorWritesRepo;
  readonly mergeUndo: MergeUndoRepo;
  readonly followUps: FollowUpsRepo;
  readonly digests: DigestsRepo;
  readonly settings: SettingsRepo;
  readonly locks: LocksRepo;
  readonly rateBudget: RateBudgetRepo;
  readonly campaigns: CampaignsRepo;
}

/** A transaction: the same repositories, all bound to one atomic unit. Nested calls use savepoints. */
export interface StoreTx extends Repositories {
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}

export interface Store extends Repositories {
  /**
   * Runs `fn` atomically: everything written through `tx` commits together, or nothing does if `fn`
   * throws. The callback must only do store work (no network, no long waits): other store operations
   * wait until it finishes.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** The schema version the database is at. */
  schemaVersion(): Promise<number>;
  /** Health probe for `/readyz`: true if a trivial query succeeds. */
  ping(): Promise<boolean>;
  /**
   * Readiness probe: commits a tiny write transaction (one health row), so a full disk, a read-only file
   * or a lost lock shows up as `{ ok: false, reason }` (the reason names the SQLite error, never data).
   * Never throws.
   */
  probeCommit(): Promise<{ readonly ok: true } | { readonly ok: false; readonly reason: string }>;
  close(): Promise<void>;
  /** The store's clock (epoch ms). */
  readonly now: () => number;
  /**
   * How jobs run: absent, the embedded outbox (the worker claims jobs from `jobs`); on PostgreSQL,
   * graphile-worker (see QueueEngine).
   */
  readonly queueEngine?: QueueEngine;
}
