import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PAGE_MODE_MAX_RECORDS, SearchError, searchContacts } from "../src/ghl/search.ts";
import type { GhlSimulator } from "../src/ghl/simulator.ts";
import type { GhlContact } from "../src/ghl/types.ts";
import { api, startGhl } from "./helpers.ts";

function contact(i: number, extra: Partial<GhlContact> = {}): GhlContact {
  const t = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id: `c${String(i).padStart(6, "0")}`,
    locationId: "L",
    firstName: `F${i}`,
    lastName: null,
    name: `F${i}`,
    email: null,
    phone: null,
    companyName: null,
    address1: null,
    city: null,
    state: null,
    postalCode: null,
    country: null,
    website: null,
    timezone: null,
    source: null,
    type: "lead",
    assignedTo: null,
    dateOfBirth: null,
    dnd: false,
    dndSettings: {},
    tags: [],
    customFields: [],
    additionalEmails: [],
    additionalPhones: [],
    businessId: null,
    followers: [],
    dateAdded: t,
    dateUpdated: t,
    ...extra,
  };
}

describe("search semantics", () => {
  const all = [
    contact(1, { email: "ann@example.com", tags: ["vip"], city: "Leeds" }),
    contact(2, { email: "bob@example.org", tags: ["lead"], phone: "+447700900002" }),
    contact(3, { tags: ["vip", "lead"], city: "York", customFields: [{ id: "cf", value: "gold" }] }),
    contact(4, { email: "dan@example.com", dndSettings: { SMS: { status: "active" } } }),
  ];
  const ids = (body: Parameters<typeof searchContacts>[1]) =>
    searchContacts(all, body)
      .contacts.map((c) => c.id)
      .sort();
  const base = { locationId: "L", pageLimit: 100 };

  it("supports every operator", () => {
    expect(ids({ ...base, filters: [{ field: "tags", operator: "eq", value: "vip" }] })).toEqual([
      "c000001",
      "c000003",
    ]);
    expect(ids({ ...base, filters: [{ field: "tags", operator: "not_eq", value: "vip" }] })).toEqual([
      "c000002",
      "c000004",
    ]);
    expect(
      ids({ ...base, filters: [{ field: "email", operator: "contains", value: "EXAMPLE.COM" }] }),
    ).toEqual(["c000001", "c000004"]);
    expect(
      ids({ ...base, filters: [{ field: "email", operator: "not_contains", value: "example.com" }] }),
    ).toEqual(["c000002", "c000003"]);
    expect(ids({ ...base, filters: [{ field: "phone", operator: "exists" }] })).toEqual(["c000002"]);
    expect(ids({ ...base, filters: [{ field: "email", operator: "not_exists" }] })).toEqual(["c000003"]);
    expect(
      ids({
        ...base,
        filters: [
          {
            field: "dateAdded",
            operator: "range",
            value: { gt: "2026-01-01T00:01:00.000Z", lte: "2026-01-01T00:03:00.000Z" },
          },
        ],
      }),
    ).toEqual(["c000002", "c000003"]);
    expect(ids({ ...base, filters: [{ field: "customFields.cf", operator: "eq", value: "gold" }] })).toEqual([
      "c000003",
    ]);
    expect(
      ids({ ...base, filters: [{ field: "dndSettings.SMS.status", operator: "eq", value: "active" }] }),
    ).toEqual(["c000004"]);
  });

  it("ANDs the top level and nests AND/OR groups", () => {
    expect(
      ids({
        ...base,
        filters: [
          { field: "tags", operator: "eq", value: "lead" },
          {
            group: "OR",
            filters: [
              { field: "city", operator: "eq", value: "york" },
              { field: "phone", operator: "exists" },
            ],
          },
        ],
      }),
    ).toEqual(["c000002", "c000003"]);
    expect(
      ids({
        ...base,
        filters: [
          {
            group: "AND",
            filters: [
              { field: "tags", operator: "eq", value: "lead" },
              { field: "city", operator: "exists" },
            ],
          },
        ],
      }),
    ).toEqual(["c000003"]);
  });

  it("sorts (default dateAdded desc) and by a named field", () => {
    expect(searchContacts(all, base).contacts.map((c) => c.id)).toEqual([
      "c000004",
      "c000003",
      "c000002",
      "c000001",
    ]);
    expect(
      searchContacts(all, { ...base, sort: [{ field: "email", direction: "asc" }] }).contacts.map(
        (c) => c.id,
      ),
    ).toEqual(["c000003", "c000001", "c000002", "c000004"]);
  });

  it("caps page mode at 10,000 records and continues with searchAfter", () => {
    const many = Array.from({ length: PAGE_MODE_MAX_RECORDS + 50 }, (_, i) => contact(i));
    const body = {
      locationId: "L",
      pageLimit: 500,
      sort: [{ field: "dateAdded", direction: "asc" as const }],
    };
    const last = searchContacts(many, { ...body, page: 20 });
    expect(last.total).toBe(10_050);
    expect(last.contacts).toHaveLength(500);
    expect(last.contacts.at(-1)?.id).toBe("c009999");
    expect(() => searchContacts(many, { ...body, page: 21 })).toThrow(SearchError);
    const rest = searchContacts(many, { ...body, searchAfter: last.contacts.at(-1)?.searchAfter });
    expect(rest.contacts.map((c) => c.id)).toEqual(
      Array.from({ length: 50 }, (_, i) => `c${String(10_000 + i).padStart(6, "0")}`),
    );
  });
});

describe("POST /contacts/search over HTTP", () => {
  let sim: GhlSimulator;
  beforeEach(async () => {
    sim = await startGhl({ seedContacts: 30 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it("walks every contact once with searchAfter and answers 422 past the page cap", async () => {
    const loc = sim.locations[0]!;
    const seen: string[] = [];
    let after: unknown[] | undefined;
    for (let i = 0; i < 10; i++) {
      const res = await api(sim, "/contacts/search", {
        body: {
          locationId: loc.id,
          pageLimit: 7,
          ...(after ? { searchAfter: after } : {}),
          sort: [{ field: "dateUpdated", direction: "asc" }],
        },
      });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(30);
      seen.push(...res.body.contacts.map((c: { id: string }) => c.id));
      if (res.body.contacts.length < 7) break;
      after = res.body.contacts.at(-1).searchAfter;
    }
    expect(new Set(seen).size).toBe(30);
    expect(seen).toHaveLength(30);
    const capped = await api(sim, "/contacts/search", {
      body: { locationId: loc.id, pageLimit: 500, page: 21 },
    });
    expect(capped.status).toBe(422);
    expect(capped.body.message[0]).toMatch(/10000/);
    const tooBig = await api(sim, "/contacts/search", { body: { locationId: loc.id, pageLimit: 501 } });
    expect(tooBig.body.message).toContain("pageLimit must not be greater than 500");
  });
});

describe("search index lag (searchLagMs)", () => {
  it("shows creates, updates and deletes only after the lag; reads by id are current", async () => {
    const sim = await startGhl({ searchLagMs: 5_000, seedContacts: 2 });
    try {
      const loc = sim.locations[0]!;
      const search = async () =>
        (await api(sim, "/contacts/search", { body: { locationId: loc.id, pageLimit: 50 } })).body
          .contacts as Array<{ id: string; lastName?: string }>;
      expect(await search()).toHaveLength(2); // seeded data is already indexed
      const created = (
        await api(sim, "/contacts/", { body: { locationId: loc.id, firstName: "Lag", lastName: "One" } })
      ).body.contact;
      expect((await search()).map((c) => c.id)).not.toContain(created.id);
      expect((await api(sim, `/contacts/${created.id}`)).status).toBe(200);
      await sim.control.advanceClock(5_000);
      expect((await search()).find((c) => c.id === created.id)?.lastName).toBe("One");
      await api(sim, `/contacts/${created.id}`, { method: "PUT", body: { lastName: "Two" } });
      expect((await search()).find((c) => c.id === created.id)?.lastName).toBe("One");
      expect((await api(sim, `/contacts/${created.id}`)).body.contact.lastName).toBe("Two");
      await sim.control.advanceClock(5_000);
      expect((await search()).find((c) => c.id === created.id)?.lastName).toBe("Two");
      await api(sim, `/contacts/${created.id}`, { method: "DELETE" });
      expect((await search()).map((c) => c.id)).toContain(created.id);
      await sim.control.advanceClock(5_000);
      expect((await search()).map((c) => c.id)).not.toContain(created.id);
    } finally {
      await sim.close();
    }
  });
});
