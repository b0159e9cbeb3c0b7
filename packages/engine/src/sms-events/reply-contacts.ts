// Who a text from a number is from, in one location, so that no reply is lost:
// 1. the contacts that have the number now (the mirror);
// 2. else the contact we last texted at that number (our message history: they answer the text they got);
// 3. else the contact that had the number before it changed in GHL (the mirror keeps replaced phones).
// Empty: an unknown sender (see unknown-sender.ts).
import type { ContactRecord, Repositories } from "@ghl-bulksms/store";

export type ReplyMatch = "current-phone" | "last-texted" | "previous-phone";

export interface ReplyContacts {
  contactIds: string[];
  /** How they were found; null when nobody has or had the number. */
  match: ReplyMatch | null;
}

function live(c: ContactRecord | null): c is ContactRecord {
  return c !== null && !c.deleted;
}

export async function replyContacts(
  repos: Pick<Repositories, "contacts" | "messages">,
  locationId: string,
  phone: string,
): Promise<ReplyContacts> {
  const current = await repos.contacts.findByPhone(locationId, phone);
  if (current.length > 0) return { contactIds: current.map((c) => c.contactId), match: "current-phone" };
  const texted = await repos.messages.lastContactTextedAt(locationId, phone);
  if (texted?.contactId) {
    const c = await repos.contacts.get(locationId, texted.contactId);
    // a contact the mirror does not hold yet is still the one we texted; a deleted one is not
    if (c === null || live(c)) return { contactIds: [texted.contactId], match: "last-texted" };
  }
  const previous = await repos.contacts.findByPreviousPhone(locationId, phone);
  const newest = previous[0];
  if (newest) return { contactIds: [newest.contactId], match: "previous-phone" };
  return { contactIds: [], match: null };
}
