import type { ApiContext, GhlCallOptions } from "../client/api-context.js";
import { CONTACTS_VERSION, locationCall } from "../client/api-context.js";
import type { GhlResult } from "../core/result.js";
import type { components } from "../generated/contacts.js";

type S = components["schemas"];
export type BulkTagsResponse = S["BulkTagsResponse"];
export type BulkTagsOutcome = S["BulkTagsOutcome"];

/**
 * Changes on many contacts in one call. Both are set operations (adding a tag that is there, or attaching
 * a contact to its own business, changes nothing), so they are retried like reads.
 */
export interface BulkApi {
  /**
   * Adds or removes `tags` on every contact of `contacts`. The call succeeds as a whole; a contact that could
   * not be changed is listed in `responses` with `type: "error"` (and counted in `errorCount`).
   * `removeAllTags` (with `action: "remove"` only) clears every tag of the contacts.
   */
  updateTags(
    p: {
      locationId: string;
      action: "add" | "remove";
      contacts: string[];
      tags: string[];
      removeAllTags?: boolean;
    },
    o?: GhlCallOptions,
  ): Promise<GhlResult<BulkTagsResponse>>;
  /** Attaches `contactIds` to `businessId`, or detaches them from their business when it is null. */
  updateBusiness(
    p: { locationId: string; contactIds: string[]; businessId: string | null },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["BulkBusinessResponse"]>>;
}

export function createBulkApi({ execute, contacts }: ApiContext): BulkApi {
  const header = CONTACTS_VERSION;
  return {
    updateTags({ locationId, action, contacts: ids, tags, removeAllTags }, o) {
      if (removeAllTags && action !== "remove") {
        throw new TypeError('bulk.updateTags: removeAllTags can only be used with action "remove"');
      }
      const path = "/contacts/bulk/tags/update/{type}" as const;
      return execute(locationCall("POST", path, locationId, o, true), (fetch) =>
        contacts.POST(path, {
          params: { header, path: { type: action } },
          body: {
            locationId,
            contacts: ids,
            tags,
            ...(removeAllTags !== undefined ? { removeAllTags } : {}),
          },
          fetch,
        }),
      );
    },
    updateBusiness({ locationId, contactIds, businessId }, o) {
      const path = "/contacts/bulk/business" as const;
      return execute(locationCall("POST", path, locationId, o, true), (fetch) =>
        contacts.POST(path, { params: { header }, body: { locationId, ids: contactIds, businessId }, fetch }),
      );
    },
  };
}
