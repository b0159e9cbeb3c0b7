import { describe, expect, it } from "vitest";
import { applyMapping } from "./apply-mapping.js";
import { type GhlContactLike, ghlConsentLog, ghlSmsDnd } from "./ghl-contact.js";
import { ghlToSyncContact } from "./ghl-to-sync-contact.js";
import { type MappingConfig, parseMappingConfig } from "./mapping-config.js";

const contact: GhlContactLike = {
  id: "ghl-1",
  firstName: "  ana ",
  lastName: "LÓPEZ",
  name: "ana LÓPEZ",
  phone: "07911 123456",
  email: "Ana@Example.com",
  timezone: "Europe/London",
  tags: ["seg:vip", "seg:spring-sale", "newsletter"],
  dnd: false,
  dndSettings: { SMS: { status: "inactive" } },
  customFields: [
    { id: "cf_lang", value: "Spanish" },
    { id: "cf_consent", value: "No" },
    { id: "cf_interests", value: ["golf", "chess"] },
    { id: "cf_full", value: "Ana Maria|López" },
  ],
  dateUpdated: "2026-01-05T10:00:00.000Z",
};

function config(input: unknown): MappingConfig {
  const r = parseMappingConfig(input);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.config;
}

describe("parseMappingConfig", () => {
  it("fills defaults", () => {
    const c = config({ version: 1, profile: {} });
    expect(c.profile.phone).toEqual({ from: "phone", transforms: ["e164"], required: false });
    expect(c.extra).toEqual({});
  });

  it("names the path of each problem", () => {
    const r = parseMappingConfig({
      version: 2,
      defaultRegion: "Britain",
      profile: {
        phone: { from: "mobile", transforms: ["trim", { split: { separator: "" } }, "reverse"] },
        firstName: { from: "firstName", extra: 1 },
      },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "version",
        "defaultRegion",
        "profile.phone.from",
        "profile.phone.transforms[1].split.separator",
        "profile.phone.transforms[2]",
        "profile.firstName",
      ]),
    );
    expect(r.errors.find((e) => e.path === "profile.phone.from")?.message).toMatch(
      /GHL standard field .*customField/,
    );
    expect(r.errors.find((e) => e.path === "profile.phone.transforms[2]")?.message).toMatch(/must be "trim"/);
    expect(r.errors.find((e) => e.path === "profile.firstName")?.message).toMatch(/extra/);
    expect(r.errors.find((e) => e.path === "defaultRegion")?.message).toMatch(/two-letter country code/);
  });
});

describe("applyMapping", () => {
  const full = config({
    version: 1,
    defaultRegion: "GB",
    profile: {
      phone: { from: "phone", transforms: ["trim", "e164"], required: true },
      firstName: { from: "firstName", transforms: ["trim", "collapseSpaces"] },
      lastName: {
        from: { customField: { id: "cf_full" } },
        transforms: [{ split: { separator: "|", index: -1 } }],
      },
      name: { from: ["name", "firstName"], transforms: ["collapseSpaces"] },
      locale: {
        from: { customField: { key: "contact.language" } },
        transforms: [{ map: { Spanish: "es", English: "en" }, otherwise: "empty" }, { default: "en" }],
      },
      timezone: { from: "timezone" },
      consent: {
        from: { customField: { id: "cf_consent" } },
        transforms: [{ map: { Yes: "opted-in", No: "opted-out" }, otherwise: "empty" }],
      },
      segmentTags: { from: "tags", transforms: ["lower"] },
    },
    segmentTagPrefix: "seg:",
    stripSegmentTagPrefix: true,
    extra: { interests: { from: { customField: { id: "cf_interests" } }, transforms: ["upper"] } },
  });

  it("maps standard and custom fields with transforms", () => {
    const r = applyMapping(contact, full, { customFields: [{ id: "cf_lang", key: "contact.language" }] });
    expect(r).toEqual({
      ok: true,
      profile: {
        ghlId: "ghl-1",
        phone: "+447911123456",
        firstName: "ana",
        lastName: "López",
        name: "ana LÓPEZ",
        locale: "es",
        timezone: "Europe/London",
        dnd: true, // consent field says "No"
        consentField: "opted-out",
        segmentTags: ["spring-sale", "vip"],
        extra: { interests: "GOLF, CHESS" },
      },
    });
  });

  it("reports an unknown custom field key, an invalid phone and a missing required field", () => {
    const r = applyMapping({ ...contact, phone: "12345" }, full);
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: "phone", message: "not a valid phone number (invalid-number)" },
        { field: "phone", message: "is required but empty" },
        { field: "locale", message: 'custom field key "contact.language" is not defined in this location' },
      ],
    });
  });

  it("applies the default when a value is missing, and flags a consent value that does not map", () => {
    const minimal = config({
      version: 1,
      defaultRegion: "GB",
      profile: {
        locale: { from: "country", transforms: ["lower", { default: "en" }] },
        consent: { from: "source" },
      },
    });
    const ok = applyMapping({ id: "x", phone: "+447911123456" }, minimal);
    expect(ok).toMatchObject({
      ok: true,
      profile: { locale: "en", phone: "+447911123456", dnd: false, segmentTags: [] },
    });
    const bad = applyMapping({ id: "x", source: "facebook" }, minimal);
    expect(bad).toMatchObject({
      ok: false,
      errors: [{ field: "consent", message: expect.stringMatching(/expected opted-out/) }],
    });
  });
});

describe("GHL DND", () => {
  it.each([
    [{ dnd: true }, true],
    [{ dnd: false, dndSettings: { SMS: { status: "active" as const } } }, true],
    [{ dndSettings: { SMS: { status: "permanent" as const } } }, true],
    [{ dndSettings: { Email: { status: "active" as const }, SMS: { status: "inactive" as const } } }, false],
    [{}, false],
  ])("%j -> %s", (c, dnd) => {
    expect(ghlSmsDnd(c)).toBe(dnd);
  });
  it("turns DND into an opt-out event", () => {
    expect(ghlConsentLog({ dnd: true, dateUpdated: "2026-01-01T00:00:00Z" }, "x")).toEqual({
      optOut: { at: "2026-01-01T00:00:00Z", source: "ghl-dnd" },
    });
    expect(ghlConsentLog({ dnd: false }, "x")).toEqual({});
    expect(
      ghlConsentLog({ dnd: true, dateUpdated: "2026-03-01T00:00:00Z" }, "x", "2026-01-01T00:00:00Z"),
    ).toEqual({
      optOut: { at: "2026-01-01T00:00:00Z", source: "ghl-dnd" },
    });
  });
});

describe("ghlToSyncContact", () => {
  it("expresses a GHL contact as the GHL side of a sync", () => {
    const c = ghlToSyncContact(
      { ...contact, dnd: true, dateAdded: "2025-01-01T00:00:00.000Z", tags: ["Seg:VIP", "newsletter"] },
      { defaultRegion: "GB", now: "2026-02-01T00:00:00.000Z" },
    );
    expect(c).toEqual({
      id: "ghl-1",
      fields: {
        firstName: "ana",
        lastName: "LÓPEZ",
        name: "ana LÓPEZ",
        email: "ana@example.com",
        phone: "+447911123456",
        timezone: "Europe/London",
        "cf.cf_lang": "Spanish",
        "cf.cf_consent": "No",
        "cf.cf_interests": ["golf", "chess"],
        "cf.cf_full": "Ana Maria|López",
      },
      tags: ["newsletter", "seg:vip"],
      consent: { optOut: { at: "2026-01-05T10:00:00.000Z", source: "ghl-dnd" } },
      updatedAt: "2026-01-05T10:00:00.000Z",
      createdAt: "2025-01-01T00:00:00.000Z",
    });
  });

  it("keeps an invalid phone as text and an explicit null as null", () => {
    const c = ghlToSyncContact(
      { id: "x", phone: " 12 ", email: null },
      { defaultRegion: "GB", now: "2026-02-01T00:00:00.000Z" },
    );
    expect(c.fields).toEqual({ phone: "12", email: null });
    expect(c.consent).toEqual({});
  });
});

describe("the contact's own country (issue 12)", () => {
  const usLocation = config({
    version: 1,
    defaultRegion: "US",
    profile: { phone: { from: "phone", transforms: ["trim", "e164"], required: true } },
  });

  it("applyMapping reads a national number in the contact's country before the location's region", () => {
    const uk = { id: "g1", phone: "07400 123456", country: "GB" };
    const r = applyMapping(uk, usLocation);
    expect(r.ok && r.profile.phone).toBe("+447400123456");
    // Without a country the US location cannot read it: reported, not guessed.
    expect(applyMapping({ id: "g2", phone: "07400 123456" }, usLocation).ok).toBe(false);
  });

  it("ghlToSyncContact does the same", () => {
    const c = ghlToSyncContact(
      { id: "g1", phone: "07400 123456", country: "GB" },
      { defaultRegion: "US", now: "2026-01-01T00:00:00Z" },
    );
    expect(c.fields.phone).toBe("+447400123456");
  });
});
