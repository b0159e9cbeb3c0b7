import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import type { Now } from "../core/clock.js";
import { type GhlWebhookEvent, isKnownEventType, REQUIRED_EVENT_FIELDS } from "./events.js";
import { GHL_WEBHOOK_ED25519_PUBLIC_KEY, GHL_WEBHOOK_RSA_PUBLIC_KEY } from "./public-keys.js";

export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;
export type WebhookPublicKey = string | KeyObject;

export interface VerifyGhlWebhookOptions {
  /** Clock for the replay window (epoch ms). Default Date.now. */
  now?: Now;
  /** Override GHL's published keys (several per scheme are accepted, for rotations). */
  publicKeys?: {
    ed25519?: WebhookPublicKey | readonly WebhookPublicKey[];
    rsa?: WebhookPublicKey | readonly WebhookPublicKey[];
  };
  /** Accepted clock difference between `timestamp` and now. Default 5 minutes. */
  toleranceMs?: number;
  /** Reject payloads without `timestamp` (default true: fail closed). */
  requireTimestamp?: boolean;
  /** Accept the legacy RSA `x-wh-signature` when `x-ghl-signature` is absent. Default true. */
  allowLegacyRsa?: boolean;
}

export type GhlWebhookErrorCode =
  | "missing_signature"
  | "bad_signature"
  | "stale"
  | "missing_timestamp"
  | "malformed";

export type VerifyGhlWebhookResult =
  | {
      ok: true;
      event: GhlWebhookEvent;
      /** `webhookId` when present, otherwise `sha256:<hex of the raw body>` (stable across redeliveries). */
      idempotencyKey: string;
      scheme: "ed25519" | "rsa-sha256";
      /** "reserialized": only JSON.stringify(parsed body) matched the signature (raw bytes did not). */
      signedOver: "raw" | "reserialized";
    }
  | { ok: false; error: { code: GhlWebhookErrorCode; message: string } };

const keyCache = new Map<string, KeyObject>();

function toKeys(
  input: WebhookPublicKey | readonly WebhookPublicKey[] | undefined,
  fallback: string,
): KeyObject[] {
  const list: readonly WebhookPublicKey[] =
    input === undefined ? [fallback] : Array.isArray(input) ? input : [input as WebhookPublicKey];
  return list.map((k) => {
    if (typeof k !== "string") return k;
    let key = keyCache.get(k);
    if (!key) {
      key = createPublicKey(k);
      keyCache.set(k, key);
    }
    return key;
  });
}

function header(headers: WebhookHeaders, name: string): string | null {
  let value: string | string[] | undefined | null;
  if (typeof (headers as { get?: unknown }).get === "function") {
    value = (headers as Headers).get(name);
  } else {
    const record = headers as Record<string, string | string[] | undefined>;
    value = record[name];
    if (value === undefined) {
      const found = Object.keys(record).find((k) => k.toLowerCase() === name);
      value = found === undefined ? undefined : record[found];
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  // Some GHL configurations send the literal "N/A": treat it as no signature.
  if (trimmed === "" || trimmed.toUpperCase() === "N/A") return null;
  return trimmed;
}

function check(
  scheme: "ed25519" | "rsa-sha256",
  data: Uint8Array,
  signature: Buffer,
  keys: KeyObject[],
): boolean {
  for (const key of keys) {
    try {
      const ok =
        scheme === "ed25519" ? verify(null, data, key, signature) : verify("sha256", data, key, signature);
      if (ok) return true;
    } catch {
      // wrong key type or malformed signature: try the next key
    }
  }
  return false;
}

const fail = (code: GhlWebhookErrorCode, message: string): VerifyGhlWebhookResult => ({
  ok: false,
  error: { code, message },
});

/**
 * Verifies a HighLevel webhook delivery on its raw bytes. `x-ghl-signature` (Ed25519) wins; only when it
 * is absent is the legacy `x-wh-signature` (RSA-SHA256) checked. Never throws for bad input.
 * Replay detection of `idempotencyKey` is the caller's job (store it).
 */
export function verifyGhlWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  options: VerifyGhlWebhookOptions = {},
): VerifyGhlWebhookResult {
  // a view over the caller's bytes, not a copy (they are only read)
  const bytes =
    typeof rawBody === "string"
      ? Buffer.from(rawBody, "utf8")
      : Buffer.isBuffer(rawBody)
        ? rawBody
        : Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  const ghlSig = header(headers, "x-ghl-signature");
  const legacySig =
    ghlSig === null && options.allowLegacyRsa !== false ? header(headers, "x-wh-signature") : null;
  if (ghlSig === null && legacySig === null) {
    return fail(
      "missing_signature",
      options.allowLegacyRsa === false
        ? "no x-ghl-signature header (legacy x-wh-signature is disabled)"
        : "no x-ghl-signature or x-wh-signature header",
    );
  }
  const scheme = ghlSig !== null ? "ed25519" : "rsa-sha256";
  const signatureText = (ghlSig ?? legacySig) as string;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(signatureText)) {
    return fail("bad_signature", `${scheme} signature header is not base64`);
  }
  const signature = Buffer.from(signatureText, "base64");
  const keys =
    scheme === "ed25519"
      ? toKeys(options.publicKeys?.ed25519, GHL_WEBHOOK_ED25519_PUBLIC_KEY)
      : toKeys(options.publicKeys?.rsa, GHL_WEBHOOK_RSA_PUBLIC_KEY);

  let parsed: unknown;
  let parseError: string | null = null;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    parseError = e instanceof Error ? e.message : String(e);
  }

  let signedOver: "raw" | "reserialized" = "raw";
  if (!check(scheme, bytes, signature, keys)) {
    // GHL's own examples sign JSON.stringify(parsedBody); accept that form only as a fallback.
    const reserialized = parseError === null ? Buffer.from(JSON.stringify(parsed), "utf8") : null;
    if (
      reserialized === null ||
      reserialized.equals(bytes) ||
      !check(scheme, reserialized, signature, keys)
    ) {
      return fail("bad_signature", `${scheme} signature does not match the body`);
    }
    signedOver = "reserialized";
  }

  if (parseError !== null) return fail("malformed", `body is not JSON: ${parseError}`);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return fail("malformed", "body is not a JSON object");
  }
  const payload = parsed as Record<string, unknown>;
  if (typeof payload.type !== "string" || payload.type === "") {
    return fail("malformed", "body has no string `type`");
  }

  const now = (options.now ?? Date.now)();
  const tolerance = options.toleranceMs ?? 5 * 60_000;
  const ts = payload.timestamp;
  if (ts === undefined || ts === null) {
    if (options.requireTimestamp !== false) return fail("missing_timestamp", "body has no `timestamp`");
  } else {
    const at = typeof ts === "number" ? ts : typeof ts === "string" ? Date.parse(ts) : Number.NaN;
    if (!Number.isFinite(at)) return fail("malformed", "`timestamp` is not a date");
    if (Math.abs(now - at) > tolerance) {
      return fail(
        "stale",
        `timestamp is ${Math.round((now - at) / 1000)} s away from now (tolerance ${tolerance / 1000} s)`,
      );
    }
  }

  const type = payload.type;
  let event: GhlWebhookEvent;
  if (isKnownEventType(type)) {
    const missing = REQUIRED_EVENT_FIELDS[type].filter(
      (f) => typeof payload[f] !== "string" || payload[f] === "",
    );
    if (missing.length > 0) return fail("malformed", `${type} event lacks ${missing.join(", ")}`);
    event = payload as unknown as GhlWebhookEvent;
  } else {
    event = { type: "Unknown", originalType: type, payload };
  }
  const webhookId = payload.webhookId;
  const idempotencyKey =
    typeof webhookId === "string" && webhookId !== ""
      ? webhookId
      : `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
  return { ok: true, event, idempotencyKey, scheme, signedOver };
}
