import { describe, expect, it } from "vitest";
import { emailMailboxKey } from "./email.js";
import { createNormaliser } from "./normaliser.js";
import { normalisePhone, phoneDigits } from "./phone.js";

describe("normalisePhone: the contact's own country first", () => {
  it("reads a national number in the contact's country before the location's region", () => {
    // A UK contact in a US location: before, "07400 123456" was read as a US number and rejected.
    expect(normalisePhone("07400 123456", { country: "GB", defaultRegion: "US" })).toMatchObject({
      ok: true,
      e164: "+447400123456",
      country: "GB",
    });
    // A US contact in a UK location.
    expect(normalisePhone("(212) 736-5000", { country: "US", defaultRegion: "GB" })).toMatchObject({
      ok: true,
      e164: "+12127365000",
    });
  });

  it("falls back to the location's region, then the fallback region (--region)", () => {
    expect(normalisePhone("(212) 736-5000", { country: "GB", defaultRegion: "US" })).toMatchObject({
      e164: "+12127365000",
    });
    expect(
      normalisePhone("07400 123456", { country: "FR", defaultRegion: "US", fallbackRegion: "GB" }),
    ).toMatchObject({ ok: true, e164: "+447400123456" });
  });

  it("ignores a country that is not a region code (free text in GHL) but rejects a bad configured region", () => {
    expect(normalisePhone("07400 123456", { country: "United Kingdom", defaultRegion: "GB" })).toMatchObject({
      e164: "+447400123456",
    });
    expect(normalisePhone("07400 123456", { defaultRegion: "XX" })).toMatchObject({
      ok: false,
      reason: "unknown-region",
    });
  });

  it.each([
    ["0044 7400 123456", "US", "+447400123456"],
    ["011 44 20 7946 0958", "US", "+442079460958"],
    ["44 7400 123456", "US", "+447400123456"],
    ["447400123456", "US", "+447400123456"],
    ["1 212 736 5000", "GB", "+12127365000"],
    ["12127365000", "GB", "+12127365000"],
    ["0044 20 7946 0958", undefined, "+442079460958"],
  ])("recognises the international form without + %j (region %s)", (raw, region, e164) => {
    expect(normalisePhone(raw, { defaultRegion: region })).toMatchObject({ ok: true, e164 });
  });

  it("still reports, never guesses: a national number valid nowhere in the chain", () => {
    expect(normalisePhone("07400 123456", { defaultRegion: "US" })).toMatchObject({
      ok: false,
      reason: "invalid-number",
    });
    // 10 digits that are not a valid number with a country code either.
    expect(normalisePhone("2125550100", { defaultRegion: "GB" }).ok).toBe(false);
  });

  it("createNormaliser caches per country: the same digits mean another number elsewhere", () => {
    const n = createNormaliser({ defaultRegion: "US" });
    expect(n.phone("07400 123456", "GB")).toMatchObject({ ok: true, e164: "+447400123456" });
    expect(n.phone("07400 123456")).toMatchObject({ ok: false });
    expect(n.phone("07400 123456", "gb")).toMatchObject({ ok: true });
    expect(n.stats()).toEqual({ hits: 1, misses: 2 });
  });

  it("phoneDigits keeps the digits of any value with at least 7", () => {
    expect(phoneDigits("(020) 7946-0958 ")).toBe("02079460958");
    expect(phoneDigits("12")).toBe("");
    expect(phoneDigits(null)).toBe("");
  });
});

describe("emailMailboxKey", () => {
  it.each([
    ["ana+crm@example.com", "ana@example.com"],
    ["a.na+news@gmail.com", "ana@gmail.com"],
    ["ana@googlemail.com", "ana@gmail.com"],
    ["a.na@example.com", "a.na@example.com"], // dots only matter at Gmail
    ["+tag@example.com", "+tag@example.com"], // a local part that is only a tag stays as is
    ["info+uk@firm.com", "info@firm.com"],
  ])("%s -> %s", (email, key) => {
    expect(emailMailboxKey(email)).toBe(key);
    expect(emailMailboxKey(key)).toBe(key);
  });
});
