import { describe, expect, it } from "vitest";
import { canonicalJson, mapWorkflowPayload } from "./workflow-event.ts";

const NOW = Date.parse("2026-11-25T22:00:10.000Z");
const base = {
  contact_id: "c1",
  first_name: "Jane",
  last_name: "Doe",
  email: "jane@example.com",
  phone: "+27821234567",
  tags: "b, a ,a",
  location: { id: "loc1", name: "Shop", address: "x" },
  workflow: { id: "wf1", name: "Contact changed" },
  customData: { event: "ContactUpdate" },
  triggerData: {},
};

describe("mapWorkflowPayload", () => {
  it("maps flat fields to the marketplace contact event shape", () => {
    const r = mapWorkflowPayload(base, { now: NOW });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.event).toEqual({
      type: "ContactUpdate",
      locationId: "loc1",
      id: "c1",
      firstName: "Jane",
      lastName: "Doe",
      name: "Jane Doe",
      email: "jane@example.com",
      phone: "+27821234567",
      tags: ["a", "b"],
      timezone: null,
      origin: { kind: "workflow", workflowId: "wf1", workflowName: "Contact changed" },
    });
    expect(r.idempotencyKey).toMatch(/^wf:[0-9a-f]{64}$/);
  });

  it("DND events need customData.dnd and set dndSettings.SMS", () => {
    const on = mapWorkflowPayload(
      { ...base, customData: { event: "ContactDndUpdate", dnd: "true" } },
      { now: NOW },
    );
    expect(on.ok && on.event).toMatchObject({ dnd: true, dndSettings: { SMS: { status: "active" } } });
    const missing = mapWorkflowPayload({ ...base, customData: { event: "ContactDndUpdate" } }, { now: NOW });
    expect(missing).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
    const bad = mapWorkflowPayload(
      { ...base, customData: { event: "ContactDndUpdate", dnd: "maybe" } },
      { now: NOW },
    );
    expect(bad.ok).toBe(false);
  });

  it("idempotency key: same content in the same minute is equal; other minute, other content or tag order differ/equal as expected", () => {
    const key = (body: unknown, now = NOW) => {
      const r = mapWorkflowPayload(body, { now });
      if (!r.ok) throw new Error(r.error.message);
      return r.idempotencyKey;
    };
    expect(key(base)).toBe(key({ ...base, location: { id: "loc1" } }));
    expect(key(base)).toBe(key({ ...base, tags: ["a", "b"] }));
    expect(key(base)).toBe(key(base, NOW + 40_000));
    expect(key(base)).not.toBe(key(base, NOW + 60_000));
    expect(key(base)).not.toBe(key({ ...base, phone: "+27821234568" }));
    expect(key(base)).not.toBe(key({ ...base, customData: { event: "ContactTagUpdate" } }));
  });

  it("requires contact_id, a location and a known event", () => {
    expect(mapWorkflowPayload({ ...base, contact_id: "" }, { now: NOW })).toMatchObject({
      ok: false,
      error: { code: "invalid_payload" },
    });
    expect(mapWorkflowPayload({ ...base, location: undefined }, { now: NOW })).toMatchObject({ ok: false });
    expect(
      mapWorkflowPayload(
        { ...base, location: undefined, customData: { event: "ContactCreate", locationId: "L" } },
        { now: NOW },
      ),
    ).toMatchObject({
      ok: true,
      event: { locationId: "L" },
    });
    expect(mapWorkflowPayload({ ...base, customData: {} }, { now: NOW })).toMatchObject({
      ok: false,
      error: { code: "unknown_event" },
    });
    expect(
      mapWorkflowPayload({ ...base, customData: {} }, { now: NOW, queryEvent: "ContactCreate" }).ok,
    ).toBe(true);
    expect(mapWorkflowPayload("nope", { now: NOW }).ok).toBe(false);
    expect(mapWorkflowPayload(null, { now: NOW }).ok).toBe(false);
  });

  it("canonicalJson sorts keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
  });
});
