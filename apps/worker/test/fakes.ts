// In-memory implementations of the worker's ports, for tests of the shell in isolation.
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import type { FastifyInstance } from "fastify";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import type {
  ClaimedJob,
  IncomingEvent,
  Ingestor,
  IngestResult,
  JobQueue,
  LocationGate,
} from "../src/ports.ts";
import { buildServer, type ServerDeps, type ServerOptions } from "../src/server.ts";

/** Admits every location: for tests of other concerns than unknown locations. */
export const admitAllLocations: LocationGate = { admit: async () => ({ ok: true }) };

/**
 * The worker's HTTP server with test defaults: in-memory ingestor, a GHL verifier that refuses everything,
 * always ready, every location admitted, silent logs, no webhook secrets. Pass what the test is about.
 */
export function buildTestServer(
  overrides: Partial<Omit<ServerDeps, "options">> & { options?: Partial<ServerOptions> } = {},
): FastifyInstance {
  const { options, ...deps } = overrides;
  return buildServer({
    options: {
      bodyLimitBytes: 64 * 1024,
      overloadThreshold: 1000,
      bulksmsWebhookSecret: null,
      workflowWebhookSecret: null,
      ...options,
    },
    ingestor: new MemoryIngestor(),
    verifyGhl: () => ({ ok: false, error: { code: "missing_signature", message: "no" } }),
    parseBulkSms: parseBulkSmsWebhook,
    readiness: { check: async () => ({ ok: true as const }) },
    locations: admitAllLocations,
    metrics: createMetrics(),
    logger: createLogger({ level: "silent" }),
    now: Date.now,
    isShuttingDown: () => false,
    ...deps,
  });
}

export class MemoryIngestor implements Ingestor {
  readonly events = new Map<string, IncomingEvent>();
  /** set to make ingest fail */
  failWith: "busy" | "unavailable" | "throw" | null = null;
  pending = 0;
  ingestCalls = 0;

  async ingest(events: readonly IncomingEvent[]): Promise<IngestResult> {
    this.ingestCalls++;
    if (this.failWith === "throw") throw new Error("disk I/O error");
    if (this.failWith !== null)
      return { ok: false, error: { code: this.failWith, message: "store says no" } };
    let inserted = 0;
    let duplicates = 0;
    for (const e of events) {
      const key = `${e.source}\u0000${e.eventId}`;
      if (this.events.has(key)) duplicates++;
      else {
        this.events.set(key, e);
        inserted++;
      }
    }
    return { ok: true, inserted, duplicates };
  }

  async backlog() {
    if (this.failWith === "throw") throw new Error("disk I/O error");
    return { pending: this.pending, lagMs: 0 };
  }
}

interface MemJob {
  id: number;
  name: string;
  payload: unknown;
  locationId: string | null;
  attempts: number;
  state: "queued" | "running" | "done" | "dead";
  runAt: number;
  leaseOwner: string | null;
  leaseUntil: number;
  lastError: string | null;
}

/** Mirrors the store's outbox semantics closely enough: claim counts an attempt, release does not. */
export class MemoryJobQueue implements JobQueue {
  readonly jobs = new Map<number, MemJob>();
  private nextId = 1;
  readonly log: string[] = [];
  private readonly clock: () => number;
  constructor(clock: () => number = Date.now) {
    this.clock = clock;
  }

  enqueue(name: string, payload: unknown, locationId: string | null = null, runAt = 0): number {
    const id = this.nextId++;
    this.jobs.set(id, {
      id,
      name,
      payload,
      locationId,
      attempts: 0,
      state: "queued",
      runAt,
      leaseOwner: null,
      leaseUntil: 0,
      lastError: null,
    });
    return id;
  }

  /** false: behave like a store that ignores excludeLocationIds */
  supportsExclude = true;
  readonly extended: number[] = [];

  async claim(o: {
    workerId: string;
    limit: number;
    leaseMs: number;
    now?: number;
    locationId?: string;
    excludeLocationIds?: readonly string[];
  }): Promise<ClaimedJob[]> {
    const now = o.now ?? this.clock();
    const out: ClaimedJob[] = [];
    for (const j of this.jobs.values()) {
      if (out.length >= o.limit) break;
      if (o.locationId !== undefined && j.locationId !== o.locationId) continue;
      if (this.supportsExclude && j.locationId !== null && o.excludeLocationIds?.includes(j.locationId))
        continue;
      const due = (j.state === "queued" && j.runAt <= now) || (j.state === "running" && j.leaseUntil <= now);
      if (!due) continue;
      j.state = "running";
      j.attempts++;
      j.leaseOwner = o.workerId;
      j.leaseUntil = now + o.leaseMs;
      out.push({
        id: j.id,
        name: j.name,
        payload: j.payload,
        locationId: j.locationId,
        attempts: j.attempts,
      });
    }
    return out;
  }

  private held(id: number, workerId?: string): MemJob | null {
    const j = this.jobs.get(id);
    if (j?.state !== "running") return null;
    if (workerId !== undefined && j.leaseOwner !== workerId) return null;
    return j;
  }

  async extendLease(id: number, workerId: string, leaseMs: number) {
    const j = this.held(id, workerId);
    if (!j) return false;
    this.extended.push(id);
    j.leaseUntil = this.clock() + leaseMs;
    return true;
  }
  async complete(id: number, o?: { workerId?: string }) {
    const j = this.held(id, o?.workerId);
    if (!j) return false;
    j.state = "done";
    j.leaseOwner = null;
    this.log.push(`complete ${id}`);
    return true;
  }
  async fail(id: number, o: { error: string; retryAt: number; workerId?: string }) {
    const j = this.held(id, o.workerId);
    if (!j) return false;
    j.state = "queued";
    j.runAt = o.retryAt;
    j.lastError = o.error;
    j.leaseOwner = null;
    this.log.push(`fail ${id}`);
    return true;
  }
  async deadLetter(id: number, error: string, o?: { workerId?: string }) {
    const j = this.held(id, o?.workerId);
    if (!j) return false;
    j.state = "dead";
    j.lastError = error;
    j.leaseOwner = null;
    this.log.push(`dead ${id}`);
    return true;
  }
  async release(id: number, o?: { workerId?: string }) {
    const j = this.held(id, o?.workerId);
    if (!j) return false;
    j.state = "queued";
    j.attempts = Math.max(0, j.attempts - 1);
    j.leaseOwner = null;
    j.leaseUntil = 0;
    this.log.push(`release ${id}`);
    return true;
  }
}
