// GHL workflow "Webhook" action payloads -> the same internal event shapes as the marketplace webhooks.
//
// A workflow webhook carries flat contact fields (contact_id, first_name, last_name, phone, email, tags as a
// comma string or array, ...) plus `location`, `workflow` and `customData` objects, and no event id. Which
// event it stands for is chosen by `customData.event` (or the `?event=` query when customData is absent):
// ContactCreate | ContactUpdate | ContactTagUpdate | ContactDndUpdate. For ContactDndUpdate, set
// `customData.dnd` to {{contact.dnd}} style "true"/"false" (an SMS channel DND flag).
//
// Idempotency: sha256 of the canonical JSON of the fields that matter, plus the minute the request arrived.
// The same workflow firing twice for the same change within a minute is one event; a change that happens
// again later is a new event (processing is idempotent downstream anyway).
import { createHash } from "node:crypto";
import { z } from "zod";

export const WORKFLOW_EVENT_TYPES = [
  "ContactCreate",
  "ContactUpdate",
  "ContactTagUpdate",
  "ContactDndUpdate",
] as const;
export type WorkflowEventType = (typeof WORKFLOW_EVENT_TYPES)[number];

/** The internal event: the subset of the marketplace Contact* payload the engine reads. */
export interface ContactEvent {
  readonly type: WorkflowEventType;
  readonly locationId: string;
  readonly id: string;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly name: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly tags: readonly string[];
  readonly timezone: string | null;
  readonly dnd?: boolean;
  readonly dndSettings?: { readonly SMS: { readonly status: "active" | "inactive" } };
  /** where it came from, for the audit trail */
  readonly origin: {
    readonly kind: "workflow";
    readonly workflowId: string | null;
    readonly workflowName: string | null;
  };
}

const optText = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || String(v).trim() === "" ? null : String(v).trim()));

const tagsField = z
  .union([z.string(), z.array(z.union([z.string(), z.number()]))])
  .nullish()
  .transform((v) => {
    const list = v === null || v === undefined ? [] : Array.isArray(v) ? v.map(String) : v.split(",");
    return [...new Set(list.map((t) => t.trim()).filter((t) => t.length > 0))].sort();
  });

const boolish = z
  .union([z.boolean(), z.string(), z.number()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === "") return undefined;
    const s = String(v).trim().toLowerCase();
    if (["true", "1", "yes", "active", "on"].includes(s)) return true;
    if (["false", "0", "no", "inactive", "off"].includes(s)) return false;
    ctx.addIssue({
      code: "custom",
      message: `expected true/false, got ${JSON.stringify(String(v).slice(0, 20))}`,
    });
    return z.NEVER;
  });

const workflowPayload = z.object({
  contact_id: z.union([z.string().trim().min(1), z.number()]).transform(String),
  first_name: optText,
  last_name: optText,
  full_name: optText,
  email: optText,
  phone: optText,
  tags: tagsField,
  timezone: optText,
  location: z
    .object({ id: z.string().trim().min(1) })
    .loose()
    .nullish(),
  workflow: z.object({ id: optText, name: optText }).loose().nullish(),
  customData: z.object({ event: optText, locationId: optText, dnd: boolish }).loose().nullish(),
});

export type WorkflowMapResult =
  | { readonly ok: true; readonly event: ContactEvent; readonly idempotencyKey: string }
  | {
      readonly ok: false;
      readonly error: { readonly code: "invalid_payload" | "unknown_event"; readonly message: string };
    };

function isEventType(value: string): value is WorkflowEventType {
  return (WORKFLOW_EVENT_TYPES as readonly string[]).includes(value);
}

/** Maps a parsed workflow webhook body. `queryEvent` is the `?event=` query value, if any. */
export function mapWorkflowPayload(
  body: unknown,
  options: { queryEvent?: string | undefined; now: number },
): WorkflowMapResult {
  const parsed = workflowPayload.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        code: "invalid_payload",
        message: `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`,
      },
    };
  }
  const p = parsed.data;
  const eventName = p.customData?.event ?? options.queryEvent ?? null;
  if (eventName === null || !isEventType(eventName)) {
    return {
      ok: false,
      error: {
        code: "unknown_event",
        message: `customData.event (or ?event=) must be one of ${WORKFLOW_EVENT_TYPES.join(", ")}; got ${JSON.stringify(eventName)}`,
      },
    };
  }
  const locationId = p.location?.id ?? p.customData?.locationId ?? null;
  if (locationId === null) {
    return {
      ok: false,
      error: { code: "invalid_payload", message: "location.id (or customData.locationId) is required" },
    };
  }
  const base = {
    type: eventName,
    locationId,
    id: p.contact_id,
    firstName: p.first_name,
    lastName: p.last_name,
    name: p.full_name ?? ([p.first_name, p.last_name].filter((x) => x !== null).join(" ") || null),
    email: p.email,
    phone: p.phone,
    tags: p.tags,
    timezone: p.timezone,
    origin: {
      kind: "workflow" as const,
      workflowId: p.workflow?.id ?? null,
      workflowName: p.workflow?.name ?? null,
    },
  };
  let event: ContactEvent;
  switch (eventName) {
    case "ContactCreate":
    case "ContactUpdate":
    case "ContactTagUpdate":
      event = base;
      break;
    case "ContactDndUpdate": {
      const dnd = p.customData?.dnd;
      if (dnd === undefined) {
        return {
          ok: false,
          error: {
            code: "invalid_payload",
            message: "customData.dnd (true/false) is required for ContactDndUpdate",
          },
        };
      }
      event = { ...base, dnd, dndSettings: { SMS: { status: dnd ? "active" : "inactive" } } };
      break;
    }
    default: {
      const unreachable: never = eventName;
      throw new Error(`unhandled workflow event ${String(unreachable)}`);
    }
  }
  return { ok: true, event, idempotencyKey: workflowIdempotencyKey(event, options.now) };
}

/** sha256 over the canonical JSON of the meaningful fields plus the minute bucket. */
export function workflowIdempotencyKey(event: ContactEvent, now: number): string {
  const relevant = {
    type: event.type,
    locationId: event.locationId,
    id: event.id,
    firstName: event.firstName,
    lastName: event.lastName,
    email: event.email,
    phone: event.phone,
    tags: event.tags,
    timezone: event.timezone,
    dnd: event.dnd ?? null,
    workflowId: event.origin.workflowId,
    minute: Math.floor(now / 60_000),
  };
  return `wf:${createHash("sha256").update(canonicalJson(relevant)).digest("hex")}`;
}

/** JSON with object keys sorted at every level, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}
