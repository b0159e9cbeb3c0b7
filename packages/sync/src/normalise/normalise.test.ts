import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normaliseEmail } from "./email.js";
import { cleanText, nameKeyOf, normaliseName } from "./name.js";
import { createNormaliser } from "./normaliser.js";
import { normalisePhone } from "./phone.js";

describe("normalisePhone", () => {
  it.each([
    ["020 7946 0958", "GB", "+442079460958"],
    ["(020) 7946-0958", "GB", "+442079460958"],
    ["+44 (0)20 7946 0958", "GB", "+442079460958"],
    ["0044 20 7946 0958", "GB", "+442079460958"],
    ["+44 20 7946 0958", "US", "+442079460958"],
    ["(415) 555-2671", "US", "+14155552671"],
    ["415.555.2671", "US", "+14155552671"],
    ["06 12 34 56 78", "FR", "+33612345678"],
    ["  +33 6 12 34 56 78  ", undefined, "+33612345678"],
  ])("%s (region %s) -> %s", (raw, region, e164) => {
    const r = normalisePhone(raw, { defaultRegion: region });
    expect(r).toMatchObject({ ok: true, e164 });
  });

  it("strips and reports extensions", () => {
    expect(normalisePhone("+44 20 7946 0958 ext. 123", { defaultRegion: "GB" })).toEqual({
      ok: true,
      e164: "+442079460958",
      country: "GB",
      extension: "123",
    });
    expect(normalisePhone("(415) 555-2671 x12", { defaultRegion: "US" })).toMatchObject({
      e164: "+14155552671",
      extension: "12",
    });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["abc", "not-a-number"],
    ["12", "invalid-number"],
    ["+1 555 0100", "invalid-number"],
    ["07700 900123", "invalid-number"], // Ofcom drama range: not a real mobile
  ])("reports %j as %s instead of guessing", (raw, reason) => {
    expect(normalisePhone(raw, { defaultRegion: "GB" })).toMatchObject({ ok: false, reason });
  });

  it("reports a national number without a region, and an unknown region", () => {
    expect(normalisePhone("020 7946 0958")).toMatchObject({ ok: false });
    expect(normalisePhone("020 7946 0958", { defaultRegion: "XX" })).toMatchObject({
      ok: false,
      reason: "unknown-region",
    });
  });

  it("is idempotent (property)", () => {
    const digits = fc.stringMatching(/^[0-9 ()+.-]{0,18}$/);
    fc.assert(
      fc.property(digits, fc.constantFrom("GB", "US", "FR", "DE"), (raw, region) => {
        const first = normalisePhone(raw, { defaultRegion: region });
        if (!first.ok) return;
        const again = normalisePhone(first.e164, { defaultRegion: region });
        expect(again).toMatchObject({ ok: true, e164: first.e164 });
        // Region does not matter once the number is in E.164.
        expect(normalisePhone(first.e164, { defaultRegion: "JP" })).toMatchObject({
          ok: true,
          e164: first.e164,
        });
      }),
      { numRuns: 300 },
    );
  });

  it("gives the same E.164 whatever the formatting of a valid national number (property)", () => {
    const national = fc.constantFrom(
      { region: "GB", digits: "02079460958", e164: "+442079460958" },
      { region: "GB", digits: "07911123456", e164: "+447911123456" },
      { region: "US", digits: "4155552671", e164: "+14155552671" },
      { region: "FR", digits: "0612345678", e164: "+33612345678" },
    );
    const separators = fc.array(fc.constantFrom("", " ", "-", ".", " - "), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(national, separators, fc.boolean(), (n, seps, paren) => {
        let raw = [...n.digits].map((d, i) => d + (seps[i] ?? "")).join("");
        if (paren) raw = `(${raw.slice(0, 3)})${raw.slice(3)}`;
        const r = normalisePhone(raw, { defaultRegion: n.region });
        expect(r).toMatchObject({ ok: true, e164: n.e164 });
        if (r.ok) expect(normalisePhone(r.e164, { defaultRegion: n.region })).toEqual(r);
      }),
      { numRuns: 200 },
    );
  });
});

describe("normaliseEmail", () => {
  it.each([
    ["  John.Smith@Example.COM ", "john.smith@example.com"],
    ["mailto:Ana@Example.org", "ana@example.org"],
    ["<ana@example.org>", "ana@example.org"],
    ["john+crm@gmail.com", "john+crm@gmail.com"],
  ])("%j -> %s", (raw, email) => {
    expect(normaliseEmail(raw)).toMatchObject({ ok: true, email });
  });
  it.each(["", "john", "john@", "john@localhost", "jo hn@example.com"])("rejects %j", (raw) => {
    expect(normaliseEmail(raw).ok).toBe(false);
  });
  it("is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string()), (raw) => {
        const first = normaliseEmail(raw);
        if (first.ok) expect(normaliseEmail(first.email)).toMatchObject({ ok: true, email: first.email });
      }),
      { numRuns: 300 },
    );
  });
});

describe("normaliseName", () => {
  it.each([
    ["  José  García ", "jose garcia"],
    ["O'Brien", "obrien"],
    ["Jean-Luc PICARD", "jean luc picard"],
    ["Straße", "strasse"],
    ["Łukasz Żółć", "lukasz zolc"],
    ["Søren Kierkegaard", "soren kierkegaard"],
    ["ＡＮＮＡ", "anna"],
    ["", ""],
  ])("%j -> %j", (raw, key) => {
    expect(normaliseName(raw)).toBe(key);
  });
  it("cleanText keeps case and accents", () => {
    expect(cleanText("  José \t García ")).toBe("José García");
  });
  it("nameKeyOf prefers first + last, falls back to name", () => {
    expect(nameKeyOf({ firstName: "Ana", lastName: "Núñez", name: "X" })).toBe("ana nunez");
    expect(nameKeyOf({ name: "Ana Núñez" })).toBe("ana nunez");
    expect(nameKeyOf({})).toBe("");
  });
  it("is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (raw) => {
        const once = normaliseName(raw);
        expect(normaliseName(once)).toBe(once);
        expect(cleanText(cleanText(raw))).toBe(cleanText(raw));
      }),
      { numRuns: 500 },
    );
  });
});

describe("createNormaliser", () => {
  it("parses each distinct value once and returns the same results as the plain functions", () => {
    const n = createNormaliser({ defaultRegion: "GB" });
    const raws = ["020 7946 0958", "020 7946 0958", "+442079460958", "nope", "nope"];
    const results = raws.map((r) => n.phone(r));
    expect(results).toEqual(raws.map((r) => normalisePhone(r, { defaultRegion: "GB" })));
    expect(n.stats()).toEqual({ hits: 2, misses: 3 });
    expect(n.email(" A@B.co ")).toEqual(normaliseEmail(" A@B.co "));
    expect(n.name("José")).toBe("jose");
  });
  it("bounds its memory", () => {
    const n = createNormaliser({ maxEntries: 2 });
    n.name("a");
    n.name("b");
    n.name("c");
    n.name("a");
    expect(n.stats().misses).toBe(4);
  });
});
