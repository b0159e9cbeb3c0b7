import { afterEach, describe, expect, it } from "vitest";
import { toE164 } from "../src/ghl/phone.ts";
import { generateSeedContacts } from "../src/ghl/seed.ts";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { createRng } from "../src/rng.ts";
import { startGhl } from "./helpers.ts";

let sims: GhlSimulator[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

describe("seeding", () => {
  it("is deterministic per seed", async () => {
    const a = await startGhl({ seed: "s1", seedContacts: 40 });
    const b = await startGhl({ seed: "s1", seedContacts: 40 });
    const c = await startGhl({ seed: "s2", seedContacts: 40 });
    sims.push(a, b, c);
    const strip = (s: GhlSimulator) =>
      s.control.listContacts(s.locations[0]!.id).map(({ dateUpdated, dateAdded, ...rest }) => rest);
    expect(strip(a)).toEqual(strip(b));
    expect(a.locations.map((l) => l.id)).toEqual(b.locations.map((l) => l.id));
    expect(a.locations[0]?.token).toBe(b.locations[0]?.token);
    expect(strip(a)).not.toEqual(strip(c));
  });

  it("produces messy phone formats and every kind of realistic duplicate", () => {
    const entries = generateSeedContacts(createRng("mix"), 400, "GB", Date.parse("2026-03-01T00:00:00Z"));
    const phones = entries.map((e) => e.input.phone).filter((p): p is string => !!p);
    expect(phones.some((p) => /^07\d{3} \d{6}$/.test(p))).toBe(true); // national with leading 0 and a space
    expect(phones.some((p) => p.startsWith("+44 "))).toBe(true);
    expect(phones.some((p) => p.includes("-"))).toBe(true);
    expect(phones.some((p) => /ext\.? ?\d+/.test(p))).toBe(true);
    expect(phones.some((p) => p.startsWith("0044"))).toBe(true);
    const kinds = new Set(entries.map((e) => e.duplicateKind).filter(Boolean));
    expect([...kinds].sort()).toEqual(["email-case", "phone-format", "shared-landline", "shared-mailbox"]);
    for (const e of entries) {
      if (e.duplicateOf === undefined) continue;
      const o = entries[e.duplicateOf]!.input;
      const d = e.input;
      if (e.duplicateKind === "phone-format") {
        expect(toE164(d.phone!, "GB")).toBe(toE164(o.phone!, "GB"));
        expect(d.firstName).toBe(o.firstName);
      }
      if (e.duplicateKind === "email-case") {
        expect(d.email?.toLowerCase()).toBe(o.email?.toLowerCase());
        expect(d.email).not.toBe(o.email);
      }
      if (e.duplicateKind === "shared-landline") {
        expect(d.phone).toBe(o.phone);
        expect(d.lastName).toBe(o.lastName);
      }
      if (e.duplicateKind === "shared-mailbox") {
        expect(d.email).toBe(o.email);
        expect(d.companyName).toBe(o.companyName);
      }
    }
    const names = entries.map((e) => `${e.input.firstName} ${e.input.lastName}`);
    expect(names.length - new Set(names).size).toBeGreaterThan(20); // common names repeat
  });

  it("control.seedContacts reports the duplicate ground truth and can fire webhooks", async () => {
    const sim = await startGhl({ seed: "gt" });
    sims.push(sim);
    const result = sim.control.seedContacts(60, { locationId: sim.locations[1]!.id });
    expect(result.contacts).toHaveLength(60);
    expect(result.duplicates.length).toBeGreaterThan(3);
    const ids = new Set(result.contacts.map((c) => c.id));
    for (const d of result.duplicates) {
      expect(ids.has(d.contactId) && ids.has(d.duplicateOfId)).toBe(true);
    }
    expect(sim.control.listContacts(sim.locations[0]!.id)).toHaveLength(0);
    expect(sim.control.webhookDeliveries()).toHaveLength(0);
    sim.control.seedContacts(2, { locationId: sim.locations[0]!.id, webhooks: true });
    expect(sim.control.webhookDeliveries().map((d) => d.type)).toEqual(["ContactCreate", "ContactCreate"]);
  });
});
