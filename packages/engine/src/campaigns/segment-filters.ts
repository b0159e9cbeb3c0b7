// A campaign audience as POST /contacts/search filters (GHL does the selection: pages, not one request per
// contact), and the same test applied locally to one record (trigger events, re-checks).
import type { GhlContactLike } from "@ghl-bulksms/sync";
import type { Audience } from "./campaign-spec.js";

export interface SearchFilter {
  field: string;
  operator: "eq" | "not_eq" | "range";
  value: unknown;
}

export function segmentFilters(audience: Audience): SearchFilter[] {
  const filters: SearchFilter[] = [];
  if (audience.tags?.any?.length) filters.push({ field: "tags", operator: "eq", value: audience.tags.any });
  for (const tag of audience.tags?.all ?? []) filters.push({ field: "tags", operator: "eq", value: tag });
  for (const [id, value] of Object.entries(audience.customFields ?? {}))
    filters.push({ field: `customFields.${id}`, operator: "eq", value });
  if (audience.source) filters.push({ field: "source", operator: "eq", value: audience.source });
  if (audience.dateAdded && (audience.dateAdded.from || audience.dateAdded.to)) {
    filters.push({
      field: "dateAdded",
      operator: "range",
      value: {
        ...(audience.dateAdded.from ? { gte: audience.dateAdded.from } : {}),
        ...(audience.dateAdded.to ? { lte: audience.dateAdded.to } : {}),
      },
    });
  }
  if (audience.exclude?.tags?.length)
    filters.push({ field: "tags", operator: "not_eq", value: audience.exclude.tags });
  return filters;
}

const lower = (v: unknown) => String(v).toLowerCase();

function customValue(record: GhlContactLike, id: string): unknown {
  const fields = (record as { customFields?: Array<{ id?: string; value?: unknown }> }).customFields;
  return fields?.find((f) => f.id === id)?.value;
}

function timeOf(v: string | undefined): number | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/** The audience test on one GHL record (what the search filters select, plus the excluded contact ids). */
export function matchesAudience(audience: Audience, record: GhlContactLike): boolean {
  const tags = (record.tags ?? []).map(lower);
  if (audience.tags?.any?.length && !audience.tags.any.some((t) => tags.includes(lower(t)))) return false;
  if (audience.tags?.all?.some((t) => !tags.includes(lower(t)))) return false;
  if (audience.exclude?.tags?.some((t) => tags.includes(lower(t)))) return false;
  if (audience.exclude?.contactIds?.includes(record.id)) return false;
  for (const [id, value] of Object.entries(audience.customFields ?? {}))
    if (lower(customValue(record, id) ?? "") !== lower(value)) return false;
  if (audience.source && lower((record as { source?: unknown }).source ?? "") !== lower(audience.source))
    return false;
  if (audience.dateAdded) {
    const added = timeOf((record as { dateAdded?: string }).dateAdded);
    const from = timeOf(audience.dateAdded.from);
    const to = timeOf(audience.dateAdded.to);
    if ((from !== null || to !== null) && added === null) return false;
    if (added !== null && from !== null && added < from) return false;
    if (added !== null && to !== null && added > to) return false;
  }
  return true;
}
