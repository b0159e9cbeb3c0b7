import type { ApiContext, GhlCallOptions } from "../client/api-context.js";
import { CONTACTS_VERSION, locationCall } from "../client/api-context.js";
import type { GhlResult } from "../core/result.js";
import type { components } from "../generated/contacts.js";

type S = components["schemas"];
export type GhlContact = S["Contact"];
export type GhlSearchContact = S["SearchContact"];
export type CreateContactInput = S["CreateContactBody"];
export type UpdateContactInput = S["UpdateContactBody"];
export type UpsertContactInput = S["UpsertContactBody"];
export type SearchContactsInput = S["SearchContactsBody"];
export type SearchContactsResponse = S["SearchContactsResponse"];
export type ContactsListResponse = S["ContactsListResponse"];

export interface ContactsApi {
  get(
    p: { locationId: string; contactId: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["GetContactResponse"]>>;
  /** One page of POST /contacts/search (see searchContactsIterator for all pages). */
  search(body: SearchContactsInput, o?: GhlCallOptions): Promise<GhlResult<SearchContactsResponse>>;
  /** Non-idempotent: after an ambiguous failure the error has `ambiguous: true`; look the contact up before retrying. */
  create(body: CreateContactInput, o?: GhlCallOptions): Promise<GhlResult<S["CreateContactResponse"]>>;
  update(
    p: { locationId: string; contactId: string; body: UpdateContactInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["UpdateContactResponse"]>>;
  delete(
    p: { locationId: string; contactId: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["SuccededResponse"]>>;
  /** Idempotent by nature (matches on the location's duplicate rules), so it is retried like a read. */
  upsert(body: UpsertContactInput, o?: GhlCallOptions): Promise<GhlResult<S["UpsertContactResponse"]>>;
  findDuplicate(
    p: { locationId: string; number?: string; email?: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["DuplicateContactResponse"]>>;
  /**
   * One page of the deprecated GET /contacts/ (GHL prefers search; see searchContactsIterator). Next page:
   * `startAfterId` = the last contact's id and `startAfter` = its dateAdded in epoch ms. `limit` at most 100.
   */
  list(
    p: { locationId: string; limit?: number; startAfterId?: string; startAfter?: number; query?: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<ContactsListResponse>>;
  listByBusiness(
    p: { locationId: string; businessId: string; limit?: number; skip?: number; query?: string },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["ContactsListResponse"]>>;
}

export function createContactsApi(ctx: ApiContext): ContactsApi {
  const { execute, contacts } = ctx;
  const header = CONTACTS_VERSION;
  return {
    get({ locationId, contactId }, o) {
      return execute(locationCall("GET", "/contacts/{contactId}", locationId, o), (fetch) =>
        contacts.GET("/contacts/{contactId}", { params: { header, path: { contactId } }, fetch }),
      );
    },
    search(body, o) {
      // A read: safe to retry although it is a POST.
      return execute(locationCall("POST", "/contacts/search", body.locationId, o, true), (fetch) =>
        contacts.POST("/contacts/search", { params: { header }, body, fetch }),
      );
    },
    create(body, o) {
      return execute(locationCall("POST", "/contacts/", body.locationId, o, false), (fetch) =>
        contacts.POST("/contacts/", { params: { header }, body, fetch }),
      );
    },
    update({ locationId, contactId, body }, o) {
      return execute(locationCall("PUT", "/contacts/{contactId}", locationId, o), (fetch) =>
        contacts.PUT("/contacts/{contactId}", { params: { header, path: { contactId } }, body, fetch }),
      );
    },
    delete({ locationId, contactId }, o) {
      return execute(locationCall("DELETE", "/contacts/{contactId}", locationId, o), (fetch) =>
        contacts.DELETE("/contacts/{contactId}", { params: { header, path: { contactId } }, fetch }),
      );
    },
    upsert(body, o) {
      return execute(locationCall("POST", "/contacts/upsert", body.locationId, o, true), (fetch) =>
        contacts.POST("/contacts/upsert", { params: { header }, body, fetch }),
      );
    },
    findDuplicate({ locationId, number, email }, o) {
      return execute(locationCall("GET", "/contacts/search/duplicate", locationId, o), (fetch) =>
        contacts.GET("/contacts/search/duplicate", {
          params: {
            header,
            query: { locationId, ...(number ? { number } : {}), ...(email ? { email } : {}) },
          },
          fetch,
        }),
      );
    },
    list({ locationId, limit, startAfterId, startAfter, query }, o) {
      return execute(locationCall("GET", "/contacts/", locationId, o), (fetch) =>
        contacts.GET("/contacts/", {
          params: {
            header,
            query: {
              locationId,
              ...(limit !== undefined ? { limit } : {}),
              ...(startAfterId ? { startAfterId } : {}),
              ...(startAfter !== undefined ? { startAfter } : {}),
              ...(query ? { query } : {}),
            },
          },
          fetch,
        }),
      );
    },
    listByBusiness({ locationId, businessId, limit, skip, query }, o) {
      return execute(locationCall("GET", "/contacts/business/{businessId}", locationId, o), (fetch) =>
        contacts.GET("/contacts/business/{businessId}", {
          params: {
            header,
            path: { businessId },
            query: {
              locationId,
              ...(limit !== undefined ? { limit: String(limit) } : {}),
              ...(skip !== undefined ? { skip: String(skip) } : {}),
              ...(query ? { query } : {}),
            },
          },
          fetch,
        }),
      );
    },
  };
}
