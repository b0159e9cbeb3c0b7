/**
 * Fault injection shared by both simulators.
 *
 * NOTE FOR THE BULKSMS SIMULATOR (src/bulksms/**): reuse this module instead of writing your own.
 *   - Keep a `FaultConfig` per server (start-up option, changed at run time with `mergeFaults`).
 *   - At the top of your request handler (skip it for `/__sandbox/*` control routes):
 *       if (await maybeInjectFault(req, res, faults, rng, { now: clock.now, errorBody })) return;
 *     It adds latency, answers a share of requests with 5xx or 429, or stalls the connection (never
 *     answers; `close()` must destroy sockets — use `trackSockets(server)`).
 *   - Send outgoing webhooks through `createWebhookFaultGate(...)`: it drops, duplicates or reorders
 *     deliveries according to the same config and reports what it did so you can log it.
 *   - `parseFaultSpec("latency=50,error=0.1,429=0.2,stall=0.01,drop=0.1,dup=0.1,reorder=0.1")` is what
 *     the `pnpm sandbox --faults` flag uses.
 *   - Use `createRng(seed)` from `./rng.js` so runs are repeatable.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Rng } from "./rng.js";

export interface FaultConfig {
  /** Real milliseconds added before every answer. */
  latencyMs?: number;
  /** Extra random real milliseconds (0..jitter) on top of `latencyMs`. */
  latencyJitterMs?: number;
  /** Share (0..1) of requests answered with a 5xx. */
  errorRate?: number;
  /** Statuses used for injected 5xx answers (default [500, 502, 503]). */
  errorStatuses?: number[];
  /** Share (0..1) of requests answered with 429. */
  rateLimitRate?: number;
  /** Sandbox-clock epoch ms until which EVERY request gets 429 (a 429 storm). */
  rateLimitStormUntil?: number;
  /** Share (0..1) of requests whose connection is accepted and never answered. */
  stallRate?: number;
  /** Share (0..1) of outgoing webhooks silently dropped. */
  webhookDropRate?: number;
  /** Share (0..1) of outgoing webhooks delivered twice. */
  webhookDuplicateRate?: number;
  /** Share (0..1) of outgoing webhooks held back and delivered after the next one. */
  webhookReorderRate?: number;
  /**
   * Exact answers for the next API requests, in order, before any share-based fault (each entry is used
   * once). For tests that need "503, then 502, then the real answer" rather than a probability.
   */
  script?: ScriptedFault[];
}

/**
 * One scripted answer:
 * - `status`: answer with this status (4xx or 5xx), `body` (default `{statusCode, message}`; `""` sends an
 *   empty body, as BulkSMS's gateway sometimes does on 400) and extra `headers` (e.g. `Retry-After`).
 * - `delay`: wait `ms` real milliseconds, then handle the request normally (processed even if the
 *   client has given up meanwhile: a slow answer, not a lost request).
 * - `stall`: accept the request and never answer (the client's timeout fires; nothing is processed).
 * - `drop-after-processing`: process the request normally (a send sends, a create creates), then drop the
 *   connection instead of answering: the "answer lost" case that makes a non-idempotent call ambiguous.
 */
export type ScriptedFault =
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "delay"; ms: number }
  | { kind: "stall" }
  | { kind: "drop-after-processing" };

export type InjectedFault =
  | { kind: "error"; status: number }
  | { kind: "rate-limit" }
  | { kind: "stall" }
  | { kind: "drop-after-processing" };

export interface InjectFaultOptions {
  /** The sandbox clock's `now` (for storms). */
  now: () => number;
  /** Body for an injected error; default `{statusCode, message}`. */
  errorBody?: (status: number) => unknown;
  /** Extra headers on injected answers (e.g. rate-limit headers). */
  headers?: Record<string, string>;
  /** Called with every fault injected (for request logs). */
  onFault?: (fault: InjectedFault, req: IncomingMessage) => void;
}

const STATUS_TEXT: Record<number, string> = {
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

const sleepReal = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Decide (with `rng`) which fault, if any, hits this request. Pure apart from the rng. */
export function pickRequestFault(
  faults: FaultConfig,
  rng: Rng,
  now: number,
): Exclude<InjectedFault, { kind: "drop-after-processing" }> | undefined {
  if (faults.rateLimitStormUntil !== undefined && now < faults.rateLimitStormUntil)
    return { kind: "rate-limit" };
  if (rng.chance(faults.stallRate ?? 0)) return { kind: "stall" };
  if (rng.chance(faults.errorRate ?? 0)) {
    const statuses = faults.errorStatuses?.length ? faults.errorStatuses : [500, 502, 503];
    return { kind: "error", status: rng.pick(statuses) };
  }
  if (rng.chance(faults.rateLimitRate ?? 0)) return { kind: "rate-limit" };
  return undefined;
}

/**
 * Apply latency and maybe answer the request with a fault. Returns true when the request was handled
 * (answered or stalled) and the caller must not answer it.
 */
export async function maybeInjectFault(
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultConfig,
  rng: Rng,
  options: InjectFaultOptions,
): Promise<boolean> {
  const latency =
    (faults.latencyMs ?? 0) + (faults.latencyJitterMs ? rng.next() * faults.latencyJitterMs : 0);
  const scripted = faults.script?.shift();
  if (scripted) {
    if (latency > 0) await sleepReal(latency);
    if (scripted.kind === "delay") {
      await sleepReal(scripted.ms);
      return false;
    }
    return applyScripted(scripted, req, res, options);
  }
  const fault = pickRequestFault(faults, rng, options.now());
  if (latency > 0) await sleepReal(latency);
  if (!fault) return false;
  options.onFault?.(fault, req);
  if (fault.kind === "stall") {
    // Accept and never answer. The server's close() destroys the socket (see trackSockets).
    req.resume();
    return true;
  }
  const status = fault.kind === "rate-limit" ? 429 : fault.status;
  const body = options.errorBody
    ? options.errorBody(status)
    : { statusCode: status, message: STATUS_TEXT[status] ?? "Error" };
  req.resume();
  res.writeHead(status, { "content-type": "application/json", ...options.headers });
  res.end(JSON.stringify(body));
  return true;
}

function applyScripted(
  scripted: Exclude<ScriptedFault, { kind: "delay" }>,
  req: IncomingMessage,
  res: ServerResponse,
  options: InjectFaultOptions,
): boolean {
  if (scripted.kind === "drop-after-processing") {
    options.onFault?.({ kind: "drop-after-processing" }, req);
    // Let the simulator handle the request, then swallow its answer and drop the connection.
    const socket = req.socket;
    res.writeHead = (() => res) as typeof res.writeHead;
    res.setHeader = (() => res) as typeof res.setHeader;
    res.write = (() => true) as typeof res.write;
    res.end = ((..._args: unknown[]) => {
      socket.destroy();
      return res;
    }) as typeof res.end;
    return false;
  }
  if (scripted.kind === "stall") {
    options.onFault?.({ kind: "stall" }, req);
    req.resume();
    return true;
  }
  const status = scripted.status;
  options.onFault?.(status === 429 ? { kind: "rate-limit" } : { kind: "error", status }, req);
  const body =
    scripted.body !== undefined
      ? scripted.body
      : options.errorBody
        ? options.errorBody(status)
        : { statusCode: status, message: STATUS_TEXT[status] ?? "Error" };
  const text = body === "" ? "" : JSON.stringify(body);
  req.resume();
  res.writeHead(status, {
    ...(text === "" ? {} : { "content-type": "application/json" }),
    ...options.headers,
    ...scripted.headers,
  });
  res.end(text);
  return true;
}

function parseScript(value: unknown): ScriptedFault[] {
  if (!Array.isArray(value)) throw new Error("faults.script: expected an array");
  return value.map((entry, i): ScriptedFault => {
    const e = entry as Record<string, unknown> | null;
    if (e?.kind === "stall" || e?.kind === "drop-after-processing") return { kind: e.kind };
    if (e?.kind === "delay" && typeof e.ms === "number" && Number.isFinite(e.ms) && e.ms >= 0)
      return { kind: "delay", ms: e.ms };
    if (
      e?.kind === "status" &&
      Number.isInteger(e.status) &&
      (e.status as number) >= 400 &&
      (e.status as number) <= 599
    ) {
      const headers = e.headers;
      if (
        headers !== undefined &&
        (typeof headers !== "object" ||
          headers === null ||
          !Object.values(headers).every((v) => typeof v === "string"))
      ) {
        throw new Error(`faults.script[${i}].headers: expected an object of strings`);
      }
      return {
        kind: "status",
        status: e.status as number,
        ...(e.body !== undefined ? { body: e.body } : {}),
        ...(headers !== undefined ? { headers: headers as Record<string, string> } : {}),
      };
    }
    throw new Error(
      `faults.script[${i}]: expected {kind: "status", status: 400..599} | {kind: "delay", ms} | {kind: "stall"} | {kind: "drop-after-processing"}`,
    );
  });
}

/** Track open sockets so `close()` can destroy stalled or keep-alive connections. */
export function trackSockets(server: Server): { destroyAll(): void } {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  return {
    destroyAll(): void {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}

export type WebhookFaultAction = "sent" | "dropped" | "duplicated" | "held" | "released";

export interface WebhookFaultGate {
  /**
   * Send one delivery through the gate. `send` is called zero (dropped), one or two (duplicated) times,
   * now or later (reordered: held until the next delivery has gone, or `holdMs` of sandbox time).
   * `onAction` reports what happened to this delivery.
   */
  dispatch(send: () => void, onAction?: (action: WebhookFaultAction) => void): void;
  /** Release every held delivery now. */
  flush(): void;
}

export function createWebhookFaultGate(options: {
  faults: () => FaultConfig;
  rng: Rng;
  /** A timer on the sandbox clock (release held deliveries even if no other delivery comes). */
  setTimer: (delayMs: number, fn: () => void) => () => void;
  holdMs?: number;
}): WebhookFaultGate {
  const held: Array<{
    send: () => void;
    onAction?: (action: WebhookFaultAction) => void;
    cancel: () => void;
  }> = [];
  const releaseAll = (): void => {
    const items = held.splice(0);
    for (const item of items) {
      item.cancel();
      item.onAction?.("released");
      item.send();
    }
  };
  return {
    dispatch(send, onAction): void {
      const faults = options.faults();
      if (options.rng.chance(faults.webhookDropRate ?? 0)) {
        onAction?.("dropped");
        return;
      }
      if (options.rng.chance(faults.webhookReorderRate ?? 0)) {
        const item = { send, onAction, cancel: () => {} };
        item.cancel = options.setTimer(options.holdMs ?? 1_000, () => {
          const i = held.indexOf(item);
          if (i >= 0) {
            held.splice(i, 1);
            onAction?.("released");
            send();
          }
        });
        held.push(item);
        onAction?.("held");
        return;
      }
      const duplicate = options.rng.chance(faults.webhookDuplicateRate ?? 0);
      onAction?.(duplicate ? "duplicated" : "sent");
      send();
      if (duplicate) send();
      releaseAll();
    },
    flush: releaseAll,
  };
}

const SPEC_KEYS: Record<string, keyof FaultConfig> = {
  latency: "latencyMs",
  jitter: "latencyJitterMs",
  error: "errorRate",
  "5xx": "errorRate",
  "429": "rateLimitRate",
  stall: "stallRate",
  drop: "webhookDropRate",
  dup: "webhookDuplicateRate",
  duplicate: "webhookDuplicateRate",
  reorder: "webhookReorderRate",
};

/**
 * Parse `key=value,...` into a FaultConfig. Keys: latency, jitter (ms), error|5xx, 429, stall, drop,
 * dup|duplicate, reorder (shares 0..1). Throws an Error naming the bad part.
 */
export function parseFaultSpec(spec: string): FaultConfig {
  const out: FaultConfig = {};
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [rawKey, rawValue] = part.split("=");
    const key = SPEC_KEYS[(rawKey ?? "").trim()];
    if (!key || rawValue === undefined) {
      throw new Error(
        `fault spec: cannot read "${part}" (expected one of ${Object.keys(SPEC_KEYS).join(", ")} as key=value)`,
      );
    }
    const value = Number(rawValue);
    const isShare = key !== "latencyMs" && key !== "latencyJitterMs";
    if (!Number.isFinite(value) || value < 0 || (isShare && value > 1)) {
      throw new Error(
        `fault spec: "${part}" needs ${isShare ? "a share between 0 and 1" : "milliseconds >= 0"}`,
      );
    }
    (out as Record<string, number>)[key] = value;
  }
  return out;
}

/** Validate and merge a fault patch (from a control call) into the current config. */
export function mergeFaults(current: FaultConfig, patch: unknown): FaultConfig {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new Error("faults: expected an object");
  }
  const next: FaultConfig = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "script") {
      if (value === null || value === undefined) delete next.script;
      else next.script = parseScript(value);
      continue;
    }
    if (key === "errorStatuses") {
      if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v) && v >= 500 && v <= 599)) {
        throw new Error("faults.errorStatuses: expected an array of 5xx status codes");
      }
      next.errorStatuses = value as number[];
      continue;
    }
    const known =
      Object.values(SPEC_KEYS).includes(key as keyof FaultConfig) || key === "rateLimitStormUntil";
    if (!known) throw new Error(`faults: unknown key "${key}"`);
    if (value === null || value === undefined) {
      delete (next as Record<string, unknown>)[key];
      continue;
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`faults.${key}: expected a number >= 0`);
    }
    if (key.endsWith("Rate") && value > 1) throw new Error(`faults.${key}: expected a share between 0 and 1`);
    (next as Record<string, number>)[key] = value;
  }
  return next;
}
