import { describe, expect, it } from "vitest";
import { fromVendorNumber, toE164 } from "./normalize-phone.js";
import { normalizeRecipients } from "./normalize-recipients.js";

describe("toE164", () => {
  it.each([
    ["+27 82 123 4567", undefined, "+27821234567"],
    ["082 123 4567", "ZA", "+27821234567"],
    ["0027821234567", undefined, "+27821234567"],
    ["(020) 7946 0958", "GB", "+442079460958"],
    ["07911 123456", "GB", "+447911123456"],
    ["+1 (415) 555-2671", "GB", "+14155552671"],
  ] as const)("%s (%s) -> %s", (input, region, expected) => {
    expect(toE164(input, region)).toBe(expected);
  });
  it.each(["", "abc", "123", "082 123 4567" /* no region */, "+99912345"])("rejects %j", (input) => {
    expect(toE164(input)).toBeUndefined();
  });
});

describe("fromVendorNumber", () => {
  it("puts back the + that BulkSMS drops", () => {
    expect(fromVendorNumber("27821234567")).toBe("+27821234567");
    expect(fromVendorNumber("+27821234567")).toBe("+27821234567");
    expect(fromVendorNumber("255679079774")).toBe("+255679079774");
  });
  it("leaves sender ids, short codes and the test number alone", () => {
    expect(fromVendorNumber("MyShop")).toBe("MyShop");
    expect(fromVendorNumber("12345")).toBe("12345");
    expect(fromVendorNumber("1111111")).toBe("1111111");
  });
});

describe("normalizeRecipients", () => {
  it("normalises and de-duplicates, keeping order", () => {
    const r = normalizeRecipients(["082 123 4567", "+27821234567", "+44 7911 123456"], "ZA");
    expect(r).toEqual({ ok: true, data: ["+27821234567", "+447911123456"] });
  });
  it("names invalid positions, never the numbers", () => {
    const r = normalizeRecipients(["+27821234567", "0821", "+27821234568", "nope"], "ZA");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("invalid_number");
    expect(r.error.detail).toContain("1, 3");
    expect(JSON.stringify(r.error)).not.toContain("0821");
    expect(JSON.stringify(r.error)).not.toContain("nope");
    expect(r.error.retryable).toBe(false);
  });
  it("rejects an empty list", () => {
    const r = normalizeRecipients([]);
    expect(r.ok).toBe(false);
  });
});
