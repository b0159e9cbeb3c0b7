// Agreement levels of a pair of contacts, field by field (the comparison vector of a Fellegi-Sunter model).
import { areNicknames, isGenderedVariant, jaroWinkler, nicknamesOf } from "./name-similarity.js";

/** Level 0 of every field is "missing" (one side has no value): it is neutral evidence. */
export const COMPARISON_FIELDS = {
  phone: [
    "missing",
    "different",
    "same-digits",
    "same-shared-number",
    "same-number-of-several-people",
    "same-number",
  ],
  email: [
    "missing",
    "different",
    "same-shared-mailbox",
    "same-mailbox-of-several-people",
    "same-mailbox",
    "same-address",
  ],
  firstName: ["missing", "different", "initial", "typo", "nickname", "exact"],
  lastName: ["missing", "different", "typo", "exact"],
} as const;

export type ComparisonField = keyof typeof COMPARISON_FIELDS;
export type PhoneLevel = (typeof COMPARISON_FIELDS.phone)[number];
export type EmailLevel = (typeof COMPARISON_FIELDS.email)[number];
export type FirstNameLevel = (typeof COMPARISON_FIELDS.firstName)[number];
export type LastNameLevel = (typeof COMPARISON_FIELDS.lastName)[number];
export type ComparisonLevel = PhoneLevel | EmailLevel | FirstNameLevel | LastNameLevel;

export const FIELD_ORDER: readonly ComparisonField[] = ["phone", "email", "firstName", "lastName"];

/**
 * Phone levels. "shared" = a switchboard (held by more than `maxBlockSize` contacts); "several" = a number
 * also held by records whose names contradict each other (a family or office line); "digits" = the same
 * digits although no numbering plan accepts them.
 */
export const PHONE = { missing: 0, different: 1, digits: 2, shared: 3, several: 4, same: 5 } as const;
/**
 * E-mail levels. "shared" = a generic mailbox (info@, office@, …) or one held by more than `maxBlockSize`
 * contacts; "several" = a personal mailbox also used by records whose names contradict each other (a
 * couple's address); "mailbox" = the same mailbox written differently (sub-address, Gmail dots);
 * "address" = the same address (case aside).
 */
export const EMAIL = { missing: 0, different: 1, shared: 2, several: 3, mailbox: 4, address: 5 } as const;
export const FIRST = { missing: 0, different: 1, initial: 2, typo: 3, nickname: 4, exact: 5 } as const;
export const LAST = { missing: 0, different: 1, typo: 2, exact: 3 } as const;

const SIZES = FIELD_ORDER.map((f) => COMPARISON_FIELDS[f].length);
/** Number of distinct comparison vectors (patterns). */
export const PATTERN_COUNT = SIZES.reduce((a, b) => a * b, 1);

/** Packs four levels into one pattern number (phone most significant). */
export function encodePattern(phone: number, email: number, first: number, last: number): number {
  return (
    ((phone * (SIZES[1] as number) + email) * (SIZES[2] as number) + first) * (SIZES[3] as number) + last
  );
}

export function decodePattern(pattern: number): [number, number, number, number] {
  const last = pattern % (SIZES[3] as number);
  let rest = (pattern - last) / (SIZES[3] as number);
  const first = rest % (SIZES[2] as number);
  rest = (rest - first) / (SIZES[2] as number);
  const email = rest % (SIZES[1] as number);
  const phone = (rest - email) / (SIZES[1] as number);
  return [phone, email, first, last];
}

/** First and last token of a folded name key ("jean luc picard" -> jean / picard; "anne" -> anne / ""). */
export interface NameParts {
  first: string;
  last: string;
}

export function nameParts(key: string): NameParts {
  if (key === "") return { first: "", last: "" };
  const space = key.indexOf(" ");
  if (space < 0) return { first: key, last: "" };
  return { first: key.slice(0, space), last: key.slice(key.lastIndexOf(" ") + 1) };
}

export function firstNameLevel(a: string, b: string, threshold: number): number {
  if (a === "" || b === "") return FIRST.missing;
  if (a === b) return FIRST.exact;
  if (areNicknames(a, b)) return FIRST.nickname;
  const direct = spellingLevel(a, b, threshold);
  if (direct !== FIRST.different) return direct;
  // A variant of a nickname: "r" / "becky" (the initial of Rebecca), "thoams" / "tom" (a typo of Thomas).
  // Without this, two duplicates of one person would contradict each other and keep each other apart.
  let best: number = FIRST.different;
  for (const [x, y] of [
    [a, b],
    [b, a],
  ] as const) {
    for (const full of nicknamesOf(y)) {
      const level = spellingLevel(x, full, threshold);
      if (level !== FIRST.different && (best === FIRST.different || level < best)) best = level;
    }
  }
  return best;
}

/** Initial, typo or different (the spelling alone, no nicknames). */
function spellingLevel(a: string, b: string, threshold: number): number {
  if (a === b) return FIRST.exact;
  if ((a.length === 1 && b.startsWith(a)) || (b.length === 1 && a.startsWith(b))) return FIRST.initial;
  if (a.length === 1 || b.length === 1) return FIRST.different;
  // "maria"/"mario", "daniel"/"daniela": usually siblings or spouses, whatever the string metric says.
  if (isGenderedVariant(a, b)) return FIRST.different;
  // One other letter in a short name is another name ("mark"/"mary", "john"/"joan"), however similar.
  if (Math.min(a.length, b.length) < 5 && oneEdit(a, b) === "substitution") return FIRST.different;
  if (jaroWinkler(a, b) >= threshold) return FIRST.typo;
  // One slip in a longer name ("kathryn"/"kathyrn", "jennifer"/"jenifer"); short names one letter apart
  // ("mark"/"mary", "hall"/"hill") are usually different people.
  return isSlip(a, b) ? FIRST.typo : FIRST.different;
}

export function lastNameLevel(a: string, b: string, threshold: number): number {
  if (a === "" || b === "") return LAST.missing;
  if (a === b) return LAST.exact;
  if (jaroWinkler(a, b) >= threshold) return LAST.typo;
  return isSlip(a, b) ? LAST.typo : LAST.different;
}

/**
 * The one edit that turns `a` into `b`, if there is exactly one: "substitution", "transposition" (of two
 * neighbours) or "indel" (a letter added or dropped); undefined when equal or further apart.
 */
export function oneEdit(a: string, b: string): "substitution" | "transposition" | "indel" | undefined {
  if (a === b) return undefined;
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (l.length - s.length > 1) return undefined;
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  if (s.length === l.length) {
    if (s.slice(i + 1) === l.slice(i + 1)) return "substitution";
    if (s[i] === l[i + 1] && s[i + 1] === l[i] && s.slice(i + 2) === l.slice(i + 2)) return "transposition";
    return undefined;
  }
  return s.slice(i) === l.slice(i + 1) ? "indel" : undefined;
}

/**
 * A slip of the keyboard: a dropped, doubled or swapped letter in a name of 3 letters or more, or one
 * wrong letter in a name of 5 or more. One other letter in a short name ("mark"/"mary", "hall"/"hill",
 * "rono"/"rolo") is usually another person.
 */
function isSlip(a: string, b: string): boolean {
  const edit = oneEdit(a, b);
  if (edit === undefined) return false;
  const shortest = Math.min(a.length, b.length);
  return edit === "substitution" ? shortest >= 5 : shortest >= 3;
}

// Ordinal strength of a level, used only to pick the better alignment of two names (never as a weight).
const FIRST_RANK = [0, -4, 1, 2, 3, 4];
const LAST_RANK = [0, -4, 2, 4];

/**
 * First- and last-name levels of two folded name keys, packed as `first * 8 + last` (see `unpackNames`).
 * Swapped order ("garcia jose" / "jose garcia") and a one-word name that may be a first or a last name
 * are aligned in whichever way agrees best; the result does not depend on the order of the arguments.
 */
export function nameLevels(a: NameParts, b: NameParts, threshold: number): number {
  if ((a.first === "" && a.last === "") || (b.first === "" && b.last === "")) return 0;
  const [x, y] = a.first < b.first || (a.first === b.first && a.last <= b.last) ? [a, b] : [b, a];
  let first = firstNameLevel(x.first, y.first, threshold);
  let last = lastNameLevel(x.last, y.last, threshold);
  if (first === FIRST.exact && (last === LAST.exact || last === LAST.missing)) return first * 8 + last;
  let rank = (FIRST_RANK[first] as number) + (LAST_RANK[last] as number);
  const consider = (f: number, l: number): void => {
    const r = (FIRST_RANK[f] as number) + (LAST_RANK[l] as number);
    if (r > rank) {
      first = f;
      last = l;
      rank = r;
    }
  };
  if (x.last !== "" && y.last !== "")
    consider(firstNameLevel(x.first, y.last, threshold), lastNameLevel(x.last, y.first, threshold));
  // A one-word name may be a surname ("smith" / "anne smith").
  if (x.last === "" && y.last !== "") consider(FIRST.missing, lastNameLevel(x.first, y.last, threshold));
  if (y.last === "" && x.last !== "") consider(FIRST.missing, lastNameLevel(y.first, x.last, threshold));
  return first * 8 + last;
}

/** True when the names support each other (nothing contradicts, something agrees). */
export function namesAgree(first: number, last: number): boolean {
  if (first === FIRST.different || last === LAST.different) return false;
  return first !== FIRST.missing || last !== LAST.missing;
}
