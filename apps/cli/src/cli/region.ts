// Phone parsing for operator input (the sync package's normaliser, loaded on demand).

/** An ISO 3166-1 alpha-2 region the phone library knows (GB, US, ZA, ...). */
export async function isKnownRegion(region: string): Promise<boolean> {
  if (!/^[A-Za-z]{2}$/.test(region)) return false;
  const { normalisePhone } = await import("@ghl-bulksms/sync");
  const r = normalisePhone("1", { defaultRegion: region });
  return r.ok || r.reason !== "unknown-region";
}

/** E.164 of a phone typed by an operator, or a message saying why not. */
export async function parsePhone(
  raw: string,
  region: string,
): Promise<{ ok: true; e164: string } | { ok: false; message: string }> {
  const { normalisePhone } = await import("@ghl-bulksms/sync");
  const r = normalisePhone(raw, { defaultRegion: region });
  if (r.ok) return { ok: true, e164: r.e164 };
  return {
    ok: false,
    message: `invalid phone number ${JSON.stringify(raw)} (${r.reason}, region ${region})`,
  };
}
