/**
 * An HTTP client for the BulkSMS simulator's control routes, for tests and demos running in another process
 * than the simulator (e.g. against `pnpm sandbox`). Mirrors BulkSmsControl.
 */

import type { FaultConfig } from "../faults.js";
import type { NumberOutcome } from "./delivery-plan.js";
import type { BulkSmsFaults } from "./faults.js";
import type { BulkSmsMessage, BulkSmsStatusType, DeliveryLogEntry, SentMessageRecord } from "./types.js";

export interface BulkSmsControlClient {
  simulateReply(input: { from: string; body: string; to?: string }): Promise<BulkSmsMessage>;
  sentMessages(): Promise<SentMessageRecord[]>;
  messages(filter?: { status?: BulkSmsStatusType; type?: "SENT" | "RECEIVED" }): Promise<BulkSmsMessage[]>;
  deliveryLog(): Promise<DeliveryLogEntry[]>;
  setCredits(credits: number, tokenId?: string): Promise<number>;
  addBlocked(numbers: string[], tokenId?: string): Promise<string[]>;
  setFaults(patch: BulkSmsFaults | Record<string, unknown>): Promise<FaultConfig>;
  setNumberOutcome(number: string, outcome: NumberOutcome | null): Promise<void>;
  /** Advance the simulator's sandbox clock. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
  reset(): Promise<void>;
}

/** `origin` is the simulator's origin (`http://127.0.0.1:PORT`); a `/v1` suffix is tolerated. */
export function createBulkSmsControlClient(
  origin: string,
  fetchImpl: typeof fetch = globalThis.fetch,
): BulkSmsControlClient {
  const base = origin.replace(/\/+$/, "").replace(/\/v1$/, "");
  const call = async <T>(method: "GET" | "POST", route: string, body?: unknown): Promise<T> => {
    const res = await fetchImpl(`${base}/__sandbox/${route}`, {
      method,
      ...(body !== undefined
        ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }
        : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`bulksms sandbox control ${method} ${route} failed: ${res.status} ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  };
  return {
    simulateReply: (input) => call("POST", "reply", input),
    sentMessages: () => call("GET", "sent"),
    messages: (filter = {}) => {
      const q = new URLSearchParams();
      if (filter.status) q.set("status", filter.status);
      if (filter.type) q.set("type", filter.type);
      return call("GET", `messages${q.size > 0 ? `?${q}` : ""}`);
    },
    deliveryLog: () => call("GET", "deliveries"),
    setCredits: async (credits, tokenId) =>
      (await call<{ credits: number }>("POST", "credits", { credits, ...(tokenId ? { tokenId } : {}) }))
        .credits,
    addBlocked: async (numbers, tokenId) =>
      (await call<{ blocked: string[] }>("POST", "blocked", { numbers, ...(tokenId ? { tokenId } : {}) }))
        .blocked,
    setFaults: (patch) => call("POST", "faults", patch),
    setNumberOutcome: (number, outcome) => call("POST", "outcome", { number, outcome }),
    advance: async (ms) => {
      await call("POST", "advance", { ms });
    },
    settle: () => call("POST", "settle"),
    reset: () => call("POST", "reset"),
  };
}
