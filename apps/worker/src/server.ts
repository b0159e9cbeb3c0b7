// The worker's HTTP surface (Fastify 5). Bodies are kept raw (Buffer) so signatures are verified on the
// exact bytes; JSON is parsed by each route. Every webhook is made durable before it is answered.
//
// Status codes follow each sender's retry rules:
// - GHL (marketplace and workflow webhooks) retries only on 429, so any transient problem on our side
//   (overload, store busy or down) is answered 429 with Retry-After; 4xx means "permanently bad".
// - BulkSMS treats every 4xx as permanent and drops the message, so a transient problem is 503 (it
//   retries after 90 s, 3, 6, 12 min, then every 15 min for two days).
import { createHash, timingSafeEqual } from "node:crypto";
import { GHL_WEBHOOK_MAX_DEPTH, jsonNestingDepth } from "@ghl-bulksms/ghl";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "./logger.js";
import type { WorkerMetrics } from "./metrics.js";
import type {
  BulkSmsWebhookParser,
  GhlWebhookVerifier,
  IncomingEvent,
  Ingestor,
  IngestResult,
  LocationGate,
  ReadinessProbe,
} from "./ports.js";
import { mapWorkflowPayload } from "./workflow-event.js";

export interface ServerOptions {
  readonly bodyLimitBytes: number;
  /** pending inbox events above which GHL routes answer 429 */
  readonly overloadThreshold: number;
  /** null disables the route (404) */
  readonly bulksmsWebhookSecret: string | null;
  /** null disables the route (404) */
  readonly workflowWebhookSecret: string | null;
  /** how long a backlog reading is reused (ms) */
  readonly backlogCacheMs?: number;
  /** complete request headers must arrive within this (ms); default 10 s */
  readonly headersTimeoutMs?: number;
  /** the complete request (headers + body) must arrive within this (ms); default 30 s */
  readonly requestTimeoutMs?: number;
  /** idle keep-alive connections close after this (ms); default 72 s */
  readonly keepAliveTimeoutMs?: number;
}

export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 72_000;

/**
 * Node checks the headers and request timeouts of open connections only every
 * `connectionsCheckingInterval` (30 s by default, so a 10 s timeout could take 40 s): check at a tenth of
 * the shorter timeout, between 50 ms and 1 s.
 */
export function connectionsCheckingIntervalMs(headersTimeoutMs: number, requestTimeoutMs: number): number {
  return Math.max(50, Math.min(1000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 10)));
}

export interface ServerDeps {
  readonly options: ServerOptions;
  readonly ingestor: Ingestor;
  readonly verifyGhl: GhlWebhookVerifier;
  readonly parseBulkSms: BulkSmsWebhookParser;
  readonly readiness: ReadinessProbe;
  /** which locations workflow webhooks may name */
  readonly locations: LocationGate;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  readonly now: () => number;
  readonly isShuttingDown: () => boolean;
}

/** The GHL route's two answers, serialised once (the hot path sends a string, no JSON.stringify). */
const JSON_TYPE = "application/json; charset=utf-8";
const ACCEPTED_BODY = JSON.stringify({ ok: true, status: "accepted" });
const DUPLICATE_BODY = JSON.stringify({ ok: true, status: "duplicate" });

/** Seconds GHL / BulkSMS are asked to wait before retrying a 429/503. */
const RETRY_AFTER_SECONDS = 30;

type Headers = Record<string, string | string[] | undefined>;

/** Constant-time comparison of a presented secret with the expected one (equal-length digests). */
export function secretMatches(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented, "utf8").digest();
  const b = createHash("sha256").update(expected, "utf8").digest();
  return timingSafeEqual(a, b);
}

function errorBody(code: string, message: string) {
  return { ok: false, error: { code, message } };
}

/** Deepest array/object nesting a webhook body may have (real payloads nest 3-4 levels). */
const MAX_JSON_DEPTH = GHL_WEBHOOK_MAX_DEPTH;

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  if (raw.length === 0) return { ok: false, message: "request body is empty (expected JSON)" };
  if (jsonNestingDepth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return { ok: false, message: `request body nests deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) };
  } catch (e) {
    return { ok: false, message: `request body is not valid JSON: ${(e as Error).message.slice(0, 120)}` };
  }
}

function rawBodyOf(request: FastifyRequest): Buffer {
  const body = request.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const { options, ingestor, metrics, logger, now } = deps;
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!(headersTimeout > 0 && requestTimeout >= headersTimeout))
    throw new Error(
      `HTTP timeouts: the headers timeout (${headersTimeout} ms) must be > 0 and <= the request timeout (${requestTimeout} ms)`,
    );
  const app = Fastify({
    // Slow clients (slow-loris headers or bodies) are cut off: the headers must arrive within
    // headersTimeout, the whole request within requestTimeout (Node answers 408 and closes the socket).
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: connectionsCheckingIntervalMs(headersTimeout, requestTimeout),
    },
    requestTimeout,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    // No Fastify logger: its request lines would print raw URLs (with path secrets), and a child logger per
    // request costs throughput on the ingest path. Routes log through `logger`, with the request id.
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    // Requests still arriving on open connections while we drain are served normally: the store closes
    // only after HTTP has drained (a 503 would make GHL drop the event).
    return503OnClosing: false,
  });

  // Keep every body raw, whatever its content type; routes parse what they need. application/json (what
  // GHL and BulkSMS send) is named as well: Fastify caches the parser it finds for a named type, while the
  // catch-all is looked up again, parsing the content-type header, on every request.
  app.removeAllContentTypeParsers();
  const keepRaw = (_req: unknown, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body);
  app.addContentTypeParser("*", { parseAs: "buffer" }, keepRaw);
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, keepRaw);

  // ------------------------------------------------------------ overload gauge (shared, cached)
  const cacheMs = options.backlogCacheMs ?? 500;
  let backlogAt = Number.NEGATIVE_INFINITY;
  let backlogPending = 0;
  let backlogInFlight: Promise<number> | null = null;
  async function pendingBacklog(): Promise<number> {
    if (now() - backlogAt < cacheMs) return backlogPending;
    backlogInFlight ??= ingestor
      .backlog()
      .then((b) => {
        backlogPending = b.pending;
        backlogAt = now();
        metrics.inboxPending.set(b.pending);
        metrics.inboxLagSeconds.set(b.lagMs / 1000);
        return b.pending;
      })
      .finally(() => {
        backlogInFlight = null;
      });
    return backlogInFlight;
  }

  async function ingestSafely(events: readonly IncomingEvent[]): Promise<IngestResult> {
    try {
      return await ingestor.ingest(events);
    } catch (e) {
      logger.error({ err: e }, "inbox ingest threw");
      return { ok: false, error: { code: "unavailable", message: "store unavailable" } };
    }
  }

  // ------------------------------------------------------------ metrics + errors
  // labelled counters are looked up once per (route, status), not hashed on every request
  const requestCounters = new Map<string, { inc(): void }>();
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const counterKey = `${reply.statusCode} ${route}`;
    let counter = requestCounters.get(counterKey);
    if (!counter) {
      counter = metrics.webhookRequests.labels({ route, status: String(reply.statusCode) });
      requestCounters.set(counterKey, counter);
    }
    counter.inc();
    // accepted webhooks at debug (one per event adds up), rejections and failures at info; the line is not
    // even built when its level is off (the production default for accepted webhooks)
    const level = reply.statusCode < 300 ? "debug" : "info";
    if ((route.startsWith("/webhooks/") || reply.statusCode >= 500) && logger.isLevelEnabled(level)) {
      logger[level](
        {
          reqId: request.id,
          method: request.method,
          route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime),
        },
        "request completed",
      );
    }
    done();
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return reply
        .code(413)
        .send(errorBody("body_too_large", `request body exceeds ${options.bodyLimitBytes} bytes`));
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send(errorBody(error.code ?? "bad_request", error.message));
    }
    logger.error({ err: error, reqId: request.id }, "unhandled error");
    // BulkSMS must see a retryable code, GHL retries only 429.
    const url = request.routeOptions.url ?? "";
    if (url.startsWith("/webhooks/ghl")) {
      return reply
        .code(429)
        .header("retry-after", String(RETRY_AFTER_SECONDS))
        .send(errorBody("internal", "try again later"));
    }
    return reply
      .code(503)
      .header("retry-after", String(RETRY_AFTER_SECONDS))
      .send(errorBody("internal", "try again later"));
  });

  // ------------------------------------------------------------ health
  app.get("/healthz", async () => ({ ok: true }));

  app.get("/readyz", async (_request, reply) => {
    if (deps.isShuttingDown()) return reply.code(503).send({ ok: false, reason: "shutting down" });
    let result: Awaited<ReturnType<ReadinessProbe["check"]>>;
    try {
      result = await deps.readiness.check();
    } catch (e) {
      result = { ok: false, reason: `readiness probe failed: ${(e as Error).message}` };
    }
    if (!result.ok) return reply.code(503).send(result);
    return { ok: true };
  });

  app.get("/metrics", async (_request, reply) => {
    try {
      await pendingBacklog();
    } catch {
      // a metrics scrape must not fail because the store is slow; the gauges keep their last value
    }
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  // ------------------------------------------------------------ GHL marketplace webhooks
  const tooBusyGhl = (reply: FastifyReply, reason: string) =>
    reply.code(429).header("retry-after", String(RETRY_AFTER_SECONDS)).send(errorBody("overloaded", reason));

  /** Synchronous while the cached backlog reading is fresh (the common case), so no extra await. */
  function overloaded(): boolean | Promise<boolean> {
    if (now() - backlogAt < cacheMs) return backlogPending >= options.overloadThreshold;
    return pendingBacklog().then(
      (pending) => pending >= options.overloadThreshold,
      () => true, // cannot read the backlog: the store is in trouble
    );
  }

  app.post("/webhooks/ghl", async (request, reply) => {
    // The verifier parses the JSON itself: an unsigned or wrongly signed body is 401 whatever it holds,
    // a correctly signed body that is not a usable event is 400.
    const raw = rawBodyOf(request);
    const verified = deps.verifyGhl(raw, request.headers as Headers, { now: now() });
    if (!verified.ok) {
      const status = verifyFailureStatus(verified.error.code);
      logger.warn({ code: verified.error.code, reqId: request.id }, "GHL webhook rejected");
      return reply.code(status).send(errorBody(verified.error.code, verified.error.message));
    }
    const busy = overloaded();
    if (busy === true || (busy !== false && (await busy)))
      return tooBusyGhl(reply, "inbox backlog above threshold");
    const event = verified.event;
    const result = await ingestSafely([
      {
        source: "ghl",
        eventId: verified.idempotencyKey,
        eventType: event.type,
        locationId: typeof event.locationId === "string" ? event.locationId : null,
        payload: raw.toString("utf8"),
        receivedAt: now(),
      },
    ]);
    if (!result.ok)
      return tooBusyGhl(reply, result.error.code === "busy" ? "store busy" : "store unavailable");
    return reply
      .code(200)
      .type(JSON_TYPE)
      .send(result.inserted > 0 ? ACCEPTED_BODY : DUPLICATE_BODY);
  });

  // ------------------------------------------------------------ GHL workflow "Webhook" action
  app.post<{ Params: { secret: string }; Querystring: { event?: string } }>(
    "/webhooks/ghl-workflow/:secret",
    async (request, reply) => {
      const expected = options.workflowWebhookSecret;
      if (expected === null)
        return reply.code(404).send(errorBody("not_found", "workflow webhooks are not enabled"));
      if (!secretMatches(request.params.secret, expected)) {
        return reply.code(401).send(errorBody("bad_secret", "wrong webhook secret"));
      }
      const parsed = parseJson(rawBodyOf(request));
      if (!parsed.ok) return reply.code(400).send(errorBody("malformed_json", parsed.message));
      const queryEvent = typeof request.query.event === "string" ? request.query.event : undefined;
      const at = now();
      const mapped = mapWorkflowPayload(parsed.value, { queryEvent, now: at });
      if (!mapped.ok) return reply.code(400).send(errorBody(mapped.error.code, mapped.error.message));
      // Unknown locations are refused (403: GHL does not retry it) before anything is stored; logged with
      // the location and workflow ids only, never contact fields.
      let admission: Awaited<ReturnType<LocationGate["admit"]>>;
      try {
        admission = await deps.locations.admit(mapped.event.locationId, at);
      } catch (e) {
        logger.error({ err: e, reqId: request.id }, "location check failed");
        return tooBusyGhl(reply, "store unavailable");
      }
      if (!admission.ok) {
        const locationId = mapped.event.locationId;
        logger.warn(
          {
            reqId: request.id,
            locationId,
            workflowId: mapped.event.origin.workflowId,
            status: admission.status,
          },
          "workflow webhook for an unregistered location refused",
        );
        return reply
          .code(403)
          .send(
            admission.status === "pending"
              ? errorBody(
                  "location_pending_approval",
                  `location ${locationId} is waiting for an operator's approval (ghl-bulksms locations approve ${locationId}); this event was not kept`,
                )
              : errorBody(
                  "unknown_location",
                  `location ${locationId} is not registered with this worker; register it (ghl-bulksms auth login --location ${locationId} ...) or install the marketplace app`,
                ),
          );
      }
      const busy = overloaded();
      if (busy === true || (busy !== false && (await busy)))
        return tooBusyGhl(reply, "inbox backlog above threshold");
      const result = await ingestSafely([
        {
          source: "ghl-workflow",
          eventId: mapped.idempotencyKey,
          eventType: mapped.event.type,
          locationId: mapped.event.locationId,
          payload: JSON.stringify(mapped.event),
          receivedAt: at,
        },
      ]);
      if (!result.ok)
        return tooBusyGhl(reply, result.error.code === "busy" ? "store busy" : "store unavailable");
      return reply.code(200).send({ ok: true, status: result.inserted > 0 ? "accepted" : "duplicate" });
    },
  );

  // ------------------------------------------------------------ BulkSMS webhooks
  app.post<{ Params: { secret: string } }>("/webhooks/bulksms/:secret", async (request, reply) => {
    const expected = options.bulksmsWebhookSecret;
    if (expected === null)
      return reply.code(404).send(errorBody("not_found", "BulkSMS webhooks are not enabled"));
    if (!secretMatches(request.params.secret, expected)) {
      return reply.code(401).send(errorBody("bad_secret", "wrong webhook secret"));
    }
    const raw = rawBodyOf(request);
    if (jsonNestingDepth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
      return reply
        .code(400)
        .send(errorBody("malformed_body", `request body nests deeper than ${MAX_JSON_DEPTH} levels`));
    const parsed = deps.parseBulkSms(raw, request.headers as Headers);
    if (!parsed.ok) return reply.code(400).send(errorBody("malformed_body", parsed.error));
    const { messages, rejected } = parsed.data;
    if (rejected.length > 0)
      logger.warn({ rejected: rejected.length, reqId: request.id }, "BulkSMS webhook items skipped");
    if (messages.length === 0)
      return reply.code(200).send({ ok: true, status: "empty", accepted: 0, duplicates: 0 });
    const at = now();
    const events: IncomingEvent[] = messages.map((m) => {
      const statusId = m.type === "RECEIVED" ? "RECEIVED" : (m.status?.id ?? "UNKNOWN.null");
      return {
        source: "bulksms",
        eventId: `${m.id}:${statusId}`,
        eventType: m.type === "RECEIVED" ? "bulksms.incoming-message" : "bulksms.status-report",
        locationId: null,
        payload: JSON.stringify(m),
        receivedAt: at,
      };
    });
    const result = await ingestSafely(events);
    if (!result.ok) {
      return reply
        .code(503)
        .header("retry-after", String(RETRY_AFTER_SECONDS))
        .send(errorBody(result.error.code, "store cannot take the event now"));
    }
    return reply
      .code(200)
      .send({ ok: true, status: "accepted", accepted: result.inserted, duplicates: result.duplicates });
  });

  return app;
}

/**
 * Verification failures: a signed body we cannot use (malformed, too large) is 400, everything else
 * (missing or forged signature, age) is 401. The verifier checks the signature first, so a forged body is
 * 401 whatever it holds.
 */
export function verifyFailureStatus(code: string): 400 | 401 {
  return /json|payload|malformed|body|too_large/i.test(code) ? 400 : 401;
}
