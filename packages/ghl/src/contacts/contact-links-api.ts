import type { ApiContext, GhlCallOptions } from "../client/api-context.js";
import { CONTACTS_VERSION, locationCall } from "../client/api-context.js";
import type { GhlResult } from "../core/result.js";
import type { components } from "../generated/contacts.js";

type S = components["schemas"];
export type GhlAppointment = S["Appointment"];

interface ContactRef {
  locationId: string;
  contactId: string;
}

/** Tag deltas (update/upsert `tags` replace the whole set; these add/remove only the given ones). */
export interface TagsApi {
  add(p: ContactRef & { tags: string[] }, o?: GhlCallOptions): Promise<GhlResult<S["TagsResponse"]>>;
  remove(p: ContactRef & { tags: string[] }, o?: GhlCallOptions): Promise<GhlResult<S["TagsResponse"]>>;
}

export interface AppointmentsApi {
  list(p: ContactRef, o?: GhlCallOptions): Promise<GhlResult<S["AppointmentsResponse"]>>;
}

/** Enrolling twice can send a sequence twice: `add` is treated as non-idempotent. */
export interface WorkflowsApi {
  add(
    p: ContactRef & { workflowId: string; eventStartTime?: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["SuccededResponse"]>>;
  remove(
    p: ContactRef & { workflowId: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["SuccededResponse"]>>;
}

export interface CampaignsApi {
  add(p: ContactRef & { campaignId: string }, o?: GhlCallOptions): Promise<GhlResult<S["SuccededResponse"]>>;
  remove(
    p: ContactRef & { campaignId: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["SuccededResponse"]>>;
  /** Removes the contact from every campaign it is in. */
  removeAll(p: ContactRef, o?: GhlCallOptions): Promise<GhlResult<S["SuccededResponse"]>>;
}

export function createTagsApi({ execute, contacts }: ApiContext): TagsApi {
  const header = CONTACTS_VERSION;
  return {
    add({ locationId, contactId, tags }, o) {
      // Adding a tag that is already there is a no-op: safe to retry.
      return execute(locationCall("POST", "/contacts/{contactId}/tags", locationId, o, true), (fetch) =>
        contacts.POST("/contacts/{contactId}/tags", {
          params: { header, path: { contactId } },
          body: { tags },
          fetch,
        }),
      );
    },
    remove({ locationId, contactId, tags }, o) {
      return execute(locationCall("DELETE", "/contacts/{contactId}/tags", locationId, o), (fetch) =>
        contacts.DELETE("/contacts/{contactId}/tags", {
          params: { header, path: { contactId } },
          body: { tags },
          fetch,
        }),
      );
    },
  };
}

export function createAppointmentsApi({ execute, contacts }: ApiContext): AppointmentsApi {
  return {
    list({ locationId, contactId }, o) {
      return execute(locationCall("GET", "/contacts/{contactId}/appointments", locationId, o), (fetch) =>
        contacts.GET("/contacts/{contactId}/appointments", {
          params: { header: CONTACTS_VERSION, path: { contactId } },
          fetch,
        }),
      );
    },
  };
}

export function createWorkflowsApi({ execute, contacts }: ApiContext): WorkflowsApi {
  const header = CONTACTS_VERSION;
  const path = "/contacts/{contactId}/workflow/{workflowId}" as const;
  return {
    add({ locationId, contactId, workflowId, eventStartTime }, o) {
      return execute(locationCall("POST", path, locationId, o, false), (fetch) =>
        contacts.POST(path, {
          params: { header, path: { contactId, workflowId } },
          body: eventStartTime ? { eventStartTime } : {},
          fetch,
        }),
      );
    },
    remove({ locationId, contactId, workflowId }, o) {
      return execute(locationCall("DELETE", path, locationId, o), (fetch) =>
        contacts.DELETE(path, { params: { header, path: { contactId, workflowId } }, body: {}, fetch }),
      );
    },
  };
}

export function createCampaignsApi({ execute, contacts }: ApiContext): CampaignsApi {
  const header = CONTACTS_VERSION;
  const path = "/contacts/{contactId}/campaigns/{campaignId}" as const;
  return {
    add({ locationId, contactId, campaignId }, o) {
      return execute(locationCall("POST", path, locationId, o, false), (fetch) =>
        contacts.POST(path, { params: { header, path: { contactId, campaignId } }, body: {}, fetch }),
      );
    },
    remove({ locationId, contactId, campaignId }, o) {
      return execute(locationCall("DELETE", path, locationId, o), (fetch) =>
        contacts.DELETE(path, { params: { header, path: { contactId, campaignId } }, fetch }),
      );
    },
    removeAll({ locationId, contactId }, o) {
      const all = "/contacts/{contactId}/campaigns/removeAll" as const;
      return execute(locationCall("DELETE", all, locationId, o), (fetch) =>
        contacts.DELETE(all, { params: { header, path: { contactId } }, fetch }),
      );
    },
  };
}
