/**
 * Posts status reports and incoming messages to registered webhooks the way BulkSMS does:
 * a JSON array of Message objects, `X-BulkSMS-*` headers, `invokeOption` ONE (1 per POST) or MANY (<= 10),
 * 1xx/2xx = ack, 4xx = dropped, anything else (5xx, > 30 s, connection error) retried after
 * 90 s, 3, 6, 12 min, then every 15 min until 2 days after the first attempt, all in sandbox-clock time.
 * A failed MANY batch is retried one message per POST. Every attempt lands in the delivery log.
 */
import type { SandboxClock } from "../clock.js";
import type { WebhookFaultGate } from "../faults.js";
import type { BulkSmsMessage, BulkSmsWebhook, DeliveryLogEntry } from "./types.js";

export const RETRY_DELAYS_MS: readonly number[] = [90_000, 180_000, 360_000, 720_000];
export const RETRY_EVERY_MS = 900_000;
export const RETRY_WINDOW_MS = 2 * 24 * 3600_000;
export const WEBHOOK_TIMEOUT_MS = 30_000;
export const MANY_BATCH_SIZE = 10;

export type WebhookEvent = "status-report" | "incoming-message";

export interface WebhookDispatcherDeps {
  clock: SandboxClock;
  fetch: typeof fetch;
  /** Shared fault gate: drops, duplicates or reorders deliveries per the simulator's FaultConfig. */
  gate: WebhookFaultGate;
  log: DeliveryLogEntry[];
}

interface Delivery {
  deliveryId: string;
  webhook: BulkSmsWebhook;
  event: WebhookEvent;
  messages: BulkSmsMessage[];
  attempt: number;
  firstAt: number | null;
}

type PostResult = { status: number; error: null } | { status: null; error: string };

export interface WebhookDispatcher {
  enqueue(webhook: BulkSmsWebhook, event: WebhookEvent, messages: BulkSmsMessage[]): void;
  /** The create/update check: POST `[]` and report whether the URL answered 2xx. */
  test(webhook: Pick<BulkSmsWebhook, "id" | "url" | "triggerScope">): Promise<PostResult>;
  /** Resolves once no webhook POST is in flight (pending retries do not count). */
  idle(): Promise<void>;
  /** Cancel pending retries and forget queued deliveries. */
  clear(): void;
}

export function retryDelayAfter(attempt: number): number {
  return RETRY_DELAYS_MS[attempt - 1] ?? RETRY_EVERY_MS;
}

export function createWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { clock, log } = deps;
  let deliverySeq = 0;
  let generation = 0;
  const inFlight = new Set<Promise<unknown>>();
  const cancels = new Set<() => void>();

  const later = (ms: number, fn: () => void): void => {
    const gen = generation;
    const cancel = clock.setTimer(ms, () => {
      cancels.delete(cancel);
      if (gen === generation) fn();
    });
    cancels.add(cancel);
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const post = (url: string, headers: Record<string, string>, body: string): Promise<PostResult> =>
    track(
      (async (): Promise<PostResult> => {
        const controller = new AbortController();
        const cancelTimeout = clock.setTimer(WEBHOOK_TIMEOUT_MS, () => controller.abort());
        try {
          const res = await deps.fetch(url, { method: "POST", headers, body, signal: controller.signal });
          await res.arrayBuffer().catch(() => undefined);
          return { status: res.status, error: null };
        } catch (err) {
          const reason = controller.signal.aborted
            ? `timeout after ${WEBHOOK_TIMEOUT_MS / 1000} s`
            : err instanceof Error
              ? ((err.cause as Error | undefined)?.message ?? err.message)
              : String(err);
          return { status: null, error: reason };
        } finally {
          cancelTimeout();
        }
      })(),
    );

  const headersFor = (d: Delivery): Record<string, string> => ({
    "Content-Type": "application/json",
    "User-Agent": "BulkSMS Invoker",
    "X-BulkSMS-Event": d.event,
    "X-BulkSMS-Delivery": d.deliveryId,
    "X-BulkSMS-Delivery-Attempt": String(d.attempt),
    "X-BulkSMS-Webhook-Id": String(d.webhook.id),
  });

  const entry = (d: Delivery, at: number, rest: Partial<DeliveryLogEntry>): DeliveryLogEntry => ({
    deliveryId: d.deliveryId,
    webhookId: d.webhook.id,
    url: d.webhook.url,
    event: d.event,
    attempt: d.attempt,
    at,
    messageIds: d.messages.map((m) => m.id),
    statusIds: d.messages.map((m) => m.status.id),
    httpStatus: null,
    error: null,
    outcome: "delivered",
    nextAttemptAt: null,
    ...rest,
  });

  /** One POST of delivery `d`. Only the primary POST of an attempt decides ack, drop or retry. */
  const sendOnce = async (d: Delivery, primary: boolean): Promise<void> => {
    const at = clock.now();
    const gen = generation;
    const result = await post(d.webhook.url, headersFor(d), JSON.stringify(d.messages));
    if (gen !== generation) return; // reset or closed while the POST was in flight
    if (!primary) {
      log.push(entry(d, at, { httpStatus: result.status, error: result.error, outcome: "duplicate" }));
      return;
    }
    if (result.status !== null && result.status < 300) {
      log.push(entry(d, at, { httpStatus: result.status }));
      return;
    }
    if (result.status !== null && result.status >= 400 && result.status < 500) {
      log.push(entry(d, at, { httpStatus: result.status, outcome: "dropped-4xx" }));
      return;
    }
    const delay = retryDelayAfter(d.attempt);
    const next = clock.now() + delay;
    if (next - (d.firstAt ?? at) > RETRY_WINDOW_MS) {
      log.push(entry(d, at, { httpStatus: result.status, error: result.error, outcome: "gave-up" }));
      return;
    }
    log.push(
      entry(d, at, {
        httpStatus: result.status,
        error: result.error,
        outcome: "retry-scheduled",
        nextAttemptAt: next,
      }),
    );
    // A failed MANY call is retried one message at a time.
    const retries: Delivery[] =
      d.messages.length > 1
        ? d.messages.map((m, k) => ({ ...d, deliveryId: `${d.deliveryId}.${k + 1}`, messages: [m] }))
        : [d];
    for (const r of retries) later(delay, () => attempt(r));
  };

  /** One attempt, through the fault gate (which may drop, duplicate or hold it back). */
  const attempt = (d: Delivery): void => {
    d.attempt += 1;
    if (d.firstAt === null) d.firstAt = clock.now();
    const snapshot: Delivery = { ...d };
    let sends = 0;
    deps.gate.dispatch(
      () => {
        sends += 1;
        void track(sendOnce(snapshot, sends === 1));
      },
      (action) => {
        if (action === "dropped") log.push(entry(snapshot, clock.now(), { outcome: "dropped-by-fault" }));
      },
    );
  };

  return {
    enqueue(webhook, event, messages) {
      if (!webhook.active || messages.length === 0) return;
      const size = webhook.invokeOption === "MANY" ? MANY_BATCH_SIZE : 1;
      for (let i = 0; i < messages.length; i += size) {
        deliverySeq += 1;
        const d: Delivery = {
          deliveryId: String(7_000_000 + deliverySeq),
          webhook: { ...webhook },
          event,
          messages: messages.slice(i, i + size).map((m) => structuredClone(m)),
          attempt: 0,
          firstAt: null,
        };
        attempt(d);
      }
    },
    async test(webhook) {
      const at = clock.now();
      deliverySeq += 1;
      const d: Delivery = {
        deliveryId: String(7_000_000 + deliverySeq),
        webhook: {
          ...webhook,
          name: "",
          active: true,
          contactEmailAddress: null,
          invokeOption: "ONE",
          onWebApp: false,
        },
        event: webhook.triggerScope === "SENT" ? "status-report" : "incoming-message",
        messages: [],
        attempt: 1,
        firstAt: at,
      };
      const result = await post(webhook.url, headersFor(d), "[]");
      const ok = result.status !== null && result.status < 300;
      log.push({
        ...entry(d, at, {
          httpStatus: result.status,
          error: result.error,
          outcome: ok ? "test-ok" : "test-failed",
        }),
        event: "test",
      });
      return result;
    },
    async idle() {
      // Loop: a settled delivery may have started another one (duplicates, immediate follow-ups).
      for (let i = 0; i < 100 && inFlight.size > 0; i++) {
        await Promise.allSettled([...inFlight]);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    clear() {
      generation += 1;
      for (const cancel of cancels) cancel();
      cancels.clear();
    },
  };
}
