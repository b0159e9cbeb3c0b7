import { timingSafeEqual } from "node:crypto";

/** BulkSMS does not sign webhooks; its advice is a secret in the URL. This adds `?secret=` (or replaces it). */
export function webhookUrlWithSecret(url: string, secret: string, param = "secret"): string {
  if (secret.length < 16) throw new RangeError("webhook secret must be at least 16 characters");
  const u = new URL(url);
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new RangeError("webhook URL must be http or https");
  u.searchParams.set(param, secret);
  return u.toString();
}

/** Constant-time check of the secret carried by an incoming webhook request URL (path + query). */
export function verifyWebhookSecret(requestUrl: string, expected: string, param = "secret"): boolean {
  let got: string | null;
  try {
    got = new URL(requestUrl, "http://placeholder.invalid").searchParams.get(param);
  } catch {
    return false;
  }
  if (got === null) return false;
  const a = Buffer.from(got, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
