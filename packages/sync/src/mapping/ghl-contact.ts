/** The DND channels of a GHL contact's `dndSettings` (the SMS one matters here). */
export type GhlDndChannel = "Call" | "Email" | "SMS" | "WhatsApp" | "GMB" | "FB" | "RCS";

export interface GhlDndSetting {
  status: "active" | "inactive" | "permanent";
  message?: string | undefined;
  code?: string | undefined;
}

/**
 * The parts of a GHL contact (Contacts API 2021-07-28, `GET /contacts/{id}` / search items) that the
 * mapping reads. Structural, so the generated client type can be passed as is.
 */
export interface GhlContactLike {
  id: string;
  locationId?: string | undefined;
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  name?: string | null | undefined;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  timezone?: string | null | undefined;
  country?: string | null | undefined;
  companyName?: string | null | undefined;
  city?: string | null | undefined;
  state?: string | null | undefined;
  postalCode?: string | null | undefined;
  address1?: string | null | undefined;
  website?: string | null | undefined;
  source?: string | null | undefined;
  type?: string | null | undefined;
  dateOfBirth?: string | null | undefined;
  tags?: readonly string[] | undefined;
  dnd?: boolean | undefined;
  dndSettings?: Partial<Record<GhlDndChannel, GhlDndSetting>> | undefined;
  customFields?: readonly { id: string; value?: unknown }[] | undefined;
  dateAdded?: string | undefined;
  dateUpdated?: string | undefined;
}

/** True when GHL says: do not text this contact (global DND, or SMS DND active/permanent). */
export function ghlSmsDnd(contact: Pick<GhlContactLike, "dnd" | "dndSettings">): boolean {
  const sms = contact.dndSettings?.SMS?.status;
  return contact.dnd === true || sms === "active" || sms === "permanent";
}

/**
 * The consent log GHL's current state implies: an opt-out event (source "ghl-dnd") when SMS DND is on,
 * nothing otherwise. DND switched off in GHL is not an opt-in: the merged log keeps any earlier opt-out,
 * and the plan sets DND again.
 *
 * The event time is `dndSince` (when the engine first saw DND on for this contact, kept in the mirror),
 * else `dateUpdated`, else `fallbackAt`. Prefer `dndSince`: `dateUpdated` moves with every edit of the
 * contact, and an opt-out dated after a later START would wrongly win over it.
 */
export function ghlConsentLog(
  contact: Pick<GhlContactLike, "dnd" | "dndSettings" | "dateUpdated">,
  fallbackAt: string,
  dndSince?: string,
): { optOut?: { at: string; source: "ghl-dnd" } } {
  if (!ghlSmsDnd(contact)) return {};
  return { optOut: { at: dndSince ?? contact.dateUpdated ?? fallbackAt, source: "ghl-dnd" } };
}
