import { SegmentedMessage } from "sms-segments-calculator";

/**
 * Segment calculation is delegated to Twilio's `sms-segments-calculator` (MIT, maintained by Twilio).
 * We evaluated it against `split-sms` and `sms-length` with boundary cases (see measure-sms.test.ts):
 * - GSM-7 vs UCS-2 detection, extension characters ^{}\[]~|€ (and form feed) counting 2 septets,
 *   160/153 and 70/67 per part, astral characters = 2 UTF-16 units: all three agree on the easy cases.
 * - `sms-length` splits naively (ceil(units/153)): it lets an escape pair or a surrogate pair straddle two
 *   parts, undercounting real parts, and treats form feed as non-GSM. Rejected.
 * - `split-sms` packs correctly but is unmaintained (2016) and reports lengths in characters, not units.
 * - `sms-segments-calculator` packs without splitting escape/surrogate pairs, like a real SMSC. It also
 *   keeps grapheme clusters (e.g. ZWJ family emoji) whole, which can count one part MORE than an SMSC
 *   that splits inside a cluster — never fewer, so cost estimates stay on the safe side. Chosen.
 */
export type SmsEncoding = "GSM-7" | "UCS-2";

export type SmsMeasure = {
  encoding: SmsEncoding;
  /** Number of SMS parts the text needs (0 for the empty text). */
  parts: number;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) used by the text. */
  units: number;
  /** Units one part can hold: 160/70 for a single SMS, 153/67 per part once concatenated. */
  perPart: number;
  /** Units still free in the last part. */
  charsRemaining: number;
};

export type MeasureSmsOptions = {
  /** true: always UCS-2 (like `encoding: UNICODE`). Otherwise auto: UCS-2 only if a non-GSM character appears (like `auto-unicode=true`). */
  unicode?: boolean;
};

const SINGLE = { "GSM-7": 160, "UCS-2": 70 } as const;
const CONCAT = { "GSM-7": 153, "UCS-2": 67 } as const;

/**
 * Printable ASCII that is one GSM-7 septet: everything from space to "Z", "_", "a" to "z", CR and LF —
 * i.e. ASCII minus the extension characters [ \ ] ^ { | } ~ and the backtick. For such text every
 * character is one unit and nothing can straddle a part boundary, so parts follow by arithmetic. This
 * fast path (about 100x faster than building a SegmentedMessage) is property-tested to agree with the
 * library in measure-sms.test.ts.
 */
const SINGLE_SEPTET_ASCII = /^[\n\r\x20-\x5A\x5F\x61-\x7A]*$/;

/** Pure: how many parts and units `text` needs. Safe to inject into template previews. */
export function measureSms(text: string, options: MeasureSmsOptions = {}): SmsMeasure {
  if (options.unicode !== true && text !== "" && SINGLE_SEPTET_ASCII.test(text))
    return measureBasicGsm(text.length);
  return measureWithLibrary(text, options);
}

function measureBasicGsm(units: number): SmsMeasure {
  if (units <= SINGLE["GSM-7"]) {
    return {
      encoding: "GSM-7",
      parts: 1,
      units,
      perPart: SINGLE["GSM-7"],
      charsRemaining: SINGLE["GSM-7"] - units,
    };
  }
  const perPart = CONCAT["GSM-7"];
  const parts = Math.ceil(units / perPart);
  return { encoding: "GSM-7", parts, units, perPart, charsRemaining: parts * perPart - units };
}

/** The general path through sms-segments-calculator (exported for the agreement test). */
export function measureWithLibrary(text: string, options: MeasureSmsOptions = {}): SmsMeasure {
  const message = new SegmentedMessage(text, options.unicode === true ? "UCS-2" : "auto");
  const encoding: SmsEncoding = message.encodingName;
  const bitsPerUnit = encoding === "GSM-7" ? 7 : 16;
  let units = 0;
  for (const char of message.encodedChars) units += char.sizeInBits() / bitsPerUnit;
  if (text === "") {
    return { encoding, parts: 0, units: 0, perPart: SINGLE[encoding], charsRemaining: SINGLE[encoding] };
  }
  const parts = message.segmentsCount;
  const perPart = parts === 1 ? SINGLE[encoding] : CONCAT[encoding];
  const last = message.segments[message.segments.length - 1];
  const charsRemaining = last === undefined ? 0 : Math.floor(last.freeSizeInBits() / bitsPerUnit);
  return { encoding, parts, units, perPart, charsRemaining };
}
