import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import { api, startGhl } from "./helpers.ts";

let sim: GhlSimulator;
beforeEach(async () => {
  sim = await startGhl();
});
afterEach(async () => {
  await sim.close();
});

describe("upsert (FACTS §3.4)", () => {
  it("email-first location: updates the email match and silently drops the phone that belongs to someone else", async () => {
    const loc = sim.locations[0]!;
    sim.control.setLocationSettings(loc.id, {
      allowDuplicates: false,
      duplicatePriority: ["email", "phone"],
    });
    const byEmail = sim.control.createContact(loc.id, {
      firstName: "Email",
      email: "a@example.com",
      phone: "+447700900001",
    });
    const byPhone = sim.control.createContact(loc.id, { firstName: "Phone", phone: "+447700900002" });
    const res = await api(sim, "/contacts/upsert", {
      body: { locationId: loc.id, email: "A@example.com", phone: "07700 900002", city: "Leeds" },
    });
    expect(res.status).toBe(200);
    expect(res.body.new).toBe(false);
    expect(res.body.contact.id).toBe(byEmail.id);
    expect(res.body.contact.city).toBe("Leeds");
    expect(res.body.contact.phone).toBe("+447700900001");
    expect(sim.control.getContact(byPhone.id)?.city).toBeNull();
    expect(sim.control.listContacts(loc.id)).toHaveLength(2);
    expect(typeof res.body.traceId).toBe("string");
  });

  it("phone-first location: the phone match wins and the email is dropped", async () => {
    const loc = sim.locations[0]!;
    sim.control.setLocationSettings(loc.id, { duplicatePriority: ["phone", "email"] });
    const byEmail = sim.control.createContact(loc.id, { email: "a@example.com" });
    const byPhone = sim.control.createContact(loc.id, { phone: "+447700900002" });
    const res = await api(sim, "/contacts/upsert", {
      body: { locationId: loc.id, email: "a@example.com", phone: "+447700900002" },
    });
    expect(res.body.contact.id).toBe(byPhone.id);
    expect(res.body.contact.email).toBeUndefined();
    expect(sim.control.getContact(byEmail.id)?.email).toBe("a@example.com");
  });

  it("sets the other field when it belongs to nobody, and creates when nothing matches", async () => {
    const loc = sim.locations[0]!;
    const c = sim.control.createContact(loc.id, { email: "solo@example.com" });
    const res = await api(sim, "/contacts/upsert", {
      body: { locationId: loc.id, email: "solo@example.com", phone: "+447700900009" },
    });
    expect(res.body).toMatchObject({ new: false, contact: { id: c.id, phone: "+447700900009" } });
    const created = await api(sim, "/contacts/upsert", {
      body: { locationId: loc.id, email: "new@example.com" },
    });
    expect(created.body.new).toBe(true);
  });

  it("createNewIfDuplicateAllowed creates only where duplicates are allowed", async () => {
    const loc = sim.locations[0]!;
    sim.control.createContact(loc.id, { email: "x@example.com" });
    const ignored = await api(sim, "/contacts/upsert", {
      body: { locationId: loc.id, email: "x@example.com", createNewIfDuplicateAllowed: true },
    });
    expect(ignored.body.new).toBe(false);
    sim.control.setLocationSettings(loc.id, { allowDuplicates: true });
    const created = await api(sim, "/contacts/upsert", {
      body: { locationId: loc.id, email: "x@example.com", createNewIfDuplicateAllowed: true },
    });
    expect(created.body.new).toBe(true);
    expect(sim.control.listContacts(loc.id).filter((c) => c.email === "x@example.com")).toHaveLength(2);
  });

  it("duplicate search follows the priority (email first when duplicates are allowed)", async () => {
    const loc = sim.locations[1]!; // phone-first by default
    const token = loc.token;
    const e = sim.control.createContact(loc.id, { email: "p@example.com" });
    const p = sim.control.createContact(loc.id, { phone: "+12015550100" });
    const q = `/contacts/search/duplicate?locationId=${loc.id}&email=p%40example.com&number=%2B12015550100`;
    expect((await api(sim, q, { token })).body.contact.id).toBe(p.id);
    sim.control.setLocationSettings(loc.id, { allowDuplicates: true });
    expect((await api(sim, q, { token })).body.contact.id).toBe(e.id);
    const none = await api(
      sim,
      `/contacts/search/duplicate?locationId=${loc.id}&email=nobody%40example.com`,
      { token },
    );
    expect(none.body).toEqual({ contact: null });
  });
});

describe("upsert quirk: additional emails (issue #337)", () => {
  it("an upserted email equal to a contact's additional email becomes its primary; the old primary is lost", async () => {
    const s = await startGhl();
    try {
      const loc = s.locations[0]!;
      const c = s.control.createContact(loc.id, {
        email: "home@example.com",
        additionalEmails: ["work@example.com"],
      });
      const res = await api(s, "/contacts/upsert", {
        body: { locationId: loc.id, email: "work@example.com", firstName: "Promo" },
      });
      expect(res.body.new).toBe(false);
      expect(res.body.contact.id).toBe(c.id);
      expect(res.body.contact.email).toBe("work@example.com");
      expect(res.body.contact.additionalEmails).toEqual([]);
      expect(s.control.listContacts(loc.id).some((x) => x.email === "home@example.com")).toBe(false);
    } finally {
      await s.close();
    }
  });
});
