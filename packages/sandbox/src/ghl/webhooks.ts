/**
 * Outgoing GHL webhooks: payload with `webhookId` + `timestamp`, Ed25519 `x-ghl-signature` over the
 * exact body bytes (optionally the legacy RSA `x-wh-signature`), retried ONLY on 429 (as GHL does);
 * any other failure loses the event, and the delivery log records it.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from "node:crypto";
import { createWebhookFaultGate, type FaultConfig, type WebhookFaultAction } from "../faults.js";
import type { Rng } from "../rng.js";

export interface WebhookSigningOptions {
  /** 32-byte seed (hex) of the Ed25519 key; default derived from the simulator seed. */
  ed25519SeedHex?: string;
  /** Also send the legacy RSA `x-wh-signature` header (a 2048-bit key is generated at start). */
  legacyRsa?: boolean;
  /**
   * Which clock stamps each event's `timestamp` (the value receivers check against their 5-minute replay
   * window). "sandbox" (default): the sandbox clock, like every other date the simulator writes; right for
   * in-process tests, which verify with `now: sandbox.clock.now` and may `advance()` the clock. "real": the
   * machine's clock at sending time, as real GHL does; right when a separate process (the worker) verifies
   * with its own `Date.now()` while the sandbox clock runs faster or was advanced. `pnpm sandbox` uses "real".
   */
  timestamps?: "sandbox" | "real";
}

export interface WebhookKeys {
  ed25519PublicKeyPem: string;
  rsaPublicKeyPem?: string;
}

export interface DeliveryAttempt {
  /** Sandbox epoch ms. */
  at: number;
  status?: number;
  error?: string;
}

export interface WebhookDelivery {
  webhookId: string;
  type: string;
  locationId: string;
  url: string | null;
  /** Exact JSON body that was (or would have been) sent. */
  body: string;
  attempts: DeliveryAttempt[];
  /** pending: in flight or waiting for a retry; held: reorder fault; lost: failed and given up. */
  outcome: "pending" | "held" | "delivered" | "lost" | "dropped" | "no-target";
  /** Faults applied to this delivery. */
  faults: WebhookFaultAction[];
}

export interface WebhookRetryPolicy {
  /** Attempts in total (first try + retries after 429). */
  maxAttempts: number;
  /** Delay before retry n (1-based) is baseDelayMs * 2^(n-1), sandbox time. */
  baseDelayMs: number;
  /** Real ms before an attempt times out. */
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 10_000,
  timeoutMs: 5_000,
};

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export function createWebhookKeys(seed: string, signing: WebhookSigningOptions = {}) {
  const seedBytes = signing.ed25519SeedHex
    ? Buffer.from(signing.ed25519SeedHex, "hex")
    : createHash("sha256").update(`ghl-sandbox-ed25519:${seed}`).digest();
  if (seedBytes.length !== 32) throw new Error("signing.ed25519SeedHex must be 32 bytes (64 hex characters)");
  const edPrivate = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seedBytes]),
    format: "der",
    type: "pkcs8",
  });
  const edPublicPem = createPublicKey(edPrivate).export({ format: "pem", type: "spki" }).toString();
  let rsaPrivate: KeyObject | undefined;
  let rsaPublicPem: string | undefined;
  if (signing.legacyRsa) {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    rsaPrivate = pair.privateKey;
    rsaPublicPem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
  }
  return {
    keys: {
      ed25519PublicKeyPem: edPublicPem,
      ...(rsaPublicPem ? { rsaPublicKeyPem: rsaPublicPem } : {}),
    } as WebhookKeys,
    sign(body: Buffer): Record<string, string> {
      const headers: Record<string, string> = {
        "x-ghl-signature": sign(null, body, edPrivate).toString("base64"),
      };
      if (rsaPrivate) headers["x-wh-signature"] = sign("sha256", body, rsaPrivate).toString("base64");
      return headers;
    },
  };
}

export interface WebhookSenderOptions {
  rng: Rng;
  now: () => number;
  /** Clock for the `timestamp` field (default `now`). */
  stampNow?: () => number;
  setTimer: (delayMs: number, fn: () => void) => () => void;
  signer: ReturnType<typeof createWebhookKeys>;
  faults: () => FaultConfig;
  url: () => string | undefined;
  retry: WebhookRetryPolicy;
  appId: string;
}

export function createWebhookSender(options: WebhookSenderOptions) {
  const log: WebhookDelivery[] = [];
  const inflight = new Set<Promise<void>>();
  const timers = new Set<() => void>();
  const waiters: Array<() => void> = [];
  const gate = createWebhookFaultGate({
    faults: options.faults,
    rng: options.rng,
    setTimer: options.setTimer,
  });

  // Deliveries go out one at a time, in event order (faults may still reorder or duplicate them).
  let chain: Promise<void> = Promise.resolve();
  const track = (p: Promise<void>): void => {
    inflight.add(p);
    void p.finally(() => {
      inflight.delete(p);
      if (inflight.size === 0) for (const w of waiters.splice(0)) w();
    });
  };

  const attempt = (d: WebhookDelivery, url: string, n: number): void => {
    const body = Buffer.from(d.body);
    const run = async (): Promise<void> => {
      const entry: DeliveryAttempt = { at: options.now() };
      d.attempts.push(entry);
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "user-agent": "ghl-sandbox-webhooks",
            ...options.signer.sign(body),
          },
          body,
          signal: AbortSignal.timeout(options.retry.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        entry.status = res.status;
        if (res.ok) {
          d.outcome = "delivered";
          return;
        }
        if (res.status === 429 && n < options.retry.maxAttempts) {
          const cancel = options.setTimer(options.retry.baseDelayMs * 2 ** (n - 1), () => {
            timers.delete(cancel);
            attempt(d, url, n + 1);
          });
          timers.add(cancel);
          return;
        }
        d.outcome = "lost";
      } catch (error) {
        entry.error = error instanceof Error ? error.message : String(error);
        d.outcome = "lost";
      }
    };
    const next = chain.then(run);
    chain = next;
    track(next);
  };

  return {
    log,
    /** Queue one event. Returns the delivery record (also kept in `log`). */
    send(
      type: string,
      locationId: string,
      payload: Record<string, unknown>,
      target?: string,
    ): WebhookDelivery {
      const url = target ?? options.url() ?? null;
      // GHL leaves empty fields out of payloads rather than sending null.
      const fields = Object.fromEntries(
        Object.entries(payload).filter(([, v]) => v !== null && v !== undefined),
      );
      const full = {
        type,
        locationId,
        ...fields,
        appId: options.appId,
        webhookId: options.rng.uuid(),
        timestamp: new Date((options.stampNow ?? options.now)()).toISOString(),
      };
      const d: WebhookDelivery = {
        webhookId: full.webhookId,
        type,
        locationId,
        url,
        body: JSON.stringify(full),
        attempts: [],
        outcome: url ? "pending" : "no-target",
        faults: [],
      };
      log.push(d);
      if (!url) return d;
      gate.dispatch(
        () => {
          d.outcome = "pending";
          attempt(d, url, 1);
        },
        (action) => {
          if (action !== "sent") d.faults.push(action);
          if (action === "dropped") d.outcome = "dropped";
          if (action === "held") d.outcome = "held";
        },
      );
      return d;
    },
    /** Resolve when no delivery is in flight (retries waiting on the clock are not waited for). */
    async idle(): Promise<void> {
      while (inflight.size > 0) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    releaseHeld(): void {
      gate.flush();
    },
    clear(): void {
      for (const cancel of timers) cancel();
      timers.clear();
      log.length = 0;
    },
  };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
