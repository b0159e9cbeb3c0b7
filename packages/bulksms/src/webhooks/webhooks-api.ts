import { type ApiContext, callApi } from "../api/call-api.js";
import { invalidResponseError } from "../errors/map-http-error.js";
import { fail, ok, type Result } from "../result.js";
import { webhookUrlWithSecret } from "./webhook-secret.js";

export type WebhookScope = "SENT" | "RECEIVED";

export type Webhook = {
  id: string;
  name: string;
  url: string;
  triggerScope: WebhookScope;
  active: boolean;
  /** null when BulkSMS does not report it (its published Webhook object has no invokeOption). */
  invokeOption: "ONE" | "MANY" | null;
  contactEmailAddress: string | null;
};

export type WebhookEntry = {
  name: string;
  url: string;
  triggerScope: WebhookScope;
  active?: boolean;
  invokeOption?: "ONE" | "MANY";
  contactEmailAddress?: string;
  onWebApp?: boolean;
};

export async function listWebhooks(ctx: ApiContext): Promise<Result<Webhook[]>> {
  const answer = await callApi(ctx, (api) => api.GET("/webhooks", { parseAs: "text" }));
  if (!answer.ok) return answer;
  if (!Array.isArray(answer.data.json))
    return fail(invalidResponseError(answer.data.status, "webhook list is not an array"));
  const out: Webhook[] = [];
  for (const item of answer.data.json) {
    const hook = toWebhook(item);
    if (hook === undefined)
      return fail(invalidResponseError(answer.data.status, "webhook list has an unreadable item"));
    out.push(hook);
  }
  return ok(out);
}

/** POST /webhooks (create). Not retried on ambiguous failures; `ensureWebhooks` is the idempotent way. */
export async function createWebhook(ctx: ApiContext, entry: WebhookEntry): Promise<Result<Webhook>> {
  return single(await callApi(ctx, (api) => api.POST("/webhooks", { body: entry, parseAs: "text" })));
}

/** Update is POST /webhooks/{id} (BulkSMS has no PUT). */
export async function updateWebhook(
  ctx: ApiContext,
  id: string,
  entry: WebhookEntry,
): Promise<Result<Webhook>> {
  return single(
    await callApi(ctx, (api) =>
      api.POST("/webhooks/{id}", { params: { path: { id } }, body: entry, parseAs: "text" }),
    ),
  );
}

export async function deleteWebhook(ctx: ApiContext, id: string): Promise<Result<void>> {
  const answer = await callApi(ctx, (api) =>
    api.DELETE("/webhooks/{id}", { params: { path: { id } }, parseAs: "text" }),
  );
  return answer.ok ? ok(undefined) : answer;
}

export type EnsureWebhooksOptions = {
  /** Public URL of our webhook endpoint (must be live: BulkSMS POSTs `[]` to it on create/update). */
  baseUrl: string;
  /** Long random secret, added as `?secret=` (BulkSMS does not sign webhooks). */
  secret: string;
  /** Name prefix; hooks are named `${namePrefix}-sent` and `${namePrefix}-received` (default "ghl-bulksms"). */
  namePrefix?: string;
  contactEmailAddress?: string;
};

export type EnsureWebhooksOutcome = {
  sent: Webhook;
  received: Webhook;
  changes: Array<{ scope: WebhookScope; action: "created" | "updated" | "unchanged" }>;
};

/**
 * Makes sure both webhooks exist — SENT (status reports) and RECEIVED (inbound) — pointing at
 * `baseUrl?secret=…`, matching them by NAME: creates a missing one, updates (POST /webhooks/{id}) one whose
 * URL, scope or settings differ, leaves a matching one alone. Safe to run at every start-up.
 */
export async function ensureWebhooks(
  ctx: ApiContext,
  options: EnsureWebhooksOptions,
): Promise<Result<EnsureWebhooksOutcome>> {
  let url: string;
  try {
    url = webhookUrlWithSecret(options.baseUrl, options.secret);
  } catch (e) {
    return fail({ code: "invalid_input", status: 0, title: (e as Error).message, retryable: false });
  }
  const existing = await listWebhooks(ctx);
  if (!existing.ok) return existing;
  const prefix = options.namePrefix ?? "ghl-bulksms";
  const result: Partial<Record<WebhookScope, Webhook>> = {};
  const changes: EnsureWebhooksOutcome["changes"] = [];
  for (const scope of ["SENT", "RECEIVED"] as const) {
    const entry: WebhookEntry = {
      name: `${prefix}-${scope.toLowerCase()}`,
      url,
      triggerScope: scope,
      active: true,
      invokeOption: "MANY",
    };
    if (options.contactEmailAddress !== undefined) entry.contactEmailAddress = options.contactEmailAddress;
    const current = existing.data.find((h) => h.name === entry.name);
    if (current !== undefined && matches(current, entry)) {
      result[scope] = current;
      changes.push({ scope, action: "unchanged" });
      continue;
    }
    const saved =
      current === undefined ? await createWebhook(ctx, entry) : await updateWebhook(ctx, current.id, entry);
    if (!saved.ok) return saved;
    result[scope] = saved.data;
    changes.push({ scope, action: current === undefined ? "created" : "updated" });
  }
  const { SENT: sent, RECEIVED: received } = result;
  if (sent === undefined || received === undefined) throw new Error("unreachable: both scopes handled");
  return ok({ sent, received, changes });
}

function matches(hook: Webhook, entry: WebhookEntry): boolean {
  return (
    hook.url === entry.url &&
    hook.triggerScope === entry.triggerScope &&
    hook.active &&
    (hook.invokeOption === null || hook.invokeOption === (entry.invokeOption ?? "ONE")) &&
    (entry.contactEmailAddress === undefined || hook.contactEmailAddress === entry.contactEmailAddress)
  );
}

function single(answer: Result<{ status: number; json: unknown }>): Result<Webhook> {
  if (!answer.ok) return answer;
  const hook = toWebhook(answer.data.json);
  return hook === undefined
    ? fail(invalidResponseError(answer.data.status, "webhook answer is unreadable"))
    : ok(hook);
}

function toWebhook(raw: unknown): Webhook | undefined {
  if (raw === null || typeof raw !== "object") return undefined;
  const r = raw as Record<string, unknown>;
  const id = typeof r.id === "number" || typeof r.id === "string" ? String(r.id) : undefined;
  if (id === undefined || typeof r.name !== "string" || typeof r.url !== "string") return undefined;
  if (r.triggerScope !== "SENT" && r.triggerScope !== "RECEIVED") return undefined;
  return {
    id,
    name: r.name,
    url: r.url,
    triggerScope: r.triggerScope,
    active: r.active !== false,
    invokeOption: r.invokeOption === "MANY" || r.invokeOption === "ONE" ? r.invokeOption : null,
    contactEmailAddress: typeof r.contactEmailAddress === "string" ? r.contactEmailAddress : null,
  };
}
