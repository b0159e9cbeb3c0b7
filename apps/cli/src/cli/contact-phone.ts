// Why a mirrored contact has no number to text, without showing the number (personal data): GHL has none,
// or the one it has is not a valid number of the location's region (e.g. the Ofcom drama range
// 07700 900xxx that the sandbox seeds, which the numbering plan refuses).
export async function whyNoPhone(ghl: unknown, region: string): Promise<string> {
  const raw = typeof ghl === "object" && ghl !== null ? (ghl as { phone?: unknown }).phone : undefined;
  if (typeof raw !== "string" || raw.trim() === "") return "GHL has no phone number for it";
  const { normalisePhone } = await import("@ghl-bulksms/sync");
  const r = normalisePhone(raw, { defaultRegion: region });
  if (r.ok) return "its phone number was not mirrored yet"; // valid now: the mirror is older than GHL
  return `its phone number in GHL is not a valid number (${r.reason}, region ${region})`;
}
