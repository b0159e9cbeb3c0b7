/**
 * POST /contacts/search semantics: filters (eq, not_eq, contains, not_contains, exists, not_exists,
 * range; nested AND/OR groups), sort, page mode capped at 10,000 records, searchAfter cursors beyond.
 */
import type { GhlContact } from "./types.js";

export const PAGE_MODE_MAX_RECORDS = 10_000;
export const MAX_PAGE_LIMIT = 500;

export type SearchOperator =
  | "eq"
  | "not_eq"
  | "contains"
  | "not_contains"
  | "exists"
  | "not_exists"
  | "range";

export interface SearchFilter {
  field: string;
  operator: SearchOperator;
  value?: unknown;
}
export interface SearchGroup {
  group: "AND" | "OR";
  filters: Array<SearchFilter | SearchGroup>;
}
export interface SearchBody {
  locationId: string;
  pageLimit: number;
  page?: number;
  searchAfter?: unknown[];
  filters?: Array<SearchFilter | SearchGroup>;
  sort?: Array<{ field: string; direction: "asc" | "desc" }>;
  query?: string;
}

export class SearchError extends Error {}

export function fieldValue(c: GhlContact, field: string): unknown {
  if (field.startsWith("customFields.")) {
    const id = field.slice("customFields.".length);
    return c.customFields.find((f) => f.id === id)?.value;
  }
  if (field === "firstNameLowerCase") return c.firstName?.toLowerCase() ?? null;
  if (field === "lastNameLowerCase") return c.lastName?.toLowerCase() ?? null;
  if (field === "fullNameLowerCase") return c.name?.toLowerCase() ?? null;
  if (field === "emailLowerCase") return c.email?.toLowerCase() ?? null;
  if (field.startsWith("dndSettings.")) {
    const [, channel, key] = field.split(".");
    const setting = (c.dndSettings as Record<string, Record<string, unknown> | undefined>)[channel ?? ""];
    return setting?.[key ?? "status"];
  }
  return (c as unknown as Record<string, unknown>)[field];
}

const norm = (v: unknown): string => String(v).toLowerCase();
export const isEmpty = (v: unknown): boolean =>
  v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);

export function comparable(v: unknown): number | string {
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) return t;
    }
    if (v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
    return v.toLowerCase();
  }
  return String(v);
}

function matchFilter(c: GhlContact, f: SearchFilter): boolean {
  const v = fieldValue(c, f.field);
  const values = Array.isArray(v) ? v : [v];
  switch (f.operator) {
    case "exists":
      return !isEmpty(v);
    case "not_exists":
      return isEmpty(v);
    case "eq": {
      const wanted = Array.isArray(f.value) ? f.value.map(norm) : [norm(f.value)];
      return values.some((x) => !isEmpty(x) && wanted.includes(norm(x)));
    }
    case "not_eq": {
      const wanted = Array.isArray(f.value) ? f.value.map(norm) : [norm(f.value)];
      return !values.some((x) => !isEmpty(x) && wanted.includes(norm(x)));
    }
    case "contains":
      return values.some((x) => !isEmpty(x) && norm(x).includes(norm(f.value)));
    case "not_contains":
      return !values.some((x) => !isEmpty(x) && norm(x).includes(norm(f.value)));
    case "range": {
      if (isEmpty(v)) return false;
      const r = (f.value ?? {}) as Record<string, unknown>;
      const x = comparable(v);
      if (r.gte !== undefined && !(x >= comparable(r.gte))) return false;
      if (r.gt !== undefined && !(x > comparable(r.gt))) return false;
      if (r.lte !== undefined && !(x <= comparable(r.lte))) return false;
      if (r.lt !== undefined && !(x < comparable(r.lt))) return false;
      return true;
    }
    default: {
      const never: never = f.operator;
      throw new SearchError(`unknown operator ${String(never)}`);
    }
  }
}

export function matchAll(
  c: GhlContact,
  items: Array<SearchFilter | SearchGroup>,
  mode: "AND" | "OR",
): boolean {
  if (items.length === 0) return true;
  const test = (item: SearchFilter | SearchGroup): boolean =>
    "group" in item ? matchAll(c, item.filters, item.group) : matchFilter(c, item);
  return mode === "AND" ? items.every(test) : items.some(test);
}

export function matchQuery(c: GhlContact, query: string): boolean {
  const q = query.toLowerCase().trim();
  if (!q) return true;
  const digits = q.replace(/\D/g, "");
  return (
    [c.name, c.firstName, c.lastName, c.email, c.companyName].some((x) => x?.toLowerCase().includes(q)) ||
    (digits.length >= 4 && (c.phone ?? "").replace(/\D/g, "").includes(digits))
  );
}

function sortKey(c: GhlContact, field: string): number | string {
  const v = fieldValue(c, field);
  if (isEmpty(v)) return "";
  return comparable(Array.isArray(v) ? v[0] : v);
}

export function compare(a: number | string, b: number | string): number {
  if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
  return typeof a === "number" ? -1 : 1;
}

export interface SearchResult {
  contacts: Array<GhlContact & { searchAfter: Array<number | string> }>;
  total: number;
}

export function searchContacts(all: GhlContact[], body: SearchBody): SearchResult {
  if (body.page !== undefined && body.searchAfter !== undefined) {
    throw new SearchError("page and searchAfter cannot be used together");
  }
  const page = body.page ?? 1;
  if (body.searchAfter === undefined && page * body.pageLimit > PAGE_MODE_MAX_RECORDS) {
    throw new SearchError(
      `page mode can reach at most ${PAGE_MODE_MAX_RECORDS} records (page * pageLimit); use searchAfter to read further`,
    );
  }
  const sort = body.sort?.length ? body.sort : [{ field: "dateAdded", direction: "desc" as const }];
  const matched = all.filter(
    (c) =>
      c.locationId === body.locationId &&
      matchAll(c, body.filters ?? [], "AND") &&
      matchQuery(c, body.query ?? ""),
  );
  const keyOf = (c: GhlContact): Array<number | string> => [...sort.map((s) => sortKey(c, s.field)), c.id];
  const cmp = (ka: Array<number | string>, kb: Array<number | string>): number => {
    for (let i = 0; i < sort.length; i++) {
      const d = compare(ka[i] as number | string, kb[i] as number | string);
      if (d !== 0) return sort[i]?.direction === "desc" ? -d : d;
    }
    return compare(ka[sort.length] as string, kb[sort.length] as string);
  };
  const keyed = matched.map((c) => ({ c, key: keyOf(c) })).sort((a, b) => cmp(a.key, b.key));
  let start = (page - 1) * body.pageLimit;
  if (body.searchAfter !== undefined) {
    if (body.searchAfter.length !== sort.length + 1) {
      throw new SearchError(`searchAfter must have ${sort.length + 1} values (the sort values and the id)`);
    }
    const after = body.searchAfter as Array<number | string>;
    start = keyed.findIndex((x) => cmp(x.key, after) > 0);
    if (start < 0) start = keyed.length;
  }
  const slice = keyed.slice(start, start + body.pageLimit);
  return {
    contacts: slice.map((x) => ({ ...x.c, searchAfter: x.key })),
    total: matched.length,
  };
}
