/**
 * POST /contacts/search with a cache, so a 50k-contact location answers a page in milliseconds (real GHL
 * answers in ~100-300 ms) instead of computing every sort key and sorting every contact per page.
 *
 * Per (location, sort) the location's contacts are kept sorted by their sort key. Each search first walks
 * the contacts it is given and compares each one's raw sort-field values with the cached ones (plain
 * `===`, no parsing), then re-positions only what changed (new, edited, deleted, replaced objects). So the
 * cache needs no change notifications: it stays right whoever mutates the contacts (routes, the control
 * API, a test editing an object in place, the lagging search view), and a page costs O(n) cheap checks plus
 * O(log n + pageLimit) to find it. Filters and `query` are evaluated from the cursor on until the page is
 * full; `total` is counted once per (contacts version, filters, query).
 *
 * Results are exactly `searchContacts`' (the reference implementation); test/search-index.test.ts compares
 * both on random data and random edits.
 */
import {
  comparable,
  compare,
  fieldValue,
  isEmpty,
  matchAll,
  matchQuery,
  PAGE_MODE_MAX_RECORDS,
  type SearchBody,
  SearchError,
  type SearchResult,
  searchContacts,
} from "./search.js";
import type { GhlContact } from "./types.js";

type Key = Array<number | string>;
type Sort = Array<{ field: string; direction: "asc" | "desc" }>;

interface Entry {
  c: GhlContact;
  /** Raw sort-field values the key was computed from (compared with `===` on every search). */
  raw: unknown[];
  key: Key;
  /** Stamp of the last refresh that found this entry current. */
  seen: number;
}

interface SortedIndex {
  sort: Sort;
  entries: Entry[];
  byId: Map<string, Entry>;
  stamp: number;
  version: number;
  total: { version: number; signature: string; total: number } | null;
}

/** Above this many changed contacts a refresh re-sorts everything instead of inserting one by one. */
const BULK_CHANGE = 256;
/** Distinct (location, sort) indexes kept; the least recently used goes first. */
const MAX_INDEXES = 16;

function rawOf(c: GhlContact, field: string): unknown {
  const v = fieldValue(c, field);
  if (isEmpty(v)) return "";
  return Array.isArray(v) ? v[0] : v;
}

/** Objects can change in place without a new identity: their keys are recomputed on every search. */
const stable = (v: unknown): boolean => v === null || (typeof v !== "object" && typeof v !== "function");

function comparator(sort: Sort): (a: Key, b: Key) => number {
  const n = sort.length;
  const desc = sort.map((s) => s.direction === "desc");
  return (ka, kb) => {
    for (let i = 0; i < n; i++) {
      const d = compare(ka[i] as number | string, kb[i] as number | string);
      if (d !== 0) return desc[i] ? -d : d;
    }
    return compare(ka[n] as string, kb[n] as string);
  };
}

export interface SearchIndex {
  search(all: readonly GhlContact[], body: SearchBody): SearchResult;
}

export function createSearchIndex(): SearchIndex {
  const indexes = new Map<string, SortedIndex>();

  const entryFor = (c: GhlContact, sort: Sort, stamp: number): Entry => {
    const raw = sort.map((s) => rawOf(c, s.field));
    return { c, raw, key: [...raw.map((v) => comparable(v)), c.id], seen: stamp };
  };

  /** Brings `ix` in line with `all`; false when `all` holds one id twice (the caller then does a plain search). */
  const refresh = (ix: SortedIndex, all: readonly GhlContact[], locationId: string): boolean => {
    const stamp = ++ix.stamp;
    const fields = ix.sort.map((s) => s.field);
    const nf = fields.length;
    const fresh: GhlContact[] = [];
    const freshIds = new Set<string>();
    let current = 0;
    for (const c of all) {
      if (c.locationId !== locationId) continue;
      const e = ix.byId.get(c.id);
      if (e && e.seen === stamp) return false;
      if (freshIds.has(c.id)) return false;
      let same = e !== undefined && e.c === c;
      for (let i = 0; same && i < nf; i++) {
        const was = (e as Entry).raw[i];
        same = stable(was) && rawOf(c, fields[i] as string) === was;
      }
      if (same) {
        (e as Entry).seen = stamp;
        current++;
      } else {
        fresh.push(c);
        freshIds.add(c.id);
      }
    }
    if (fresh.length === 0 && current === ix.entries.length) return true;
    ix.version++;
    const cmp = comparator(ix.sort);
    const kept = ix.entries.filter((e) => e.seen === stamp);
    for (const e of ix.entries) if (e.seen !== stamp) ix.byId.delete(e.c.id);
    const added = fresh.map((c) => entryFor(c, ix.sort, stamp));
    for (const e of added) ix.byId.set(e.c.id, e);
    if (added.length > BULK_CHANGE) {
      for (const e of added) kept.push(e);
      kept.sort((a, b) => cmp(a.key, b.key));
    } else {
      for (const e of added) kept.splice(upperBound(kept, e.key, cmp), 0, e);
    }
    ix.entries = kept;
    return true;
  };

  const indexFor = (locationId: string, sort: Sort): SortedIndex => {
    const id = `${locationId}\u0000${JSON.stringify(sort.map((s) => [s.field, s.direction]))}`;
    let ix = indexes.get(id);
    if (ix) indexes.delete(id);
    else ix = { sort, entries: [], byId: new Map(), stamp: 0, version: 0, total: null };
    indexes.set(id, ix); // most recently used last
    while (indexes.size > MAX_INDEXES) indexes.delete(indexes.keys().next().value as string);
    return ix;
  };

  return {
    search(all, body) {
      // Same checks, in the same order, as searchContacts.
      if (body.page !== undefined && body.searchAfter !== undefined) {
        throw new SearchError("page and searchAfter cannot be used together");
      }
      const page = body.page ?? 1;
      if (body.searchAfter === undefined && page * body.pageLimit > PAGE_MODE_MAX_RECORDS) {
        throw new SearchError(
          `page mode can reach at most ${PAGE_MODE_MAX_RECORDS} records (page * pageLimit); use searchAfter to read further`,
        );
      }
      const sort: Sort = body.sort?.length ? body.sort : [{ field: "dateAdded", direction: "desc" }];
      const ix = indexFor(body.locationId, sort);
      if (!refresh(ix, all, body.locationId)) return searchContacts([...all], body);
      const filters = body.filters ?? [];
      const query = body.query ?? "";
      const filtered = filters.length > 0 || query.toLowerCase().trim() !== "";
      const matches = (c: GhlContact): boolean => matchAll(c, filters, "AND") && matchQuery(c, query);
      let total = ix.entries.length;
      if (filtered) {
        const signature = JSON.stringify([filters, query]);
        if (ix.total && ix.total.version === ix.version && ix.total.signature === signature) {
          total = ix.total.total;
        } else {
          total = 0;
          for (const e of ix.entries) if (matches(e.c)) total++;
          ix.total = { version: ix.version, signature, total };
        }
      }
      let start = 0;
      let skip = 0;
      if (body.searchAfter !== undefined) {
        if (body.searchAfter.length !== sort.length + 1) {
          throw new SearchError(
            `searchAfter must have ${sort.length + 1} values (the sort values and the id)`,
          );
        }
        start = upperBound(ix.entries, body.searchAfter as Key, comparator(sort));
      } else if (filtered) skip = (page - 1) * body.pageLimit;
      else start = (page - 1) * body.pageLimit;
      const out: SearchResult["contacts"] = [];
      for (let i = start; i < ix.entries.length && out.length < body.pageLimit; i++) {
        const e = ix.entries[i] as Entry;
        if (filtered && !matches(e.c)) continue;
        if (skip > 0) {
          skip--;
          continue;
        }
        out.push({ ...e.c, searchAfter: [...e.key] });
      }
      return { contacts: out, total };
    },
  };
}

/** First position whose key sorts after `key` (entries are sorted by `cmp`). */
function upperBound(entries: readonly Entry[], key: Key, cmp: (a: Key, b: Key) => number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp((entries[mid] as Entry).key, key) > 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
