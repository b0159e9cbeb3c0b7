export type EmailResult =
  | { ok: true; email: string; local: string; domain: string }
  | { ok: false; reason: "empty" | "invalid-email"; input: string };

// Deliberately permissive: one "@", a non-empty local part, a dotted domain, no whitespace.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Normalise an email address for matching: trim, drop a "mailto:" prefix and angle brackets, lower-case.
 * Provider-specific rewriting (Gmail dots, "+tags") is NOT done: those are different mailboxes elsewhere.
 * Idempotent.
 */
export function normaliseEmail(raw: string | null | undefined): EmailResult {
  let input = typeof raw === "string" ? raw.trim() : "";
  if (input === "") return { ok: false, reason: "empty", input };
  if (input.toLowerCase().startsWith("mailto:")) input = input.slice(7).trim();
  if (input.startsWith("<") && input.endsWith(">")) input = input.slice(1, -1).trim();
  const email = input.toLowerCase();
  if (!EMAIL.test(email)) return { ok: false, reason: "invalid-email", input };
  const at = email.lastIndexOf("@");
  return { ok: true, email, local: email.slice(0, at), domain: email.slice(at + 1) };
}

const GMAIL_DOMAINS = new Set(["gmail.com", "googlemail.com"]);

/**
 * The mailbox an address delivers to, for matching only: sub-addressing ("ana+crm@x.com") is dropped and,
 * at Gmail only, dots in the local part are ignored ("a.na@gmail.com" = "ana@gmail.com",
 * googlemail.com = gmail.com). Equal keys from different addresses are weaker evidence than equal
 * addresses (dedupe rates them lower); the stored address is never rewritten. Expects `normaliseEmail`
 * output; idempotent.
 */
export function emailMailboxKey(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return email;
  const plusAt = email.indexOf("+");
  if ((plusAt < 0 || plusAt > at) && !email.endsWith("mail.com")) return email; // the common case: as is
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = "gmail.com";
    local = local.replaceAll(".", "");
    if (local === "") return email;
  }
  return `${local}@${domain}`;
}
