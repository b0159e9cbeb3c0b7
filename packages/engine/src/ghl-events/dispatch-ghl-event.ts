// GHL event type -> use-case, through a typed registry (exhaustive: a missing type is a compile error).
import type { GhlContactLike } from "@ghl-bulksms/sync";
import type { EngineDeps, LocationContext } from "../core/deps.js";
import { ensureLocation, loadLocation } from "../core/deps.js";
import { type JobOutcome, OK, permanent } from "../core/outcome.js";
import { handleProviderOutbound } from "../provider/provider-outbound.js";
import { handleAppInstalled } from "./app-installed.js";
import { handleAppUninstalled } from "./app-uninstalled.js";
import { handleContactChanged } from "./contact-changed.js";
import { handleContactDeleted } from "./contact-deleted.js";

export const HANDLED_GHL_EVENTS = [
  "ContactCreate",
  "ContactUpdate",
  "ContactTagUpdate",
  "ContactDndUpdate",
  "ContactDelete",
  "INSTALL",
  "UNINSTALL",
  "ProviderOutboundMessage",
] as const;
export type HandledGhlEvent = (typeof HANDLED_GHL_EVENTS)[number];

export interface GhlEventEnvelope {
  type: string;
  locationId?: string | null;
  [key: string]: unknown;
}

/**
 * Where the event came from. A signed marketplace webhook may register its location (when
 * `autoRegisterLocations` allows it); a workflow webhook never does: it is authenticated only by a shared
 * path secret and any sub-account's workflow can name any location (see location/unknown-locations.ts).
 */
export type GhlEventOrigin = "marketplace" | "workflow";

type Handler = (
  deps: EngineDeps,
  event: GhlEventEnvelope,
  eventKey: string,
  origin: GhlEventOrigin,
) => Promise<JobOutcome>;

function withLocation(
  fn: (
    deps: EngineDeps,
    ctx: LocationContext,
    event: GhlEventEnvelope,
    eventKey: string,
  ) => Promise<JobOutcome>,
): Handler {
  return async (deps, event, eventKey, origin) => {
    const locationId = typeof event.locationId === "string" ? event.locationId : null;
    if (!locationId) return permanent("missing_location", `${event.type} event has no locationId`);
    const ctx =
      origin === "workflow" ? await loadLocation(deps, locationId) : await ensureLocation(deps, locationId);
    if (!ctx) return permanent("unknown_location", `location ${locationId} is not registered`);
    if (!ctx.location.active) {
      deps.logger.info({ locationId, type: event.type }, "event for an inactive location ignored");
      return OK;
    }
    return fn(deps, ctx, event, eventKey);
  };
}

/** Envelope fields that are not contact fields (`type` is the event type here, not the contact's). */
const ENVELOPE_FIELDS = new Set(["type", "webhookId", "timestamp", "appId", "versionId", "origin"]);

function contactOf(event: GhlEventEnvelope): GhlContactLike | null {
  if (typeof event.id !== "string" || event.id === "") return null;
  return Object.fromEntries(
    Object.entries(event).filter(([k]) => !ENVELOPE_FIELDS.has(k)),
  ) as unknown as GhlContactLike;
}

const contactChanged = (
  type: "ContactCreate" | "ContactUpdate" | "ContactTagUpdate" | "ContactDndUpdate",
): Handler =>
  withLocation((deps, ctx, event, eventKey) => {
    const contact = contactOf(event);
    if (!contact) return Promise.resolve(permanent("invalid_event", `${type} event has no contact id`));
    const stamped = typeof event.timestamp === "string" ? Date.parse(event.timestamp) : Number.NaN;
    return handleContactChanged(deps, ctx, {
      type,
      contact,
      eventKey,
      ...(Number.isNaN(stamped) ? {} : { eventAt: stamped }),
    });
  });

export const GHL_EVENT_HANDLERS: { readonly [K in HandledGhlEvent]: Handler } = {
  ContactCreate: contactChanged("ContactCreate"),
  ContactUpdate: contactChanged("ContactUpdate"),
  ContactTagUpdate: contactChanged("ContactTagUpdate"),
  ContactDndUpdate: contactChanged("ContactDndUpdate"),
  ContactDelete: withLocation((deps, ctx, event) => {
    const contact = contactOf(event);
    if (!contact) return Promise.resolve(permanent("invalid_event", "ContactDelete event has no contact id"));
    return handleContactDeleted(deps, ctx, contact.id);
  }),
  INSTALL: (deps, event, eventKey) =>
    handleAppInstalled(
      deps,
      {
        locationId: typeof event.locationId === "string" ? event.locationId : null,
        companyId: typeof event.companyId === "string" ? event.companyId : null,
        companyName: typeof event.companyName === "string" ? event.companyName : null,
      },
      eventKey,
    ),
  UNINSTALL: (deps, event) =>
    handleAppUninstalled(deps, typeof event.locationId === "string" ? event.locationId : null),
  ProviderOutboundMessage: withLocation((deps, ctx, event, eventKey) =>
    handleProviderOutbound(deps, ctx, event, eventKey),
  ),
};

/**
 * The event's name. GHL's ProviderOutboundMessage (POSTed to the provider's Delivery URL, which may be the
 * app's webhook URL) carries the channel as its `type` ("SMS" / "Email") instead of an event name; it is
 * told apart by that and its `messageId` (docs/webhook events/ProviderOutboundMessage.md).
 */
export function ghlEventType(event: GhlEventEnvelope): string {
  if ((event.type === "SMS" || event.type === "Email") && typeof event.messageId === "string")
    return "ProviderOutboundMessage";
  return event.type;
}

function isHandled(type: string): type is HandledGhlEvent {
  return (HANDLED_GHL_EVENTS as readonly string[]).includes(type);
}

/** Runs the use-case for one GHL event (marketplace webhook or mapped workflow webhook). */
export async function dispatchGhlEvent(
  deps: EngineDeps,
  event: unknown,
  eventKey: string,
  origin: GhlEventOrigin = "marketplace",
): Promise<JobOutcome> {
  if (!event || typeof event !== "object" || typeof (event as { type?: unknown }).type !== "string") {
    return permanent("invalid_event", "GHL event without a type");
  }
  const envelope = event as GhlEventEnvelope;
  const type = ghlEventType(envelope);
  if (!isHandled(type)) {
    deps.logger.debug({ type }, "GHL event type not used by the engine");
    return OK;
  }
  // a workflow webhook is authenticated by a path secret only: it may not ask us to text anyone
  if (type === "ProviderOutboundMessage" && origin !== "marketplace") {
    deps.logger.warn({ type }, "provider message from a workflow webhook refused");
    return permanent("invalid_origin", "ProviderOutboundMessage is accepted only as a signed GHL webhook");
  }
  return GHL_EVENT_HANDLERS[type](deps, envelope, eventKey, origin);
}
