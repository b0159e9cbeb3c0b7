/**
 * Replaces typographic characters that would silently turn a message into UCS-2 (with `auto-unicode`)
 * or into `?` (without it) by their GSM-7 equivalents, and drops invisible characters.
 * Apply it unless the sender explicitly wants Unicode.
 */
const REPLACEMENTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u2018\u2019\u201A\u201B\u2032\u02BC]/g, "'"], // single smart quotes, prime, modifier apostrophe
  [/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"'], // double smart quotes, guillemets
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, "-"], // hyphens, en/em dashes, minus
  [/\u2026/g, "..."], // ellipsis
  [/[\u00A0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u202F\u205F\u3000]/g, " "], // NBSP and other spaces
  // zero-width space, word joiner, BOM, soft hyphen. ZWJ/ZWNJ are kept: they only occur inside emoji
  // sequences and scripts that need UCS-2 anyway, and removing them would change what the reader sees.
  [/[\u200B\u2060\uFEFF\u00AD]/g, ""],
  [/\u2022/g, "-"], // bullet
  [/`/g, "'"], // backtick is not GSM-7; BulkSMS warns about it explicitly
];

export function sanitizeSmsText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of REPLACEMENTS) out = out.replace(pattern, replacement);
  return out;
}
