import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPlainText, checkTemplate } from "./check-template.js";
import { parseTemplate } from "./parse-template.js";
import { previewTemplate, type SmsMeasure } from "./preview-template.js";
import { renderTemplate } from "./render-template.js";

// A small GSM-7 / UCS-2 segment calculator for the tests (the real one lives in @ghl-bulksms/bulksms).
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXT = "^{}\\[~]|€\f";
const measure: SmsMeasure = (text) => {
  const chars = [...text];
  if (chars.every((c) => GSM_BASIC.includes(c) || GSM_EXT.includes(c))) {
    const septets = chars.reduce((n, c) => n + (GSM_EXT.includes(c) ? 2 : 1), 0);
    return { encoding: "GSM-7", parts: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  const units = text.length; // UTF-16 code units
  return { encoding: "UCS-2", parts: units <= 70 ? 1 : Math.ceil(units / 67) };
};

describe("renderTemplate", () => {
  it.each([
    ['Hi {{firstName | "there"}}!', { firstName: "Ana" }, "Hi Ana!"],
    ['Hi {{firstName | "there"}}!', { firstName: "  " }, "Hi there!"],
    ['Hi {{firstName | "there"}}!', {}, "Hi there!"],
    ["Hi {{ firstName|'friend' }}", { firstName: null }, "Hi friend"],
    ['{{firstName}} {{lastName | ""}}', { firstName: "Ana" }, "Ana "],
    ['Say {{firstName | "\\"you\\""}}', {}, 'Say "you"'],
    ["Plan: {{extra.plan}}", { extra: { plan: "Gold" } }, "Plan: Gold"],
    ["No fields", {}, "No fields"],
  ])("%j with %j -> %j", (template, data, text) => {
    expect(renderTemplate(template, data)).toMatchObject({ ok: true, text });
  });

  it.each([
    ["Hi {{firstName", "unclosed-placeholder", 3],
    ["Hi {{firstName {{lastName}}", "unclosed-placeholder", 3],
    ["Hi firstName}}", "unexpected-close", 12],
    ["Hi {{ }}", "empty-placeholder", 3],
    ["Hi {{first name}}", "invalid-placeholder", 3],
    ["Hi {{firstName | there}}", "invalid-placeholder", 3],
  ])("%j is a %s error at %d", (template, kind, index) => {
    expect(renderTemplate(template, { firstName: "Ana" })).toMatchObject({
      ok: false,
      error: { kind, index },
    });
  });

  it("reports an unknown field with a suggestion", () => {
    expect(renderTemplate("Hi {{fristName}}", { firstName: "Ana" })).toEqual({
      ok: false,
      error: {
        kind: "unknown-field",
        message: 'unknown field "fristName" (did you mean "firstName"?)',
        index: 3,
        field: "fristName",
      },
    });
    expect(renderTemplate("{{plan}}", { plan: "x" }, { fields: ["firstName"] })).toMatchObject({
      ok: false,
      error: { kind: "unknown-field" },
    });
  });

  it("a known field without value or fallback is an error unless missing: empty", () => {
    expect(renderTemplate("Hi {{firstName}}", {})).toMatchObject({
      ok: false,
      error: { kind: "missing-value", field: "firstName" },
    });
    expect(renderTemplate("Hi {{firstName}}", {}, { missing: "empty" })).toMatchObject({
      ok: true,
      text: "Hi ",
    });
  });

  it("parses once and renders many times", () => {
    const parsed = parseTemplate('Hi {{firstName | "there"}}, {{firstName | "x"}}');
    expect(parsed.ok && parsed.template.fields).toEqual(["firstName"]);
    if (!parsed.ok) return;
    expect(renderTemplate(parsed.template, { firstName: "Bo" })).toMatchObject({ text: "Hi Bo, Bo" });
  });

  it("text without braces renders unchanged (property)", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("{{") && !s.includes("}}")),
        (s) => {
          expect(renderTemplate(s, {})).toEqual({ ok: true, text: s, fallbacksUsed: [] });
        },
      ),
    );
  });
});

describe("previewTemplate", () => {
  it("shows text, encoding, parts and cost", () => {
    expect(
      previewTemplate('Hi {{firstName | "there"}}, 20% off today!', {}, { measure, pricePerPart: 0.035 }),
    ).toEqual({
      ok: true,
      text: "Hi there, 20% off today!",
      encoding: "GSM-7",
      parts: 1,
      characters: 24,
      cost: 0.035,
      fallbacksUsed: ["firstName"],
    });
  });

  it("a name with a non-GSM character switches to UCS-2 and more parts", () => {
    const template = `Hello {{firstName}}, ${"x".repeat(60)}`;
    const gsm = previewTemplate(template, { firstName: "Zoe" }, { measure, pricePerPart: 0.1 });
    const ucs = previewTemplate(template, { firstName: "Zoë" }, { measure, pricePerPart: 0.1 });
    expect(gsm).toMatchObject({ ok: true, encoding: "GSM-7", parts: 1, cost: 0.1 });
    expect(ucs).toMatchObject({ ok: true, encoding: "UCS-2", parts: 2, cost: 0.2 });
  });

  it("passes template errors through and rejects a bad price", () => {
    expect(previewTemplate("{{x", {}, { measure, pricePerPart: 1 })).toMatchObject({
      ok: false,
      error: { kind: "unclosed-placeholder" },
    });
    expect(() => previewTemplate("hi", {}, { measure, pricePerPart: -1 })).toThrow(/pricePerPart/);
  });
});

describe("checkTemplate / checkPlainText (configuration time)", () => {
  it("accepts the known fields with and without fallbacks", () => {
    expect(checkTemplate('Hi {{firstName | "there"}}, from {{companyName}}')).toEqual({ ok: true });
    expect(checkTemplate("Hi {{plan}}", { fields: ["plan"] })).toEqual({ ok: true });
    expect(checkTemplate("Hi {{anything.at.all}}", { fields: null })).toEqual({ ok: true });
  });

  it("names the bad placeholder: syntax, unknown field with a suggestion", () => {
    const unclosed = checkTemplate("Hi {{firstName, welcome");
    expect(unclosed).toMatchObject({ ok: false, error: { kind: "unclosed-placeholder" } });
    const typo = checkTemplate("Hi {{frstName}}");
    expect(typo).toMatchObject({
      ok: false,
      error: {
        kind: "unknown-field",
        field: "frstName",
        message: 'unknown field "frstName" (did you mean "firstName"?)',
      },
    });
    expect(checkTemplate("Hi {{first name}}", { fields: null })).toMatchObject({
      ok: false,
      error: { kind: "invalid-placeholder" },
    });
  });

  it("a plain text with a placeholder is refused; braces alone are fine", () => {
    expect(checkPlainText("Reply STOP to opt out")).toEqual({ ok: true });
    expect(checkPlainText("Smile :-}} ")).toEqual({ ok: true });
    expect(checkPlainText("Hi {{firstName}}, reply STOP")).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('"{{firstName}}"') },
    });
  });
});
