/**
 * HTTP mirror of GhlControl under `/__sandbox/` so another process (the demo, an e2e test) can drive the
 * simulator. Bodies and answers are JSON; errors are `{error}` with 400/404.
 */
import type { ServerResponse } from "node:http";
import { sendJson } from "../http.js";
import { GhlStoreError } from "./contacts-store.js";
import type { GhlControl } from "./control.js";

export interface ControlHttpRequest {
  control: GhlControl;
  method: string;
  path: string;
  query: URLSearchParams;
  raw: Buffer;
  res: ServerResponse;
  info: () => unknown;
}

export const GHL_CONTROL_ROUTES = [
  "GET /__sandbox/state",
  "POST /__sandbox/reset",
  "POST /__sandbox/seed {count, locationId?, webhooks?}",
  "GET /__sandbox/contacts?locationId=",
  "POST /__sandbox/contacts {locationId, ...contact}",
  "GET|PUT|DELETE /__sandbox/contacts/:id",
  "POST /__sandbox/contacts/:id/notes {body}",
  "POST /__sandbox/contacts/:id/tasks {title, dueDate, body?}",
  "PUT /__sandbox/locations/:id/settings {allowDuplicates?, duplicatePriority?}",
  "POST /__sandbox/oauth/codes {locationId?, scopes?}",
  "GET /__sandbox/clock",
  "POST /__sandbox/clock/advance {ms}",
  "PUT /__sandbox/webhooks/url {url}",
  "GET /__sandbox/webhooks/deliveries",
  "POST /__sandbox/webhooks/flush",
  "GET /__sandbox/webhooks/keys",
  "POST /__sandbox/messages/provider {contactId, message, attachments?, userId?}",
  "PUT /__sandbox/locations/:id/sms-provider {deliveryUrl|null}",
  "GET /__sandbox/messages/inbound | /outbound | /status-updates",
  "GET /__sandbox/contacts/:id/thread",
  "PUT /__sandbox/conversation-provider {id, kind: default|extra, type: SMS} ({} = none)",
  "GET|PUT /__sandbox/faults",
  "POST /__sandbox/faults/storm {durationMs}",
  "GET /__sandbox/requests",
  "GET /__sandbox/memberships",
  "GET /__sandbox/contract-violations",
] as const;

export async function handleControlHttp(r: ControlHttpRequest): Promise<void> {
  const { control, method, res } = r;
  const parts = r.path.split("/").filter(Boolean).slice(1);
  let body: Record<string, unknown> = {};
  try {
    if (r.raw.length > 0) body = JSON.parse(r.raw.toString("utf8")) as Record<string, unknown>;
  } catch {
    sendJson(res, 400, { error: "control body is not valid JSON" });
    return;
  }
  const ok = (value: unknown): void => sendJson(res, 200, value === undefined ? { ok: true } : value);
  const key = `${method} ${parts.map((p, i) => (i === 1 && (parts[0] === "contacts" || parts[0] === "locations") ? ":id" : p)).join("/")}`;
  const id = decodeURIComponent(parts[1] ?? "");
  try {
    switch (key) {
      case "GET state":
        return ok(r.info());
      case "POST reset":
        control.reset();
        return ok(undefined);
      case "POST seed":
        return ok(
          control.seedContacts(Number(body.count ?? 0), {
            locationId: body.locationId as string | undefined,
            webhooks: body.webhooks === true,
          }),
        );
      case "GET contacts":
        return ok({ contacts: control.listContacts(r.query.get("locationId") ?? "") });
      case "POST contacts": {
        const { locationId, ...input } = body;
        return ok({ contact: control.createContact(String(locationId ?? ""), input) });
      }
      case "GET contacts/:id": {
        const c = control.getContact(id);
        if (!c) return sendJson(res, 404, { error: `no contact ${id}` });
        return ok({ contact: c });
      }
      case "PUT contacts/:id":
        return ok({ contact: control.updateContact(id, body) });
      case "DELETE contacts/:id":
        control.deleteContact(id);
        return ok(undefined);
      case "POST contacts/:id/notes":
        return ok({ note: control.addNote(id, String(body.body ?? "")) });
      case "POST contacts/:id/tasks":
        return ok({ task: control.addTask(id, body as { title: string; dueDate: string; body?: string }) });
      case "PUT locations/:id/settings":
        return ok({ location: control.setLocationSettings(id, body) });
      case "PUT locations/:id/sms-provider":
        control.setSmsProvider(id, typeof body.deliveryUrl === "string" ? body.deliveryUrl : null);
        return ok(undefined);
      case "POST oauth/codes":
        return ok({
          code: control.issueAuthorizationCode({
            locationId: body.locationId as string | undefined,
            scopes: body.scopes as string[] | undefined,
          }),
        });
      case "GET clock":
        return ok({ now: control.now(), iso: new Date(control.now()).toISOString() });
      case "POST clock/advance": {
        const ms = Number(body.ms);
        if (!(ms >= 0)) return sendJson(res, 400, { error: "clock/advance needs {ms: number >= 0}" });
        await control.advanceClock(ms);
        return ok({ now: control.now(), iso: new Date(control.now()).toISOString() });
      }
      case "PUT webhooks/url":
        control.setWebhookUrl(typeof body.url === "string" && body.url ? body.url : undefined);
        return ok(undefined);
      case "GET webhooks/deliveries":
        return ok({ deliveries: control.webhookDeliveries() });
      case "POST webhooks/flush":
        await control.flushWebhooks();
        return ok(undefined);
      case "GET webhooks/keys":
        return ok(control.webhookKeys());
      case "POST messages/provider":
        return ok({
          message: control.sendProviderMessage(String(body.contactId ?? ""), String(body.message ?? ""), {
            ...(Array.isArray(body.attachments) ? { attachments: body.attachments.map(String) } : {}),
            ...(body.userId === null || typeof body.userId === "string" ? { userId: body.userId } : {}),
          }),
        });
      case "GET messages/inbound":
        return ok({ messages: control.inboundMessages() });
      case "GET messages/outbound":
        return ok({ messages: control.outboundMessages() });
      case "GET contacts/:id/thread":
        return ok({ messages: control.thread(id) });
      case "PUT conversation-provider": {
        if (body.id === undefined) {
          control.setConversationProvider(null);
          return ok({ provider: null });
        }
        if (typeof body.id !== "string" || !body.id || (body.kind !== "default" && body.kind !== "extra"))
          return sendJson(res, 400, { error: "conversation-provider needs {id, kind: default|extra}" });
        const provider = { id: body.id, kind: body.kind, type: "SMS" } as const;
        control.setConversationProvider(provider);
        return ok({ provider });
      }
      case "GET messages/status-updates":
        return ok({ statusUpdates: control.statusUpdates() });
      case "GET faults":
        return ok(control.faults());
      case "PUT faults":
        return ok(control.setFaults(body));
      case "POST faults/storm":
        control.startRateLimitStorm(Number(body.durationMs ?? 0));
        return ok(control.faults());
      case "GET requests":
        return ok({ requests: control.requestLog() });
      case "GET memberships":
        return ok({ memberships: control.memberships() });
      case "GET contract-violations":
        return ok({ violations: control.contractViolations() });
      default:
        return sendJson(res, 404, {
          error: `unknown control route ${method} ${r.path}`,
          routes: GHL_CONTROL_ROUTES,
        });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    sendJson(res, error instanceof GhlStoreError ? error.status : 400, { error: message });
  }
}
