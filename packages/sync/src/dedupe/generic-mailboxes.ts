/**
 * Local parts of shared role mailboxes: an email match on one of these is weak evidence (a whole office
 * reads info@). Operators can add their own through `findDuplicates(..., { genericMailboxes })`.
 */
export const GENERIC_MAILBOXES: readonly string[] = [
  "accounts",
  "admin",
  "administrator",
  "billing",
  "bookings",
  "contact",
  "contactus",
  "enquiries",
  "enquiry",
  "finance",
  "frontdesk",
  "hello",
  "help",
  "hi",
  "hr",
  "info",
  "inquiries",
  "invoices",
  "jobs",
  "mail",
  "marketing",
  "noreply",
  "no-reply",
  "office",
  "orders",
  "reception",
  "sales",
  "service",
  "support",
  "team",
  "webmaster",
];

export function isGenericMailbox(email: string, generic: ReadonlySet<string>): boolean {
  const at = email.lastIndexOf("@");
  const local = at < 0 ? email : email.slice(0, at);
  // "info+crm@" and "info.uk@" are still the info mailbox.
  const base = local.split(/[+.]/, 1)[0] ?? local;
  return generic.has(local) || generic.has(base);
}
