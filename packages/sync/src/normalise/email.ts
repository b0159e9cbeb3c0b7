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
