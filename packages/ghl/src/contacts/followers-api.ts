import type { ApiContext, GhlCallOptions } from "../client/api-context.js";
import { CONTACTS_VERSION, locationCall } from "../client/api-context.js";
import type { GhlResult } from "../core/result.js";
import type { components } from "../generated/contacts.js";

type S = components["schemas"];

interface FollowersRef {
  locationId: string;
  contactId: string;
  /** User ids. */
  followers: string[];
}

/** Users following a contact. Adding or removing a follower twice changes nothing: both are retried like reads. */
export interface FollowersApi {
  add(p: FollowersRef, o?: GhlCallOptions): Promise<GhlResult<S["AddFollowersResponse"]>>;
  remove(p: FollowersRef, o?: GhlCallOptions): Promise<GhlResult<S["RemoveFollowersResponse"]>>;
}

export function createFollowersApi({ execute, contacts }: ApiContext): FollowersApi {
  const header = CONTACTS_VERSION;
  const path = "/contacts/{contactId}/followers" as const;
  return {
    add({ locationId, contactId, followers }, o) {
      return execute(locationCall("POST", path, locationId, o, true), (fetch) =>
        contacts.POST(path, { params: { header, path: { contactId } }, body: { followers }, fetch }),
      );
    },
    remove({ locationId, contactId, followers }, o) {
      return execute(locationCall("DELETE", path, locationId, o), (fetch) =>
        contacts.DELETE(path, { params: { header, path: { contactId } }, body: { followers }, fetch }),
      );
    },
  };
}
