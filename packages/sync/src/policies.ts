import { type FieldValue, isEmpty, valuesEqual } from "./contact.js";

/**
 * How a field that changed on both sides (or differs between duplicates) is decided.
 * - "ghl-wins": GHL is the source of truth for the field.
 * - "sms-wins": the SMS side (local profile) is the source of truth.
 * - "last-writer-wins": the most recent change wins (per-field change time, else record time).
 * - "union": list values are combined; nothing is removed.
 * Whatever the policy, an empty value never replaces a non-empty one unless it was an explicit clear.
 */
export type FieldPolicy = "ghl-wins" | "sms-wins" | "last-writer-wins" | "union";
export type TagPolicy = "union" | "ghl-wins" | "sms-wins";
export type Side = "ghl" | "local";

export interface SyncPolicies {
  /** Per-field policy, by shared field name ("phone", "firstName", "cf.language", …). */
  fields?: Readonly<Record<string, FieldPolicy>>;
  /** Policy for fields not listed. Default "last-writer-wins". */
  defaultField?: FieldPolicy;
  /** Tags: "union" (three-way: additions from both sides, removals honoured). Default "union". */
  tags?: TagPolicy;
  /** Who wins a last-writer-wins tie (same or unknown times). Default "ghl". */
  tieBreaker?: Side;
  /** Write a GHL note when the SMS side changes the opt-out state. Default true. */
  notes?: boolean;
  /** Create a GHL task when someone clears DND in GHL while an opt-out stands. Default true. */
  tasks?: boolean;
}

export const DEFAULT_POLICIES: Required<Omit<SyncPolicies, "fields">> & {
  fields: Record<string, FieldPolicy>;
} = {
  fields: {},
  defaultField: "last-writer-wins",
  tags: "union",
  tieBreaker: "ghl",
  notes: true,
  tasks: true,
};

export function fieldPolicy(policies: SyncPolicies | undefined, field: string): FieldPolicy {
  return policies?.fields?.[field] ?? policies?.defaultField ?? DEFAULT_POLICIES.defaultField;
}

/** A value with where it came from and when it was written. */
export interface VersionedValue {
  value: FieldValue;
  /** Change time in ms since epoch; NaN when unknown. */
  at: number;
  /** Record id (dedupe) or side (sync) the value came from. */
  from: string;
}

function laterOf(a: VersionedValue, b: VersionedValue): VersionedValue {
  const ta = Number.isNaN(a.at) ? Number.NEGATIVE_INFINITY : a.at;
  const tb = Number.isNaN(b.at) ? Number.NEGATIVE_INFINITY : b.at;
  if (ta !== tb) return ta > tb ? a : b;
  if (a.from !== b.from) return a.from < b.from ? a : b;
  // Same time and same record: any fixed order will do, as long as it is total.
  return JSON.stringify(a.value) <= JSON.stringify(b.value) ? a : b;
}

function asList(value: FieldValue): readonly string[] {
  if (Array.isArray(value)) return value;
  if (isEmpty(value)) return [];
  return [String(value)];
}

/**
 * Binary merge used when collapsing duplicates. Associative and commutative for "last-writer-wins"
 * (latest non-empty value; equal times -> smallest `from`: a max over a total order) and "union"
 * (sorted set union). The
 * source-of-truth policies are resolved by the caller (the survivor's value first), not here.
 */
export function mergeVersioned(
  policy: "last-writer-wins" | "union",
  a: VersionedValue,
  b: VersionedValue,
): VersionedValue {
  switch (policy) {
    case "last-writer-wins":
      if (isEmpty(a.value)) return isEmpty(b.value) ? laterOf(a, b) : b;
      if (isEmpty(b.value)) return a;
      return laterOf(a, b);
    case "union": {
      const value = [...new Set([...asList(a.value), ...asList(b.value)])].sort();
      const at = Math.max(
        Number.isNaN(a.at) ? Number.NEGATIVE_INFINITY : a.at,
        Number.isNaN(b.at) ? Number.NEGATIVE_INFINITY : b.at,
      );
      return {
        value,
        at: at === Number.NEGATIVE_INFINITY ? Number.NaN : at,
        from: [a.from, b.from].sort()[0] as string, // the smaller id (strings, so no Math.min)
      };
    }
    default: {
      const never: never = policy;
      throw new Error(`unknown merge policy ${String(never)}`);
    }
  }
}

export function unionValues(a: FieldValue, b: FieldValue): FieldValue {
  const value = [...new Set([...asList(a), ...asList(b)])].sort();
  return value;
}

export { valuesEqual };
