/** A typed client for the GHL simulator's HTTP control routes, for tests driving a sandbox in another process. */
import type { FaultConfig } from "../faults.js";
import type { ContactInput } from "./contacts-store.js";
import type { ContractViolation, ProviderMessageOptions, RequestLogEntry, SeedResult } from "./control.js";
import type { GhlContact, GhlConversationProvider, GhlMessage, GhlStatusUpdate } from "./types.js";
import type { WebhookDelivery, WebhookKeys } from "./webhooks.js";

export interface GhlControlClient {
  state(): Promise<Record<string, unknown>>;
  reset(): Promise<void>;
  seedContacts(count: number, options?: { locationId?: string; webhooks?: boolean }): Promise<SeedResult>;
  createContact(locationId: string, input: ContactInput): Promise<GhlContact>;
  updateContact(contactId: string, input: ContactInput): Promise<GhlContact>;
  deleteContact(contactId: string): Promise<void>;
  listContacts(locationId: string): Promise<GhlContact[]>;
  issueAuthorizationCode(input?: { locationId?: string; scopes?: string[] }): Promise<string>;
  advanceClock(ms: number): Promise<number>;
  setWebhookUrl(url: string | undefined): Promise<void>;
  webhookDeliveries(): Promise<WebhookDelivery[]>;
  flushWebhooks(): Promise<void>;
  webhookKeys(): Promise<WebhookKeys>;
  sendProviderMessage(
    contactId: string,
    message: string,
    options?: ProviderMessageOptions,
  ): Promise<GhlMessage>;
  setSmsProvider(locationId: string, deliveryUrl: string | null): Promise<void>;
  inboundMessages(): Promise<GhlMessage[]>;
  /** The contact's conversation, oldest first. */
  thread(contactId: string): Promise<GhlMessage[]>;
  /** The app's SMS conversation provider (null: none, no provider rules). */
  setConversationProvider(provider: GhlConversationProvider | null): Promise<void>;
  statusUpdates(): Promise<GhlStatusUpdate[]>;
  setFaults(patch: Partial<FaultConfig>): Promise<FaultConfig>;
  startRateLimitStorm(durationMs: number): Promise<void>;
  requestLog(): Promise<RequestLogEntry[]>;
  contractViolations(): Promise<ContractViolation[]>;
}

export function createGhlControlClient(baseUrl: string, fetchImpl: typeof fetch = fetch): GhlControlClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetchImpl(`${baseUrl.replace(/\/$/, "")}/__sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${json.error ?? ""}`);
    return json;
  };
  return {
    state: () => call("GET", "state"),
    reset: async () => {
      await call("POST", "reset");
    },
    seedContacts: (count, options = {}) => call("POST", "seed", { count, ...options }),
    createContact: async (locationId, input) =>
      (await call<{ contact: GhlContact }>("POST", "contacts", { locationId, ...input })).contact,
    updateContact: async (id, input) =>
      (await call<{ contact: GhlContact }>("PUT", `contacts/${encodeURIComponent(id)}`, input)).contact,
    deleteContact: async (id) => {
      await call("DELETE", `contacts/${encodeURIComponent(id)}`);
    },
    listContacts: async (locationId) =>
      (await call<{ contacts: GhlContact[] }>("GET", `contacts?locationId=${encodeURIComponent(locationId)}`))
        .contacts,
    issueAuthorizationCode: async (input = {}) =>
      (await call<{ code: string }>("POST", "oauth/codes", input)).code,
    advanceClock: async (ms) => (await call<{ now: number }>("POST", "clock/advance", { ms })).now,
    setWebhookUrl: async (url) => {
      await call("PUT", "webhooks/url", { url: url ?? null });
    },
    webhookDeliveries: async () =>
      (await call<{ deliveries: WebhookDelivery[] }>("GET", "webhooks/deliveries")).deliveries,
    flushWebhooks: async () => {
      await call("POST", "webhooks/flush");
    },
    webhookKeys: () => call("GET", "webhooks/keys"),
    sendProviderMessage: async (contactId, message, options = {}) =>
      (await call<{ message: GhlMessage }>("POST", "messages/provider", { contactId, message, ...options }))
        .message,
    setSmsProvider: async (locationId, deliveryUrl) => {
      await call("PUT", `locations/${encodeURIComponent(locationId)}/sms-provider`, { deliveryUrl });
    },
    inboundMessages: async () => (await call<{ messages: GhlMessage[] }>("GET", "messages/inbound")).messages,
    thread: async (contactId) =>
      (await call<{ messages: GhlMessage[] }>("GET", `contacts/${encodeURIComponent(contactId)}/thread`))
        .messages,
    setConversationProvider: async (provider) => {
      await call("PUT", "conversation-provider", provider ?? {});
    },
    statusUpdates: async () =>
      (await call<{ statusUpdates: GhlStatusUpdate[] }>("GET", "messages/status-updates")).statusUpdates,
    setFaults: (patch) => call("PUT", "faults", patch),
    startRateLimitStorm: async (durationMs) => {
      await call("POST", "faults/storm", { durationMs });
    },
    requestLog: async () => (await call<{ requests: RequestLogEntry[] }>("GET", "requests")).requests,
    contractViolations: async () =>
      (await call<{ violations: ContractViolation[] }>("GET", "contract-violations")).violations,
  };
}
