/**
 * Webhook CRUD (GET/POST /webhooks, GET/POST/DELETE /webhooks/{id}). Creating or updating an active
 * webhook first POSTs `[]` to its URL; anything but 2xx refuses the call with 400, as BulkSMS does.
 */
import { ProblemError } from "./problem.js";
import type { BulkSmsWebhook } from "./types.js";
import type { WebhookDispatcher } from "./webhook-dispatcher.js";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function checkEntry(entry: Record<string, unknown>, partial: boolean): Partial<BulkSmsWebhook> {
  const out: Partial<BulkSmsWebhook> = {};
  const need = (k: string): boolean => {
    if (entry[k] === undefined) {
      if (!partial) throw new ProblemError("bad-request", `'${k}' is required`);
      return false;
    }
    return true;
  };
  if (need("name")) {
    if (typeof entry.name !== "string" || entry.name.trim() === "")
      throw new ProblemError("bad-request", "'name' must be a non-empty string");
    out.name = entry.name;
  }
  if (need("url")) {
    let ok = false;
    if (typeof entry.url === "string") {
      try {
        const u = new URL(entry.url);
        ok = u.protocol === "http:" || u.protocol === "https:";
      } catch {
        ok = false;
      }
    }
    if (!ok)
      throw new ProblemError(
        "bad-request",
        `'url' must be an http or https URL, got ${JSON.stringify(entry.url)}`,
      );
    out.url = entry.url as string;
  }
  if (need("triggerScope")) {
    if (entry.triggerScope !== "SENT" && entry.triggerScope !== "RECEIVED") {
      throw new ProblemError(
        "bad-request",
        `'triggerScope' must be SENT or RECEIVED, got ${JSON.stringify(entry.triggerScope)}`,
      );
    }
    out.triggerScope = entry.triggerScope;
  }
  if (entry.active !== undefined) {
    if (typeof entry.active !== "boolean")
      throw new ProblemError("bad-request", "'active' must be a boolean");
    out.active = entry.active;
  }
  if (entry.invokeOption !== undefined) {
    if (entry.invokeOption !== "ONE" && entry.invokeOption !== "MANY") {
      throw new ProblemError(
        "bad-request",
        `'invokeOption' must be ONE or MANY, got ${JSON.stringify(entry.invokeOption)}`,
      );
    }
    out.invokeOption = entry.invokeOption;
  }
  if (entry.contactEmailAddress !== undefined) {
    if (entry.contactEmailAddress !== null && typeof entry.contactEmailAddress !== "string") {
      throw new ProblemError("bad-request", "'contactEmailAddress' must be a string");
    }
    out.contactEmailAddress = entry.contactEmailAddress;
  }
  if (entry.onWebApp !== undefined) {
    if (typeof entry.onWebApp !== "boolean")
      throw new ProblemError("bad-request", "'onWebApp' must be a boolean");
    out.onWebApp = entry.onWebApp;
  }
  return out;
}

async function checkCallable(dispatcher: WebhookDispatcher, hook: BulkSmsWebhook): Promise<void> {
  if (!hook.active) return;
  const result = await dispatcher.test(hook);
  if (result.status !== null && result.status < 300) return;
  const reason =
    result.status !== null
      ? `${result.status} - ${statusText(result.status)}`
      : `${result.error ?? "no response"}`;
  throw new ProblemError("bad-request", `Invoking the Webhook URL caused an error: ${reason}`);
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
  };
  return texts[status] ?? "Error";
}

export interface WebhookStore {
  webhooks: Map<number, BulkSmsWebhook>;
}

/** The API shape: `contactEmailAddress` is left out when not set (the spec types it as a string). */
export function present(hook: BulkSmsWebhook): BulkSmsWebhook {
  const { contactEmailAddress, ...rest } = hook;
  return contactEmailAddress === null ? ({ ...rest } as BulkSmsWebhook) : { ...hook };
}

export function listWebhooks(store: WebhookStore): BulkSmsWebhook[] {
  return [...store.webhooks.values()].map(present);
}

export function readWebhook(store: WebhookStore, id: string): BulkSmsWebhook {
  const hook = /^\d+$/.test(id) ? store.webhooks.get(Number(id)) : undefined;
  if (!hook) throw new ProblemError("not-found", `Webhook with id '${id}' does not exist`);
  return present(hook);
}

export async function createWebhook(
  store: WebhookStore,
  dispatcher: WebhookDispatcher,
  nextId: () => number,
  body: unknown,
): Promise<BulkSmsWebhook> {
  if (!isObject(body)) throw new ProblemError("bad-request", "The body must be a WebhookEntry object");
  const entry = checkEntry(body, false);
  if ([...store.webhooks.values()].some((h) => h.name === entry.name)) {
    throw new ProblemError("bad-request", `A webhook named '${entry.name}' already exists`);
  }
  const draft: BulkSmsWebhook = {
    id: 0,
    name: entry.name ?? "",
    url: entry.url ?? "",
    triggerScope: entry.triggerScope ?? "SENT",
    active: entry.active ?? true,
    contactEmailAddress: entry.contactEmailAddress ?? null,
    invokeOption: entry.invokeOption ?? "ONE",
    onWebApp: entry.onWebApp ?? true,
  };
  await checkCallable(dispatcher, draft);
  const hook = { ...draft, id: nextId() };
  store.webhooks.set(hook.id, hook);
  return present(hook);
}

export async function updateWebhook(
  store: WebhookStore,
  dispatcher: WebhookDispatcher,
  id: string,
  body: unknown,
): Promise<BulkSmsWebhook> {
  const existing = readWebhook(store, id);
  if (!isObject(body)) throw new ProblemError("bad-request", "The body must be a WebhookEntry object");
  const entry = checkEntry(body, true);
  if (
    entry.name !== undefined &&
    [...store.webhooks.values()].some((h) => h.name === entry.name && h.id !== existing.id)
  ) {
    throw new ProblemError("bad-request", `A webhook named '${entry.name}' already exists`);
  }
  const updated: BulkSmsWebhook = {
    ...existing,
    contactEmailAddress: existing.contactEmailAddress ?? null,
    ...entry,
    id: existing.id,
  };
  await checkCallable(dispatcher, updated);
  store.webhooks.set(updated.id, updated);
  return present(updated);
}

export function deleteWebhook(store: WebhookStore, id: string): void {
  const hook = readWebhook(store, id);
  store.webhooks.delete(hook.id);
}
