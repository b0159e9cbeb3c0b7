// searchContactsIterator against a server that generates contacts on the fly and, like GHL, refuses
// page-number requests beyond the 10,000-record window.
import { afterEach, describe, expect, it } from "vitest";
import { createGhlClient } from "../client/create-ghl-client.js";
import { createIdleClock } from "../test-support/fake-clock.js";
import { type GhlTestServer, startGhlTestServer } from "../test-support/ghl-test-server.js";

let server: GhlTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function setup(searchTotal: number) {
  const clock = createIdleClock();
  server = await startGhlTestServer({ now: clock.now, searchTotal });
  server.accessTokens.set("pit-1", { locationId: "loc-1", expiresAt: Number.POSITIVE_INFINITY });
  const client = createGhlClient({
    auth: { kind: "private-integration", token: "pit-1" },
    baseUrl: server.url,
    fetch: clock.fetch,
    now: clock.now,
    sleep: clock.sleep,
  });
  return { client, server };
}

describe("searchContactsIterator", () => {
  it("pages with `page` up to 10,000 records, then switches to searchAfter, visiting every contact once", async () => {
    const { client, server } = await setup(12_345);
    let count = 0;
    let expectedNext = 0;
    let maxPageSize = 0;
    let outOfOrder = 0;
    const modes: string[] = [];
    const heapBefore = process.memoryUsage().heapUsed;
    for await (const page of client.searchContactsIterator(
      { locationId: "loc-1", pageLimit: 500 },
      { priority: "background" },
    )) {
      expect(page.ok).toBe(true);
      if (!page.ok) break;
      modes.push(page.mode);
      maxPageSize = Math.max(maxPageSize, page.contacts.length);
      for (const c of page.contacts) {
        // Ids arrive in order with no gap or duplicate across the page -> cursor switch.
        if (c.id !== `contact-${expectedNext}`) outOfOrder++;
        expectedNext++;
        count++;
      }
    }
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
    expect(count).toBe(12_345);
    expect(outOfOrder).toBe(0);
    expect(maxPageSize).toBe(500);
    expect(modes.slice(0, 20).every((m) => m === "page")).toBe(true);
    expect(modes.slice(20).every((m) => m === "searchAfter")).toBe(true);
    expect(modes).toHaveLength(25);
    const bodies = server.stats.searchBodies;
    expect(bodies[19]).toEqual({ pageLimit: 500, page: 20 });
    expect(bodies[20]).toEqual({ pageLimit: 500, searchAfter: [9999, "contact-9999"] });
    expect(bodies.every((b) => (b.page ?? 0) * b.pageLimit <= 10_000)).toBe(true);
    // Loose sanity bound: the iterator keeps one page at a time (a leak of 12k pages' worth would show).
    expect(heapGrowthMb).toBeLessThan(64);
  });

  it("handles page sizes that do not divide 10,000 (pageLimit 300 switches after page 33)", async () => {
    const { client, server } = await setup(10_500);
    let count = 0;
    for await (const page of client.searchContactsIterator({ locationId: "loc-1", pageLimit: 300 })) {
      if (!page.ok) throw page.error;
      count += page.contacts.length;
    }
    expect(count).toBe(10_500);
    const bodies = server.stats.searchBodies;
    expect(bodies[32]).toEqual({ pageLimit: 300, page: 33 });
    expect(bodies[33]?.searchAfter).toEqual([9899, "contact-9899"]);
  });

  it("stops after a short last page and on an empty result", async () => {
    const { client, server } = await setup(0);
    const pages = [];
    for await (const p of client.searchContactsIterator({ locationId: "loc-1" })) pages.push(p);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ ok: true, contacts: [], total: 0 });
    expect(server.stats.searchBodies).toEqual([{ pageLimit: 500, page: 1 }]);
  });

  it("yields the error and ends when a request fails", async () => {
    const { client, server } = await setup(2_000);
    const iterator = client.searchContactsIterator({ locationId: "loc-1", pageLimit: 500 });
    const first = await iterator.next();
    expect(first.value?.ok).toBe(true);
    server.faults.push({ kind: "status", status: 422, body: { statusCode: 422, message: ["bad filter"] } });
    const second = await iterator.next();
    expect(second.value && !second.value.ok && second.value.error.vendorMessage).toBe("bad filter");
    expect((await iterator.next()).done).toBe(true);
  });

  it("rejects pageLimit above 500 before sending anything", async () => {
    const { client, server } = await setup(10);
    const it1 = client.searchContactsIterator({ locationId: "loc-1", pageLimit: 501 });
    await expect(it1.next()).rejects.toThrow(/pageLimit/);
    expect(server.stats.requests).toBe(0);
  });
});
