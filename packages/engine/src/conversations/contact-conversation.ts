// The contact's GHL conversation id: GHL keeps one conversation per contact (ConversationProviders.md), and
// "Add an inbound message" needs its id. Found with GET /conversations/search, created with POST
// /conversations/ the first time; a create that races another one (400) is answered by searching again.
import type { GhlError, GhlPriority } from "@ghl-bulksms/ghl";
import type { EngineDeps } from "../core/deps.js";

export type ConversationIdResult = { ok: true; id: string } | { ok: false; error: GhlError };

async function find(
  deps: EngineDeps,
  locationId: string,
  contactId: string,
  o: { priority: GhlPriority },
): Promise<{ ok: true; id: string | null } | { ok: false; error: GhlError }> {
  const r = await deps.ghl(locationId).conversations.search({ locationId, contactId, limit: 1 }, o);
  if (!r.ok) return r;
  const found = r.data.conversations.find((c) => c.contactId === contactId);
  return { ok: true, id: found?.id ?? null };
}

export async function contactConversationId(
  deps: EngineDeps,
  locationId: string,
  contactId: string,
  priority: GhlPriority = "realtime",
): Promise<ConversationIdResult> {
  const o = { priority };
  const existing = await find(deps, locationId, contactId, o);
  if (!existing.ok) return existing;
  if (existing.id) return { ok: true, id: existing.id };
  const created = await deps.ghl(locationId).conversations.create({ locationId, contactId }, o);
  if (created.ok) return { ok: true, id: created.data.conversation.id };
  // "Conversation already exists" (created meanwhile), or an ambiguous failure that may have created it
  if (created.error.status === 400 || created.error.ambiguous) {
    const again = await find(deps, locationId, contactId, o);
    if (!again.ok) return again;
    if (again.id) return { ok: true, id: again.id };
  }
  return created;
}
