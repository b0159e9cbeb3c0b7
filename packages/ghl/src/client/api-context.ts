import type { Client } from "openapi-fetch";
import type { CallSpec } from "../core/transport.js";
import type { paths as ContactsPaths } from "../generated/contacts.js";
import type { paths as ConversationsPaths } from "../generated/conversations.js";
import type { paths as OAuthPaths } from "../generated/oauth.js";
import type { GhlPriority } from "../rate-limit/rate-limiter.js";
import type { Execute } from "./execute.js";

/** Per-call options. */
export interface GhlCallOptions {
  /** "realtime" (default) may use the whole burst budget; "background" leaves the reserved share. */
  priority?: GhlPriority;
}

/** What every API module gets from createGhlClient. */
export interface ApiContext {
  execute: Execute;
  contacts: Client<ContactsPaths>;
  conversations: Client<ConversationsPaths>;
  oauth: Client<OAuthPaths>;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

/** A location-scoped call with the token manager's bearer token. */
export function locationCall(
  method: Method,
  pathTemplate: string,
  locationId: string,
  options: GhlCallOptions | undefined,
  idempotent: boolean = method !== "POST",
): CallSpec {
  if (typeof locationId !== "string" || locationId.trim() === "") {
    throw new TypeError(`${method} ${pathTemplate}: locationId must be a non-empty string`);
  }
  return {
    operation: `${method} ${pathTemplate}`,
    pathTemplate,
    resourceId: locationId,
    auth: "resource",
    priority: options?.priority ?? "realtime",
    idempotent,
  };
}

export const CONTACTS_VERSION = { Version: "2021-07-28" } as const;
export const CONVERSATIONS_VERSION = { Version: "2021-04-15" } as const;
