import type { GhlCallOptions } from "../client/api-context.js";
import { type GhlError, incompleteResponseError } from "../core/errors.js";
import type { GhlResponseMeta } from "../core/result.js";
import type { ContactsApi, GhlSearchContact, SearchContactsInput } from "./contacts-api.js";

/** GHL's page-number mode reaches at most this many records (FACTS §3.3). */
export const GHL_SEARCH_PAGE_WINDOW = 10_000;
export const GHL_SEARCH_MAX_PAGE_LIMIT = 500;

export interface SearchContactsIteratorParams
  extends Omit<SearchContactsInput, "page" | "searchAfter" | "pageLimit"> {
  /** Contacts per request, 1..500. Default 500. */
  pageLimit?: number;
}

export type SearchContactsPage =
  | {
      ok: true;
      contacts: GhlSearchContact[];
      total: number;
      /** 1-based request number. */
      page: number;
      mode: "page" | "searchAfter";
      meta: GhlResponseMeta;
    }
  | { ok: false; error: GhlError; page: number };

/**
 * Walks every contact matching the search, one page per iteration: `page` numbers while inside GHL's
 * 10,000-record window, then the `searchAfter` cursor of the last hit. Nothing is accumulated, so memory
 * stays flat. A failed request is yielded as `{ ok: false }` and ends the iteration (resume later with your
 * own cursor if needed). For a stable walk, give a `sort` whose order does not change while you page.
 */
export async function* searchContactsIterator(
  contacts: Pick<ContactsApi, "search">,
  params: SearchContactsIteratorParams,
  options?: GhlCallOptions & { windowSize?: number },
): AsyncGenerator<SearchContactsPage, void, undefined> {
  const { pageLimit: requested, ...base } = params;
  const pageLimit = requested ?? GHL_SEARCH_MAX_PAGE_LIMIT;
  if (!Number.isInteger(pageLimit) || pageLimit < 1 || pageLimit > GHL_SEARCH_MAX_PAGE_LIMIT) {
    throw new RangeError(`searchContactsIterator: pageLimit must be an integer 1..500, got ${requested}`);
  }
  const windowSize = options?.windowSize ?? GHL_SEARCH_PAGE_WINDOW;
  let page = 1;
  let cursor: (string | number)[] | null = null;
  let seen = 0;
  for (;;) {
    const mode: "page" | "searchAfter" = page * pageLimit > windowSize ? "searchAfter" : "page";
    if (mode === "searchAfter" && cursor === null) {
      yield {
        ok: false,
        page,
        error: incompleteResponseError(
          "POST /contacts/search",
          null,
          "the last contact of the previous page has no searchAfter cursor, so paging cannot continue past 10,000 records",
        ),
      };
      return;
    }
    const body: SearchContactsInput =
      mode === "page"
        ? { ...base, pageLimit, page }
        : { ...base, pageLimit, searchAfter: cursor as (string | number)[] };
    const r = await contacts.search(body, options);
    if (!r.ok) {
      yield { ok: false, error: r.error, page };
      return;
    }
    const hits = Array.isArray(r.data.contacts) ? r.data.contacts : [];
    const total = typeof r.data.total === "number" ? r.data.total : Number.POSITIVE_INFINITY;
    yield { ok: true, contacts: hits, total, page, mode, meta: r.meta };
    seen += hits.length;
    if (hits.length < pageLimit || seen >= total) return;
    cursor = hits[hits.length - 1]?.searchAfter ?? null;
    page++;
  }
}
