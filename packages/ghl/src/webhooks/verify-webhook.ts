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
  /** Largest signed body read as JSON (bytes). Default 1 MiB; larger is `malformed` (after the signature). */
  maxBodyBytes?: number;
  /** Deepest nesting of arrays/objects a signed body may have. Default 32; deeper is `malformed`. */
  maxDepth?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 32;

export type GhlWebhookErrorCode =
  | "missing_signature"
  | "bad_signature"
  | "stale"
  | "missing_timestamp"
  | "malformed"
  | "too_large";

export type VerifyGhlWebhookResult =
  | {
      ok: true;
      event: GhlWebhookEvent;
      /** `webhookId` when present, otherwise `sha256:<hex of the raw body>` (stable across redeliveries). */
      idempotencyKey: string;
      scheme: "ed25519" | "rsa-sha256";
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
 * Deepest array/object nesting of a JSON text, counted without recursion and without parsing (brackets
 * inside strings are skipped). Stops counting once `limit` is passed.
 */
export function jsonNestingDepth(bytes: Uint8Array, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/**
 * Verifies a HighLevel webhook delivery on its exact raw bytes. `x-ghl-signature` (Ed25519) wins; only when
 * it is absent is the legacy `x-wh-signature` (RSA-SHA256) checked. The signature is checked before the body
 * is read in any way, so an unsigned or forged body is `missing_signature`/`bad_signature` whatever it
 * holds (size, nesting, JSON or not). A body re-serialised from the signed one (other spacing, key order
 * or escapes) does not verify: see specs/ghl/webhook-signature.md for why no fallback is kept.
 * Never throws for bad input. Replay detection of `idempotencyKey` is the caller's job (store it).
 */
export function verifyGhlWebhook(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  options: VerifyGhlWebhookOptions = {},
): VerifyGhlWebhookResult {
  const progress = { authenticated: false };
  try {
    return verifyUnsafe(rawBody, headers, options, progress);
  } catch (e) {
    // Unreachable by design (every step is bounded); kept so that input can never make this throw. Before
    // the signature matched, the body is unauthenticated: refused as a bad signature (401), never more.
    const what = e instanceof Error ? e.name : "error";
    return progress.authenticated
      ? fail("malformed", `signed body could not be read (${what})`)
      : fail("bad_signature", `signature could not be checked (${what})`);
  }
}

function verifyUnsafe(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  options: VerifyGhlWebhookOptions,
  progress: { authenticated: boolean },
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
  if (signatureText.length > 2048 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(signatureText)) {
    return fail("bad_signature", `${scheme} signature header is not base64`);
  }
  const signature = Buffer.from(signatureText, "base64");
  const keys =
    scheme === "ed25519"
      ? toKeys(options.publicKeys?.ed25519, GHL_WEBHOOK_ED25519_PUBLIC_KEY)
      : toKeys(options.publicKeys?.rsa, GHL_WEBHOOK_RSA_PUBLIC_KEY);
  if (!check(scheme, bytes, signature, keys)) {
    return fail("bad_signature", `${scheme} signature does not match the raw body`);
  }
  progress.authenticated = true;

  // Authenticated from here on; still bounded, because a signing key can leak or GHL can misbehave.
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (bytes.length > maxBytes) {
    return fail("too_large", `body is ${bytes.length} bytes, above the ${maxBytes}-byte limit`);
  }
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (jsonNestingDepth(bytes, maxDepth) > maxDepth) {
    return fail("malformed", `body nests arrays/objects deeper than ${maxDepth} levels`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    return fail("malformed", `body is not JSON: ${e instanceof Error ? e.message.slice(0, 120) : "?"}`);
  }
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
  return { ok: true, event, idempotencyKey, scheme };
}
