import type { ConsentLog } from "./conflict/consent.js";

/** A field value as the sync engine compares it. `null`, "" and [] all count as empty. */
export type FieldValue = string | number | boolean | readonly string[] | null;

/**
 * One side's view of a contact (GHL or the local SMS side), already mapped to shared field names
 * (`phone` in E.164, `email`, `firstName`, `lastName`, `name`, `locale`, `timezone`, custom fields as
 * `cf.<key>` …). Tags are compared case-insensitively (GHL lower-cases them).
 */
export interface SyncContact {
  id?: string | undefined;
  fields: Readonly<Record<string, FieldValue>>;
  tags: readonly string[];
  consent: ConsentLog;
  /** ISO time of the record's last change (GHL `dateUpdated`). */
  updatedAt?: string | undefined;
  /** ISO time each field last changed, where known; falls back to `updatedAt`. */
  fieldUpdatedAt?: Readonly<Record<string, string>> | undefined;
  /** Fields this side cleared on purpose (an operator's "clear" rather than a missing value). */
  cleared?: readonly string[] | undefined;
  /** ISO creation time (GHL `dateAdded`), used to pick a merge survivor. */
  createdAt?: string | undefined;
}

export function isEmpty(value: FieldValue | undefined): boolean {
  return (
    value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0)
  );
}

export function valuesEqual(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    return a.every((v, i) => v === b[i]);
  }
  return a === b;
}

export function normaliseTag(tag: string): string {
  return tag.trim().toLowerCase();
}

/** Tags trimmed, lower-cased, de-duplicated and sorted. */
export function normaliseTags(tags: readonly string[]): string[] {
  // Fast path: already normalised (the common case in a sync loop) -> plain copy.
  let clean = true;
  for (let i = 0; i < tags.length && clean; i++) {
    const t = tags[i] as string;
    clean = t !== "" && t === normaliseTag(t) && (i === 0 || (tags[i - 1] as string) < t);
  }
  if (clean) return tags.slice();
  return [...new Set(tags.map(normaliseTag).filter((t) => t !== ""))].sort();
}
