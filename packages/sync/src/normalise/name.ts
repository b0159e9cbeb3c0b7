// Letters that do not decompose under NFKD but have an obvious ASCII fold.
const SPECIAL_FOLDS: Record<string, string> = {
  ß: "ss",
  ø: "o",
  æ: "ae",
  œ: "oe",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
};
const SPECIAL = /[ßøæœłđðþı]/g;
const COMBINING = /\p{M}+/gu;
const APOSTROPHES = /['’`´]/g;
const NOT_WORD = /[^\p{L}\p{N}]+/gu;

/**
 * Fold a name into a matching key: trim, lower-case, strip accents ("José" -> "jose"), fold a few special
 * letters ("Straße" -> "strasse"), drop apostrophes ("O'Brien" -> "obrien"), turn other punctuation and
 * runs of whitespace into one space. Idempotent. Returns "" for empty input.
 * Use it for matching only; display values keep their case and accents (see `cleanText`).
 */
export function normaliseName(raw: string | null | undefined): string {
  if (typeof raw !== "string" || raw === "") return "";
  return raw
    .normalize("NFKD")
    .replace(COMBINING, "")
    .toLowerCase()
    .replace(SPECIAL, (ch) => SPECIAL_FOLDS[ch] ?? ch)
    .replace(APOSTROPHES, "")
    .replace(NOT_WORD, " ")
    .trim();
}

/** Display clean-up: trim and collapse internal whitespace, keep case and accents. Idempotent. */
export function cleanText(raw: string | null | undefined): string {
  if (typeof raw !== "string") return "";
  return raw.replace(/\s+/g, " ").trim();
}

/**
 * The name key stored in the mirror: the folded full name, built from first + last name when present,
 * otherwise from the single `name` field. "" when no name is known.
 */
export function nameKeyOf(parts: {
  firstName?: string | null | undefined;
  lastName?: string | null | undefined;
  name?: string | null | undefined;
}): string {
  const firstLast = normaliseName(`${parts.firstName ?? ""} ${parts.lastName ?? ""}`);
  return firstLast !== "" ? firstLast : normaliseName(parts.name);
}
