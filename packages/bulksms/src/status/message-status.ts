/** `status.type` values in the BulkSMS v1 spec. */
export const STATUS_TYPES = ["ACCEPTED", "SCHEDULED", "SENT", "DELIVERED", "UNKNOWN", "FAILED"] as const;
export type StatusType = (typeof STATUS_TYPES)[number];

/** A parsed status. `subtype` is only set for FAILED (EXPIRED, HANDSET_ERROR, BLOCKED, ...). `id` is canonical "TYPE.SUBTYPE|null". */
export type MessageStatus = { id: string; type: StatusType; subtype: string | null };

const TYPES: ReadonlySet<string> = new Set(STATUS_TYPES);

/**
 * Parses "SENT.null", "DELIVERED.null", "FAILED.BLOCKED", "ACCEPTED" or a `{ id, type, subtype }` object.
 * Returns undefined for anything else (caller decides how to report it). Case is normalised to upper.
 */
export function parseStatus(input: unknown): MessageStatus | undefined {
  if (typeof input === "string") return fromParts(...splitId(input));
  if (input === null || typeof input !== "object") return undefined;
  const record = input as Record<string, unknown>;
  if (typeof record.type === "string") {
    const subtype = typeof record.subtype === "string" ? record.subtype : null;
    return fromParts(record.type, subtype);
  }
  if (typeof record.id === "string") return fromParts(...splitId(record.id));
  return undefined;
}

function splitId(id: string): [string, string | null] {
  const trimmed = id.trim();
  const dot = trimmed.indexOf(".");
  if (dot === -1) return [trimmed, null];
  return [trimmed.slice(0, dot), trimmed.slice(dot + 1)];
}

function fromParts(rawType: string, rawSubtype: string | null): MessageStatus | undefined {
  const type = rawType.trim().toUpperCase();
  if (!TYPES.has(type)) return undefined;
  const sub = rawSubtype === null ? null : rawSubtype.trim();
  const subtype = sub === null || sub === "" || sub.toLowerCase() === "null" ? null : sub.toUpperCase();
  return { id: `${type}.${subtype ?? "null"}`, type: type as StatusType, subtype };
}

export function isFinalStatus(status: MessageStatus): boolean {
  return status.type === "DELIVERED" || status.type === "FAILED";
}
