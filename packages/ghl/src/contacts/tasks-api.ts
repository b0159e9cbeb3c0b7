import type { ApiContext, GhlCallOptions } from "../client/api-context.js";
import { CONTACTS_VERSION, locationCall } from "../client/api-context.js";
import type { GhlResult } from "../core/result.js";
import type { components } from "../generated/contacts.js";

type S = components["schemas"];
export type GhlTask = S["Task"];
export type CreateTaskInput = S["CreateTaskBody"];
export type UpdateTaskInput = S["UpdateTaskBody"];

interface ContactRef {
  locationId: string;
  contactId: string;
}

export interface TasksApi {
  list(p: ContactRef, o?: GhlCallOptions): Promise<GhlResult<S["TasksListResponse"]>>;
  get(p: ContactRef & { taskId: string }, o?: GhlCallOptions): Promise<GhlResult<S["TaskResponse"]>>;
  /** Non-idempotent (never blindly retried after an ambiguous failure). */
  create(
    p: ContactRef & { body: CreateTaskInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["TaskResponse"]>>;
  update(
    p: ContactRef & { taskId: string; body: UpdateTaskInput },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["TaskResponse"]>>;
  delete(p: ContactRef & { taskId: string }, o?: GhlCallOptions): Promise<GhlResult<S["SuccededResponse"]>>;
  complete(
    p: ContactRef & { taskId: string; completed?: boolean },
    o?: GhlCallOptions,
  ): Promise<GhlResult<S["TaskResponse"]>>;
}

export function createTasksApi({ execute, contacts }: ApiContext): TasksApi {
  const header = CONTACTS_VERSION;
  return {
    list({ locationId, contactId }, o) {
      return execute(locationCall("GET", "/contacts/{contactId}/tasks", locationId, o), (fetch) =>
        contacts.GET("/contacts/{contactId}/tasks", { params: { header, path: { contactId } }, fetch }),
      );
    },
    get({ locationId, contactId, taskId }, o) {
      return execute(locationCall("GET", "/contacts/{contactId}/tasks/{taskId}", locationId, o), (fetch) =>
        contacts.GET("/contacts/{contactId}/tasks/{taskId}", {
          params: { header, path: { contactId, taskId } },
          fetch,
        }),
      );
    },
    create({ locationId, contactId, body }, o) {
      return execute(locationCall("POST", "/contacts/{contactId}/tasks", locationId, o, false), (fetch) =>
        contacts.POST("/contacts/{contactId}/tasks", {
          params: { header, path: { contactId } },
          body,
          fetch,
        }),
      );
    },
    update({ locationId, contactId, taskId, body }, o) {
      return execute(locationCall("PUT", "/contacts/{contactId}/tasks/{taskId}", locationId, o), (fetch) =>
        contacts.PUT("/contacts/{contactId}/tasks/{taskId}", {
          params: { header, path: { contactId, taskId } },
          body,
          fetch,
        }),
      );
    },
    delete({ locationId, contactId, taskId }, o) {
      return execute(locationCall("DELETE", "/contacts/{contactId}/tasks/{taskId}", locationId, o), (fetch) =>
        contacts.DELETE("/contacts/{contactId}/tasks/{taskId}", {
          params: { header, path: { contactId, taskId } },
          fetch,
        }),
      );
    },
    complete({ locationId, contactId, taskId, completed = true }, o) {
      return execute(
        locationCall("PUT", "/contacts/{contactId}/tasks/{taskId}/completed", locationId, o),
        (fetch) =>
          contacts.PUT("/contacts/{contactId}/tasks/{taskId}/completed", {
            params: { header, path: { contactId, taskId } },
            body: { completed },
            fetch,
          }),
      );
    },
  };
}
