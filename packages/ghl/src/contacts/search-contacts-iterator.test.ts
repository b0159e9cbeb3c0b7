// Memory stays flat however many contacts: the iterator holds one page at a time. Measured with an
// injected fetch (no server in the process, so the heap is the client's alone) and forced GCs.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createGhlClient } from "../client/create-ghl-client.js";
import { createSteppingClock } from "../test-support/fake-clock.js";
import { json } from "../test-support/fake-fetch.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("searchContactsIterator memory", () => {
  it("walks 60,000 contacts (~120 MB if they were kept) with a flat heap", async () => {
    const total = 60_000;
    const padding = "x".repeat(2_000);
    // A fetch that keeps nothing (createFakeFetch records every request).
    const fetch = async (request: Request): Promise<Response> => {
      const b = JSON.parse(await request.text()) as {
        page?: number;
        searchAfter?: [number, string];
        pageLimit: number;
      };
      const start = b.searchAfter ? b.searchAfter[0] + 1 : ((b.page ?? 1) - 1) * b.pageLimit;
      const contacts = [];
      for (let i = start; i < Math.min(total, start + b.pageLimit); i++) {
        // A fresh string per contact, so nothing is shared between pages.
        contacts.push({
          id: `c${i}`,
          locationId: "loc-1",
          notes: `${i}${padding}`,
          searchAfter: [i, `c${i}`],
        });
      }
      return json(200, { contacts, total });
    };
    const clock = createSteppingClock();
    const client = createGhlClient({
      auth: { kind: "private-integration", token: "pit" },
      fetch,
      now: clock.now,
      sleep: clock.sleep,
    });
    gc();
    const base = process.memoryUsage().heapUsed;
    // Heap after full GCs, sampled from page 60 on: were the pages kept, every sample would be >= 60 MB.
    // The minimum of the samples is robust to a GC that happens to leave garbage behind once.
    const samples: number[] = [];
    let count = 0;
    let pages = 0;
    for await (const page of client.searchContactsIterator({ locationId: "loc-1", pageLimit: 500 })) {
      if (!page.ok) throw new Error(page.error.message);
      count += page.contacts.length;
      if (++pages >= 60 && pages % 10 === 0) {
        gc();
        gc();
        samples.push(process.memoryUsage().heapUsed - base);
      }
    }
    expect(count).toBe(total);
    expect(pages).toBe(120);
    expect(samples).toHaveLength(7);
    expect(Math.min(...samples) / 1e6).toBeLessThan(30);
  });
});
