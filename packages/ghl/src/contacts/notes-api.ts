import type { ApiContext, GhlCallOptions } from "../client/api-context.js";
import { CONTACTS_VERSION, locationCall } from "../client/api-context.js";
import type { GhlResult } from "../core/result.js";
import type { components } from "../generated/contacts.js";

type S = components["schemas"];
export type GhlNote = S["Note"];
export type CreateNoteInput = S["CreateNoteBody"];
export type UpdateNoteInput = S["UpdateNoteBody"];

interface ContactRef {
  locationId: string;
  contactId: string;
}

export interface NotesApi {
  list(p: ContactRef, o?: GhlCallOptions): Promise<GhlResult<S["NotesListResponse"]>>;
  get(p: ContactRef & { noteId: string }, o?: GhlCallOptions): Promise<GhlResult<S["NoteResponse"]>>;
  /** Non-idempotent (never blindly retried after an ambiguous failure). */
  create(
    p: ContactRef & { body: CreateNoteInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["NoteResponse"]>>;
  update(
    p: ContactRef & { noteId: string; body: UpdateNoteInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["NoteResponse"]>>;
  delete(p: ContactRef & { noteId: string }, o?: GhlCallOptions): Promise<GhlResult<S["SuccededResponse"]>>;
}

export function createNotesApi({ execute, contacts }: ApiContext): NotesApi {
  const header = CONTACTS_VERSION;
  return {
    list({ locationId, contactId }, o) {
      return execute(locationCall("GET", "/contacts/{contactId}/notes", locationId, o), (fetch) =>
        contacts.GET("/contacts/{contactId}/notes", { params: { header, path: { contactId } }, fetch }),
      );
    },
    get({ locationId, contactId, noteId }, o) {
      return execute(locationCall("GET", "/contacts/{contactId}/notes/{noteId}", locationId, o), (fetch) =>
        contacts.GET("/contacts/{contactId}/notes/{noteId}", {
          params: { header, path: { contactId, noteId } },
          fetch,
        }),
      );
    },
    create({ locationId, contactId, body }, o) {
      return execute(locationCall("POST", "/contacts/{contactId}/notes", locationId, o, false), (fetch) =>
        contacts.POST("/contacts/{contactId}/notes", {
          params: { header, path: { contactId } },
          body,
          fetch,
        }),
      );
    },
    update({ locationId, contactId, noteId, body }, o) {
      return execute(locationCall("PUT", "/contacts/{contactId}/notes/{noteId}", locationId, o), (fetch) =>
        contacts.PUT("/contacts/{contactId}/notes/{noteId}", {
          params: { header, path: { contactId, noteId } },
          body,
          fetch,
        }),
      );
    },
    delete({ locationId, contactId, noteId }, o) {
      return execute(locationCall("DELETE", "/contacts/{contactId}/notes/{noteId}", locationId, o), (fetch) =>
        contacts.DELETE("/contacts/{contactId}/notes/{noteId}", {
          params: { header, path: { contactId, noteId } },
          fetch,
        }),
      );
    },
  };
}
