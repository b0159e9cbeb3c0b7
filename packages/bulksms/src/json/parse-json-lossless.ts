/**
 * JSON.parse that keeps integers too large for a JS number (more than 15 digits) as STRINGS.
 * BulkSMS message ids are 18–19 digit numbers; the spec says they are strings, but a body carrying them
 * as bare JSON numbers would silently lose precision with plain JSON.parse (953262833859043328 -> ...300).
 * This scans the raw text outside string literals and quotes such integer tokens before parsing.
 * Throws SyntaxError on invalid JSON (callers map that to an error result).
 */
export function parseJsonLossless(text: string): unknown {
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  let out = "";
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 92 /* \ */) i += 2;
        else if (d === 34) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d >= 48 && d <= 57) || d === 46 || d === 101 || d === 69 || d === 43 || d === 45) i++;
        else break;
      }
      const token = text.slice(start, i);
      if (/^-?\d{16,}$/.test(token) && !Number.isSafeInteger(Number(token))) {
        out += `${text.slice(last, start)}"${token}"`;
        last = i;
      }
      continue;
    }
    i++;
  }
  out += text.slice(last);
  return JSON.parse(out);
}
