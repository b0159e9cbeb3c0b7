import { normalisePhone } from "@ghl-bulksms/sync";

/** An ISO 3166-1 alpha-2 region the phone library knows (GB, US, ZA, ...). */
export function isKnownRegion(region: string): boolean {
  if (!/^[A-Za-z]{2}$/.test(region)) return false;
  const r = normalisePhone("1", { defaultRegion: region });
  return r.ok || r.reason !== "unknown-region";
}

/** E.164 of a phone typed by an operator, or a message saying why not. */
export function parsePhone(
  raw: string,
  region: string,
): { ok: true; e164: string } | { ok: false; message: string } {
  const r = normalisePhone(raw, { defaultRegion: region });
  if (r.ok) return { ok: true, e164: r.e164 };
  return {
    ok: false,
    message: `invalid phone number ${JSON.stringify(raw)} (${r.reason}, region ${region})`,
  };
}
