// @ghl-bulksms/engine/testing: drive the engine's jobs in tests without the worker's runner.
import type { Store } from "@ghl-bulksms/store";
import type { JobContext, JobOutcome } from "../core/outcome.js";
import type { Engine } from "../engine.js";
import type { InboxItem } from "../inbox-handlers.js";

export const INBOX_PROCESS_JOB = "inbox.process";

/** Stores an event like the worker's ingestor: the inbox row and its `inbox.process` job, together. */
export async function ingestEvent(
  store: Store,
  event: {
    source: InboxItem["source"];
    eventId: string;
    eventType: string;
    locationId: string | null;
    payload: unknown;
    receivedAt?: number;
  },
): Promise<{ inserted: boolean; inboxId: number }> {
  return store.transaction(async (tx) => {
    const receivedAt = event.receivedAt ?? store.now();
    const r = await tx.inbox.insert({
      source: event.source,
      eventId: event.eventId,
      eventType: event.eventType,
      locationId: event.locationId,
      payload: typeof event.payload === "string" ? event.payload : JSON.stringify(event.payload),
      receivedAt,
    });
    if (!r.inserted) return { inserted: false, inboxId: r.duplicateOf };
    await tx.jobs.enqueue({
      name: INBOX_PROCESS_JOB,
      key: `inbox:${r.id}`,
      payload: { inboxId: r.id },
      locationId: event.locationId,
      runAt: receivedAt,
    });
    return { inserted: true, inboxId: r.id };
  });
}

async function processInbox(engine: Engine, inboxId: number, context: JobContext): Promise<JobOutcome> {
  const { store } = engine.deps;
  const row = await store.inbox.get(inboxId);
  if (!row || row.status === "processed") return { ok: true };
  const source = row.source;
  if (source !== "ghl" && source !== "bulksms" && source !== "ghl-workflow") {
    await store.inbox.markFailed(inboxId, "unknown source");
    return { ok: false, error: { code: "bad_inbox_event", message: "unknown source", retryable: false } };
  }
  const item: InboxItem = {
    inboxId,
    source,
    eventId: row.eventId,
    eventType: row.eventType ?? "unknown",
    locationId: row.locationId,
    payload: JSON.parse(row.payload),
    receivedAt: row.receivedAt,
  };
  const handler =
    source === "ghl"
      ? engine.inbox.ghl
      : source === "bulksms"
        ? engine.inbox.bulksms
        : engine.inbox.ghlWorkflow;
  const outcome = await handler(item, context);
  if (outcome.ok) await store.inbox.markProcessed(inboxId);
  else if (!outcome.error.retryable || context.finalAttempt)
    await store.inbox.markFailed(inboxId, outcome.error.message);
  return outcome;
}

export interface DrainResult {
  /** Jobs run, by name. */
  ran: Record<string, number>;
  /** Failed attempts (retried later or dead-lettered), with their errors. */
  failures: Array<{ name: string; error: string }>;
  dead: number;
}

export interface DrainOptions {
  maxAttempts?: number;
  /** Safety stop. Default 1000 jobs. */
  maxJobs?: number;
  /** Called for every job before it runs (e.g. to log). */
  onJob?: (name: string, payload: unknown) => void;
}

/**
 * Claims and runs due jobs (at the engine's clock) until none is due: the worker's runner in miniature.
 * A thrown error counts as a retryable failure retried at once; a retryAfterMs is honoured on the clock.
 */
export async function drainJobs(engine: Engine, options: DrainOptions = {}): Promise<DrainResult> {
  const { store, now } = engine.deps;
  const maxAttempts = options.maxAttempts ?? 5;
  const result: DrainResult = { ran: {}, failures: [], dead: 0 };
  let total = 0;
  const registry = engine.jobs as unknown as Record<
    string,
    {
      schema: { safeParse(d: unknown): { success: boolean; data?: unknown; error?: unknown } };
      handler(p: unknown, c: JobContext): Promise<JobOutcome>;
    }
  >;
  for (;;) {
    const jobs = await store.jobs.claim({ workerId: "drain", limit: 20, leaseMs: 60_000, now: now() });
    if (jobs.length === 0) return result;
    for (const job of jobs) {
      if (++total > (options.maxJobs ?? 1000))
        throw new Error("drainJobs: more than maxJobs jobs; is something re-enqueueing itself?");
      options.onJob?.(job.name, job.payload);
      result.ran[job.name] = (result.ran[job.name] ?? 0) + 1;
      const context: JobContext = {
        jobId: job.id,
        attempt: job.attempts,
        locationId: job.locationId,
        finalAttempt: job.attempts >= maxAttempts,
        signal: new AbortController().signal,
      };
      let outcome: JobOutcome;
      try {
        if (job.name === INBOX_PROCESS_JOB) {
          outcome = await processInbox(engine, (job.payload as { inboxId: number }).inboxId, context);
        } else {
          const def = registry[job.name];
          if (!def) throw new Error(`no handler for job ${job.name}`);
          const parsed = def.schema.safeParse(job.payload);
          if (!parsed.success) throw new Error(`invalid payload for ${job.name}`);
          outcome = await def.handler(parsed.data, context);
        }
      } catch (error) {
        outcome = {
          ok: false,
          error: { code: "thrown", message: (error as Error).message, retryable: true },
        };
      }
      if (outcome.ok) {
        await store.jobs.complete(job.id, { workerId: "drain" });
        continue;
      }
      result.failures.push({ name: job.name, error: `${outcome.error.code}: ${outcome.error.message}` });
      if (!outcome.error.retryable || job.attempts >= maxAttempts) {
        await store.jobs.deadLetter(job.id, outcome.error.message, { workerId: "drain" });
        result.dead++;
      } else {
        await store.jobs.fail(job.id, {
          error: outcome.error.message,
          retryAt: now() + (outcome.error.retryAfterMs ?? 0),
          workerId: "drain",
        });
      }
    }
  }
}
