import { describe, expect, it } from "vitest";
import { measureSms } from "./measure-sms.js";
import { sanitizeSmsText } from "./sanitize-sms-text.js";

describe("sanitizeSmsText", () => {
  it("replaces smart quotes, dashes, NBSP, zero-width chars and backticks with GSM-7 text", () => {
    const input = "It’s “ready” – now—go…\u00A0ok\u200B`x`";
    const out = sanitizeSmsText(input);
    expect(out).toBe("It's \"ready\" - now-go... ok'x'");
    expect(measureSms(input).encoding).toBe("UCS-2");
    expect(measureSms(out).encoding).toBe("GSM-7");
  });

  it("leaves real Unicode (emoji, Cyrillic) alone", () => {
    expect(sanitizeSmsText("Привет 😀")).toBe("Привет 😀");
  });
});

describe("sanitizeSmsText and joiners", () => {
  it("keeps zero-width joiners inside emoji sequences", () => {
    const family = "👨\u200D👩\u200D👧";
    expect(sanitizeSmsText(`Hi ${family}\u200B`)).toBe(`Hi ${family}`);
  });
});
