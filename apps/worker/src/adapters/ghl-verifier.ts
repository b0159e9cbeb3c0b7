// GhlWebhookVerifier over @ghl-bulksms/ghl's verifyGhlWebhook, with the configured key overrides and window.
import { createPublicKey, type KeyObject } from "node:crypto";
import { verifyGhlWebhook } from "@ghl-bulksms/ghl";
import type { GhlWebhookVerifier } from "../ports.js";

export interface GhlVerifierOptions {
  /** Ed25519 SPKI PEM(s) for x-ghl-signature; undefined = GHL's published key */
  readonly ed25519PublicKey?: string | readonly string[] | null;
  /** RSA SPKI PEM(s) for the legacy x-wh-signature; undefined = GHL's published key */
  readonly rsaPublicKey?: string | readonly string[] | null;
  /** replay window: |now - timestamp| above this is rejected as stale */
  readonly toleranceMs: number;
  /** largest signed body read (bytes); default the ghl package's 1 MiB. The worker passes BODY_LIMIT_BYTES. */
  readonly maxBodyBytes?: number;
}

/** Parses configured PEMs once at start-up (a bad key fails here, naming the scheme). */
function keyObjects(scheme: string, pem: string | readonly string[]): KeyObject[] {
  const list: readonly string[] = typeof pem === "string" ? [pem] : pem;
  return list.map((k, i) => {
    try {
      return createPublicKey(k);
    } catch (e) {
      throw new Error(
        `the ${scheme} webhook public key #${i + 1} is not a PEM public key: ${(e as Error).message}`,
      );
    }
  });
}

/** GHL's ProviderOutboundMessage: its `type` is the channel, and it names the GHL message to send. */
function isProviderMessage(event: unknown): boolean {
  const e = event as Record<string, unknown>;
  return (e.type === "SMS" || e.type === "Email") && typeof e.messageId === "string" && e.messageId !== "";
}

export function createGhlVerifier(options: GhlVerifierOptions): GhlWebhookVerifier {
  const publicKeys = {
    ...(options.ed25519PublicKey ? { ed25519: keyObjects("Ed25519", options.ed25519PublicKey) } : {}),
    ...(options.rsaPublicKey ? { rsa: keyObjects("RSA", options.rsaPublicKey) } : {}),
  };
  // one options object for every call (the hot path allocates no closures); `now` reads the call's time
  let callNow = 0;
  const verifyOptions = {
    now: () => callNow,
    publicKeys,
    toleranceMs: options.toleranceMs,
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  };
  const untimedOptions = { ...verifyOptions, requireTimestamp: false };
  return (rawBody, headers, { now }) => {
    callNow = now;
    let r = verifyGhlWebhook(rawBody, headers, verifyOptions);
    // ProviderOutboundMessage.md documents its payload without `timestamp` ("differs from the structure
    // of our other webhooks"), while WebhookAuthentication.md puts one on every payload since 2025 (FACTS
    // 4, 6.1, open point 4). A signed provider message without one is accepted: a replay of it is harmless,
    // since the text is keyed by GHL's messageId (sent once whatever arrives). A timestamp that is there is
    // still checked; every other event still needs one.
    if (!r.ok && r.error.code === "missing_timestamp") {
      const untimed = verifyGhlWebhook(rawBody, headers, untimedOptions);
      if (untimed.ok && isProviderMessage(untimed.event)) r = untimed;
    }
    if (!r.ok) return r;
    const e = r.event as unknown as Record<string, unknown>;
    const type = e.type === "Unknown" && typeof e.originalType === "string" ? e.originalType : String(e.type);
    const source = (e.type === "Unknown" ? e.payload : e) as Record<string, unknown>;
    return {
      ok: true,
      idempotencyKey: r.idempotencyKey,
      event: {
        type,
        locationId: typeof source.locationId === "string" ? source.locationId : null,
        companyId: typeof source.companyId === "string" ? source.companyId : null,
      },
    };
  };
}
