// Webhook event payloads we handle, typed by `type` (FACTS §6.2). Fields HighLevel may omit are optional.

export interface GhlWebhookEnvelope {
  locationId: string;
  /** Present on deliveries since early 2025 (ISO). */
  timestamp?: string;
  /** Unique per delivery; the idempotency key. */
  webhookId?: string;
  appId?: string;
  versionId?: string;
}

export interface GhlCustomFieldValue {
  id: string;
  value?: unknown;
}

export interface GhlDndChannel {
  status?: "active" | "inactive" | "permanent";
  message?: string;
  code?: string;
}

export interface GhlContactEventFields extends GhlWebhookEnvelope {
  id: string;
  address1?: string | null;
  city?: string | null;
  state?: string | null;
  companyName?: string | null;
  country?: string | null;
  source?: string | null;
  dateAdded?: string | null;
  dateOfBirth?: string | null;
  dnd?: boolean;
  email?: string | null;
  name?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  postalCode?: string | null;
  tags?: string[];
  website?: string | null;
  assignedTo?: string | null;
  customFields?: GhlCustomFieldValue[];
  dndSettings?: Partial<Record<string, GhlDndChannel>>;
}

export interface ContactCreateEvent extends GhlContactEventFields {
  type: "ContactCreate";
}
export interface ContactUpdateEvent extends GhlContactEventFields {
  type: "ContactUpdate";
}
export interface ContactDeleteEvent extends GhlContactEventFields {
  type: "ContactDelete";
}
export interface ContactDndUpdateEvent extends GhlContactEventFields {
  type: "ContactDndUpdate";
}
export interface ContactTagUpdateEvent extends GhlContactEventFields {
  type: "ContactTagUpdate";
}

export interface NoteCreateEvent extends GhlWebhookEnvelope {
  type: "NoteCreate";
  id: string;
  body?: string;
  contactId?: string;
  dateAdded?: string;
}

interface GhlTaskEventFields extends GhlWebhookEnvelope {
  id: string;
  assignedTo?: string | null;
  body?: string;
  /** Seen missing on real TaskCreate payloads (GHL docs issue #332). */
  contactId?: string;
  title?: string;
  dateAdded?: string;
  dueDate?: string;
}
export interface TaskCreateEvent extends GhlTaskEventFields {
  type: "TaskCreate";
}
export interface TaskCompleteEvent extends GhlTaskEventFields {
  type: "TaskComplete";
}

interface GhlMessageEventFields extends GhlWebhookEnvelope {
  attachments?: string[];
  body?: string;
  contactId: string;
  contentType?: string;
  conversationId?: string;
  dateAdded?: string;
  direction?: "inbound" | "outbound";
  messageType?: string;
  status?: string;
  messageId?: string;
  userId?: string;
  conversationProviderId?: string;
}
export interface InboundMessageEvent extends GhlMessageEventFields {
  type: "InboundMessage";
}
export interface OutboundMessageEvent extends GhlMessageEventFields {
  type: "OutboundMessage";
  source?: string;
}

/** Sent to a conversation provider's Delivery URL: GHL wants us to deliver this SMS. */
export interface ProviderOutboundMessageEvent extends GhlWebhookEnvelope {
  type: "SMS";
  contactId: string;
  messageId: string;
  phone: string;
  message: string;
  attachments?: string[];
  userId?: string;
}

export interface AppInstallEvent {
  type: "INSTALL";
  appId: string;
  companyId?: string;
  locationId?: string;
  userId?: string;
  planId?: string;
  companyName?: string;
  isWhitelabelCompany?: boolean;
  timestamp?: string;
  webhookId?: string;
  versionId?: string;
}

export interface AppUninstallEvent {
  type: "UNINSTALL";
  appId: string;
  companyId?: string;
  locationId?: string;
  timestamp?: string;
  webhookId?: string;
  versionId?: string;
}

export type GhlKnownWebhookEvent =
  | ContactCreateEvent
  | ContactUpdateEvent
  | ContactDeleteEvent
  | ContactDndUpdateEvent
  | ContactTagUpdateEvent
  | NoteCreateEvent
  | TaskCreateEvent
  | TaskCompleteEvent
  | InboundMessageEvent
  | OutboundMessageEvent
  | ProviderOutboundMessageEvent
  | AppInstallEvent
  | AppUninstallEvent;

/** A signed, fresh event whose `type` this package does not model; `payload` is the parsed JSON. */
export interface UnknownWebhookEvent {
  type: "Unknown";
  originalType: string;
  payload: Record<string, unknown>;
}

export type GhlWebhookEvent = GhlKnownWebhookEvent | UnknownWebhookEvent;
export type GhlWebhookEventType = GhlKnownWebhookEvent["type"];

/** Fields each known event must carry as non-empty strings, checked before the event is returned. */
export const REQUIRED_EVENT_FIELDS: { readonly [K in GhlWebhookEventType]: readonly string[] } = {
  ContactCreate: ["locationId", "id"],
  ContactUpdate: ["locationId", "id"],
  ContactDelete: ["locationId", "id"],
  ContactDndUpdate: ["locationId", "id"],
  ContactTagUpdate: ["locationId", "id"],
  NoteCreate: ["locationId", "id"],
  TaskCreate: ["locationId", "id"],
  TaskComplete: ["locationId", "id"],
  InboundMessage: ["locationId", "contactId"],
  OutboundMessage: ["locationId", "contactId"],
  SMS: ["locationId", "contactId", "messageId", "phone"],
  INSTALL: ["appId"],
  UNINSTALL: ["appId"],
};

export function isKnownEventType(type: string): type is GhlWebhookEventType {
  return Object.hasOwn(REQUIRED_EVENT_FIELDS, type);
}
