/** The typed control surface of the GHL simulator (in-process) and its HTTP mirror under `/__sandbox/`. */
import type { FaultConfig } from "../faults.js";
import type { ContactInput } from "./contacts-store.js";
import type { Membership } from "./routes.js";
import type { SeedDuplicateKind } from "./seed.js";
import type {
  GhlContact,
  GhlConversationProvider,
  GhlLocation,
  GhlLocationSettings,
  GhlMessage,
  GhlNote,
  GhlStatusUpdate,
  GhlTask,
} from "./types.js";
import type { WebhookDelivery, WebhookKeys } from "./webhooks.js";

export interface SeedResult {
  contacts: GhlContact[];
  /** Ground truth: contacts seeded as duplicates of an earlier one. */
  duplicates: Array<{ kind: SeedDuplicateKind; contactId: string; duplicateOfId: string }>;
}

export interface ContractViolation {
  method: string;
  path: string;
  status: number;
  /** False when the spec declares no response for this status. */
  declared: boolean;
  errors: string[];
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number;
  operation?: string;
}

export interface ProviderMessageOptions {
  /** Attachment URLs (GHL sends them as a list of links). */
  attachments?: string[];
  /** The GHL user who sent it; null = a workflow / bulk action (no `userId` in the payload). */
  userId?: string | null;
}

export interface GhlControl {
  /** Seed `count` realistic contacts into a location (default: every location). Silent (no webhooks) unless asked. */
  seedContacts(count: number, options?: { locationId?: string; webhooks?: boolean }): SeedResult;
  /** Create a contact as a person would in the GHL UI (fires ContactCreate). */
  createContact(locationId: string, input: ContactInput): GhlContact;
  /** Edit a contact as a person would in the GHL UI (fires ContactUpdate / TagUpdate / DndUpdate). */
  updateContact(contactId: string, input: ContactInput): GhlContact;
  deleteContact(contactId: string): void;
  addNote(contactId: string, body: string): GhlNote;
  addTask(contactId: string, input: { title: string; dueDate: string; body?: string }): GhlTask;
  getContact(contactId: string): GhlContact | undefined;
  listContacts(locationId: string): GhlContact[];
  setLocationSettings(locationId: string, settings: Partial<GhlLocationSettings>): GhlLocation;
  /** A code as if the user approved the app for a location (or the agency when no locationId). */
  issueAuthorizationCode(input?: { locationId?: string; scopes?: string[] }): string;
  /** Advance the shared sandbox clock. */
  advanceClock(ms: number): Promise<void>;
  now(): number;
  setWebhookUrl(url: string | undefined): void;
  webhookDeliveries(): WebhookDelivery[];
  /** Release reorder-held webhooks and wait until no delivery is in flight. */
  flushWebhooks(): Promise<void>;
  webhookKeys(): WebhookKeys;
  /**
   * A message GHL sends through the conversation provider (fires ProviderOutboundMessage). By default a
   * person typed it in the Conversations inbox (the payload carries their `userId`); `userId: null` is a
   * workflow or bulk-action send (GHL sends no `userId` then).
   */
  sendProviderMessage(contactId: string, message: string, options?: ProviderMessageOptions): GhlMessage;
  /**
   * A person enables the app's SMS provider for a sub-account (Settings > Phone Numbers > Advanced > SMS
   * Provider) with its Delivery URL, or disables it (null): then SMS sent through GHL stay in GHL and
   * sendProviderMessage refuses. Default: the `providerDeliveryUrl` option (else the webhook URL).
   */
  setSmsProvider(locationId: string, deliveryUrl: string | null): void;
  inboundMessages(): GhlMessage[];
  /** The contact's conversation as GHL shows it: every message, oldest first (empty when it has none). */
  thread(contactId: string): GhlMessage[];
  /** Configure the app's SMS conversation provider (null: none, no provider rules on inbound messages). */
  setConversationProvider(provider: GhlConversationProvider | null): void;
  outboundMessages(): GhlMessage[];
  statusUpdates(): GhlStatusUpdate[];
  setFaults(patch: Partial<FaultConfig> | Record<string, unknown>): FaultConfig;
  faults(): FaultConfig;
  /** Every request from now until `durationMs` of sandbox time has passed gets 429. */
  startRateLimitStorm(durationMs: number): void;
  requestLog(): RequestLogEntry[];
  /** Workflow and campaign enrolments made through the API. */
  memberships(): Membership[];
  /** Responses that did not match the spec (only with response validation on). */
  contractViolations(): ContractViolation[];
  /** Back to the start-up state (contacts re-seeded, tokens re-issued identically, logs emptied). */
  reset(): void;
}
