// Webhook event payloads, typed by `type`, from our spec (specs/ghl/webhooks.yaml -> generated/webhooks.ts).
import type { components } from "../generated/webhooks.js";

type S = components["schemas"];

export type ContactCreateEvent = S["ContactCreate"];
export type ContactUpdateEvent = S["ContactUpdate"];
export type ContactDeleteEvent = S["ContactDelete"];
export type ContactDndUpdateEvent = S["ContactDndUpdate"];
export type ContactTagUpdateEvent = S["ContactTagUpdate"];
export type NoteCreateEvent = S["NoteCreate"];
export type NoteUpdateEvent = S["NoteUpdate"];
export type NoteDeleteEvent = S["NoteDelete"];
export type TaskCreateEvent = S["TaskCreate"];
export type TaskCompleteEvent = S["TaskComplete"];
export type TaskDeleteEvent = S["TaskDelete"];
export type InboundMessageEvent = S["InboundMessage"];
export type OutboundMessageEvent = S["OutboundMessage"];
/** POSTed to the conversation provider's Delivery URL; its `type` is the channel ("SMS" | "Email"). */
export type ProviderOutboundMessageEvent = S["ProviderOutboundMessage"];
export type AppInstallEvent = S["AppInstall"];
export type AppUninstallEvent = S["AppUninstall"];

export type GhlKnownWebhookEvent = S["GhlWebhookEvent"] | ProviderOutboundMessageEvent;

/** A signed, fresh event whose `type` this package does not model; `payload` is the parsed JSON. */
export interface UnknownWebhookEvent {
  type: "Unknown";
  originalType: string;
  payload: Record<string, unknown>;
}

export type GhlWebhookEvent = GhlKnownWebhookEvent | UnknownWebhookEvent;
export type GhlWebhookEventType = GhlKnownWebhookEvent["type"];

/**
 * Fields each known event must carry as non-empty strings before it is returned. Kept to what real
 * payloads reliably have (e.g. TaskCreate has been seen without contactId, GHL docs issue #332).
 */
export const REQUIRED_EVENT_FIELDS: { readonly [K in GhlWebhookEventType]: readonly string[] } = {
  ContactCreate: ["locationId", "id"],
  ContactUpdate: ["locationId", "id"],
  ContactDelete: ["locationId", "id"],
  ContactDndUpdate: ["locationId", "id"],
  ContactTagUpdate: ["locationId", "id"],
  NoteCreate: ["locationId", "id"],
  NoteUpdate: ["locationId", "id"],
  NoteDelete: ["locationId", "id"],
  TaskCreate: ["locationId", "id"],
  TaskComplete: ["locationId", "id"],
  TaskDelete: ["locationId", "id"],
  InboundMessage: ["locationId"],
  OutboundMessage: ["locationId"],
  SMS: ["locationId", "contactId", "messageId"],
  Email: ["locationId", "contactId", "messageId"],
  INSTALL: ["appId"],
  UNINSTALL: ["appId"],
};

export function isKnownEventType(type: string): type is GhlWebhookEventType {
  return Object.hasOwn(REQUIRED_EVENT_FIELDS, type);
}
