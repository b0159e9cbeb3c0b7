/**
 * startBulkSmsSimulator: a BulkSMS JSON REST API v1 look-alike on 127.0.0.1 (plain node:http).
 * API routes are served under `/v1` (and, leniently, without it); control routes under `/__sandbox/`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSandboxClock, type SandboxClock } from "../clock.js";
import { createWebhookFaultGate, type FaultConfig, maybeInjectFault, trackSockets } from "../faults.js";
import { createRng } from "../rng.js";
import type { BulkSmsDeliveryTiming, NumberOutcome } from "./delivery-plan.js";
import { applyFaultPatch, type BulkSmsFaults } from "./faults.js";
import { type BulkSmsProblem, ProblemError, problem, statusProblem } from "./problem.js";
import { createSimulatorState, DEFAULT_STOP_WORDS } from "./simulator-state.js";
import { loadSpecValidator, type SpecValidator } from "./spec-validator.js";
import type {
  BulkSmsCredential,
  BulkSmsMessage,
  BulkSmsStatusType,
  DeliveryLogEntry,
  SentMessageRecord,
} from "./types.js";
import { createWebhookDispatcher } from "./webhook-dispatcher.js";
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  readWebhook,
  updateWebhook,
} from "./webhook-registry.js";

export interface BulkSmsSimulatorOptions {
  /** Shared sandbox clock; one is created when absent. */
  clock?: SandboxClock;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Accounts (one per API token). Default: one token with 1000 credits (DEFAULT_BULKSMS_CREDENTIAL). */
  credentials?: BulkSmsCredential[];
  /** Reply bodies that block the sender (case-insensitive, trimmed). Default DEFAULT_STOP_WORDS. */
  stopWords?: readonly string[];
  /** Start-up faults (control.setFaults patches them at run time). */
  faults?: BulkSmsFaults;
  /** Seed of the random generator behind fault decisions. Default "bulksms". */
  seed?: number | string;
  /** Sandbox ms a reordered webhook is held back at most (released earlier by the next delivery). Default 1000. */
  webhookHoldMs?: number;
  /** Status step delays in sandbox ms. */
  timing?: BulkSmsDeliveryTiming;
  /** Credits charged per SMS part. Default 1. */
  creditsPerPart?: number;
  /** Messages per account per (UTC, sandbox-clock) day. Default 100000. */
  dailyQuota?: number;
  /** The number repliable messages are sent from and replies arrive at (no `+`). Default 447700900000. */
  replyNumber?: string;
  /** fetch used for webhook POSTs. Default globalThis.fetch. */
  fetch?: typeof fetch;
  /** Spec used to validate requests; false turns validation off. Default specs/bulksms/openapi.yaml if present. */
  specPath?: string | false;
  /**
   * Answer message ids (`id`, `relatedSentMessageId`) as bare JSON numbers instead of strings. The spec
   * says string and the simulator follows it by default; FACTS (ids) reports clients guarding against
   * bare numbers, which lose precision in JavaScript. Turn this on to test such a guard.
   */
  idsAsNumbers?: boolean;
}

export interface BulkSmsControl {
  /** Records a RECEIVED message from `from` (to the latest sender of a message to it) and fires RECEIVED webhooks. */
  simulateReply(input: { from: string; body: string; to?: string }): BulkSmsMessage;
  /** Every message actually sent (dedup repeats add nothing), oldest first. */
  sentMessages(): SentMessageRecord[];
  /** All messages (SENT and RECEIVED) across accounts, oldest first, optionally filtered. */
  messages(filter?: { status?: BulkSmsStatusType; type?: "SENT" | "RECEIVED" }): BulkSmsMessage[];
  /** Every webhook attempt, in order. */
  deliveryLog(): DeliveryLogEntry[];
  setCredits(credits: number, tokenId?: string): void;
  credits(tokenId?: string): number;
  addBlocked(numbers: string[], tokenId?: string): void;
  blockedNumbers(tokenId?: string): string[];
  /** Merge a fault patch (a null value removes a key); returns the new config. */
  setFaults(patch: BulkSmsFaults | Record<string, unknown>): FaultConfig;
  faults(): FaultConfig;
  /** Messages to `number` not yet final end this way (null restores DELIVERED). */
  setNumberOutcome(number: string, outcome: NumberOutcome | null): void;
  setStopWords(words: readonly string[]): void;
  /** Resolves once no webhook POST is in flight. */
  settle(): Promise<void>;
  /** Back to the start-up state: messages, credits, webhooks, blocked numbers, logs, faults, timers. */
  reset(): void;
}

export interface BulkSmsSimulator {
  /** Base URL of the API, e.g. `http://127.0.0.1:PORT/v1`. */
  url: string;
  /** `http://127.0.0.1:PORT` (control routes live under `/__sandbox/`). */
  origin: string;
  port: number;
  credentials: BulkSmsCredential[];
  clock: SandboxClock;
  control: BulkSmsControl;
  close(): Promise<void>;
}

export const DEFAULT_BULKSMS_CREDENTIAL: BulkSmsCredential = {
  tokenId: "5A4D1B0E0000400080000000000000A1-01-B",
  tokenSecret: "sandbox-bulksms-secret",
  credits: 1000,
};

class HttpReply {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    this.status = status;
    this.body = body;
  }
}

const EMPTY = Symbol("empty");

const MAX_BODY_BYTES = 20 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ProblemError("bad-request", `The request body is larger than ${MAX_BODY_BYTES} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === "") throw new ProblemError("bad-request", "The request body is empty");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ProblemError("bad-request", `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

export async function startBulkSmsSimulator(
  options: BulkSmsSimulatorOptions = {},
): Promise<BulkSmsSimulator> {
  const clock = options.clock ?? createSandboxClock();
  const credentials = (options.credentials ?? [DEFAULT_BULKSMS_CREDENTIAL]).map((c) => ({ ...c }));
  if (credentials.length === 0) throw new Error("bulksms simulator: at least one credential is needed");
  for (const c of credentials) {
    if (!c.tokenId || !c.tokenSecret || !(c.credits >= 0)) {
      throw new Error(
        `bulksms simulator: a credential needs tokenId, tokenSecret and credits >= 0 (${c.tokenId})`,
      );
    }
  }
  const startFaults = applyFaultPatch({}, options.faults ?? {});
  let faults: FaultConfig = { ...startFaults };
  const rng = createRng(options.seed ?? "bulksms");
  const log: DeliveryLogEntry[] = [];
  const gate = createWebhookFaultGate({
    faults: () => faults,
    rng,
    setTimer: clock.setTimer,
    holdMs: options.webhookHoldMs ?? 1000,
  });
  const dispatcher = createWebhookDispatcher({
    clock,
    fetch: options.fetch ?? globalThis.fetch,
    gate,
    log,
  });
  const state = createSimulatorState({
    clock,
    credentials,
    stopWords: options.stopWords ?? DEFAULT_STOP_WORDS,
    timing: options.timing ?? {},
    creditsPerPart: options.creditsPerPart ?? 1,
    dailyQuota: options.dailyQuota ?? 100_000,
    replyNumber: options.replyNumber ?? "447700900000",
    dispatcher,
  });
  const validator: SpecValidator | null =
    options.specPath === false ? null : loadSpecValidator(options.specPath ?? undefined);

  const control: BulkSmsControl = {
    simulateReply: (input) => state.simulateReply(input),
    sentMessages: () => state.sentLog(),
    messages: (filter = {}) =>
      state
        .allMessages()
        .filter(
          (m) =>
            (filter.status === undefined || m.status.type === filter.status) &&
            (filter.type === undefined || m.type === filter.type),
        )
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)),
    deliveryLog: () => log.map((e) => ({ ...e, messageIds: [...e.messageIds], statusIds: [...e.statusIds] })),
    setCredits: (credits, tokenId) => state.setCredits(credits, tokenId),
    credits: (tokenId) => state.credits(tokenId),
    addBlocked: (numbers, tokenId) => state.addBlocked(numbers, tokenId),
    blockedNumbers: (tokenId) => state.blockedNumbers(tokenId),
    setFaults: (patch) => {
      faults = applyFaultPatch(faults, patch);
      return { ...faults };
    },
    faults: () => ({ ...faults }),
    setNumberOutcome: (number, outcome) => state.setNumberOutcome(number, outcome),
    setStopWords: (words) => state.setStopWords(words),
    settle: () => dispatcher.idle(),
    reset: () => {
      dispatcher.clear();
      state.reset();
      state.setStopWords(options.stopWords ?? DEFAULT_STOP_WORDS);
      log.length = 0;
      faults = { ...startFaults };
      for (const res of stalled) res.destroy();
      stalled.clear();
    },
  };

  const stalled = new Set<ServerResponse>();

  const authenticate = (req: IncomingMessage) => {
    const header = req.headers.authorization ?? "";
    const m = /^Basic\s+(\S+)$/i.exec(header);
    if (!m?.[1])
      throw new ProblemError("unauthorized", "Missing Basic authentication (Authorization header)");
    const decoded = Buffer.from(m[1], "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const account =
      colon < 0 ? undefined : state.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (!account) throw new ProblemError("unauthorized", "The credentials are not valid");
    return account;
  };

  const api = async (req: IncomingMessage, path: string, query: URLSearchParams): Promise<HttpReply> => {
    const method = req.method ?? "GET";
    const account = authenticate(req);
    const raw = method === "POST" ? await readBody(req) : "";
    const segments = path.split("/").filter(Boolean);
    const q = (name: string): string | null => query.get(name);
    const int = (name: string): number | null => {
      const v = q(name);
      if (v === null) return null;
      if (!/^-?\d+$/.test(v))
        throw new ProblemError("bad-request", `Query parameter '${name}' must be an integer, got '${v}'`);
      return Number(v);
    };
    const bool = (name: string): boolean => {
      const v = q(name);
      if (v === null) return false;
      if (v !== "true" && v !== "false")
        throw new ProblemError("bad-request", `Query parameter '${name}' must be true or false`);
      return v === "true";
    };
    const dedupId = (): number | null => {
      const v = int("deduplication-id");
      if (v !== null && (v < 0 || v > 2_147_483_647)) {
        throw new ProblemError("bad-request", "deduplication-id must be an integer from 0 to 2147483647");
      }
      return v;
    };
    const validate = (body: unknown): void => {
      if (!validator) return;
      const errs = validator.validateRequest(method, `/${segments.join("/")}`, body);
      if (errs.length > 0)
        throw new ProblemError("bad-request", `Invalid request body: ${errs.slice(0, 5).join("; ")}`);
    };
    const route = `${method} /${segments.map((s, i) => (i > 0 && /^\d+$/.test(s) ? "{id}" : s)).join("/")}`;
    switch (route) {
      case "POST /messages": {
        const form = (req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
        let payload: unknown;
        if (form) {
          const params = new URLSearchParams(raw);
          payload = { to: params.getAll("to"), body: params.get("body") ?? undefined };
          const d = params.get("deduplication-id");
          if (d !== null && !query.has("deduplication-id")) query.set("deduplication-id", d);
        } else {
          payload = parseJson(raw);
          // Our spec describes the array form; the single-object form the vendor also accepts is
          // validated as a one-entry array.
          validate(Array.isArray(payload) ? payload : [payload]);
        }
        const sent = state.send(account, payload, {
          deduplicationId: dedupId(),
          autoUnicode: bool("auto-unicode"),
          scheduleDate: q("schedule-date"),
        });
        return new HttpReply(201, sent);
      }
      case "GET /messages/send": {
        const to = query.getAll("to");
        const body = q("body");
        if (to.length === 0 || body === null)
          throw new ProblemError("bad-request", "'to' and 'body' are required");
        return new HttpReply(
          201,
          state.send(
            account,
            { to, body },
            { deduplicationId: dedupId(), autoUnicode: bool("auto-unicode"), scheduleDate: null },
          ),
        );
      }
      case "GET /messages":
        return new HttpReply(
          200,
          state.listMessages(account, {
            filter: q("filter"),
            limit: int("limit"),
            sortOrder: q("sortOrder"),
          }),
        );
      case "GET /messages/{id}":
        return new HttpReply(200, state.getMessage(account, segments[1] ?? ""));
      case "GET /messages/{id}/relatedReceivedMessages":
        return new HttpReply(200, state.relatedReceived(account, segments[1] ?? ""));
      case "GET /profile":
        return new HttpReply(200, state.profile(account));
      case "GET /blocked-numbers":
        return new HttpReply(200, state.listBlocked(account, int("min-id") ?? 0, int("limit") ?? 10_000));
      case "POST /blocked-numbers": {
        const body = parseJson(raw);
        validate(body);
        state.postBlocked(account, body);
        return new HttpReply(200, EMPTY);
      }
      case "GET /webhooks":
        return new HttpReply(200, listWebhooks(account));
      case "POST /webhooks": {
        const body = parseJson(raw);
        validate(body);
        return new HttpReply(200, await createWebhook(account, dispatcher, state.nextWebhookId, body));
      }
      case "GET /webhooks/{id}":
        return new HttpReply(200, readWebhook(account, segments[1] ?? ""));
      case "POST /webhooks/{id}": {
        const body = parseJson(raw);
        validate(body);
        return new HttpReply(200, await updateWebhook(account, dispatcher, segments[1] ?? "", body));
      }
      case "DELETE /webhooks/{id}":
        deleteWebhook(account, segments[1] ?? "");
        return new HttpReply(200, EMPTY);
      default:
        throw new ProblemError("not-found", `No operation ${method} ${path}`);
    }
  };

  const controlRoute = async (
    req: IncomingMessage,
    path: string,
    query: URLSearchParams,
  ): Promise<HttpReply> => {
    const method = req.method ?? "GET";
    const body = method === "POST" ? await readBody(req) : "";
    const json = (): Record<string, unknown> => {
      const v = body.trim() === "" ? {} : parseJson(body);
      if (typeof v !== "object" || v === null || Array.isArray(v))
        throw new ProblemError("bad-request", "Expected a JSON object");
      return v as Record<string, unknown>;
    };
    const str = (o: Record<string, unknown>, k: string): string => {
      if (typeof o[k] !== "string") throw new ProblemError("bad-request", `'${k}' must be a string`);
      return o[k] as string;
    };
    const optStr = (o: Record<string, unknown>, k: string): string | undefined =>
      o[k] === undefined ? undefined : str(o, k);
    const guard = <T>(fn: () => T): T => {
      try {
        return fn();
      } catch (err) {
        if (err instanceof ProblemError) throw err;
        throw new ProblemError("bad-request", (err as Error).message);
      }
    };
    switch (`${method} ${path}`) {
      case "POST /__sandbox/reply": {
        const o = json();
        const to = optStr(o, "to");
        return new HttpReply(
          200,
          guard(() =>
            control.simulateReply({ from: str(o, "from"), body: str(o, "body"), ...(to ? { to } : {}) }),
          ),
        );
      }
      case "GET /__sandbox/sent":
        return new HttpReply(200, control.sentMessages());
      case "GET /__sandbox/messages": {
        const status = query.get("status") as BulkSmsStatusType | null;
        const type = query.get("type") as "SENT" | "RECEIVED" | null;
        return new HttpReply(
          200,
          control.messages({ ...(status ? { status } : {}), ...(type ? { type } : {}) }),
        );
      }
      case "GET /__sandbox/deliveries":
        return new HttpReply(200, control.deliveryLog());
      case "POST /__sandbox/credits": {
        const o = json();
        guard(() => control.setCredits(Number(o.credits), optStr(o, "tokenId")));
        return new HttpReply(200, { credits: control.credits(optStr(o, "tokenId")) });
      }
      case "POST /__sandbox/blocked": {
        const o = json();
        if (!Array.isArray(o.numbers)) throw new ProblemError("bad-request", "'numbers' must be an array");
        guard(() => control.addBlocked(o.numbers as string[], optStr(o, "tokenId")));
        return new HttpReply(200, { blocked: control.blockedNumbers(optStr(o, "tokenId")) });
      }
      case "POST /__sandbox/faults":
        return new HttpReply(
          200,
          guard(() => control.setFaults(json())),
        );
      case "POST /__sandbox/outcome": {
        const o = json();
        guard(() => control.setNumberOutcome(str(o, "number"), (o.outcome ?? null) as NumberOutcome | null));
        return new HttpReply(200, EMPTY);
      }
      case "POST /__sandbox/advance": {
        const ms = Number(json().ms);
        await guard(() => clock.advance(ms));
        return new HttpReply(200, { now: new Date(clock.now()).toISOString() });
      }
      case "POST /__sandbox/settle":
        await control.settle();
        return new HttpReply(200, EMPTY);
      case "POST /__sandbox/reset":
        control.reset();
        return new HttpReply(200, EMPTY);
      default:
        throw new ProblemError("not-found", `No control route ${method} ${path}`);
    }
  };

  const send = (res: ServerResponse, reply: HttpReply, problemBody: boolean): void => {
    if (reply.body === EMPTY) {
      res.writeHead(reply.status, { "Content-Length": "0" });
      res.end();
      return;
    }
    let text = JSON.stringify(reply.body);
    if (options.idsAsNumbers && !problemBody)
      text = text.replace(/"(id|relatedSentMessageId)":"(\d+)"/g, '"$1":$2');
    res.writeHead(reply.status, {
      "Content-Type": problemBody ? "application/problem+json" : "application/json",
      "Content-Length": Buffer.byteLength(text),
      ...(reply.status === 401 ? { "WWW-Authenticate": 'Basic realm="BulkSMS"' } : {}),
    });
    res.end(text);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const isControl = url.pathname.startsWith("/__sandbox/");
      const path = url.pathname.replace(/^\/v1(?=\/|$)/, "") || "/";
      try {
        if (!isControl) {
          const injected = await maybeInjectFault(req, res, faults, rng, {
            now: clock.now,
            errorBody: (status) => statusProblem(status, "Injected fault"),
            onFault: (fault) => {
              if (fault.kind === "stall") {
                stalled.add(res);
                res.on("close", () => stalled.delete(res));
              }
            },
          });
          if (injected) return;
        }
        const reply = isControl
          ? await controlRoute(req, url.pathname, url.searchParams)
          : await api(req, path, url.searchParams);
        send(res, reply, false);
      } catch (err) {
        req.resume();
        const body: BulkSmsProblem =
          err instanceof ProblemError ? err.problem : problem("internal-error", (err as Error).message);
        send(res, new HttpReply(body.status, body), true);
      }
    })();
  });

  const sockets = trackSockets(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/v1`,
    origin,
    port,
    credentials,
    clock,
    control,
    async close() {
      dispatcher.clear();
      state.reset();
      for (const res of stalled) res.destroy();
      stalled.clear();
      sockets.destroyAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
