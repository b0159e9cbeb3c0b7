// searchContactsIterator against the project's GHL simulator (@ghl-bulksms/sandbox), which caps `page`
// paging at 10,000 records (422 beyond, as GHL does) and serves `searchAfter` cursors: walking 10,600
// contacts is only possible if the iterator switches modes at the right page.
import { type GhlSimulator, startGhlSimulator } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGhlClient, type GhlClient } from "../client/create-ghl-client.js";
import { createIdleSandboxClock } from "../test-support/idle-sandbox-clock.js";

const TOTAL = 10_600;
let sim: GhlSimulator;
let client: GhlClient;
let full: string; // location with TOTAL contacts
let empty: string; // location with none

beforeAll(async () => {
  const clock = createIdleSandboxClock();
  sim = await startGhlSimulator({ clock: clock.sandbox, locations: 2, seedContacts: 0 });
  full = sim.locations[0]!.id;
  empty = sim.locations[1]!.id;
  sim.control.seedContacts(TOTAL, { locationId: full });
  client = createGhlClient({
    auth: { kind: "oauth", clientId: sim.tokens.clientId, clientSecret: sim.tokens.clientSecret },
    tokenStore: {
      // Each location's private integration token, served as a never-expiring stored token.
      load: async (id) => {
        const loc = sim.locations.find((l) => l.id === id);
        return loc
          ? {
              accessToken: loc.token,
              refreshToken: null,
              expiresAt: Number.POSITIVE_INFINITY,
              userType: "Location" as const,
            }
          : null;
      },
      save: async () => {},
    },
    baseUrl: sim.url,
    fetch: clock.fetch,
    now: clock.now,
    sleep: clock.sleep,
  });
}, 60_000);
afterAll(async () => {
  await sim?.close();
});

const searches = () => sim.control.requestLog().filter((r) => r.path === "/contacts/search");

describe("searchContactsIterator", () => {
  it("pages with `page` up to 10,000 records, then switches to searchAfter, visiting every contact once", async () => {
    const before = searches().length;
    const seen = new Set<string>();
    let count = 0;
    let maxPageSize = 0;
    const modes: string[] = [];
    for await (const page of client.searchContactsIterator(
      { locationId: full, pageLimit: 500 },
      { priority: "background" },
    )) {
      if (!page.ok) throw new Error(page.error.message);
      modes.push(page.mode);
      maxPageSize = Math.max(maxPageSize, page.contacts.length);
      for (const c of page.contacts) seen.add(c.id);
      count += page.contacts.length;
    }
    expect(count).toBe(TOTAL);
    expect(seen.size).toBe(TOTAL);
    expect([...seen].sort()).toEqual(
      sim.control
        .listContacts(full)
        .map((c) => c.id)
        .sort(),
    );
    expect(maxPageSize).toBe(500);
    expect(modes.slice(0, 20).every((m) => m === "page")).toBe(true);
    expect(modes.slice(20).every((m) => m === "searchAfter")).toBe(true);
    expect(modes).toHaveLength(Math.ceil(TOTAL / 500));
    expect(
      searches()
        .slice(before)
        .map((r) => r.status),
    ).toEqual(modes.map(() => 200)); // never a 422
    // Memory stays flat: measured without a server in the process in contacts/search-contacts-iterator.test.ts.
  });

  it("handles page sizes that do not divide 10,000 (pageLimit 300 switches after page 33)", async () => {
    const seen = new Set<string>();
    const modes: string[] = [];
    for await (const page of client.searchContactsIterator({ locationId: full, pageLimit: 300 })) {
      if (!page.ok) throw new Error(page.error.message);
      modes.push(page.mode);
      for (const c of page.contacts) seen.add(c.id);
    }
    expect(seen.size).toBe(TOTAL);
    expect(modes.slice(0, 33).every((m) => m === "page")).toBe(true);
    expect(modes.slice(33).every((m) => m === "searchAfter")).toBe(true);
  });

  it("stops on an empty result after one request", async () => {
    const before = searches().length;
    const pages = [];
    for await (const p of client.searchContactsIterator({ locationId: empty })) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ ok: true, contacts: [], total: 0 });
    expect(searches().length - before).toBe(1);
  });

  it("yields the error and ends when a request fails", async () => {
    const iterator = client.searchContactsIterator({ locationId: full, pageLimit: 500 });
    const first = await iterator.next();
    expect(first.value?.ok).toBe(true);
    sim.control.setFaults({
      script: [{ kind: "status", status: 422, body: { statusCode: 422, message: ["bad filter"] } }],
    });
    const second = await iterator.next();
    expect(second.value && !second.value.ok && second.value.error.vendorMessage).toBe("bad filter");
    expect((await iterator.next()).done).toBe(true);
  });

  it("rejects pageLimit above 500 before sending anything", async () => {
    const before = sim.control.requestLog().length;
    const it1 = client.searchContactsIterator({ locationId: full, pageLimit: 501 });
    await expect(it1.next()).rejects.toThrow(/pageLimit/);
    expect(sim.control.requestLog().length).toBe(before);
  });
});
