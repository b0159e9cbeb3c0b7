// The segment, read from GHL in search pages (500 contacts a request, never one request per contact):
// every page refreshes the mirror's consent view of its contacts, then is handed to the caller.
import type { ContactRecord } from "@ghl-bulksms/store";
import type { GhlContactLike } from "@ghl-bulksms/sync";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import type { Audience } from "./campaign-spec.js";
import { refreshMirrorFromHit } from "./mirror-view.js";
import { segmentFilters } from "./segment-filters.js";

export const SEGMENT_PAGE_LIMIT = 500;

export interface SegmentMember {
  readonly contactId: string;
  readonly hit: GhlContactLike;
  /** The mirror row after the refresh. */
  readonly contact: ContactRecord;
}

export type ResolveResult =
  | { readonly ok: true; readonly requests: number; readonly matched: number }
  | { readonly ok: false; readonly requests: number; readonly error: string; readonly retryAfterMs?: number };

/** Walks the segment page by page; `onPage` gets each page's members (excluded contact ids left out). */
export async function resolveAudience(
  deps: EngineDeps,
  ctx: LocationContext,
  audience: Audience,
  onPage: (members: SegmentMember[], readAt: number) => Promise<void>,
): Promise<ResolveResult> {
  const locationId = ctx.location.id;
  const excluded = new Set(audience.exclude?.contactIds ?? []);
  const filters = segmentFilters(audience);
  let requests = 0;
  let matched = 0;
  const pages = deps.ghl(locationId).searchContactsIterator(
    {
      locationId,
      pageLimit: SEGMENT_PAGE_LIMIT,
      sort: [{ field: "dateAdded", direction: "asc" }],
      ...(filters.length ? { filters } : {}),
    } as never,
    { priority: "background" },
  );
  for await (const page of pages) {
    requests++;
    if (!page.ok)
      return {
        ok: false,
        requests,
        error: `GHL search failed: ${page.error.code}: ${page.error.message}`,
        ...(page.error.retryAfterMs !== null ? { retryAfterMs: page.error.retryAfterMs } : {}),
      };
    const readAt = deps.now();
    const hits = (page.contacts as unknown as GhlContactLike[]).filter((h) => !excluded.has(h.id));
    const members = await deps.store.transaction(async (tx) => {
      const out: SegmentMember[] = [];
      for (const hit of hits) {
        const contact = await refreshMirrorFromHit(tx, ctx, hit, readAt);
        out.push({ contactId: hit.id, hit, contact });
      }
      return out;
    });
    matched += members.length;
    await onPage(members, readAt);
  }
  return { ok: true, requests, matched };
}
