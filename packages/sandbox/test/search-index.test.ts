import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type SearchBody, searchContacts } from "../src/ghl/search.ts";
import { createSearchIndex } from "../src/ghl/search-index.ts";
import type { GhlContact } from "../src/ghl/types.ts";

const T0 = Date.UTC(2026, 0, 1);

function contact(
  id: string,
  locationId: string,
  minute: number,
  extra: Partial<GhlContact> = {},
): GhlContact {
  const t = new Date(T0 + minute * 60_000).toISOString();
  return {
    id,
    locationId,
    firstName: null,
    lastName: null,
    name: null,
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

const strip = (r: ReturnType<typeof searchContacts>) => ({
  total: r.total,
  contacts: r.contacts.map((c) => ({ id: c.id, searchAfter: c.searchAfter, firstName: c.firstName })),
});

/** Every page of `body` (searchAfter walk), from the index and from the reference, must be identical. */
function walkBoth(index: ReturnType<typeof createSearchIndex>, all: GhlContact[], body: SearchBody): number {
  let cursor: unknown[] | undefined;
  let pages = 0;
  for (;;) {
    const b: SearchBody = cursor ? { ...body, searchAfter: cursor } : { ...body, page: 1 };
    const expected = searchContacts(all, b);
    const got = index.search(all, b);
    expect(strip(got)).toEqual(strip(expected));
    pages++;
    const last = expected.contacts.at(-1);
    if (expected.contacts.length < body.pageLimit || !last) return pages;
    cursor = last.searchAfter;
  }
}

const sorts: Array<SearchBody["sort"]> = [
  undefined,
  [{ field: "dateAdded", direction: "asc" }],
  [{ field: "dateUpdated", direction: "asc" }],
  [{ field: "firstName", direction: "desc" }],
  [
    { field: "city", direction: "asc" },
    { field: "dateAdded", direction: "desc" },
  ],
  [{ field: "tags", direction: "asc" }],
];
const filterSets: Array<Pick<SearchBody, "filters" | "query">> = [
  {},
  { filters: [{ field: "tags", operator: "eq", value: "vip" }] },
  {
    filters: [
      { field: "dateUpdated", operator: "range", value: { gte: new Date(T0 + 30 * 60_000).toISOString() } },
    ],
  },
  { query: "ann" },
];

describe("cached search index", () => {
  it("answers exactly like the reference search through random creates, edits, in-place edits and deletes", () => {
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant("create" as const),
        minute: fc.integer({ min: 0, max: 40 }),
        other: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant("update" as const),
        pick: fc.nat(),
        firstName: fc.constantFrom("ann", "Bob", "cy", null),
        city: fc.constantFrom("Leeds", "york", null),
        tag: fc.constantFrom("vip", "lead", null),
        minute: fc.integer({ min: 0, max: 60 }),
        inPlace: fc.boolean(),
      }),
      fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(edit, { maxLength: 6 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        (rounds, pageLimit) => {
          const index = createSearchIndex();
          let all: GhlContact[] = Array.from({ length: 12 }, (_, i) =>
            contact(`c${i}`, i % 5 === 0 ? "M" : "L", i % 4, { firstName: i % 3 === 0 ? "ann" : null }),
          );
          let next = 100;
          for (const round of rounds) {
            for (const e of round) {
              if (e.kind === "create") {
                all.push(contact(`c${next++}`, e.other ? "M" : "L", e.minute));
              } else if (e.kind === "delete") {
                if (all.length > 0) all.splice(e.pick % all.length, 1);
              } else if (all.length > 0) {
                const i = e.pick % all.length;
                const old = all[i] as GhlContact;
                const patch = {
                  firstName: e.firstName,
                  city: e.city,
                  tags: e.tag ? [e.tag] : [],
                  dateUpdated: new Date(T0 + e.minute * 60_000).toISOString(),
                };
                if (e.inPlace) Object.assign(old, patch);
                else all[i] = { ...old, ...patch };
              }
            }
            all = [...all];
            for (const sort of sorts) {
              for (const f of filterSets) {
                walkBoth(index, all, { locationId: "L", pageLimit, ...(sort ? { sort } : {}), ...f });
              }
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("pages in page mode and checks cursors and the page cap like the reference", () => {
    const index = createSearchIndex();
    const all = Array.from({ length: 30 }, (_, i) => contact(`c${String(i).padStart(2, "0")}`, "L", i % 7));
    for (const page of [1, 2, 3, 4]) {
      const body: SearchBody = {
        locationId: "L",
        pageLimit: 8,
        page,
        filters: [{ field: "firstName", operator: "not_exists" }],
      };
      expect(strip(index.search(all, body))).toEqual(strip(searchContacts(all, body)));
      const plain: SearchBody = { locationId: "L", pageLimit: 8, page };
      expect(strip(index.search(all, plain))).toEqual(strip(searchContacts(all, plain)));
    }
    expect(() => index.search(all, { locationId: "L", pageLimit: 500, page: 21 })).toThrow(/page mode/);
    expect(() =>
      index.search(all, { locationId: "L", pageLimit: 5, page: 1, searchAfter: [1, "x"] }),
    ).toThrow(/cannot be used together/);
    expect(() => index.search(all, { locationId: "L", pageLimit: 5, searchAfter: ["x"] })).toThrow(
      /2 values/,
    );
  });

  it("falls back to the reference when one id appears twice", () => {
    const index = createSearchIndex();
    const a = contact("dup", "L", 1);
    const all = [a, { ...a, dateAdded: new Date(T0 + 9 * 60_000).toISOString() }, contact("x", "L", 2)];
    const body: SearchBody = { locationId: "L", pageLimit: 10 };
    expect(strip(index.search(all, body))).toEqual(strip(searchContacts(all, body)));
    expect(index.search(all, body).total).toBe(3);
  });

  it("answers a searchAfter page of 20,000 contacts without re-sorting them (a few ms once warm)", () => {
    const index = createSearchIndex();
    const all = Array.from({ length: 20_000 }, (_, i) => contact(`c${String(i).padStart(6, "0")}`, "L", i));
    const body: SearchBody = {
      locationId: "L",
      pageLimit: 500,
      sort: [{ field: "dateAdded", direction: "asc" }],
    };
    index.search(all, { ...body, page: 1 }); // builds the index
    const cursor = searchContacts(all, { ...body, page: 1 }).contacts.at(-1)?.searchAfter;
    (all[7] as GhlContact).firstName = "edited in place"; // not a sort field: no re-sort needed
    all[8] = { ...(all[8] as GhlContact), dateAdded: new Date(T0 - 60_000).toISOString() }; // moves to the front
    const t = performance.now();
    let page = index.search(all, { ...body, searchAfter: cursor });
    for (let i = 0; i < 9; i++) page = index.search(all, { ...body, searchAfter: cursor });
    const perPage = (performance.now() - t) / 10;
    expect(page.contacts.map((c) => c.id)).toEqual(
      searchContacts(all, { ...body, searchAfter: cursor }).contacts.map((c) => c.id),
    );
    expect(index.search(all, { ...body, page: 1 }).contacts[0]?.id).toBe("c000008");
    // The reference takes hundreds of ms here; generous bound for a loaded 2-core machine.
    expect(perPage).toBeLessThan(150);
  });
});
