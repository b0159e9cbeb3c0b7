/**
 * GSM 03.38 / UCS-2 / binary part counting for the BulkSMS simulator.
 *
 * TEXT: 160 septets in one SMS, 153 per part once concatenated; extension-table characters
 * (^ { } \ [ ] ~ | € and form feed) take 2 septets and are never split across parts.
 * UNICODE: 70 UTF-16 code units in one SMS, 67 per part; a surrogate pair is never split.
 * BINARY: 140 bytes in one SMS, 134 per part (the body is hex, two digits per byte).
 */
export type BulkSmsEncoding = "TEXT" | "UNICODE" | "BINARY";

const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
  "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION = "^{}\\[~]|€\f";

const basicSet = new Set(Array.from(GSM_BASIC));
const extensionSet = new Set(Array.from(GSM_EXTENSION));

/** Septets one character takes in GSM-7, or undefined when it is not in GSM 03.38. */
export function gsmSeptets(char: string): 1 | 2 | undefined {
  if (basicSet.has(char)) return 1;
  if (extensionSet.has(char)) return 2;
  return undefined;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (gsmSeptets(ch) === undefined) return false;
  return true;
}

/** Replace every character outside GSM 03.38 (an astral character counts once) with `?`. */
export function toGsm7(text: string): string {
  let out = "";
  for (const ch of text) out += gsmSeptets(ch) === undefined ? "?" : ch;
  return out;
}

function countGreedy(units: number[], single: number, perPart: number): number {
  const total = units.reduce((a, b) => a + b, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const u of units) {
    if (used + u > perPart) {
      parts += 1;
      used = 0;
    }
    used += u;
  }
  return parts;
}

export function septetCount(text: string): number {
  let n = 0;
  for (const ch of text) n += gsmSeptets(ch) ?? 1;
  return n;
}

/** Number of SMS parts `body` needs in `encoding` (body already converted to what is sent). */
export function countParts(body: string, encoding: BulkSmsEncoding): number {
  switch (encoding) {
    case "TEXT":
      return countGreedy(
        Array.from(body, (ch) => gsmSeptets(ch) ?? 1),
        160,
        153,
      );
    case "UNICODE":
      return countGreedy(
        Array.from(body, (ch) => ch.length),
        70,
        67,
      );
    case "BINARY": {
      const bytes = Math.ceil(body.length / 2);
      return bytes <= 140 ? 1 : Math.ceil(bytes / 134);
    }
    default: {
      const never: never = encoding;
      throw new Error(`unknown encoding ${String(never)}`);
    }
  }
}

export interface EncodedBody {
  body: string;
  encoding: BulkSmsEncoding;
  parts: number;
}

/**
 * What BulkSMS sends for a body: `auto-unicode` turns a TEXT body with non-GSM characters into UNICODE;
 * without it those characters become `?`. An explicit UNICODE or BINARY encoding is kept as is.
 */
export function encodeBody(body: string, requested: BulkSmsEncoding, autoUnicode: boolean): EncodedBody {
  if (requested !== "TEXT") return { body, encoding: requested, parts: countParts(body, requested) };
  if (isGsm7(body)) return { body, encoding: "TEXT", parts: countParts(body, "TEXT") };
  if (autoUnicode) return { body, encoding: "UNICODE", parts: countParts(body, "UNICODE") };
  const replaced = toGsm7(body);
  return { body: replaced, encoding: "TEXT", parts: countParts(replaced, "TEXT") };
}
