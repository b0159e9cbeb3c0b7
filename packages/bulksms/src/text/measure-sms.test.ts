import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { measureSms, measureWithLibrary } from "./measure-sms.js";

describe("measureSms", () => {
  it.each([
    ["a".repeat(160), "GSM-7", 1, 160, 0],
    ["a".repeat(161), "GSM-7", 2, 161, 145],
    ["a".repeat(306), "GSM-7", 2, 306, 0],
    ["a".repeat(307), "GSM-7", 3, 307, 152],
    ["€".repeat(80), "GSM-7", 1, 160, 0],
    ["€".repeat(81), "GSM-7", 2, 162, 143], // part 1 holds 76 € (152 septets): an escape pair never straddles
    ["^{}\\[]~|€", "GSM-7", 1, 18, 142],
    ["ж".repeat(70), "UCS-2", 1, 70, 0],
    ["ж".repeat(71), "UCS-2", 2, 71, 63],
    ["😀".repeat(35), "UCS-2", 1, 70, 0],
    ["😀".repeat(36), "UCS-2", 2, 72, 61], // part 1 holds 33 emoji (66 units): a pair never straddles
    ["Hi`", "UCS-2", 1, 3, 67],
    ["Say “hi”", "UCS-2", 1, 8, 62],
  ] as const)("measures %#", (text, encoding, parts, units, remaining) => {
    const m = measureSms(text);
    expect(m).toMatchObject({ encoding, parts, units, charsRemaining: remaining });
    expect(m.perPart).toBe(parts === 1 ? (encoding === "GSM-7" ? 160 : 70) : encoding === "GSM-7" ? 153 : 67);
  });

  it("never splits an escape pair across parts (a naive ceil(units/153) would say 2)", () => {
    const text = `${"a".repeat(152)}€${"a".repeat(152)}`; // 306 septets
    expect(measureSms(text).parts).toBe(3);
  });

  it("never splits a surrogate pair across parts", () => {
    const text = `${"ж".repeat(66)}😀${"ж".repeat(66)}`; // 134 units
    expect(measureSms(text).parts).toBe(3);
  });

  it("forces UCS-2 when unicode is wanted", () => {
    expect(measureSms("hello", { unicode: true })).toMatchObject({
      encoding: "UCS-2",
      parts: 1,
      units: 5,
      perPart: 70,
    });
    expect(measureSms("a".repeat(71), { unicode: true }).parts).toBe(2);
  });

  it("reports the empty text as 0 parts", () => {
    expect(measureSms("")).toEqual({
      encoding: "GSM-7",
      parts: 0,
      units: 0,
      perPart: 160,
      charsRemaining: 160,
    });
  });

  const gsmChar = fc.constantFrom(
    ..."abcXYZ0189 @£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n^{}\\[]~|€".split(""),
  );
  const anyChar = fc.oneof(gsmChar, fc.constantFrom("ж", "😀", "’", "中", "é", "€"));

  it("property: units and parts are consistent with the per-part limits", () => {
    fc.assert(
      fc.property(
        fc.array(anyChar, { maxLength: 400 }).map((a) => a.join("")),
        fc.boolean(),
        (text, unicode) => {
          const m = measureSms(text, { unicode });
          if (text === "") return m.parts === 0;
          const single = m.encoding === "GSM-7" ? 160 : 70;
          const per = m.encoding === "GSM-7" ? 153 : 67;
          if (m.units <= single) expect(m.parts).toBe(1);
          else {
            // packing never does better than the naive bound, and loses at most one unit per part boundary
            expect(m.parts).toBeGreaterThanOrEqual(Math.ceil(m.units / per));
            expect(m.parts).toBeLessThanOrEqual(Math.ceil(m.units / (per - 1)));
          }
          expect(m.charsRemaining).toBeGreaterThanOrEqual(0);
          expect(m.charsRemaining).toBeLessThan(m.perPart + 1);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: GSM-only text is GSM-7 with units = chars + extension chars", () => {
    fc.assert(
      fc.property(fc.array(gsmChar, { maxLength: 300 }), (chars) => {
        const text = chars.join("");
        const m = measureSms(text);
        const ext = chars.filter((c) => "^{}\\[]~|€".includes(c)).length;
        expect(m.encoding).toBe("GSM-7");
        expect(m.units).toBe(chars.length + ext);
      }),
      { numRuns: 200 },
    );
  });

  it("property: appending text never reduces parts", () => {
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 300 }), anyChar, (chars, extra) => {
        const a = measureSms(chars.join(""));
        const b = measureSms(chars.join("") + extra);
        if (a.encoding === b.encoding) expect(b.parts).toBeGreaterThanOrEqual(a.parts);
      }),
      { numRuns: 200 },
    );
  });

  it("property: the ASCII fast path agrees with the library exactly", () => {
    const ascii = fc.array(
      fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)),
      { maxLength: 500 },
    );
    fc.assert(
      fc.property(ascii, (chars) => {
        const text = chars.join("");
        expect(measureSms(text)).toEqual(measureWithLibrary(text));
      }),
      { numRuns: 400 },
    );
    for (const n of [1, 159, 160, 161, 305, 306, 307, 459, 460]) {
      expect(measureSms("x".repeat(n))).toEqual(measureWithLibrary("x".repeat(n)));
    }
  });
});
