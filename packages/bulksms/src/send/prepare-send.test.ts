import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { prepareSend } from "./send-messages.js";

describe("prepareSend", () => {
  it("sanitises text, normalises numbers, converts a string sender with BulkSMS's rule", () => {
    const r = prepareSend({ jobKey: "j", to: ["07911 123456"], body: "It’s “ok”", from: "MyShop" }, "GB");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.entries).toEqual([
      {
        body: 'It\'s "ok"',
        from: { type: "ALPHANUMERIC", address: "MyShop" },
        to: [{ type: "INTERNATIONAL", address: "+447911123456" }],
      },
    ]);
    expect(r.data.query).toEqual({ "auto-unicode": true });
    const intl = prepareSend(
      { jobKey: "j", to: ["+447911123456"], body: "x", from: "+447911123400" },
      undefined,
    );
    expect(intl.ok && intl.data.entries[0]?.from).toEqual({
      type: "INTERNATIONAL",
      address: "+447911123400",
    });
  });
  it("keeps the text and sets encoding UNICODE when unicode is wanted", () => {
    const r = prepareSend({ jobKey: "j", to: ["+447911123456"], body: "It’s 😀", unicode: true }, undefined);
    expect(r.ok && r.data.entries[0]).toMatchObject({ body: "It’s 😀", encoding: "UNICODE" });
    expect(r.ok && r.data.query).toEqual({});
  });
  it("refuses a text longer than longMessageMaxParts (default 3) before sending", () => {
    const r = prepareSend({ jobKey: "j", to: ["+447911123456"], body: "a".repeat(460) }, undefined);
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input", retryable: false } });
    if (!r.ok) expect(r.error.title).toMatch(/4 GSM-7 parts.*longMessageMaxParts is 3/);
    expect(
      prepareSend(
        { jobKey: "j", to: ["+447911123456"], body: "a".repeat(460), longMessageMaxParts: 4 },
        undefined,
      ).ok,
    ).toBe(true);
  });
  it("validates userSuppliedId, batchSize, scheduleDate and empty bodies", () => {
    const base = { jobKey: "j", to: ["+447911123456"], body: "x" };
    expect(prepareSend({ ...base, userSuppliedId: "a".repeat(21) }, undefined).ok).toBe(false);
    expect(prepareSend({ ...base, batchSize: 4001 }, undefined).ok).toBe(false);
    expect(prepareSend({ ...base, scheduleDate: "2026-01-01T10:00:00" }, undefined).ok).toBe(false);
    const scheduled = prepareSend({ ...base, scheduleDate: "2026-01-01T10:00:00+02:00" }, undefined);
    expect(scheduled.ok && scheduled.data.query["schedule-date"]).toBe("2026-01-01T10:00:00+02:00");
    expect(prepareSend({ ...base, body: "  " }, undefined).ok).toBe(false);
    expect(prepareSend({ ...base, jobKey: "" }, undefined).ok).toBe(false);
    expect(prepareSend({ ...base, from: "TwelveLetter" }, undefined).ok).toBe(false);
    expect(prepareSend({ ...base, from: { type: "SHORTCODE", address: "1234567" } }, undefined).ok).toBe(
      false,
    );
    expect(prepareSend({ ...base, from: { type: "SHORTCODE", address: "12345" } }, undefined).ok).toBe(true);
  });
  it("splits into batches of batchSize and de-duplicates recipients", () => {
    const r = prepareSend(
      {
        jobKey: "j",
        to: ["+447911123456", "+447911123457", "+447911123456", "+447911123458"],
        body: "x",
        batchSize: 2,
      },
      undefined,
    );
    expect(r.ok && r.data.entries.map((e) => e.to.length)).toEqual([2, 1]);
  });

  it("property: batches cover every unique recipient once, in order, each within batchSize", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        (picks, batchSize) => {
          const to = picks.map((n) => `+4479111234${String(n).padStart(2, "0")}`);
          const r = prepareSend({ jobKey: "p", to, body: "x", batchSize }, undefined);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const flat = r.data.entries.flatMap((e) => e.to.map((t) => t.address));
          expect(flat).toEqual([...new Set(to)]);
          for (const e of r.data.entries) expect(e.to.length).toBeLessThanOrEqual(batchSize);
        },
      ),
      { numRuns: 100 },
    );
  });
});
