/** Data held by the GHL simulator. Field names follow GHL's wire format. */

export type DndChannel = "Call" | "Email" | "SMS" | "WhatsApp" | "GMB" | "FB";
export const DND_CHANNELS: readonly DndChannel[] = ["Call", "Email", "SMS", "WhatsApp", "GMB", "FB"];

export interface DndSetting {
  status: "active" | "inactive" | "permanent";
  message?: string;
  code?: string;
}

export interface CustomFieldValue {
  id: string;
  value: unknown;
}

export interface GhlContact {
  id: string;
  locationId: string;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  companyName: string | null;
  address1: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  website: string | null;
  timezone: string | null;
  source: string | null;
  type: string;
  assignedTo: string | null;
  dateOfBirth: string | null;
  dnd: boolean;
  dndSettings: Partial<Record<DndChannel, DndSetting>>;
  tags: string[];
  customFields: CustomFieldValue[];
  additionalEmails: string[];
  additionalPhones: string[];
  businessId: string | null;
  /** User ids following the contact. */
  followers: string[];
  /** ISO timestamps from the sandbox clock. */
  dateAdded: string;
  dateUpdated: string;
}

export interface GhlNote {
  id: string;
  contactId: string;
  body: string;
  title?: string;
  userId?: string;
  color?: string;
  pinned?: boolean;
  dateAdded: string;
}

export interface GhlTask {
  id: string;
  contactId: string;
  title: string;
  body?: string;
  assignedTo?: string;
  dueDate: string;
  completed: boolean;
  dateAdded: string;
}

export type DuplicateField = "email" | "phone";

export interface GhlLocationSettings {
  /** "Allow Duplicate Contact": when false, email/phone are unique identifiers. */
  allowDuplicates: boolean;
  /** Order in which upsert / duplicate search look for a match. */
  duplicatePriority: DuplicateField[];
}

export interface GhlLocation extends GhlLocationSettings {
  id: string;
  name: string;
  companyId: string;
  /** ISO-2 country used to read national phone numbers. */
  country: string;
  timezone: string;
  /** Private integration token with every scope. */
  token: string;
  /** Private integration token with read-only scopes. */
  readOnlyToken: string;
}

export interface GhlMessage {
  id: string;
  locationId: string;
  conversationId: string;
  contactId: string;
  direction: "inbound" | "outbound";
  type: string;
  body: string;
  status: string;
  conversationProviderId?: string;
  attachments: string[];
  dateAdded: string;
  /**
   * Sent through the conversation provider (a ProviderOutboundMessage went to its Delivery URL): only then
   * may the provider app update its status (ConversationProviders.md, "Update Message Status API").
   */
  viaProvider?: boolean;
  /** The message's id at the provider (`altId`). */
  altId?: string;
  /** Every other documented field the request carried (email parts, call data, scheduling, threading). */
  details?: Record<string, unknown>;
}

export interface GhlStatusUpdate {
  messageId: string;
  status: string;
  error?: unknown;
  /** Email delivery details (`emailMessageId`, `recipients`), as sent. */
  emailMessageId?: string;
  recipients?: string[];
  at: string;
}

/** The marketplace app's SMS conversation provider (ConversationProviders.md). */
export interface GhlConversationProvider {
  /** The provider's id ("conversationProviderId"). */
  id: string;
  /** "default": replaces LC Phone (no id needed on inbound); "extra": a custom provider (id required). */
  kind: "default" | "extra";
  type: "SMS";
}
