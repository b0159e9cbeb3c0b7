// How well-formed a field value is, so that a merge never replaces a good value with a worse spelling of
// the same thing ("Evans" with "EVANS", "John" with "J", a valid phone with an invalid one).
import type { FieldValue } from "../contact.js";
import { normaliseEmail } from "../normalise/email.js";
import { normaliseName } from "../normalise/name.js";
import { normalisePhone } from "../normalise/phone.js";

/** Fields whose case is written by people: proper case is the better form. */
const CASED_FIELDS = new Set(["firstName", "lastName", "name", "companyName", "city", "address1", "state"]);

export type FormKind = "proper-case" | "all-caps" | "all-lower" | "initial" | "valid" | "invalid" | "text";

export interface ValueForm {
  kind: FormKind;
  /** Higher is better. */
  rank: number;
  /** Values of equal `key` are spellings of the same thing (folded name; the value itself otherwise). */
  key: string;
}

const LETTER = /\p{L}/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;

function caseForm(value: string): { kind: FormKind; rank: number } {
  const letters = value.replace(/[^\p{L}]/gu, "");
  if (letters.length <= 1) return { kind: "initial", rank: 0 };
  const hasUpper = UPPER.test(value);
  const hasLower = LOWER.test(value);
  if (hasUpper && hasLower) return { kind: "proper-case", rank: 3 };
  return hasUpper ? { kind: "all-caps", rank: 2 } : { kind: "all-lower", rank: 1 };
}

/** The form of one field value, or undefined for fields where form is not judged (lists, numbers, ...). */
export function valueForm(field: string, value: FieldValue): ValueForm | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  if (field === "phone") {
    const ok = value.startsWith("+") && normalisePhone(value).ok;
    return { kind: ok ? "valid" : "invalid", rank: ok ? 1 : 0, key: "" };
  }
  if (field === "email") {
    const ok = normaliseEmail(value).ok;
    return { kind: ok ? "valid" : "invalid", rank: ok ? 1 : 0, key: "" };
  }
  if (!CASED_FIELDS.has(field) || !LETTER.test(value)) return undefined;
  return { ...caseForm(value), key: normaliseName(value) };
}

/**
 * True when `b` is a better form of the same value as `a`: same folded spelling in a better case, the full
 * name an initial stands for, or (phone, email) a valid value where `a` is invalid.
 */
export function isBetterForm(field: string, a: FieldValue, b: FieldValue): boolean {
  const fa = valueForm(field, a);
  const fb = valueForm(field, b);
  if (fa === undefined || fb === undefined || fb.rank <= fa.rank) return false;
  if (fa.kind === "invalid") return true; // phone / email: any valid value beats an invalid one
  if (fa.kind === "initial") return fb.key.startsWith(fa.key) && fa.key !== "";
  return fa.key === fb.key;
}

export function describeForm(field: string, value: FieldValue): string {
  const f = valueForm(field, value);
  if (f === undefined) return "";
  return f.kind.replace("-", " ");
}
